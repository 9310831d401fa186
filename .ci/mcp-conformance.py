#!/usr/bin/env python3
"""The MCP conformance suite (npm @modelcontextprotocol/conformance) against `/mcp`
of a real `myorg run` on a sample store.

The suite cannot send a bearer token, so it talks to a small proxy on 127.0.0.1 that
adds `Authorization: Bearer TOKEN` to each request and streams the answers back as
they come (server-sent events included). It runs the scenarios that test a server in
general; the others call tools, prompts and resources that only the suite's own test
server has (`test_image_content`, `test_simple_prompt`, ...), and are listed in
EXPECTED_FAILURES with why.

Usage: .ci/mcp-conformance.py path/to/myorg [--verbose]
Needs node and npx (npm fetches Node 22 and the suite). Exits non-zero when a
scenario fails that is not expected to.
"""

import http.client
import http.server
import os
import socketserver
import subprocess
import sys
import tempfile
import threading

SUITE = "@modelcontextprotocol/conformance@0.1.16"
TOKEN = "a-token-for-the-conformance-suite"

# Scenarios of the active suite that need the suite's own test server (its fixed
# tools, prompts and resources), or a capability this server does not offer.
EXPECTED_FAILURES = {
    "completion-complete": "no completions are offered",
    "logging-set-level": "logs go to standard error and the log file, not to the client",
    "tools-call-image": "calls the suite's test_image_content tool",
    "tools-call-audio": "calls the suite's test_audio_content tool",
    "tools-call-embedded-resource": "calls the suite's test_embedded_resource tool",
    "tools-call-mixed-content": "calls the suite's test_multiple_content_types tool",
    "tools-call-with-logging": "calls the suite's test_tool_with_logging tool",
    "tools-call-with-progress": "calls the suite's test_tool_with_progress tool",
    "tools-call-sampling": "calls the suite's test_sampling tool",
    "tools-call-elicitation": "calls the suite's test_elicitation tool",
    "elicitation-sep1034-defaults": "calls the suite's test_elicitation_sep1034_defaults tool",
    "elicitation-sep1330-enums": "calls the suite's test_elicitation_sep1330_enums tool",
    "json-schema-2020-12": "looks for the suite's json_schema_2020_12_tool",
    "server-sse-polling": "calls the suite's test_reconnection tool",
    "dns-rebinding-protection": "meant for servers without authentication: /mcp needs a bearer "
    "token, which a page that rebinds a name to 127.0.0.1 cannot have (the proxy here adds it)",
    "resources-read-text": "reads the suite's test://static-text resource",
    "resources-read-binary": "reads the suite's test://static-binary resource",
    "resources-templates-read": "reads the suite's test://template/{id}/data resource",
    "resources-subscribe": "resources are read, not subscribed to",
    "resources-unsubscribe": "resources are read, not subscribed to",
    "prompts-get-simple": "gets the suite's test_simple_prompt",
    "prompts-get-with-args": "gets the suite's test_prompt_with_arguments",
    "prompts-get-embedded-resource": "gets the suite's test_prompt_with_embedded_resource",
    "prompts-get-with-image": "gets the suite's test_prompt_with_image",
}


def proxy(upstream):
    """A proxy to `upstream` (host:port) adding the bearer token; returns its port."""

    class Forward(http.server.BaseHTTPRequestHandler):
        def forward(self):
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else None
            headers = {k: v for k, v in self.headers.items() if k.lower() != "authorization"}
            headers["Authorization"] = f"Bearer {TOKEN}"
            connection = http.client.HTTPConnection(upstream, timeout=120)
            connection.request(self.command, self.path, body=body, headers=headers)
            answer = connection.getresponse()
            self.send_response(answer.status)
            for key, value in answer.getheaders():
                if key.lower() not in ("transfer-encoding", "connection", "content-length"):
                    self.send_header(key, value)
            self.send_header("Connection", "close")
            self.end_headers()
            while True:
                chunk = answer.read1(65536)
                if not chunk:
                    break
                self.wfile.write(chunk)
                self.wfile.flush()
            connection.close()

        do_GET = do_POST = do_DELETE = forward

        def log_message(self, *_):
            pass

    class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
        daemon_threads = True

    server = Server(("127.0.0.1", 0), Forward)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server.server_address[1]


def main():
    binary = os.path.abspath(sys.argv[1])
    verbose = "--verbose" in sys.argv
    with tempfile.TemporaryDirectory() as home:
        env = {
            "HOME": home,
            "PATH": os.environ.get("PATH", ""),
            "MYORG_REPO_PATH": os.path.join(home, "store"),
            "MYORG_HTTP_ADDR": "127.0.0.1:0",
            "MYORG_MCP_TOKEN": TOKEN,
            "WEB_PASSWORD": "not used here",
            "MYORG_LOG": "warn",
        }
        run = subprocess.Popen(
            [binary, "run"], env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
        )
        try:
            first = run.stdout.readline().strip()
            prefix = "myorg: listening on http://"
            if not first.startswith(prefix):
                sys.exit(f"myorg run did not start: {first!r}")
            threading.Thread(target=lambda: [None for _ in run.stdout], daemon=True).start()
            port = proxy(first[len(prefix):])
            with tempfile.NamedTemporaryFile("w", suffix=".yaml", delete=False) as baseline:
                baseline.write("server:\n")
                for scenario in sorted(EXPECTED_FAILURES):
                    baseline.write(f"  - {scenario}\n")
            command = [
                "npx", "-y", "-p", "node@22", "-p", SUITE, "--",
                "conformance", "server",
                "--url", f"http://127.0.0.1:{port}/mcp",
                "--expected-failures", baseline.name,
            ]
            if verbose:
                command.append("--verbose")
            code = subprocess.call(command)
            os.unlink(baseline.name)
            sys.exit(code)
        finally:
            run.terminate()
            run.wait(timeout=10)


if __name__ == "__main__":
    main()

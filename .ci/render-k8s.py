"""Renders k8s/kustomization.yaml to one multi-document YAML on standard output, as
`kubectl kustomize` would for the parts it uses (resources, namespace, images), and
checks what schemas cannot: every manifest is listed, the names the workload and
CronJobs refer to exist, every job in src/jobs/mod.rs that the in-process schedule
runs by default has a CronJob and no CronJob
triggers an unknown one, the bot's own schedule is off (scheduler.mode = external)
when CronJobs trigger jobs, and the configuration file in a ConfigMap uses only
tables and keys that myorg.example.toml documents. kubectl is not needed. Exits 1
with a message on a problem."""

import pathlib
import re
import sys
import tomllib

import yaml

root = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else "k8s")
problems = []
kustomization = yaml.safe_load((root / "kustomization.yaml").read_text())
allowed = {"apiVersion", "kind", "namespace", "resources", "images"}
for key in set(kustomization) - allowed:
    problems.append(f"kustomization.yaml: {key} is not rendered by .ci/render-k8s.py")

listed = kustomization.get("resources", [])
on_disk = {p.name for p in root.glob("*.yaml")} - {"kustomization.yaml"}
for name in sorted(on_disk - set(listed)):
    if not name.endswith(".example.yaml"):
        problems.append(f"{name} is not listed in kustomization.yaml resources")

images = {i["name"]: i for i in kustomization.get("images", [])}
namespace = kustomization.get("namespace")
cluster_scoped = {"Namespace", "PersistentVolume", "ClusterRole", "ClusterRoleBinding"}
docs = []
for name in listed:
    path = root / name
    if not path.is_file():
        problems.append(f"kustomization.yaml lists {name}, which does not exist")
        continue
    for doc in yaml.safe_load_all(path.read_text()):
        if doc is None:
            continue
        if namespace and doc["kind"] not in cluster_scoped:
            doc["metadata"]["namespace"] = namespace
        docs.append(doc)


def pod_specs(doc):
    spec = doc.get("spec", {})
    if doc["kind"] == "CronJob":
        spec = spec["jobTemplate"]["spec"]
    if "template" in spec:
        yield spec["template"]


defined = {(d["kind"], d["metadata"]["name"]) for d in docs}
for example in root.glob("*.example.yaml"):
    for d in yaml.safe_load_all(example.read_text()):
        if d:
            defined.add((d["kind"], d["metadata"]["name"]))
services = {d["metadata"]["name"]: d for d in docs if d["kind"] == "Service"}


def need(kind, name, where):
    if (kind, name) not in defined:
        problems.append(f"{where} refers to {kind} {name}, which no manifest defines")


for doc in docs:
    where = f"{doc['kind']} {doc['metadata']['name']}"
    for template in pod_specs(doc):
        labels = template.get("metadata", {}).get("labels", {})
        pod = template["spec"]
        for volume in pod.get("volumes", []):
            if "persistentVolumeClaim" in volume:
                need("PersistentVolumeClaim", volume["persistentVolumeClaim"]["claimName"], where)
            if "configMap" in volume:
                need("ConfigMap", volume["configMap"]["name"], where)
        for container in pod["containers"]:
            image = container["image"]
            base, _, tag = image.partition(":")
            if base in images:
                new = images[base]
                container["image"] = f"{new.get('newName', base)}:{new.get('newTag', tag or 'latest')}"
            for source in container.get("envFrom", []):
                if "configMapRef" in source:
                    need("ConfigMap", source["configMapRef"]["name"], where)
                if "secretRef" in source:
                    need("Secret", source["secretRef"]["name"], where)
            for env in container.get("env", []):
                ref = env.get("valueFrom", {}).get("secretKeyRef")
                if ref:
                    need("Secret", ref["name"], where)
            args = container.get("args", [])
            if "--url" in args:
                url = args[args.index("--url") + 1]
                host, _, port = url.removeprefix("http://").partition(":")
                service = services.get(host)
                if service is None:
                    problems.append(f"{where} calls {url}, but no Service is named {host}")
                elif int(port or 80) not in [p["port"] for p in service["spec"]["ports"]]:
                    problems.append(f"{where} calls {url}, but Service {host} has no port {port}")
        for service in services.values():
            selector = service["spec"].get("selector", {})
            if doc["kind"] == "Deployment" and not selector.items() <= labels.items():
                problems.append(f"Service {service['metadata']['name']} does not select {where}'s pods")

# An Ingress example must route to a Service and port that exist, and to paths the
# dashboard's router (src/web/mod.rs) or the MCP endpoint (src/mcp/http.rs) serve,
# never to the triggers or metrics.
router = (root.parent / "src" / "web" / "mod.rs").read_text()
served = set(re.findall(r'\.route\("(/[^"{]*)', router))
mcp = (root.parent / "src" / "mcp" / "http.rs").read_text()
served |= set(re.findall(r'pub const PATH: &str = "(/[^"]*)"', mcp))
for example in root.glob("*.example.yaml"):
    for d in yaml.safe_load_all(example.read_text()):
        if not d or d["kind"] != "Ingress":
            continue
        for rule in d["spec"].get("rules", []):
            for path in rule.get("http", {}).get("paths", []):
                backend = path["backend"]["service"]
                service = services.get(backend["name"])
                where = f"{example.name}: {path['path']}"
                if service is None:
                    problems.append(f"{where} routes to Service {backend['name']}, which no manifest defines")
                    continue
                port = backend["port"]
                ports = service["spec"]["ports"]
                if not any(p.get("name") == port.get("name") or p["port"] == port.get("number") for p in ports):
                    problems.append(f"{where} routes to a port Service {backend['name']} does not have")
                if path["path"].startswith(("/trigger", "/metrics")):
                    problems.append(f"{where} exposes {path['path']} outside the cluster")
                if not any(route == path["path"] or route.startswith(path["path"].rstrip("/") + "/") for route in served):
                    problems.append(f"{where} is not a path the dashboard serves")

# The jobs `myorg trigger` knows (`Job::X => "name"` in src/jobs/mod.rs) against the
# CronJobs' arguments.
source = root.parent / "src" / "jobs" / "mod.rs"
jobs = set(re.findall(r'Job::\w+ => "([a-z-]+)"', source.read_text()))
triggered = set()
for doc in docs:
    if doc["kind"] == "CronJob":
        for template in pod_specs(doc):
            for container in template["spec"]["containers"]:
                args = container.get("args", [])
                if args[:1] == ["trigger"]:
                    triggered.add(args[1])
                    if args[1] not in jobs:
                        problems.append(f"CronJob {doc['metadata']['name']} triggers {args[1]}, not a job in src/jobs/mod.rs")
# A job the in-process schedule leaves off by default (`""` in DEFAULT_JOBS of
# src/config.rs: git-sync, which `myorg run` does by itself) needs no CronJob.
defaults = (root.parent / "src" / "config.rs").read_text()
unscheduled = set(re.findall(r'\("([a-z-]+)", ""\)', defaults))
for job in sorted(jobs - triggered - unscheduled):
    problems.append(f"no CronJob triggers the job {job} (src/jobs/mod.rs)")

# The configuration file: every table and key must be one myorg.example.toml
# documents (set or commented out), since the assistant refuses unknown keys.
example = (root.parent / "myorg.example.toml").read_text()
documented_tables = set(re.findall(r"^#?\s*\[\[?([a-z_.]+)\]\]?", example, re.M))
documented_keys = set(re.findall(r"^#?\s*([a-z_-]+)\s*=", example, re.M))


def check_table(where, table, values):
    if table not in documented_tables:
        problems.append(f"{where}: [{table}] is not in myorg.example.toml")
    for entry in values if isinstance(values, list) else [values]:
        for name, value in entry.items():
            if isinstance(value, dict) or (isinstance(value, list) and value and isinstance(value[0], dict)):
                check_table(where, f"{table}.{name}", value)
            elif name not in documented_keys:
                problems.append(f"{where}: {table}.{name} is not in myorg.example.toml")


file_mode, env_mode = None, None
for doc in docs:
    if doc["kind"] != "ConfigMap":
        continue
    for key, text in doc.get("data", {}).items():
        if key == "MYORG_SCHEDULER_MODE" and text:
            env_mode = text
        if not key.endswith(".toml"):
            continue
        where = f"ConfigMap {doc['metadata']['name']} {key}"
        try:
            config = tomllib.loads(text)
        except tomllib.TOMLDecodeError as error:
            problems.append(f"{where}: {error}")
            continue
        for table, values in config.items():
            check_table(where, table, values)
        file_mode = config.get("scheduler", {}).get("mode", file_mode)

# CronJobs and the bot's own schedule would each run every job: one must be off.
# The environment variable wins over the file, as in the assistant.
if triggered and (env_mode or file_mode or "in-process") != "external":
    problems.append(
        "CronJobs trigger jobs, so the configuration must set scheduler.mode = \"external\" "
        "(else the bot runs each job too)"
    )

if problems:
    sys.exit("k8s: " + "\nk8s: ".join(problems))
yaml.safe_dump_all(docs, sys.stdout, sort_keys=False)

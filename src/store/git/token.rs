//! Whether `GIT_TOKEN` may go to a remote. libgit2 sends it as basic auth, which over
//! plain `http://` crosses the network in clear: that is refused, except to this
//! machine (127.0.0.0/8, ::1, `localhost`), where it is only warned about. https, ssh,
//! `file://` and local paths are fine (ssh and local remotes never get the token).

use super::RemoteSettings;
use anyhow::bail;
use std::net::IpAddr;

/// How a token would travel to a remote.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenTransport {
    /// Encrypted, or not sent at all.
    Safe,
    /// In clear, but to this machine.
    Loopback,
    /// In clear over the network: refused.
    InClear,
}

/// How a token would travel to `url`.
pub fn token_transport(url: &str) -> TokenTransport {
    let Some(rest) = strip_prefix_ignore_case(url.trim(), "http://") else {
        return TokenTransport::Safe;
    };
    if is_loopback(host(rest)) {
        TokenTransport::Loopback
    } else {
        TokenTransport::InClear
    }
}

impl RemoteSettings {
    /// Refuses a token that would cross the network in clear (the error names the
    /// remote, without any credentials written in its URL); otherwise says how it
    /// travels, so that the caller can warn about plain http to this machine.
    pub fn check_token(&self) -> anyhow::Result<TokenTransport> {
        if self.token.as_deref().is_none_or(str::is_empty) {
            return Ok(TokenTransport::Safe);
        }
        let transport = token_transport(&self.url);
        if transport == TokenTransport::InClear {
            bail!(
                "GIT_TOKEN would be sent unencrypted to the remote {}: use an https:// (or ssh) \
                 remote, or leave GIT_TOKEN unset",
                without_credentials(&self.url)
            );
        }
        Ok(transport)
    }
}

/// `url` without a `user:password@` part.
pub fn without_credentials(url: &str) -> String {
    let Some(scheme_end) = url.find("://").map(|at| at + 3) else {
        return url.to_string();
    };
    let authority_end = url[scheme_end..]
        .find(['/', '?', '#'])
        .map_or(url.len(), |at| scheme_end + at);
    match url[scheme_end..authority_end].rfind('@') {
        Some(at) => format!("{}{}", &url[..scheme_end], &url[scheme_end + at + 1..]),
        None => url.to_string(),
    }
}

/// The host of what follows `scheme://`: without credentials, port and path, and
/// without the brackets of an IPv6 address.
fn host(rest: &str) -> &str {
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host_port = authority.rsplit_once('@').map_or(authority, |(_, host)| host);
    if let Some(bracketed) = host_port.strip_prefix('[') {
        return bracketed.split(']').next().unwrap_or("");
    }
    host_port.split(':').next().unwrap_or("")
}

fn is_loopback(host: &str) -> bool {
    let host = host.trim_end_matches('.');
    if host.eq_ignore_ascii_case("localhost") {
        return true;
    }
    match host.parse::<IpAddr>() {
        Ok(IpAddr::V4(v4)) => v4.is_loopback(),
        Ok(IpAddr::V6(v6)) => v6.is_loopback() || v6.to_ipv4_mapped().is_some_and(|v4| v4.is_loopback()),
        Err(_) => false,
    }
}

fn strip_prefix_ignore_case<'a>(text: &'a str, prefix: &str) -> Option<&'a str> {
    let head = text.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix).then(|| &text[prefix.len()..])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_goes_in_clear_only_to_this_machine() {
        use TokenTransport::*;
        for (url, expected) in [
            ("https://github.com/you/store.git", Safe),
            ("ssh://git@host/store.git", Safe),
            ("git@github.com:you/store.git", Safe),
            ("file:///srv/store.git", Safe),
            ("/srv/store.git", Safe),
            ("http://github.com/you/store.git", InClear),
            ("HTTP://Example.com:8080/store.git", InClear),
            ("http://10.0.0.5/store.git", InClear),
            ("http://127.0.0.1.example.com/store.git", InClear),
            ("http://localhost.evil.com/store.git", InClear),
            ("http://user:pw@127.0.0.1@evil.com/store.git", InClear),
            ("http://[::2]/store.git", InClear),
            ("http://127.0.0.1:8080/store.git", Loopback),
            ("http://127.1.2.3/store.git", Loopback),
            ("http://localhost/store.git", Loopback),
            ("http://LOCALHOST:3000", Loopback),
            ("http://user:pw@localhost/store.git", Loopback),
            ("http://[::1]:8080/store.git", Loopback),
            ("http://[::ffff:127.0.0.1]/store.git", Loopback),
        ] {
            assert_eq!(token_transport(url), expected, "{url}");
        }
    }

    #[test]
    fn the_refusal_names_the_remote_without_credentials() {
        let remote = |url: &str, token: Option<&str>| RemoteSettings {
            url: url.to_string(),
            username: None,
            token: token.map(str::to_string),
            ssh_key: None,
        };
        let error = remote("http://you:s3cret@example.com/store.git", Some("s3cret"))
            .check_token()
            .unwrap_err()
            .to_string();
        assert!(
            error.contains("the remote http://example.com/store.git:"),
            "{error}"
        );
        assert!(!error.contains("s3cret"), "{error}");
        assert_eq!(
            remote("http://example.com/store.git", None)
                .check_token()
                .unwrap(),
            TokenTransport::Safe,
            "without a token, nothing is sent"
        );
        assert_eq!(
            remote("http://localhost/store.git", Some("t"))
                .check_token()
                .unwrap(),
            TokenTransport::Loopback
        );
        assert_eq!(without_credentials("https://a.b/c@d"), "https://a.b/c@d");
    }
}

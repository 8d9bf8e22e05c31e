//! Who may ask what of the workbench. A page on another site, or a name
//! rebound to 127.0.0.1 (DNS rebinding), must not read the rules or write
//! them; another user of the machine must not write them either.
//!
//! - `Host` must name this server: on loopback, a loopback name with its
//!   port (a rebound name fails here); listening beyond loopback, any name
//!   of the machine with its port (the token then guards every request).
//! - `Origin`, when the browser sends one, must be the `Host` asked: a
//!   cross-site `fetch` or form fails here.
//! - Every request that writes carries the token printed at start (header
//!   `X-Jixiao-Token`); listening beyond loopback, every request for data
//!   does too. The page itself holds nothing secret and is served to anyone
//!   who names this server: a reload cannot send a header.

/// Why a request was refused: the status and a short reason for the body.
pub type Refusal = (u16, &'static str);

pub struct Guard {
    /// Host names this server answers to (without the port).
    hosts: Vec<String>,
    port: u16,
    token: String,
    /// Listening beyond loopback: reads need the token too.
    token_for_reads: bool,
}

/// What a request says about itself.
pub struct Asked<'a> {
    pub host: Option<&'a str>,
    pub origin: Option<&'a str>,
    /// `Sec-Fetch-Site`, sent by browsers.
    pub fetch_site: Option<&'a str>,
    /// The token from the header or the query.
    pub token: Option<&'a str>,
    pub writes: bool,
    /// The page (`GET /`), not data.
    pub page: bool,
}

impl Guard {
    /// `listen`: the address bound; `loopback`: whether it is one.
    pub fn new(listen: &str, port: u16, loopback: bool, token: String) -> Guard {
        let mut hosts: Vec<String> = ["127.0.0.1", "localhost", "[::1]"].iter().map(|h| h.to_string()).collect();
        let listen =
            if listen.contains(':') && !listen.starts_with('[') { format!("[{listen}]") } else { listen.to_string() };
        if !hosts.contains(&listen) && listen != "0.0.0.0" && listen != "[::]" {
            hosts.push(listen);
        }
        Guard { hosts, port, token, token_for_reads: !loopback }
    }

    pub fn token(&self) -> &str {
        &self.token
    }

    pub fn check(&self, asked: &Asked) -> Result<(), Refusal> {
        let Some(host) = asked.host else { return Err((400, "no Host header")) };
        if !self.is_this(host) {
            return Err((421, "this server does not answer to that Host"));
        }
        if let Some(origin) = asked.origin
            && !origin.strip_prefix("http://").is_some_and(|o| o.eq_ignore_ascii_case(host))
        {
            return Err((403, "requests from another site are refused"));
        }
        if asked.fetch_site.is_some_and(|s| s == "cross-site") {
            return Err((403, "requests from another site are refused"));
        }
        let needs_token = asked.writes || self.token_for_reads && !asked.page;
        if needs_token && !asked.token.is_some_and(|t| same(t, &self.token)) {
            return Err((403, "this request needs the token jixiao serve printed at start"));
        }
        Ok(())
    }

    /// `name:port` of this server: the port exactly as it prints, and a
    /// loopback name (any name beyond loopback).
    fn is_this(&self, host: &str) -> bool {
        let Some((name, port)) = host.rsplit_once(':') else { return false };
        let named = if self.token_for_reads {
            !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || ".-[]:".contains(c))
        } else {
            self.hosts.iter().any(|h| h.eq_ignore_ascii_case(name))
        };
        port == self.port.to_string() && named
    }
}

/// Compares without stopping at the first difference (timing tells nothing).
fn same(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// A token of 128 random bits, in hex.
pub fn new_token() -> std::io::Result<String> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).map_err(|e| std::io::Error::other(e.to_string()))?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn local() -> Guard {
        Guard::new("127.0.0.1", 8765, true, "secret".into())
    }

    fn asked<'a>(host: &'a str, origin: Option<&'a str>, token: Option<&'a str>, writes: bool) -> Asked<'a> {
        Asked { host: Some(host), origin, fetch_site: None, token, writes, page: false }
    }

    #[test]
    fn loopback_reads_need_only_the_right_host() {
        let g = local();
        assert!(g.check(&asked("127.0.0.1:8765", None, None, false)).is_ok());
        assert!(g.check(&asked("localhost:8765", Some("http://localhost:8765"), None, false)).is_ok());
        assert_eq!(g.check(&asked("evil.example:8765", None, None, false)).map_err(|e| e.0), Err(421));
        assert_eq!(g.check(&asked("127.0.0.1:80", None, None, false)).map_err(|e| e.0), Err(421));
        assert_eq!(g.check(&asked("127.0.0.1", None, None, false)).map_err(|e| e.0), Err(421));
    }

    #[test]
    fn a_foreign_origin_is_refused_even_with_the_token() {
        let g = local();
        let r = g.check(&asked("127.0.0.1:8765", Some("http://evil.example"), Some("secret"), true));
        assert_eq!(r.map_err(|e| e.0), Err(403));
        let r = g.check(&asked("127.0.0.1:8765", Some("null"), Some("secret"), true));
        assert_eq!(r.map_err(|e| e.0), Err(403));
        let cross = Asked { fetch_site: Some("cross-site"), ..asked("127.0.0.1:8765", None, None, false) };
        assert_eq!(g.check(&cross).map_err(|e| e.0), Err(403));
    }

    #[test]
    fn writes_need_the_token() {
        let g = local();
        assert_eq!(g.check(&asked("127.0.0.1:8765", None, None, true)).map_err(|e| e.0), Err(403));
        assert_eq!(g.check(&asked("127.0.0.1:8765", None, Some("secreT"), true)).map_err(|e| e.0), Err(403));
        assert_eq!(g.check(&asked("127.0.0.1:8765", None, Some("secre"), true)).map_err(|e| e.0), Err(403));
        assert!(g.check(&asked("127.0.0.1:8765", None, Some("secret"), true)).is_ok());
    }

    #[test]
    fn beyond_loopback_every_request_needs_the_token() {
        let g = Guard::new("192.168.1.5", 8765, false, "secret".into());
        assert_eq!(g.check(&asked("192.168.1.5:8765", None, None, false)).map_err(|e| e.0), Err(403));
        assert!(g.check(&asked("192.168.1.5:8765", None, Some("secret"), false)).is_ok());
        // The page itself: a reload sends no header.
        assert!(g.check(&Asked { page: true, ..asked("192.168.1.5:8765", None, None, false) }).is_ok());
        // Any name of the machine (listening on 0.0.0.0 too), the same origin only.
        let any = Guard::new("0.0.0.0", 8765, false, "secret".into());
        assert!(
            any.check(&asked("finance-pc.local:8765", Some("http://finance-pc.local:8765"), Some("secret"), true))
                .is_ok()
        );
        let r = any.check(&asked("finance-pc.local:8765", Some("http://evil.example:8765"), Some("secret"), true));
        assert_eq!(r.map_err(|e| e.0), Err(403));
        assert_eq!(any.check(&asked("finance-pc.local:80", None, Some("secret"), false)).map_err(|e| e.0), Err(421));
    }

    #[test]
    fn the_port_is_the_port_as_printed() {
        let g = local();
        for host in ["127.0.0.1:08765", "127.0.0.1:+8765", "127.0.0.1: 8765"] {
            assert_eq!(g.check(&asked(host, None, None, false)).map_err(|e| e.0), Err(421), "{host}");
        }
    }

    #[test]
    fn tokens_differ_and_are_long() {
        let (a, b) = (new_token().unwrap_or_default(), new_token().unwrap_or_default());
        assert_eq!(a.len(), 32);
        assert_ne!(a, b);
    }
}

//! `jixiao serve`: a local web workbench. The page (embedded in the binary,
//! no CDN) shows a workspace's rule files in an editor with live
//! diagnostics, the 自评表 of the matching data updating as you type, the
//! point-loss ledger, `explain` on click, `diff`, `audit` and downloads.
//!
//! HTTP is `http.rs`: synchronous, a thread per connection, no async
//! runtime (as `jixiao lsp`): the page asks one thing at a time, each
//! answered in milliseconds.

mod api;
mod guard;
mod http;

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::PathBuf;

use super::{Exit, Global, output};
use jixiao::diagnostic::Problem;
use jixiao::messages::Word;
use jixiao::source::Sources;
use jixiao::workspace::Workspace;

use api::{Answer, Api};
use guard::{Asked, Guard};

#[derive(clap::Args, Debug)]
pub struct ServeArgs {
    /// The workspace: a folder with `jixiao.toml`, or one holding `rules/`.
    #[arg(default_value = ".")]
    pub workspace: PathBuf,
    /// The port (0: any free one; the address printed says which).
    #[arg(long, default_value_t = 8765)]
    pub port: u16,
    /// Listen on this address instead of 127.0.0.1; every request then
    /// needs the token printed at start.
    #[arg(long, value_name = "ADDR")]
    pub listen: Option<IpAddr>,
}

const PAGE: &str = include_str!("page.html");
const STYLE: &str = include_str!("page.css");
const SCRIPT: &str = include_str!("page.js");

impl ServeArgs {
    pub fn run(&self, global: &Global) -> Exit {
        let mut sources = Sources::new();
        if let Err(e) = std::fs::metadata(&self.workspace) {
            let problem = Problem::error(jixiao::source::UNREADABLE)
                .arg("path", self.workspace.display())
                .arg_io("reason", e.kind());
            output::report(&[problem], &sources, global);
            return Exit::Failed;
        }
        let workspace = match Workspace::find_at(&self.workspace, &mut sources) {
            Ok(Some(w)) if !w.rules.is_empty() => w,
            Ok(_) => {
                let problem = Problem::error(jixiao::workspace::codes::NO_RULES).arg("path", self.workspace.display());
                output::report(&[problem], &sources, global);
                return Exit::Failed;
            }
            Err(problems) => {
                output::report(&problems, &sources, global);
                return Exit::Failed;
            }
        };
        let lang = global.lang_in(workspace.lang);
        let address = self.listen.unwrap_or(IpAddr::V4(Ipv4Addr::LOCALHOST));
        let listener = match std::net::TcpListener::bind(SocketAddr::new(address, self.port)) {
            Ok(l) => l,
            Err(e) => {
                let problem =
                    Problem::error(BIND).arg("address", SocketAddr::new(address, self.port)).arg_io("reason", e.kind());
                output::report(&[problem], &sources, global);
                return Exit::Failed;
            }
        };
        let port = listener.local_addr().map_or(self.port, |a| a.port());
        let token = match guard::new_token() {
            Ok(t) => t,
            Err(e) => {
                let problem = Problem::error(BIND).arg("address", address).arg("reason", e);
                output::report(&[problem], &sources, global);
                return Exit::Failed;
            }
        };
        let guard = Guard::new(&address.to_string(), port, address.is_loopback(), token);
        // Listening on every address, the page is opened on this machine's loopback.
        let shown = match address {
            IpAddr::V4(v4) if v4.is_unspecified() => IpAddr::V4(Ipv4Addr::LOCALHOST),
            IpAddr::V6(v6) if v6.is_unspecified() => IpAddr::V6(std::net::Ipv6Addr::LOCALHOST),
            other => other,
        };
        let host = match shown {
            IpAddr::V6(v6) => format!("[{v6}]"),
            IpAddr::V4(v4) => v4.to_string(),
        };
        let url = format!("http://{host}:{port}/?token={}", guard.token());
        let folders = |list: &[PathBuf]| list.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(", ");
        // The address alone on its line: a terminal links all of it, and nothing more.
        println!("{}\n    {url}", Word::ServeOpen.text(lang));
        println!(
            "{}",
            Word::ServeWorkspace
                .fill(lang, &[("rules", &folders(&workspace.rules)), ("data", &folders(&workspace.data))])
        );
        if !address.is_loopback() {
            eprintln!("{}", Word::ServeBeyondLoopback.fill(lang, &[("address", &address.to_string())]));
        }
        let api = Api::new(workspace, lang);
        http::serve(&listener, move |request| answer(request, &guard, &api));
        Exit::Success
    }
}

/// The code of a server that could not start listening.
pub const BIND: &str = "jixiao::serve::bind";

/// A query parameter, percent-decoded.
fn query(url: &str, key: &str) -> Option<String> {
    let (_, query) = url.split_once('?')?;
    query.split('&').find_map(|pair| {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        (k == key).then(|| String::from_utf8_lossy(&super::percent_decoded(v, true)).into_owned())
    })
}

fn answer(request: &http::Request, guard: &Guard, api: &Api) -> http::Response {
    // A header the checks read, sent twice, is refused: which one would count?
    for name in ["Host", "Origin", "Sec-Fetch-Site", "X-Jixiao-Token"] {
        if request.headers.iter().filter(|(n, _)| n.eq_ignore_ascii_case(name)).count() > 1 {
            let answer = Answer::error(400, &format!("{name} sent more than once"));
            return http::Response::new(answer.status, answer.content_type, answer.body);
        }
    }
    let url = request.target.as_str();
    let path = url.split('?').next().unwrap_or("");
    let writes = path == "/api/save";
    // A write's token comes in its header only: an address with it is easily shared.
    let token = match request.header("X-Jixiao-Token") {
        Some(t) => Some(t.to_string()),
        None if !writes => query(url, "token"),
        None => None,
    };
    let asked = Asked {
        host: request.header("Host"),
        origin: request.header("Origin"),
        fetch_site: request.header("Sec-Fetch-Site"),
        token: token.as_deref(),
        writes,
        page: path == "/" && request.method == "GET",
    };
    let answer = match guard.check(&asked) {
        Err((status, reason)) => Answer::error(status, reason),
        Ok(()) => route(&request.method, path, url, &request.body, api),
    };
    let mut response = http::Response::new(answer.status, answer.content_type, answer.body);
    response.headers.extend([
        ("Cache-Control", "no-store".to_string()),
        ("X-Content-Type-Options", "nosniff".to_string()),
        ("Referrer-Policy", "no-referrer".to_string()),
        (
            "Content-Security-Policy",
            "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'; \
             img-src data: blob:; frame-src 'self' about:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
                .to_string(),
        ),
    ]);
    if let Some(name) = &answer.download {
        response
            .headers
            .push(("Content-Disposition", format!("attachment; filename*=UTF-8''{}", percent_encode(name))));
    }
    response
}

fn route(method: &str, path: &str, url: &str, body: &[u8], api: &Api) -> Answer {
    let lang = query(url, "lang");
    if lang.as_deref().is_some_and(|l| l != "zh" && l != "en") {
        return Answer::error(400, "lang is zh or en");
    }
    match (method, path) {
        ("GET", "/") => Answer {
            status: 200,
            content_type: "text/html; charset=utf-8",
            body: PAGE.replace("/*STYLE*/", STYLE).replace("/*SCRIPT*/", SCRIPT).into_bytes(),
            download: None,
        },
        ("GET", "/api/workspace") => api.workspace(),
        ("GET", "/api/file") => api.file(&query(url, "path").unwrap_or_default()),
        ("GET", "/api/diff") => api.heavy(|| {
            api.diff(&query(url, "old").unwrap_or_default(), &query(url, "new").unwrap_or_default(), lang.as_deref())
        }),
        ("GET", "/api/audit") => api.heavy(|| api.audit(&query(url, "data").unwrap_or_default(), lang.as_deref())),
        ("POST", "/api/evaluate") => match serde_json::from_slice(body) {
            Ok(edited) => api.heavy(|| api.evaluation(&edited)),
            Err(e) => Answer::error(400, &e.to_string()),
        },
        ("POST", "/api/download") => match serde_json::from_slice(body) {
            Ok(edited) => api.heavy(|| api.download(&edited)),
            Err(e) => Answer::error(400, &e.to_string()),
        },
        ("POST", "/api/save") => match serde_json::from_slice(body) {
            Ok(save) => api.save(&save),
            Err(e) => Answer::error(400, &e.to_string()),
        },
        (
            _,
            "/" | "/api/workspace" | "/api/file" | "/api/diff" | "/api/audit" | "/api/evaluate" | "/api/download"
            | "/api/save",
        ) => Answer::error(405, "method not allowed"),
        _ => Answer::error(404, "not found"),
    }
}

/// RFC 5987: all but unreserved characters percent-encoded.
fn percent_encode(text: &str) -> String {
    text.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queries_are_decoded() {
        let url = "/api/file?path=rules%2F2018%2F%E8%B4%A8.jx&x=1";
        assert_eq!(query(url, "path").as_deref(), Some("rules/2018/质.jx"));
        assert_eq!(query(url, "x").as_deref(), Some("1"));
        assert_eq!(query(url, "y"), None);
        assert_eq!(query("/?a=a%2", "a").as_deref(), Some("a%2"));
        assert_eq!(query("/?a=%zz%41+b", "a").as_deref(), Some("%zzA b"));
    }

    #[test]
    fn download_names_are_encoded() {
        assert_eq!(percent_encode("质量-2018.csv"), "%E8%B4%A8%E9%87%8F-2018.csv");
    }
}

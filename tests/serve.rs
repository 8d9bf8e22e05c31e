//! `jixiao serve` through raw HTTP, as a program (or an attacker) talks to
//! it: what it refuses, and that nothing a request says can stop it. The
//! page in a real browser is `tests/workbench.rs`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, reason = "tests fail loudly")]

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use serde_json::{Value, json};

struct Server {
    child: Child,
    port: u16,
    token: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    fn start(workspace: &Path) -> Server {
        Server::start_with(workspace, &[])
    }

    fn start_with(workspace: &Path, extra: &[&str]) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_jixiao"))
            .args(["serve", "--port", "0", "--lang", "en"])
            .args(extra)
            .arg(workspace)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut out = BufReader::new(child.stdout.take().unwrap());
        let mut line = String::new();
        while !line.trim_start().starts_with("http://") {
            line.clear();
            assert_ne!(out.read_line(&mut line).unwrap(), 0, "serve prints its address");
        }
        std::thread::spawn(move || std::io::copy(&mut out, &mut std::io::sink()));
        let url = line.trim();
        let port = url.split(':').nth(2).and_then(|p| p.split('/').next()).unwrap().parse().unwrap();
        let token = url.split("token=").nth(1).unwrap().to_string();
        Server { child, port, token }
    }

    /// Sends raw bytes; the status and body of the answer (status 0: none).
    fn raw(&self, bytes: &[u8]) -> (u16, String) {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        stream.set_read_timeout(Some(Duration::from_secs(60))).unwrap();
        let _ = stream.write_all(bytes);
        let mut answer = Vec::new();
        let _ = stream.read_to_end(&mut answer);
        let answer = String::from_utf8_lossy(&answer).into_owned();
        let status = answer.split_whitespace().nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
        let body = answer.split_once("\r\n\r\n").map(|(_, b)| b.to_string()).unwrap_or_default();
        (status, body)
    }

    fn request(&self, method: &str, target: &str, headers: &str, body: &str) -> (u16, String) {
        let head = format!(
            "{method} {target} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\n{headers}Content-Length: {}\r\n\r\n{body}",
            self.port,
            body.len()
        );
        self.raw(head.as_bytes())
    }

    fn json(&self, method: &str, target: &str, body: &Value) -> (u16, Value) {
        let (status, text) = self.request(method, target, "", &body.to_string());
        (status, serde_json::from_str(&text).unwrap_or(Value::Null))
    }

    fn alive(&self) -> bool {
        self.request("GET", "/api/workspace", "", "").0 == 200
    }
}

fn workspace(name: &str) -> std::path::PathBuf {
    let dir = common::temp(name);
    for folder in ["rules/2018", "rules/2019", "examples/2018"] {
        common::copy_tree(&common::root().join(folder), &dir.join(folder));
    }
    dir
}

#[test]
fn a_declared_body_of_any_size_is_refused_unread() {
    let dir = workspace("serve-huge");
    let server = Server::start(&dir);
    for host in ["evil.example", &format!("127.0.0.1:{}", server.port)] {
        let head = format!("POST /api/evaluate HTTP/1.1\r\nHost: {host}\r\nContent-Length: 999999999999\r\n\r\nab");
        let (status, _) = server.raw(head.as_bytes());
        assert_eq!(status, 413);
        assert!(server.alive(), "the server survived a declared length of 10^12");
    }
    let chunked =
        "POST /api/evaluate HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n";
    assert_eq!(server.raw(chunked.as_bytes()).0, 411);
    assert_eq!(server.raw(b"\x16\x03\x01 not http\r\n\r\n").0, 400);
    assert!(server.alive());
}

#[test]
fn rules_as_deep_as_check_allows_do_not_overflow_a_request() {
    let dir = workspace("serve-deep");
    let server = Server::start(&dir);
    let path = "rules/2018/scheme.jx";
    let scheme = std::fs::read_to_string(dir.join(path)).unwrap();
    let chain = format!("{}0", "if actual >= 1 then 1 else ".repeat(2000));
    let sum = vec!["1"; 5000].join(" + ");
    for body in [chain, sum] {
        let text = scheme.replace("method exact = ", &format!("method deep = {body}\n    method exact = "));
        let (status, answer) = server.json("POST", "/api/evaluate", &json!({ "path": path, "text": text }));
        assert_eq!(status, 200, "{answer}");
        assert!(server.alive());
    }
}

#[test]
fn writes_need_the_token_and_the_version_they_were_loaded_at() {
    let dir = workspace("serve-save");
    let server = Server::start(&dir);
    let path = "rules/2018/quality-supervision.jx";
    let (_, file) = server.json("GET", &format!("/api/file?path={path}"), &Value::Null);
    let text = file["text"].as_str().unwrap().replace(">= 3000 台", ">= 2500 台");
    let save = json!({ "path": path, "text": text, "version": file["version"] }).to_string();
    let token = format!("X-Jixiao-Token: {}\r\n", server.token);
    // No token, a wrong one, the token in the query instead of the header: refused.
    assert_eq!(server.request("POST", "/api/save", "", &save).0, 403);
    assert_eq!(server.request("POST", "/api/save", "X-Jixiao-Token: 0123\r\n", &save).0, 403);
    assert_eq!(server.request("POST", &format!("/api/save?token={}", server.token), "", &save).0, 403);
    // From another site, even with the token.
    let foreign = format!("{token}Origin: http://evil.example\r\n");
    assert_eq!(server.request("POST", "/api/save", &foreign, &save).0, 403);
    assert!(std::fs::read_to_string(dir.join(path)).unwrap().contains(">= 3000 台"));
    // With it: saved; again at the old version: a conflict, the disk's text returned.
    let (status, saved) = server.request("POST", "/api/save", &token, &save);
    assert_eq!(status, 200, "{saved}");
    assert!(std::fs::read_to_string(dir.join(path)).unwrap().contains(">= 2500 台"));
    let (status, conflict) = server.request("POST", "/api/save", &token, &save);
    assert_eq!(status, 409);
    assert!(conflict.contains("2500"));
    // A file written with CRLF keeps them, though the page sends LF.
    let crlf = "rules/2019/quality-supervision.jx";
    let windows = std::fs::read_to_string(dir.join(crlf)).unwrap().replace('\n', "\r\n");
    std::fs::write(dir.join(crlf), &windows).unwrap();
    let (_, file) = server.json("GET", &format!("/api/file?path={crlf}"), &Value::Null);
    let edited = windows.replace("\r\n", "\n").replacen("year 2019", "year 2019 ", 1);
    let body = json!({ "path": crlf, "text": edited, "version": file["version"] }).to_string();
    assert_eq!(server.request("POST", "/api/save", &token, &body).0, 200);
    let written = std::fs::read_to_string(dir.join(crlf)).unwrap();
    assert!(written.contains("year 2019 \r\n") && !written.replace("\r\n", "").contains('\n'), "CRLF kept");
    // Outside the rules folders, or gone: refused and said so.
    let data = json!({ "path": "examples/2018/quality-supervision.toml", "text": "x", "version": "v" }).to_string();
    assert_eq!(server.request("POST", "/api/save", &token, &data).0, 403);
    std::fs::remove_file(dir.join("rules/2018/food-drug-safety.jx")).unwrap();
    let gone = json!({ "path": "rules/2018/food-drug-safety.jx", "text": "x", "version": "v" }).to_string();
    assert_eq!(server.request("POST", "/api/save", &token, &gone).0, 410);
}

#[test]
fn reads_stay_inside_the_workspace_and_answer_only_to_this_host() {
    let dir = workspace("serve-read");
    let outside = common::temp("serve-outside");
    std::fs::write(outside.join("secret.jx"), "scheme 秘密方案 { total 100 }\n").unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(outside.join("secret.jx"), dir.join("rules/2019/link.jx")).unwrap();
    let server = Server::start(&dir);
    for path in ["../Cargo.toml", "rules/../../x", "/etc/passwd", "rules/2019/link.jx"] {
        let (status, _) = server.request("GET", &format!("/api/file?path={path}"), "", "");
        assert_eq!(status, 404, "{path}");
    }
    // Diff and audit read the rules folders without following the link out.
    let (status, diff) = server.json("GET", "/api/diff?old=rules/2018&new=rules/2019", &Value::Null);
    assert_eq!(status, 200);
    assert_eq!(diff["diagnostics"], json!([]), "{diff}");
    assert!(diff["text"].as_str().unwrap().contains("2018 → 2019"), "{diff}");
    assert!(!diff.to_string().contains("secret") && !diff.to_string().contains("秘密"), "{diff}");
    let (_, audit) = server.json("GET", "/api/audit?data=examples/2018/quality-supervision.toml", &Value::Null);
    assert_eq!(audit["diagnostics"], json!([]), "{audit}");
    assert_eq!(audit["clean"], json!(false), "the seed report's error is found: {audit}");
    assert!(!audit.to_string().contains("secret") && !audit.to_string().contains("秘密"), "{audit}");
    // Only what the workspace lists: no hidden files, no golden files, no other kinds.
    std::fs::create_dir_all(dir.join("rules/.git")).unwrap();
    std::fs::write(dir.join("rules/.git/config"), "[core]").unwrap();
    std::fs::write(dir.join("rules/2018/notes.txt"), "notes").unwrap();
    for path in ["rules/.git/config", "rules/2018/notes.txt", "examples/2018/golden/quality-supervision.json"] {
        assert_eq!(server.request("GET", &format!("/api/file?path={path}"), "", "").0, 404, "{path}");
    }
    // A data file asked for outside the workspace is refused, not replaced.
    let text = std::fs::read_to_string(dir.join("rules/2018/quality-supervision.jx")).unwrap();
    let asked = json!({ "path": "rules/2018/quality-supervision.jx", "text": text, "data": "../secret.jx" });
    assert_eq!(server.json("POST", "/api/evaluate", &asked).0, 404);
    let asked = json!({ "path": "rules/2018/quality-supervision.jx", "text": text });
    let (status, evaluated) = server.json("POST", "/api/evaluate", &asked);
    assert_eq!((status, &evaluated["total"]), (200, &json!("96.64")), "{evaluated}");
    // A rebound name, a foreign origin, a second Host: refused.
    let port = server.port;
    let (status, _) = server.raw(format!("GET / HTTP/1.1\r\nHost: evil.example:{port}\r\n\r\n").as_bytes());
    assert_eq!(status, 421);
    let two = format!("GET /api/workspace HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nHost: evil.example\r\n\r\n");
    assert_eq!(server.raw(two.as_bytes()).0, 400);
    assert_eq!(server.request("GET", "/api/workspace", "Origin: http://evil.example\r\n", "").0, 403);
    assert_eq!(server.request("GET", "/api/workspace", "Sec-Fetch-Site: cross-site\r\n", "").0, 403);
    assert_eq!(server.request("GET", "/api/workspace?lang=fr", "", "").0, 400);
    let french = json!({ "path": "rules/2018/quality-supervision.jx", "text": text, "lang": "fr" });
    assert_eq!(server.json("POST", "/api/evaluate", &french).0, 400);
    // The headers the checks read, twice: refused, whichever comes first.
    let origins =
        "Origin: http://127.0.0.1:{port}\r\nOrigin: http://evil.example\r\n".replace("{port}", &port.to_string());
    let (status, reason) = server.request("GET", "/api/workspace", &origins, "");
    assert_eq!(status, 400);
    assert!(reason.contains("Origin sent more than once"), "{reason}");
    // A length that is not plain digits.
    let signed = format!("POST /api/evaluate HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Length: +2\r\n\r\n{{}}");
    assert_eq!(server.raw(signed.as_bytes()).0, 400);
}

#[test]
fn a_test_file_runs_its_tests_as_it_is_typed() {
    let dir = workspace("serve-tests");
    let server = Server::start(&dir);
    let path = "rules/2018/quality-supervision.test.jx";
    let text = std::fs::read_to_string(dir.join(path)).unwrap();
    let (status, answer) = server.json("POST", "/api/evaluate", &json!({ "path": path, "text": text }));
    assert_eq!(status, 200, "{answer}");
    let tests = answer["tests"].as_array().unwrap();
    assert!(!tests.is_empty() && tests.iter().all(|t| t["failures"].as_array().unwrap().is_empty()), "{answer}");
    // One expectation changed: that test fails, at that line.
    let line = text.lines().position(|l| l.contains("total should be 96.64")).expect("a test of the total") + 1;
    let broken = text.replacen("total should be 96.64", "total should be 90", 1);
    let (_, answer) = server.json("POST", "/api/evaluate", &json!({ "path": path, "text": broken }));
    let failures: Vec<&Value> =
        answer["tests"].as_array().unwrap().iter().flat_map(|t| t["failures"].as_array().unwrap()).collect();
    assert_eq!(failures.len(), 1, "{answer}");
    assert_eq!(failures[0]["line"], line);
    assert_eq!((failures[0]["expected"].as_str(), failures[0]["computed"].as_str()), (Some("90"), Some("96.64")));
}

#[test]
fn beyond_loopback_data_needs_the_token_and_the_page_does_not() {
    let dir = workspace("serve-listen");
    let server = Server::start_with(&dir, &["--listen", "0.0.0.0"]);
    // The page (a reload sends no header), to anyone naming this server.
    assert_eq!(server.request("GET", "/", "", "").0, 200);
    // Data: with the token only, whatever name the machine is reached by.
    assert_eq!(server.request("GET", "/api/workspace", "", "").0, 403);
    let token = format!("X-Jixiao-Token: {}\r\n", server.token);
    assert_eq!(server.request("GET", "/api/workspace", &token, "").0, 200);
    let named = format!("GET /api/workspace HTTP/1.1\r\nHost: finance-pc:{}\r\n{token}\r\n", server.port);
    assert_eq!(server.raw(named.as_bytes()).0, 200);
    let wrong_port = format!("GET /api/workspace HTTP/1.1\r\nHost: finance-pc:1\r\n{token}\r\n");
    assert_eq!(server.raw(wrong_port.as_bytes()).0, 421);
}

#[test]
fn what_cannot_be_scored_or_run_says_why() {
    let dir = workspace("serve-why");
    let server = Server::start(&dir);
    // A year later the rate is counted in 家: the 2018 data's 80.0% cannot be scored under it.
    let later = dir.join("rules/2019/quality-supervision.jx");
    let text = std::fs::read_to_string(&later).unwrap();
    std::fs::write(&later, text.replace("{ target >= 80%; points 20 }", "{ target >= 80 家; points 20 }")).unwrap();
    let (status, diff) = server.json("GET", "/api/diff?old=rules/2018&new=rules/2019", &Value::Null);
    assert_eq!(status, 200);
    assert!(diff["text"].as_str().unwrap().contains("2018 → 2019"), "{diff}");
    let codes: Vec<&str> = diff["diagnostics"].as_array().unwrap().iter().filter_map(|d| d["code"].as_str()).collect();
    assert!(!codes.is_empty(), "the data that could not be scored says why: {diff}");
    // A test reading data from outside the workspace is not run, and the answer says so.
    let outside = common::temp("serve-why-outside");
    std::fs::copy(dir.join("examples/2018/quality-supervision.toml"), outside.join("q.toml")).unwrap();
    let path = "rules/2018/quality-supervision.test.jx";
    let tests = std::fs::read_to_string(dir.join(path)).unwrap();
    let moved = tests.replacen(
        "data \"../../examples/2018/quality-supervision.toml\"",
        &format!("data \"{}\"", outside.join("q.toml").display()),
        1,
    );
    assert_ne!(moved, tests);
    let (_, answer) = server.json("POST", "/api/evaluate", &json!({ "path": path, "text": moved }));
    assert_eq!(answer["tests"], json!([]), "{answer}");
    assert!(answer["tests_not_run"].as_str().is_some_and(|r| r.contains("outside the workspace")), "{answer}");
}

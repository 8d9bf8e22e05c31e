//! `jixiao serve` end to end in a real browser: headless Chromium driven
//! over the DevTools protocol. Without Chromium the test says so and
//! passes, unless `JIXIAO_BROWSER_TESTS=required` (as `.ci/run` sets it
//! where the browser installs). Screenshots go to `target/workbench/`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, reason = "tests fail loudly")]

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

const RULE_FILE: &str = "rules/2018/quality-supervision.jx";

/// Kills a child process when the test ends, however it ends.
struct Killed(Child);

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn chromium() -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .flat_map(|dir| ["chromium", "chromium-browser"].map(|name| dir.join(name)))
        .find(|p| p.is_file())
}

/// One DevTools connection to the browser, with a page attached.
struct DevTools {
    socket: tungstenite::WebSocket<tungstenite::stream::MaybeTlsStream<TcpStream>>,
    session: String,
    next: u64,
    /// The page's uncaught exceptions and console errors, for a failure's message.
    errors: Vec<String>,
}

impl DevTools {
    fn connect(url: &str) -> DevTools {
        let (mut socket, _) = tungstenite::connect(url).expect("the browser's DevTools answer");
        if let tungstenite::stream::MaybeTlsStream::Plain(stream) = socket.get_mut() {
            stream.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
        }
        let mut tools = DevTools { socket, session: String::new(), next: 0, errors: Vec::new() };
        let target = tools.call("Target.createTarget", json!({ "url": "about:blank" }));
        let target = target["targetId"].as_str().unwrap().to_string();
        let attached = tools.call("Target.attachToTarget", json!({ "targetId": target, "flatten": true }));
        tools.session = attached["sessionId"].as_str().unwrap().to_string();
        tools
    }

    /// Sends a command (to the page, once attached) and waits for its answer.
    fn call(&mut self, method: &str, params: Value) -> Value {
        match self.try_call(method, &params) {
            Ok(result) => result,
            Err(error) => panic!("{method}: {error}"),
        }
    }

    /// A command's result, or the error DevTools answered with.
    fn try_call(&mut self, method: &str, params: &Value) -> Result<Value, Value> {
        self.next += 1;
        let mut message = json!({ "id": self.next, "method": method, "params": params });
        if !self.session.is_empty() {
            message["sessionId"] = self.session.clone().into();
        }
        self.socket.send(tungstenite::Message::text(message.to_string())).unwrap();
        loop {
            let tungstenite::Message::Text(text) = self.socket.read().expect("DevTools answers") else { continue };
            let answer: Value = serde_json::from_str(&text).unwrap();
            if matches!(answer["method"].as_str(), Some("Runtime.exceptionThrown" | "Runtime.consoleAPICalled")) {
                self.errors.push(answer["params"].to_string());
            }
            if answer["id"].as_u64() == Some(self.next) {
                return match answer.get("error") {
                    Some(error) => Err(error.clone()),
                    None => Ok(answer["result"].clone()),
                };
            }
        }
    }

    /// Evaluates JavaScript in the page (awaiting a promise) and returns its value.
    fn js(&mut self, expression: &str) -> Value {
        let result = self
            .call("Runtime.evaluate", json!({ "expression": expression, "returnByValue": true, "awaitPromise": true }));
        assert!(result.get("exceptionDetails").is_none(), "{expression}: {result}");
        result["result"]["value"].clone()
    }

    /// Waits until `expression` is true in the page.
    fn until(&mut self, what: &str, expression: &str) {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            // While the page reloads its context may be gone: not yet, not a failure.
            let params = json!({ "expression": expression, "returnByValue": true, "awaitPromise": true });
            let done = self.try_call("Runtime.evaluate", &params);
            if done.is_ok_and(|r| r.get("exceptionDetails").is_none() && r["result"]["value"] == json!(true)) {
                return;
            }
            if Instant::now() > deadline {
                let seen = self.js(
                    "fetch('/api/workspace').then(r => r.status).catch(e => String(e)).then(api => JSON.stringify({api, url: location.href, total: document.getElementById('total')?.textContent, status: document.getElementById('status')?.textContent, problems: document.getElementById('diagnostics')?.innerText}))",
                );
                panic!("waited 30 s for {what}; the page shows {seen}; it said {:?}", self.errors);
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn screenshot(&mut self, path: &Path) {
        let shot = self.call("Page.captureScreenshot", json!({ "format": "png" }));
        std::fs::write(path, base64(shot["data"].as_str().unwrap())).unwrap();
    }
}

fn base64(text: &str) -> Vec<u8> {
    let value = |c: u8| match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a' + 26,
        b'0'..=b'9' => c - b'0' + 52,
        b'+' => 62,
        _ => 63,
    };
    let digits: Vec<u8> = text.bytes().filter(|&c| c != b'=').map(value).collect();
    digits
        .chunks(4)
        .flat_map(|chunk| {
            let n = chunk.iter().enumerate().fold(0u32, |n, (i, &d)| n | u32::from(d) << (18 - 6 * i));
            let bytes = [(n >> 16) as u8, (n >> 8) as u8, n as u8];
            bytes.into_iter().take(chunk.len().saturating_sub(1))
        })
        .collect()
}

/// A raw HTTP request to the server, as a program (not a browser) sends it: the status.
fn http(port: u16, head: &str, body: &str) -> u16 {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    write!(stream, "{head}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}", body.len()).unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    answer.split_whitespace().nth(1).and_then(|s| s.parse().ok()).unwrap_or(0)
}

/// JavaScript for a string.
fn quoted(text: &str) -> String {
    serde_json::to_string(text).unwrap()
}

#[test]
fn the_workbench_edits_evaluates_and_saves_in_a_real_browser() {
    let Some(chromium) = chromium() else {
        assert_ne!(
            std::env::var("JIXIAO_BROWSER_TESTS").as_deref(),
            Ok("required"),
            "JIXIAO_BROWSER_TESTS=required but chromium is not on PATH"
        );
        eprintln!("warning: chromium is not installed: the workbench's browser test is skipped");
        return;
    };
    let workspace = common::temp("workbench");
    common::copy_tree(&common::root().join("rules"), &workspace.join("rules"));
    common::copy_tree(&common::root().join("examples"), &workspace.join("examples"));
    let shots = common::root().join("target/workbench");
    std::fs::create_dir_all(&shots).unwrap();

    // The server, on any free port: its first line gives the address.
    let mut server = Killed(
        Command::new(env!("CARGO_BIN_EXE_jixiao"))
            .args(["serve", "--port", "0", "--lang", "zh"])
            .arg(&workspace)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    let mut line = String::new();
    let mut out = BufReader::new(server.0.stdout.take().unwrap());
    while !line.trim_start().starts_with("http://") {
        line.clear();
        assert_ne!(out.read_line(&mut line).unwrap(), 0, "serve prints its address");
    }
    // Read on: a closed pipe would fail the server's next line.
    std::thread::spawn(move || std::io::copy(&mut out, &mut std::io::sink()));
    let url = line.trim().to_string();
    let port: u16 = url.split(':').nth(2).and_then(|p| p.split('/').next()).unwrap().parse().unwrap();
    let token = url.split("token=").nth(1).unwrap().to_string();

    // The browser, its DevTools on any free port (printed on stderr).
    let profile = workspace.join("profile");
    let mut browser = Killed(
        Command::new(&chromium)
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--remote-debugging-port=0",
                "--window-size=1500,1000",
            ])
            .arg(format!("--user-data-dir={}", profile.display()))
            .arg("about:blank")
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap(),
    );
    let stderr = BufReader::new(browser.0.stderr.take().unwrap());
    let devtools = stderr
        .lines()
        .map_while(Result::ok)
        .find_map(|l| l.split_whitespace().find(|w| w.starts_with("ws://")).map(str::to_string))
        .expect("chromium prints its DevTools address");
    let mut page = DevTools::connect(&devtools);
    page.call("Page.enable", json!({}));
    page.call("Runtime.enable", json!({}));
    page.call(
        "Emulation.setDeviceMetricsOverride",
        json!({ "width": 1500, "height": 1000, "deviceScaleFactor": 1, "mobile": false }),
    );

    // Opened: the seed report's total.
    let started = Instant::now();
    page.call("Page.navigate", json!({ "url": format!("{url}#{RULE_FILE}") }));
    page.until("the first evaluation", "document.getElementById('total')?.textContent === '96.64'");
    let opened = started.elapsed();
    page.until(
        "the 自评表 in its frame",
        "document.getElementById('form').contentDocument?.getElementById('total-score')?.textContent === '96.64'",
    );
    assert_eq!(page.js("location.search"), json!(""), "the token is taken out of the address bar");
    page.screenshot(&shots.join("opened.png"));

    // 2500 typed over 3000: the new total, nothing saved.
    let edited = Instant::now();
    page.js("(() => { const e = document.getElementById('editor'); const i = e.value.indexOf('>= 3000'); \
         e.focus(); e.setSelectionRange(i + 3, i + 7); return i; })()");
    page.call("Input.insertText", json!({ "text": "2500" }));
    page.until("97.2 after typing 2500", "document.getElementById('total').textContent === '97.2'");
    let to_total = edited.elapsed();
    page.until(
        "97.2 in the 自评表",
        "document.getElementById('form').contentDocument?.getElementById('total-score')?.textContent === '97.2'",
    );
    // A row of the 自评表 explains its score (the frame runs no script of its own).
    assert_eq!(page.js("document.getElementById('form').getAttribute('sandbox')"), json!("allow-same-origin"));
    page.js(
        "document.getElementById('form').contentDocument.querySelector('tr[data-indicator=\"日常监管巡查\"]').click()",
    );
    page.until(
        "the explanation of 日常监管巡查",
        "document.getElementById('panel-explain').classList.contains('active') && /2072/.test(document.getElementById('explain').textContent) && /2500/.test(document.getElementById('explain').textContent)",
    );
    page.js("document.querySelector('.tab[data-tab=\"form\"]').click()");
    let on_disk = std::fs::read_to_string(workspace.join(RULE_FILE)).unwrap();
    assert!(on_disk.contains(">= 3000") && !on_disk.contains(">= 2500"), "nothing is saved while typing");

    // Chinese text typed as an input method commits it: a comment after the target.
    page.js(
        "(() => { const e = document.getElementById('editor'); const i = e.value.indexOf('\\n', e.value.indexOf('>= 2500')); \
         e.focus(); e.setSelectionRange(i, i); return i; })()",
    );
    page.call("Input.insertText", json!({ "text": "  // 目标调整为 2500 台" }));
    page.until(
        "the comment in the editor",
        "document.getElementById('editor').value.includes('// 目标调整为 2500 台')",
    );
    page.until(
        "a clean check after the comment",
        "document.querySelector('#diagnostics li.clean') !== null && document.getElementById('total').textContent === '97.2'",
    );

    // A misspelt id: its diagnostic at its line, marked in the gutter.
    let text = page.js("document.getElementById('editor').value");
    let text = text.as_str().unwrap();
    let at = text.find("budget 预算执行率").expect("the rule file names its budget indicator");
    let line = text[..at].matches('\n').count() + 1;
    let start = text[..at + "budget ".len()].encode_utf16().count();
    page.js(&format!(
        "(() => {{ const e = document.getElementById('editor'); e.focus(); e.setSelectionRange({start}, {}); }})()",
        start + "预算执行率".encode_utf16().count()
    ));
    page.call("Input.insertText", json!({ "text": "预算执行律" }));
    page.until(
        "the misspelt id's diagnostic",
        &format!("document.querySelector('#diagnostics li.error[data-line=\"{line}\"]') !== null"),
    );
    assert_eq!(
        page.js(&format!("document.querySelector('#gutter div[data-line=\"{line}\"]').className")),
        json!("error")
    );
    let message = page.js("document.querySelector('#diagnostics li.error').textContent");
    assert!(message.as_str().unwrap().contains("预算执行率"), "it suggests the right id: {message}");
    // The 自评表 is the one from before the edit, and says so.
    page.until(
        "the stale 自评表 marked",
        "document.getElementById('form').classList.contains('stale') && document.getElementById('total').textContent === '97.2（修改前）'",
    );
    page.screenshot(&shots.join("misspelt.png"));
    page.js(&format!(
        "(() => {{ const e = document.getElementById('editor'); e.focus(); e.setSelectionRange({start}, {}); }})()",
        start + "预算执行律".encode_utf16().count()
    ));
    page.call("Input.insertText", json!({ "text": "预算执行率" }));
    page.until("the fix", "document.querySelector('#diagnostics li.error') === null && document.getElementById('total').textContent === '97.2'");

    // Saved, and still there after a reload.
    page.js("document.getElementById('save').click()");
    let file = workspace.join(RULE_FILE);
    let deadline = Instant::now() + Duration::from_secs(30);
    while !std::fs::read_to_string(&file).unwrap().contains("// 目标调整为 2500 台") {
        assert!(Instant::now() < deadline, "the save reached the disk");
        std::thread::sleep(Duration::from_millis(50));
    }
    let saved = std::fs::read_to_string(&file).unwrap();
    assert!(
        saved.contains("target >= 2500 台; points 4 }  // 目标调整为 2500 台") && saved.contains("budget 预算执行率")
    );
    page.until("the saved state", "document.getElementById('status').textContent.includes('已保存')");
    page.call("Page.reload", json!({}));
    page.until("the reloaded page", "document.getElementById('editor').value.includes('// 目标调整为 2500 台')");
    page.until("97.2 after the reload", "document.getElementById('total').textContent === '97.2'");
    page.screenshot(&shots.join("workbench.png"));

    // A write without the token, from the page itself: refused, the file kept.
    let refused = page.js(&format!(
        "fetch('/api/save', {{ method: 'POST', headers: {{ 'Content-Type': 'application/json' }}, \
         body: JSON.stringify({{ path: {}, text: 'x', version: 'v' }}) }}).then(r => r.status)",
        quoted(RULE_FILE)
    ));
    assert_eq!(refused, json!(403));
    // From a program: no token, a wrong token, a foreign Host.
    let host = format!("Host: 127.0.0.1:{port}");
    let body = json!({ "path": RULE_FILE, "text": "x", "version": "v" }).to_string();
    assert_eq!(http(port, &format!("POST /api/save HTTP/1.1\r\n{host}"), &body), 403);
    assert_eq!(http(port, &format!("POST /api/save HTTP/1.1\r\n{host}\r\nX-Jixiao-Token: {token}x"), &body), 403);
    assert_eq!(http(port, &format!("GET / HTTP/1.1\r\nHost: evil.example:{port}"), ""), 421);
    assert_eq!(http(port, &format!("GET /api/workspace HTTP/1.1\r\nHost: evil.example:{port}"), ""), 421);
    assert_eq!(http(port, &format!("GET /api/workspace HTTP/1.1\r\n{host}\r\nOrigin: http://evil.example"), ""), 403);
    assert_eq!(std::fs::read_to_string(&file).unwrap(), saved, "refused writes leave the file");
    // With the token, a stale version is a conflict, not an overwrite.
    let stale = format!("POST /api/save HTTP/1.1\r\n{host}\r\nX-Jixiao-Token: {token}");
    assert_eq!(http(port, &stale, &body), 409);
    assert_eq!(std::fs::read_to_string(&file).unwrap(), saved);

    eprintln!(
        "workbench: opened to first total in {} ms, an edit to its new total in {} ms",
        opened.as_millis(),
        to_total.as_millis()
    );
    drop(page);
    drop(browser);
    drop(server);
    let _ = std::fs::remove_dir_all(&workspace);
}

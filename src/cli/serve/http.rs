//! HTTP/1.1, as little of it as the workbench needs: one request per
//! connection (`Connection: close`), a body only with `Content-Length`, its
//! declared length checked before the body is read, the head read 4 KiB at
//! a time up to its limit, the answer written 64 KiB at a time up to its
//! deadline. The request
//! head is parsed by `httparse` (hyper's parser); the rest is here, because
//! the small servers on crates.io buffer a declared body of any size (a
//! single request could abort the process) and hold a thread per idle
//! connection forever.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

/// The largest request head (request line and headers).
const MAX_HEAD: usize = 64 << 10;
/// The most headers a request may have.
const MAX_HEADERS: usize = 64;
/// The largest request body (a rule file as typed, with its JSON).
pub const MAX_BODY: usize = 8 << 20;
/// Connections served at once, from this machine and from others each
/// (peers on the network cannot fill the local user's share); more are
/// closed at once.
const MAX_CONNECTIONS: usize = 32;
/// A client that sends nothing for this long is dropped.
const TIMEOUT: Duration = Duration::from_secs(15);
/// A request must have arrived whole by then, however it trickles in.
const DEADLINE: Duration = Duration::from_secs(30);
/// An answer must have been taken by then, however slowly the client reads.
const WRITE_DEADLINE: Duration = Duration::from_secs(60);

pub struct Request {
    pub method: String,
    /// The path and query, as sent.
    pub target: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Request {
    /// A header's value; `None` when absent or sent more than once.
    pub fn header(&self, name: &str) -> Option<&str> {
        let mut found = self.headers.iter().filter(|(n, _)| n.eq_ignore_ascii_case(name));
        let first = found.next()?;
        found.next().is_none().then_some(first.1.as_str())
    }
}

pub struct Response {
    pub status: u16,
    pub headers: Vec<(&'static str, String)>,
    pub body: Vec<u8>,
}

impl Response {
    pub fn new(status: u16, content_type: &str, body: Vec<u8>) -> Response {
        Response { status, headers: vec![("Content-Type", content_type.to_string())], body }
    }
}

/// Accepts connections until the listener fails, each on a thread of its
/// own (with the large stack checking needs), answering with `handle`.
pub fn serve(listener: &TcpListener, handle: impl Fn(&Request) -> Response + Send + Sync + 'static) {
    let handle = Arc::new(handle);
    let (local, remote) = (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0)));
    for stream in listener.incoming() {
        let Ok(stream) = stream else {
            // Out of file descriptors, say: wait for some to close rather than spin.
            std::thread::sleep(Duration::from_millis(50));
            continue;
        };
        let loopback = stream.peer_addr().is_ok_and(|a| a.ip().is_loopback());
        let open = if loopback { &local } else { &remote };
        if open.load(Ordering::SeqCst) >= MAX_CONNECTIONS {
            // Busy: closed at once rather than queued without bound.
            drop(stream);
            continue;
        }
        open.fetch_add(1, Ordering::SeqCst);
        let (handle, done) = (Arc::clone(&handle), Arc::clone(open));
        let spawned = std::thread::Builder::new().stack_size(jixiao::parallel::STACK).spawn(move || {
            connection(stream, &*handle);
            done.fetch_sub(1, Ordering::SeqCst);
        });
        if spawned.is_err() {
            open.fetch_sub(1, Ordering::SeqCst);
        }
    }
}

fn connection(mut stream: TcpStream, handle: &dyn Fn(&Request) -> Response) {
    let _ = stream.set_read_timeout(Some(TIMEOUT));
    let _ = stream.set_write_timeout(Some(TIMEOUT));
    let response = match read(&mut stream) {
        Ok(request) => handle(&request),
        Err(Some((status, reason))) => Response::new(status, "text/plain; charset=utf-8", reason.as_bytes().to_vec()),
        // The client went away or said nothing: nobody to answer.
        Err(None) => return,
    };
    let _ = write(&mut stream, &response, std::time::Instant::now() + WRITE_DEADLINE);
}

/// A request read whole, or the status to refuse it with (`None`: no answer).
fn read(stream: &mut TcpStream) -> Result<Request, Option<(u16, &'static str)>> {
    let started = std::time::Instant::now();
    let mut buffer = Vec::with_capacity(4096);
    let mut chunk = [0u8; 4096];
    let (head_len, method, target, headers) = loop {
        let n = stream.read(&mut chunk).map_err(|_| None)?;
        if n == 0 || started.elapsed() > DEADLINE {
            return Err(None);
        }
        buffer.extend_from_slice(&chunk[..n]);
        let mut slots = [httparse::EMPTY_HEADER; MAX_HEADERS];
        let mut parsed = httparse::Request::new(&mut slots);
        match parsed.parse(&buffer) {
            Ok(httparse::Status::Complete(len)) => {
                let headers: Vec<(String, String)> = parsed
                    .headers
                    .iter()
                    .map(|h| (h.name.to_string(), String::from_utf8_lossy(h.value).trim().to_string()))
                    .collect();
                let method = parsed.method.unwrap_or("").to_string();
                break (len, method, parsed.path.unwrap_or("").to_string(), headers);
            }
            Ok(httparse::Status::Partial) if buffer.len() <= MAX_HEAD => {}
            Ok(httparse::Status::Partial) => return Err(Some((431, "the request's head is too large"))),
            Err(httparse::Error::TooManyHeaders) => return Err(Some((431, "too many headers"))),
            Err(_) => return Err(Some((400, "not an HTTP request"))),
        }
    };
    let mut request = Request { method, target, headers, body: Vec::new() };
    if request.headers.iter().any(|(n, _)| n.eq_ignore_ascii_case("Transfer-Encoding")) {
        return Err(Some((411, "send the body with a Content-Length")));
    }
    let length = match request.header("Content-Length") {
        None if request.headers.iter().any(|(n, _)| n.eq_ignore_ascii_case("Content-Length")) => {
            return Err(Some((400, "more than one Content-Length")));
        }
        None => 0,
        Some(text) if !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) => {
            text.parse::<usize>().map_err(|_| Some((413, "the request is too large")))?
        }
        Some(_) => return Err(Some((400, "a Content-Length that is not a number"))),
    };
    if length > MAX_BODY {
        return Err(Some((413, "the request is too large")));
    }
    let mut body = buffer.split_off(head_len);
    if body.len() > length {
        // Pipelined requests are not served: one request per connection.
        body.truncate(length);
    }
    while body.len() < length {
        let n = stream.read(&mut chunk).map_err(|_| None)?;
        if n == 0 || started.elapsed() > DEADLINE {
            return Err(None);
        }
        body.extend_from_slice(&chunk[..n.min(length - body.len())]);
    }
    request.body = body;
    Ok(request)
}

/// Writes the answer in pieces, giving up at `deadline`: a client that reads
/// a byte at a time does not hold a thread for ever.
fn write(stream: &mut TcpStream, response: &Response, deadline: std::time::Instant) -> std::io::Result<()> {
    let mut head = format!("HTTP/1.1 {} {}\r\n", response.status, reason(response.status));
    for (name, value) in &response.headers {
        // A value never carries a line break into the head.
        if !value.contains(['\r', '\n']) {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
    }
    head.push_str(&format!("Content-Length: {}\r\nConnection: close\r\n\r\n", response.body.len()));
    stream.write_all(head.as_bytes())?;
    for piece in response.body.chunks(64 << 10) {
        if std::time::Instant::now() > deadline {
            return Err(std::io::ErrorKind::TimedOut.into());
        }
        stream.write_all(piece)?;
    }
    stream.flush()
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        409 => "Conflict",
        410 => "Gone",
        411 => "Length Required",
        413 => "Content Too Large",
        421 => "Misdirected Request",
        422 => "Unprocessable Content",
        431 => "Request Header Fields Too Large",
        _ => "Error",
    }
}

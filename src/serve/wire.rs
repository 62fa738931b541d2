//! The preview's HTTP/1.1 over TCP, within bounds: a request's head may take at most
//! [`HEAD_LIMIT`] bytes and [`HEAD_TIME`], at most [`CONNECTIONS`] are open at once, and a
//! reader that stops reading is dropped after [`WRITE_TIME`]. No request body is ever read.

use std::io::{ErrorKind, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::{Arc, Condvar, Mutex, PoisonError};
use std::time::{Duration, Instant};

/// The most bytes a request line and its headers may take; more is answered 431.
pub(crate) const HEAD_LIMIT: usize = 16 * 1024;
/// The most headers a request may have; more is answered 431.
const HEADER_COUNT: usize = 64;
/// How long a request's head may take to arrive, and a kept-alive connection may sit idle.
pub(crate) const HEAD_TIME: Duration = Duration::from_secs(10);
/// How long a reader may take to accept what it is sent before it is dropped.
pub(crate) const WRITE_TIME: Duration = Duration::from_secs(10);
/// The most connections served at once; more wait until one closes.
pub(crate) const CONNECTIONS: usize = 256;

/// A request's head, as far as the preview reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Request {
    /// `GET`, `HEAD`, or any other method, to be refused.
    pub(crate) method: String,
    /// The request target: a path with its query.
    pub(crate) target: String,
    /// Whether the connection may serve another request after this one.
    keep_alive: bool,
    /// Whether a body follows the head; it is never read, so the connection closes after.
    has_body: bool,
}

/// What a request is answered with.
pub(crate) enum Answer {
    /// A whole response.
    Response(Response),
    /// The head of an endless response; the stream is then handed over for events.
    Stream {
        /// The response's headers.
        headers: Vec<(&'static str, String)>,
        /// Takes the connection once the head is sent.
        take: Box<dyn FnOnce(TcpStream) + Send>,
    },
}

/// A response with its whole body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Response {
    /// The status code.
    pub(crate) status: u16,
    /// Headers besides the body's length and the connection's fate.
    pub(crate) headers: Vec<(&'static str, String)>,
    /// The body.
    pub(crate) body: Vec<u8>,
}

impl Response {
    /// A response of `status` with a plain-text `body`.
    pub(crate) fn text(status: u16, body: &str) -> Response {
        Response {
            status,
            headers: vec![("Content-Type", "text/plain; charset=utf-8".to_string())],
            body: body.as_bytes().to_vec(),
        }
    }
}

/// Answers every connection `listener` accepts with `answer`, each on its own thread, for ever.
/// Past [`CONNECTIONS`] open ones, the next waits in the system's queue until one closes.
pub(crate) fn serve(
    listener: TcpListener,
    answer: impl Fn(&Request) -> Answer + Send + Sync + 'static,
) {
    let answer = Arc::new(answer);
    let slots = Arc::new(Slots::default());
    loop {
        slots.take();
        let Ok((stream, _)) = listener.accept() else {
            slots.give_back();
            // Out of file descriptors, say: a pause lets connections close, without spinning.
            std::thread::sleep(Duration::from_millis(50));
            continue;
        };
        let answer = Arc::clone(&answer);
        let held = Arc::clone(&slots);
        let spawned = std::thread::Builder::new()
            .name("serve".into())
            .stack_size(512 * 1024)
            .spawn(move || {
                connection(stream, &*answer);
                held.give_back();
            });
        if spawned.is_err() {
            slots.give_back();
        }
    }
}

/// How many connections are open, to hold new ones back past [`CONNECTIONS`].
#[derive(Default)]
struct Slots {
    open: Mutex<usize>,
    freed: Condvar,
}

impl Slots {
    /// Waits for a free slot and takes it.
    fn take(&self) {
        let mut open = self.open.lock().unwrap_or_else(PoisonError::into_inner);
        while *open >= CONNECTIONS {
            open = self
                .freed
                .wait(open)
                .unwrap_or_else(PoisonError::into_inner);
        }
        *open += 1;
    }

    /// Frees a slot.
    fn give_back(&self) {
        let mut open = self.open.lock().unwrap_or_else(PoisonError::into_inner);
        *open -= 1;
        self.freed.notify_one();
    }
}

/// Serves requests on one connection until either side closes it or a bound is passed.
fn connection(mut stream: TcpStream, answer: &(dyn Fn(&Request) -> Answer + Sync)) {
    let _ = stream.set_nodelay(true);
    if stream.set_write_timeout(Some(WRITE_TIME)).is_err() {
        return;
    }
    let mut buffer = Vec::new();
    loop {
        let request = match read_head(&mut stream, &mut buffer, Instant::now() + HEAD_TIME) {
            Ok(Some(request)) => request,
            Ok(None) => return,
            Err(refusal) => {
                if let Some(response) = refusal.response() {
                    let _ = write_response(&mut stream, &response, false, false);
                    linger(&mut stream);
                }
                return;
            }
        };
        let keep_alive = request.keep_alive && !request.has_body;
        match answer(&request) {
            Answer::Response(response) => {
                let head_only = request.method == "HEAD";
                if write_response(&mut stream, &response, keep_alive, head_only).is_err()
                    || !keep_alive
                {
                    return;
                }
            }
            Answer::Stream { headers, take } => {
                let mut head = String::from("HTTP/1.1 200 OK\r\n");
                for (name, value) in &headers {
                    head.push_str(&format!("{name}: {value}\r\n"));
                }
                head.push_str("Connection: close\r\n\r\n");
                if stream.write_all(head.as_bytes()).is_ok() {
                    take(stream);
                }
                return;
            }
        }
    }
}

/// Closes our side and reads a little more of what the client is still sending, so that the
/// refusal reaches it rather than being lost to a reset.
fn linger(stream: &mut TcpStream) {
    let _ = stream.shutdown(Shutdown::Write);
    let _ = stream.set_read_timeout(Some(Duration::from_millis(500)));
    let mut sink = [0u8; 4096];
    for _ in 0..64 {
        if !matches!(stream.read(&mut sink), Ok(n) if n > 0) {
            break;
        }
    }
}

/// Why a request was not read.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Refusal {
    /// Its head passed [`HEAD_LIMIT`] bytes or [`HEADER_COUNT`] headers.
    TooLarge,
    /// Its head did not arrive within [`HEAD_TIME`].
    TooSlow,
    /// It is not HTTP.
    Malformed,
    /// The connection failed.
    Broken,
}

impl Refusal {
    /// What the client is told before the connection is closed, if anything.
    fn response(&self) -> Option<Response> {
        match self {
            Refusal::TooLarge => Some(Response::text(431, "request header fields too large\n")),
            Refusal::TooSlow => Some(Response::text(408, "request timeout\n")),
            Refusal::Malformed => Some(Response::text(400, "bad request\n")),
            Refusal::Broken => None,
        }
    }
}

/// Reads the next request's head from `stream` by `deadline`, keeping in `buffer` what comes
/// after it. `None` when the connection is closed (or stays idle) before a request begins.
pub(crate) fn read_head(
    stream: &mut TcpStream,
    buffer: &mut Vec<u8>,
    deadline: Instant,
) -> Result<Option<Request>, Refusal> {
    let mut chunk = [0u8; 4096];
    loop {
        if !buffer.is_empty() {
            if let Some((request, length)) = parse(buffer)? {
                buffer.drain(..length);
                return Ok(Some(request));
            }
            if buffer.len() >= HEAD_LIMIT {
                return Err(Refusal::TooLarge);
            }
        }
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return idle_or(buffer, Refusal::TooSlow);
        }
        stream
            .set_read_timeout(Some(left))
            .map_err(|_| Refusal::Broken)?;
        let room = (HEAD_LIMIT - buffer.len()).min(chunk.len());
        match stream.read(&mut chunk[..room]) {
            Ok(0) => return idle_or(buffer, Refusal::Broken),
            Ok(n) => buffer.extend_from_slice(&chunk[..n]),
            Err(e) if e.kind() == ErrorKind::Interrupted => {}
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {
                return idle_or(buffer, Refusal::TooSlow);
            }
            Err(_) => return Err(Refusal::Broken),
        }
    }
}

/// Nothing when no byte of a request came (a kept-alive connection closing), else `refusal`.
fn idle_or(buffer: &[u8], refusal: Refusal) -> Result<Option<Request>, Refusal> {
    if buffer.is_empty() {
        Ok(None)
    } else {
        Err(refusal)
    }
}

/// The request whose head `bytes` begins with, and the head's length; `None` while incomplete.
fn parse(bytes: &[u8]) -> Result<Option<(Request, usize)>, Refusal> {
    let mut headers = [httparse::EMPTY_HEADER; HEADER_COUNT];
    let mut parsed = httparse::Request::new(&mut headers);
    let length = match parsed.parse(bytes) {
        Ok(httparse::Status::Complete(length)) => length,
        Ok(httparse::Status::Partial) => return Ok(None),
        Err(httparse::Error::TooManyHeaders) => return Err(Refusal::TooLarge),
        Err(_) => return Err(Refusal::Malformed),
    };
    let header = |name: &str| {
        parsed
            .headers
            .iter()
            .find(|h| h.name.eq_ignore_ascii_case(name))
            .map(|h| String::from_utf8_lossy(h.value).trim().to_ascii_lowercase())
    };
    let connection = header("connection").unwrap_or_default();
    let keep_alive = match parsed.version {
        Some(1) => !connection.contains("close"),
        _ => connection.contains("keep-alive"),
    };
    let has_body =
        header("transfer-encoding").is_some() || header("content-length").is_some_and(|l| l != "0");
    let request = Request {
        method: parsed.method.unwrap_or_default().to_string(),
        target: parsed.path.unwrap_or_default().to_string(),
        keep_alive,
        has_body,
    };
    Ok(Some((request, length)))
}

/// Writes `response`, saying whether the connection stays open; without its body when
/// answering `HEAD`.
fn write_response(
    stream: &mut TcpStream,
    response: &Response,
    keep_alive: bool,
    head_only: bool,
) -> std::io::Result<()> {
    let mut head = format!(
        "HTTP/1.1 {} {}\r\n",
        response.status,
        reason(response.status)
    );
    for (name, value) in &response.headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str(&format!("Content-Length: {}\r\n", response.body.len()));
    head.push_str(if keep_alive {
        "Connection: keep-alive\r\n\r\n"
    } else {
        "Connection: close\r\n\r\n"
    });
    let mut bytes = head.into_bytes();
    if !head_only {
        bytes.extend_from_slice(&response.body);
    }
    stream.write_all(&bytes)?;
    stream.flush()
}

/// The reason phrase of the statuses the preview answers with.
fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        301 => "Moved Permanently",
        400 => "Bad Request",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        431 => "Request Header Fields Too Large",
        503 => "Service Unavailable",
        _ => "",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::TcpListener;

    /// A connected pair: what the client writes, the server reads.
    fn pair() -> (TcpStream, TcpStream) {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let client = TcpStream::connect(listener.local_addr().unwrap()).unwrap();
        let (server, _) = listener.accept().unwrap();
        (client, server)
    }

    fn soon() -> Instant {
        Instant::now() + Duration::from_millis(300)
    }

    #[test]
    fn reads_pipelined_requests_one_at_a_time() {
        let (mut client, mut server) = pair();
        client
            .write_all(b"GET /a/?q=1 HTTP/1.1\r\nHost: x\r\n\r\nHEAD /b HTTP/1.0\r\n\r\n")
            .unwrap();
        let mut buffer = Vec::new();
        let first = read_head(&mut server, &mut buffer, soon())
            .unwrap()
            .unwrap();
        assert_eq!(
            (first.method.as_str(), first.target.as_str()),
            ("GET", "/a/?q=1")
        );
        assert!(first.keep_alive);
        let second = read_head(&mut server, &mut buffer, soon())
            .unwrap()
            .unwrap();
        assert_eq!(
            (second.method.as_str(), second.target.as_str()),
            ("HEAD", "/b")
        );
        assert!(!second.keep_alive, "HTTP/1.0 closes unless asked");
        drop(client);
        assert_eq!(read_head(&mut server, &mut buffer, soon()), Ok(None));
    }

    #[test]
    fn refuses_heads_past_the_limit_without_reading_more() {
        let (mut client, mut server) = pair();
        std::thread::spawn(move || {
            let _ = client.write_all(b"GET / HTTP/1.1\r\nX-Long: ");
            let line = vec![b'a'; 64 * 1024];
            for _ in 0..64 {
                if client.write_all(&line).is_err() {
                    break;
                }
            }
        });
        let mut buffer = Vec::new();
        assert_eq!(
            read_head(
                &mut server,
                &mut buffer,
                Instant::now() + Duration::from_secs(5)
            ),
            Err(Refusal::TooLarge)
        );
        assert!(buffer.len() <= HEAD_LIMIT);
    }

    #[test]
    fn refuses_too_many_headers() {
        let (mut client, mut server) = pair();
        let mut head = String::from("GET / HTTP/1.1\r\n");
        for n in 0..100 {
            head.push_str(&format!("X-{n}: 1\r\n"));
        }
        head.push_str("\r\n");
        client.write_all(head.as_bytes()).unwrap();
        assert_eq!(
            read_head(&mut server, &mut Vec::new(), soon()),
            Err(Refusal::TooLarge)
        );
    }

    #[test]
    fn a_head_that_trickles_in_is_dropped_at_its_deadline() {
        let (mut client, mut server) = pair();
        client.write_all(b"GET / HTTP/1.1\r\nX-Slow: ").unwrap();
        let started = Instant::now();
        assert_eq!(
            read_head(&mut server, &mut Vec::new(), soon()),
            Err(Refusal::TooSlow)
        );
        assert!(started.elapsed() < Duration::from_secs(2));
        // A connection that stays idle between requests just closes.
        let (_client, mut server) = pair();
        assert_eq!(read_head(&mut server, &mut Vec::new(), soon()), Ok(None));
    }

    #[test]
    fn refuses_what_is_not_http_and_marks_bodies() {
        let (mut client, mut server) = pair();
        client.write_all(b"\x16\x03\x01 hello\r\n\r\n").unwrap();
        assert_eq!(
            read_head(&mut server, &mut Vec::new(), soon()),
            Err(Refusal::Malformed)
        );
        let (mut client, mut server) = pair();
        client
            .write_all(b"POST / HTTP/1.1\r\nContent-Length: 5\r\n\r\nhello")
            .unwrap();
        let request = read_head(&mut server, &mut Vec::new(), soon())
            .unwrap()
            .unwrap();
        assert!(request.has_body);
    }
}

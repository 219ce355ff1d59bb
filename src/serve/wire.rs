//! The HTTP/1.x wire of `serve`, small and bounded: a request head of at
//! most [`MAX_HEAD`] bytes read within [`READ_TIMEOUT`], only the request
//! line and the `Host` header kept, one response per connection
//! (`Connection: close`). A hand-written reader because the server crates
//! at hand set no limit on a header's size.

use std::io::{self, Read, Write};
use std::net::{IpAddr, TcpStream};
use std::time::Duration;

/// Largest request head accepted (request line and headers).
pub const MAX_HEAD: usize = 16 * 1024;

/// Time a client has to send its request head.
pub const READ_TIMEOUT: Duration = Duration::from_secs(10);

/// After an early answer: stops writing and reads what the client still
/// sends (at most 4 MiB, for at most a second), so that closing does not
/// reset the connection before the client has read the answer.
pub fn drain(stream: &mut TcpStream) {
    let _ = stream.shutdown(std::net::Shutdown::Write);
    let _ = stream.set_read_timeout(Some(Duration::from_secs(1)));
    let mut chunk = [0u8; 16 * 1024];
    let mut left = 4usize << 20;
    while left > 0 {
        match stream.read(&mut chunk) {
            Ok(0) | Err(_) => return,
            Ok(n) => left = left.saturating_sub(n),
        }
    }
}

/// What is kept of a request.
#[derive(Debug)]
pub struct Head {
    /// `GET`, `HEAD`…
    pub method: String,
    /// The request target, as sent (`/lettres/2025-09/?x`).
    pub target: String,
    /// The `Host` header, if any.
    pub host: Option<String>,
}

/// Reads one request head; `Err` holds the status to answer (400, 431),
/// or 0 when the client went away.
pub fn read_head(stream: &mut TcpStream) -> Result<Head, u16> {
    let _ = stream.set_read_timeout(Some(READ_TIMEOUT));
    let mut buf = Vec::with_capacity(1024);
    let mut chunk = [0u8; 2048];
    let end = loop {
        let n = match stream.read(&mut chunk) {
            Ok(0) | Err(_) => return Err(0),
            Ok(n) => n,
        };
        let from = buf.len().saturating_sub(3);
        buf.extend_from_slice(&chunk[..n]);
        if let Some(at) = memchr::memmem::find(&buf[from..], b"\r\n\r\n") {
            break from + at;
        }
        if buf.len() > MAX_HEAD {
            return Err(431);
        }
    };
    if end > MAX_HEAD {
        return Err(431);
    }
    let head = std::str::from_utf8(&buf[..end]).map_err(|_| 400u16)?;
    parse(head)
}

fn parse(head: &str) -> Result<Head, u16> {
    let mut lines = head.split("\r\n");
    let mut parts = lines.next().unwrap_or("").split(' ');
    let (Some(method), Some(target), Some(version), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(400);
    };
    if !version.starts_with("HTTP/1.") || !target.starts_with('/') {
        return Err(400);
    }
    let mut host = None;
    for line in lines {
        let Some((name, value)) = line.split_once(':') else {
            return Err(400);
        };
        if name.eq_ignore_ascii_case("host") {
            if host.is_some() {
                return Err(400);
            }
            host = Some(value.trim().to_string());
        }
    }
    if version == "HTTP/1.1" && host.is_none() {
        return Err(400);
    }
    Ok(Head {
        method: method.to_string(),
        target: target.to_string(),
        host,
    })
}

/// True for a `Host` a page served here may carry: a loopback name, an
/// address written as digits, or the address the server was bound to.
/// Any other name may be a DNS-rebinding page reaching the server.
pub fn host_allowed(host: &str, bind: &str) -> bool {
    let name = match host.strip_prefix('[') {
        Some(rest) => rest.split(']').next().unwrap_or(""),
        None => match host.rsplit_once(':') {
            Some((name, port)) if port.bytes().all(|b| b.is_ascii_digit()) => name,
            _ => host,
        },
    };
    let name = name.trim_end_matches('.').to_ascii_lowercase();
    let bind = bind.trim_start_matches('[').trim_end_matches(']');
    name == "localhost"
        || name.ends_with(".localhost")
        || name.parse::<IpAddr>().is_ok()
        || name.eq_ignore_ascii_case(bind)
}

/// One response.
pub struct Response {
    /// Status code.
    pub status: u16,
    /// Headers besides `Content-Length` and `Connection`.
    pub headers: Vec<(&'static str, String)>,
    /// The body.
    pub body: Vec<u8>,
}

impl Response {
    /// A response with a `Content-Type`.
    pub fn new(status: u16, kind: &str, body: Vec<u8>) -> Response {
        Response {
            status,
            headers: vec![("Content-Type", kind.to_string())],
            body,
        }
    }

    /// Adds a header.
    pub fn with(mut self, name: &'static str, value: &str) -> Response {
        self.headers.push((name, value.to_string()));
        self
    }

    /// Writes it, without the body for `HEAD`.
    pub fn send(&self, stream: &mut TcpStream, head_only: bool) -> io::Result<()> {
        let mut out = format!("HTTP/1.1 {} {}\r\n", self.status, reason(self.status));
        for (name, value) in &self.headers {
            out.push_str(&format!("{name}: {value}\r\n"));
        }
        out.push_str(&format!(
            "Content-Length: {}\r\nConnection: close\r\n\r\n",
            self.body.len()
        ));
        let mut bytes = out.into_bytes();
        if !head_only {
            bytes.extend_from_slice(&self.body);
        }
        stream.write_all(&bytes)?;
        stream.flush()
    }
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        301 => "Moved Permanently",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        421 => "Misdirected Request",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        _ => "",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heads_are_parsed_strictly() {
        let h = parse("GET /a?b HTTP/1.1\r\nHost: localhost:1111\r\nX: y").unwrap();
        assert_eq!(
            (h.target.as_str(), h.host.as_deref()),
            ("/a?b", Some("localhost:1111"))
        );
        assert_eq!(
            parse("GET /a HTTP/1.1").unwrap_err(),
            400,
            "HTTP/1.1 needs a Host"
        );
        assert_eq!(parse("GET http://x/ HTTP/1.1\r\nHost: x").unwrap_err(), 400);
        assert_eq!(
            parse("GET /a HTTP/1.1\r\nHost: a\r\nHost: b").unwrap_err(),
            400
        );
        assert!(parse("GET / HTTP/1.0").is_ok());
    }

    #[test]
    fn only_loopback_names_and_the_bound_address_are_hosts() {
        for ok in [
            "localhost:1111",
            "127.0.0.1:1111",
            "[::1]:1111",
            "LOCALHOST",
            "192.168.1.5:1111",
            "a.localhost",
        ] {
            assert!(host_allowed(ok, "127.0.0.1"), "{ok}");
        }
        for bad in [
            "evil.example:1111",
            "localhost.evil.example",
            "127.0.0.1.nip.io",
        ] {
            assert!(!host_allowed(bad, "127.0.0.1"), "{bad}");
        }
        assert!(host_allowed("poste-com.local:1111", "poste-com.local"));
    }
}

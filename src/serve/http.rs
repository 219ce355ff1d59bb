//! The HTTP side of `serve`: pages from memory, copied files from disk, the
//! error page while the site does not build, the server-sent events that
//! reload the open pages, and the e-mail preview.

use std::io::Write as _;
use std::sync::Arc;
use std::sync::mpsc::RecvTimeoutError;
use std::time::Duration;

use tiny_http::{Header, Method, Request, Response, Server, StatusCode};

use super::{Hub, preview};

/// Where the pages listen for reload messages.
pub(super) const EVENTS: &str = "/__cufpress/evenements";

/// The script added before `</body>` of every HTML page served (never
/// written anywhere): reloads the page when it, or everything, changed.
pub(super) const RELOAD_SCRIPT: &str = r#"<script>(()=>{const s=new EventSource("/__cufpress/evenements");s.addEventListener("reload",e=>{let d={};try{d=JSON.parse(e.data)}catch(_){}const p=location.pathname;if(!d.changed||d.changed.includes(p)||d.changed.includes(p.replace(/index\.html$/,""))){s.close();location.reload()}})})();</script>"#;

/// Answers requests until the server is unblocked.
pub(super) fn serve(server: &Server, hub: &Arc<Hub>) {
    for req in server.incoming_requests() {
        let hub = hub.clone();
        std::thread::spawn(move || handle(req, &hub));
    }
}

fn handle(req: Request, hub: &Hub) {
    if !matches!(req.method(), Method::Get | Method::Head) {
        let _ = req.respond(text(405, "méthode non permise\n"));
        return;
    }
    let url = req
        .url()
        .split(['?', '#'])
        .next()
        .unwrap_or("/")
        .to_string();
    let path = percent_decode(&url);
    if path == EVENTS {
        events(req, hub);
        return;
    }
    let response = if let Some(rest) = path.strip_prefix("/__cufpress/apercu/") {
        preview::page(hub, rest).map(|html| html_response(200, &html))
    } else {
        file(hub, &path)
    };
    let response = response.unwrap_or_else(|| not_found(hub));
    let _ = req.respond(response);
}

/// A page, a copied file, or the error page while the build fails.
fn file(hub: &Hub, path: &str) -> Option<Response<std::io::Cursor<Vec<u8>>>> {
    let rel = path.trim_start_matches('/');
    if rel.split('/').any(|p| p == "..") {
        return None;
    }
    let key = if rel.is_empty() || rel.ends_with('/') {
        format!("{rel}index.html")
    } else {
        rel.to_string()
    };
    let served = hub.read();
    if let Some(diags) = &served.failure {
        if key.ends_with(".html") || !served.outputs.contains_key(&key) {
            return Some(html_response(500, &preview::error_page(diags)));
        }
    }
    if let Some(bytes) = served.outputs.get(&key) {
        let bytes = bytes.clone();
        drop(served);
        return Some(body(200, content_type(&key), &bytes));
    }
    if served.outputs.contains_key(&format!("{rel}/index.html")) {
        let to = format!("{path}/");
        let r = Response::from_data(Vec::new())
            .with_status_code(StatusCode(301))
            .with_header(header("Location", &to));
        return Some(r);
    }
    let disk = served.assets.get(rel)?.clone();
    drop(served);
    let bytes = std::fs::read(&disk).ok()?;
    Some(body(200, content_type(rel), &bytes))
}

fn not_found(hub: &Hub) -> Response<std::io::Cursor<Vec<u8>>> {
    let page = hub.read().outputs.get("404.html").cloned();
    match page {
        Some(bytes) => body(404, "text/html; charset=utf-8", &bytes),
        None => text(404, "page introuvable\n"),
    }
}

/// A response; HTML gets the reload script.
fn body(status: u16, kind: &str, bytes: &[u8]) -> Response<std::io::Cursor<Vec<u8>>> {
    if kind.starts_with("text/html") {
        return html_response(status, &String::from_utf8_lossy(bytes));
    }
    Response::from_data(bytes.to_vec())
        .with_status_code(StatusCode(status))
        .with_header(header("Content-Type", kind))
        .with_header(header("Cache-Control", "no-store"))
}

pub(super) fn html_response(status: u16, html: &str) -> Response<std::io::Cursor<Vec<u8>>> {
    Response::from_data(inject(html).into_bytes())
        .with_status_code(StatusCode(status))
        .with_header(header("Content-Type", "text/html; charset=utf-8"))
        .with_header(header("Cache-Control", "no-store"))
}

fn text(status: u16, s: &str) -> Response<std::io::Cursor<Vec<u8>>> {
    Response::from_data(s.as_bytes().to_vec())
        .with_status_code(StatusCode(status))
        .with_header(header("Content-Type", "text/plain; charset=utf-8"))
}

/// Adds the reload script before the last `</body>` (or at the end).
pub(super) fn inject(html: &str) -> String {
    match html.rfind("</body>") {
        Some(at) => format!("{}{RELOAD_SCRIPT}{}", &html[..at], &html[at..]),
        None => format!("{html}{RELOAD_SCRIPT}"),
    }
}

fn header(name: &str, value: &str) -> Header {
    Header::from_bytes(name.as_bytes(), value.as_bytes()).expect("ASCII header")
}

/// The server-sent events stream: one `reload` event per rebuild.
fn events(req: Request, hub: &Hub) {
    let rx = hub.subscribe();
    let generation = hub.read().generation;
    let mut w = req.into_writer();
    let head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\nConnection: close\r\n\r\nretry: 500\n\n";
    let hello = format!("event: bonjour\ndata: {generation}\n\n");
    if w.write_all(head.as_bytes())
        .and_then(|_| w.write_all(hello.as_bytes()))
        .and_then(|_| w.flush())
        .is_err()
    {
        return;
    }
    loop {
        let msg = match rx.recv_timeout(Duration::from_secs(15)) {
            Ok(m) => m,
            Err(RecvTimeoutError::Timeout) => ": ping\n\n".to_string(),
            Err(RecvTimeoutError::Disconnected) => return,
        };
        if w.write_all(msg.as_bytes()).and_then(|_| w.flush()).is_err() {
            return;
        }
    }
}

fn content_type(path: &str) -> &'static str {
    let ext = path.rsplit('.').next().unwrap_or("").to_ascii_lowercase();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" => "application/xml; charset=utf-8",
        "txt" => "text/plain; charset=utf-8",
        "ics" => "text/calendar; charset=utf-8",
        "eml" => "message/rfc822",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "pdf" => "application/pdf",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        _ => "application/octet-stream",
    }
}

/// `%C3%A9` → `é`; invalid sequences are kept as they are.
fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let hex = |c: u8| (c as char).to_digit(16);
        if b[i] == b'%' && i + 2 < b.len() {
            if let (Some(h), Some(l)) = (hex(b[i + 1]), hex(b[i + 2])) {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_goes_before_body_end() {
        let html = inject("<html><body><p>x</p></body></html>");
        assert!(html.ends_with(&format!("{RELOAD_SCRIPT}</body></html>")));
        assert!(inject("<p>x</p>").ends_with(RELOAD_SCRIPT));
    }

    #[test]
    fn paths_are_decoded() {
        assert_eq!(percent_decode("/a%20b/%C3%A9t%C3%A9"), "/a b/été");
        assert_eq!(percent_decode("/100%"), "/100%");
        assert_eq!(percent_decode("/x%2"), "/x%2");
    }
}

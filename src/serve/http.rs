//! The HTTP side of `serve`: pages from memory, copied files from disk, the
//! error page while the site does not build, the server-sent events that
//! reload the open pages, and the e-mail preview.

use crate::urls::percent_decode;
use std::io::Write as _;
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc::RecvTimeoutError;
use std::time::Duration;

use super::wire::{self, Response};
use super::{Hub, preview};

/// Where the pages listen for reload messages.
pub(super) const EVENTS: &str = "/__cufpress/evenements";

/// Connections answered at once; beyond, a 503 at once.
const MAX_CONNECTIONS: usize = 96;

/// Reload streams open at once (one per open tab); beyond, a 503.
const MAX_STREAMS: usize = 32;

/// The script added before `</body>` of every HTML page served (never
/// written anywhere): reloads the page when it, or everything, changed.
pub(super) const RELOAD_SCRIPT: &str = r#"<script>(()=>{const s=new EventSource("/__cufpress/evenements");s.addEventListener("reload",e=>{let d={};try{d=JSON.parse(e.data)}catch(_){}const p=location.pathname;if(!d.changed||d.changed.includes(p)||d.changed.includes(p.replace(/index\.html$/,""))){s.close();location.reload()}})})();</script>"#;

/// What the HTTP threads share besides the site.
pub(super) struct Server {
    listener: TcpListener,
    /// The address the server was bound to, as given (a `Host` allowed).
    bind: String,
    /// The site's folder: files served from disk must resolve inside it.
    root: std::path::PathBuf,
    stop: AtomicBool,
    connections: AtomicUsize,
    streams: AtomicUsize,
}

impl Server {
    /// Listens on `bind:port`.
    pub(super) fn bind(bind: &str, port: u16, root: &Path) -> std::io::Result<Server> {
        Ok(Server {
            listener: TcpListener::bind((bind, port))?,
            bind: bind.to_string(),
            root: root.to_path_buf(),
            stop: AtomicBool::new(false),
            connections: AtomicUsize::new(0),
            streams: AtomicUsize::new(0),
        })
    }

    /// The port listened on.
    pub(super) fn port(&self) -> Option<u16> {
        self.listener.local_addr().ok().map(|a| a.port())
    }

    /// Makes [`serve`] return.
    pub(super) fn unblock(&self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Ok(addr) = self.listener.local_addr() {
            let _ = TcpStream::connect_timeout(&addr, Duration::from_secs(1));
        }
    }
}

/// Frees a counted slot when dropped.
struct Slot<'a>(&'a AtomicUsize);

impl Drop for Slot<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

/// Takes one of `max` slots, if one is free.
fn take(count: &AtomicUsize, max: usize) -> Option<Slot<'_>> {
    if count.fetch_add(1, Ordering::SeqCst) >= max {
        count.fetch_sub(1, Ordering::SeqCst);
        return None;
    }
    Some(Slot(count))
}

/// Answers requests until [`Server::unblock`].
pub(super) fn serve(server: &Arc<Server>, hub: &Arc<Hub>) {
    for conn in server.listener.incoming() {
        if server.stop.load(Ordering::SeqCst) {
            return;
        }
        let Ok(mut stream) = conn else {
            continue;
        };
        if take(&server.connections, MAX_CONNECTIONS)
            .map(std::mem::forget)
            .is_none()
        {
            let _ = busy().send(&mut stream, false);
            continue;
        }
        let (server, hub) = (server.clone(), hub.clone());
        std::thread::spawn(move || {
            let _slot = Slot(&server.connections);
            handle(stream, &server, &hub);
        });
    }
}

fn busy() -> Response {
    text(
        503,
        "serveur occupé : trop de connexions ou d'onglets ouverts\n",
    )
    .with("Retry-After", "2")
}

fn handle(mut stream: TcpStream, server: &Server, hub: &Hub) {
    let head = match wire::read_head(&mut stream) {
        Ok(h) => h,
        Err(0) => return,
        Err(431) => {
            let _ = text(431, "en-têtes de requête trop grands\n").send(&mut stream, false);
            wire::drain(&mut stream);
            return;
        }
        Err(status) => {
            let _ = text(status, "requête invalide\n").send(&mut stream, false);
            return;
        }
    };
    if !head
        .host
        .as_deref()
        .is_none_or(|h| wire::host_allowed(h, &server.bind))
    {
        let _ = text(
            421,
            "hôte non autorisé : ouvrez le site par http://localhost ou http://127.0.0.1\n",
        )
        .send(&mut stream, false);
        return;
    }
    let head_only = head.method == "HEAD";
    if head.method != "GET" && !head_only {
        let _ = text(405, "méthode non permise\n").send(&mut stream, false);
        return;
    }
    let url = head.target.split(['?', '#']).next().unwrap_or("/");
    let path = percent_decode(url);
    if path == EVENTS {
        match take(&server.streams, MAX_STREAMS) {
            Some(_slot) => events(stream, hub),
            None => {
                let _ = busy().send(&mut stream, false);
            }
        }
        return;
    }
    let response = if let Some(rest) = path.strip_prefix("/__cufpress/apercu/") {
        preview::page(hub, rest).map(|html| html_response(200, &html))
    } else {
        file(hub, &server.root, &path)
    };
    let response = response.unwrap_or_else(|| not_found(hub));
    let _ = response.send(&mut stream, head_only);
}

/// A page, a copied file, or the error page while the build fails.
fn file(hub: &Hub, root: &Path, path: &str) -> Option<Response> {
    let rel = path.trim_start_matches('/');
    if rel.split('/').any(|p| p == ".." || p == ".") || rel.contains('\\') {
        return None;
    }
    let key = if rel.is_empty() || rel.ends_with('/') {
        format!("{rel}index.html")
    } else {
        rel.to_string()
    };
    let mut served = hub.read();
    // A search bundle, the back-office or a PDF being made again after a
    // save: wait for it rather than give the one from before the save.
    if served.later_paths.contains(&key) && served.catch_up.is_busy() {
        let gate = served.catch_up.clone();
        drop(served);
        gate.wait(std::time::Duration::from_secs(120));
        served = hub.read();
    }
    // The back-office stays as the last good build made it while the
    // content has a mistake (the writer fixes it there), and is never
    // reloaded under the writer's hands.
    let admin = key.starts_with(crate::render::admin::ADMIN_DIR);
    if let Some(diags) = &served.failure
        && !admin
        && (key.ends_with(".html") || !served.outputs.contains_key(&key))
    {
        return Some(html_response(500, &preview::error_page(diags)));
    }
    if let Some(bytes) = served.outputs.get(&key) {
        let bytes = bytes.clone();
        drop(served);
        if bytes.starts_with(crate::render::pdf::JOB_MAGIC) {
            return Some(typeset_on_request(hub, root, &key, &bytes));
        }
        if bytes.starts_with(crate::render::search::RECORDS_MAGIC) {
            return Some(index_on_request(hub, root, &key, &bytes));
        }
        if admin {
            return Some(
                Response::new(200, content_type(&key), bytes.to_vec())
                    .with("Cache-Control", "no-store"),
            );
        }
        return Some(body(200, content_type(&key), &bytes));
    }
    if served.outputs.contains_key(&format!("{rel}/index.html")) {
        // One leading slash: `//lettres/` would name another host.
        return Some(
            Response::new(301, "text/plain; charset=utf-8", Vec::new())
                .with("Location", &format!("/{rel}/")),
        );
    }
    let disk = served.assets.get(rel)?.clone();
    drop(served);
    let bytes = read_inside(root, &disk)?;
    Some(body(200, content_type(rel), &bytes))
}

/// A PDF that `serve` published as its job: typeset now (through the
/// site's PDF cache) and kept in place of the job until the next change.
fn typeset_on_request(hub: &Hub, root: &Path, key: &str, job: &Arc<Vec<u8>>) -> Response {
    let cache = crate::render::pdf::Cache {
        dir: crate::render::pdf::cache_dir(root),
        writable: true,
    };
    let image = |p: &str| hub.read().outputs.get(p).map(|b| b.to_vec());
    match crate::render::pdf::serve_bytes(job, Some(&cache), &image) {
        Some(Ok(pdf)) => {
            let mut s = hub.served.write().unwrap_or_else(|e| e.into_inner());
            if s.outputs.get(key).is_some_and(|b| Arc::ptr_eq(b, job)) {
                s.outputs.insert(key.to_string(), Arc::new(pdf.clone()));
            }
            drop(s);
            body(200, "application/pdf", &pdf)
        }
        Some(Err(d)) => html_response(500, &preview::error_page(&[d])),
        None => body(200, content_type(key), job),
    }
}

/// A search bundle that `serve` published as its records (at
/// `<bundle>/pagefind.js`, the first file a search asks for): made now
/// (through the site's search cache), its files put in place until the
/// next change.
fn index_on_request(hub: &Hub, root: &Path, key: &str, records: &Arc<Vec<u8>>) -> Response {
    match crate::render::search::serve_files(key, records, root) {
        Some(Ok(files)) => {
            let mut script = Vec::new();
            let mut s = hub.served.write().unwrap_or_else(|e| e.into_inner());
            let current = s.outputs.get(key).is_some_and(|b| Arc::ptr_eq(b, records));
            for f in files {
                if f.path == key {
                    script = f.bytes.clone();
                }
                if current {
                    s.outputs.insert(f.path, Arc::new(f.bytes));
                }
            }
            drop(s);
            body(200, content_type(key), &script)
        }
        Some(Err(m)) => text(
            500,
            &format!("l'index de recherche n'a pas pu être fabriqué : {m}"),
        ),
        None => body(200, content_type(key), records),
    }
}

/// The file at `disk`, only if it is a plain file whose real path, links
/// resolved now, lies inside the site's `content/`.
fn read_inside(root: &Path, disk: &Path) -> Option<Vec<u8>> {
    let content = root.join("content").canonicalize().ok()?;
    let real = disk.canonicalize().ok()?;
    if !real.starts_with(&content)
        || std::fs::symlink_metadata(disk)
            .ok()?
            .file_type()
            .is_symlink()
    {
        return None;
    }
    std::fs::read(real).ok()
}

fn not_found(hub: &Hub) -> Response {
    let page = hub.read().outputs.get("404.html").cloned();
    match page {
        Some(bytes) => body(404, "text/html; charset=utf-8", &bytes),
        None => text(404, "page introuvable\n"),
    }
}

/// A response; HTML gets the reload script.
fn body(status: u16, kind: &str, bytes: &[u8]) -> Response {
    if kind.starts_with("text/html") {
        return html_response(status, &String::from_utf8_lossy(bytes));
    }
    Response::new(status, kind, bytes.to_vec()).with("Cache-Control", "no-store")
}

pub(super) fn html_response(status: u16, html: &str) -> Response {
    Response::new(
        status,
        "text/html; charset=utf-8",
        inject(html).into_bytes(),
    )
    .with("Cache-Control", "no-store")
}

fn text(status: u16, s: &str) -> Response {
    Response::new(status, "text/plain; charset=utf-8", s.as_bytes().to_vec())
}

/// Adds the reload script before the last `</body>` (or at the end).
pub(super) fn inject(html: &str) -> String {
    match html.rfind("</body>") {
        Some(at) => format!("{}{RELOAD_SCRIPT}{}", &html[..at], &html[at..]),
        None => format!("{html}{RELOAD_SCRIPT}"),
    }
}

/// The server-sent events stream: one `reload` event per rebuild.
fn events(mut w: TcpStream, hub: &Hub) {
    let rx = hub.subscribe();
    let generation = hub.read().generation;
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
        "yml" | "yaml" => "text/yaml; charset=utf-8",
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

//! `cufpress serve` end to end: the real binary on a copy of the sample
//! site, a free port, plain HTTP over TCP, server-sent events read raw.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::time::{Duration, Instant};

use common::{SAMPLE_TODAY, TempSite, cufpress};
use scraper::{Html, Selector};

const ARTICLE: &str = "lettres/2025-09/assises-franco-armeniennes.md";
const ARTICLE_URL: &str = "/lettres/2025-09/assises-franco-armeniennes/";

/// The server process, killed if the test fails midway.
struct Server {
    child: Child,
    port: u16,
    log: Receiver<String>,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(site: &TempSite) -> Server {
    let mut child = cufpress()
        .args(["serve", "--port", "0", "--today", SAMPLE_TODAY, "--root"])
        .arg(site.path())
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .expect("start serve");
    let stderr = child.stderr.take().expect("stderr");
    let (tx, log) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    let mut server = Server {
        child,
        port: 0,
        log,
    };
    let line = wait_line(&server.log, "Site servi sur http://127.0.0.1:");
    let port = line
        .split("127.0.0.1:")
        .nth(1)
        .and_then(|s| s.split('/').next())
        .and_then(|p| p.parse().ok())
        .expect("port in the start message");
    server.port = port;
    server
}

fn wait_line(log: &Receiver<String>, needle: &str) -> String {
    let deadline = Instant::now() + Duration::from_secs(60);
    let mut seen = Vec::new();
    while Instant::now() < deadline {
        if let Ok(line) = log.recv_timeout(Duration::from_millis(200)) {
            if line.contains(needle) {
                return line;
            }
            seen.push(line);
        }
    }
    panic!("« {needle} » never printed; stderr:\n{}", seen.join("\n"));
}

/// A GET over plain HTTP/1.0: (status, body).
fn get(port: u16, path: &str) -> (u16, String) {
    let mut s = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    write!(s, "GET {path} HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n").unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).unwrap();
    let raw = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = raw.split_once("\r\n\r\n").expect("HTTP response");
    let status = head.split(' ').nth(1).and_then(|c| c.parse().ok()).unwrap();
    (status, body.to_string())
}

/// The server-sent events, one `(event, data)` per message.
fn events(port: u16) -> Receiver<(String, String)> {
    let mut s = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    write!(
        s,
        "GET /__cufpress/evenements HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
    )
    .unwrap();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let mut event = String::new();
        for line in BufReader::new(s).lines().map_while(Result::ok) {
            if let Some(e) = line.strip_prefix("event: ") {
                event = e.to_string();
            } else if let Some(d) = line.strip_prefix("data: ") {
                if tx.send((event.clone(), d.to_string())).is_err() {
                    return;
                }
            }
        }
    });
    let (e, _) = rx
        .recv_timeout(Duration::from_secs(10))
        .expect("hello event");
    assert_eq!(e, "bonjour");
    rx
}

/// The next `reload` event's data, as JSON.
fn next_reload(rx: &Receiver<(String, String)>, within: Duration) -> Option<serde_json::Value> {
    let deadline = Instant::now() + within;
    while let Some(left) = deadline.checked_duration_since(Instant::now()) {
        match rx.recv_timeout(left) {
            Ok((e, d)) if e == "reload" => return Some(serde_json::from_str(&d).expect("JSON")),
            Ok(_) => {}
            Err(_) => return None,
        }
    }
    None
}

fn text_of(html: &str, css: &str) -> String {
    let doc = Html::parse_document(html);
    let sel = Selector::parse(css).unwrap();
    doc.select(&sel)
        .map(|e| e.text().collect::<String>())
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn serve_rebuilds_reloads_shows_errors_and_stops() {
    let site = TempSite::sample();
    let server = start(&site);
    let port = server.port;
    let (status, home) = get(port, "/");
    assert_eq!(status, 200);
    assert!(
        home.contains("/__cufpress/evenements"),
        "reload script injected"
    );
    let rx = events(port);

    // 1. An edited article: new text over HTTP, and a reload message naming it.
    let path = site.path().join("content").join(ARTICLE);
    let original = std::fs::read_to_string(&path).unwrap();
    let edited = format!("{original}\nPhrase témoin ajoutée pendant le service.\n");
    std::fs::write(&path, &edited).unwrap();
    let reload = next_reload(&rx, Duration::from_secs(30)).expect("reload after an edit");
    assert_eq!(reload["ok"], true);
    let changed: Vec<&str> = reload["changed"]
        .as_array()
        .expect("changed pages listed")
        .iter()
        .filter_map(|v| v.as_str())
        .collect();
    assert!(changed.contains(&ARTICLE_URL), "{changed:?}");
    let (status, page) = get(port, ARTICLE_URL);
    assert_eq!(status, 200);
    assert!(text_of(&page, "main").contains("Phrase témoin ajoutée pendant le service."));

    // 2. Editors' temporary files change nothing.
    let dir = path.parent().unwrap();
    std::fs::write(
        dir.join(".assises-franco-armeniennes.md.swp"),
        "---\ntitle: [\n",
    )
    .unwrap();
    std::fs::write(dir.join("assises-franco-armeniennes.md~"), "---\n").unwrap();
    std::fs::write(dir.join(".#assises-franco-armeniennes.md"), "x").unwrap();
    assert!(
        next_reload(&rx, Duration::from_millis(800)).is_none(),
        "no rebuild for temporary files"
    );

    // 3. A broken front matter: the error page, with the diagnostics of `check`.
    let broken = edited.replacen("title:", "title: [", 1);
    std::fs::write(&path, &broken).unwrap();
    let reload = next_reload(&rx, Duration::from_secs(30)).expect("reload after a mistake");
    assert_eq!(reload["ok"], false);
    assert!(reload["changed"].is_null(), "every page reloads");
    let (status, page) = get(port, ARTICLE_URL);
    assert_eq!(status, 500);
    let shown = text_of(&page, "pre.diagnostic");
    assert!(shown.contains(&format!("content/{ARTICLE}")), "{shown}");
    assert!(
        page.contains("/__cufpress/evenements"),
        "the error page reloads too"
    );
    let check = site.check();
    assert_ne!(check.code, 0);
    for block in shown.split("\n\n").filter(|b| b.contains("erreur")) {
        let first = block.lines().next().unwrap();
        assert!(
            check.stderr.contains(first),
            "« {first} » not in check:\n{}",
            check.stderr
        );
    }
    let (status, _) = get(port, "/");
    assert_eq!(status, 500, "the whole site shows the error");

    // 4. Fixed: the site comes back.
    std::fs::write(&path, &edited).unwrap();
    let reload = next_reload(&rx, Duration::from_secs(30)).expect("reload after the fix");
    assert_eq!(reload["ok"], true);
    let (status, page) = get(port, ARTICLE_URL);
    assert_eq!(status, 200);
    assert!(text_of(&page, "main").contains("Phrase témoin"));

    // 5. The e-mail preview of the issue.
    let (status, preview) = get(port, "/__cufpress/apercu/2025-09/");
    assert_eq!(status, 200);
    let doc = Html::parse_document(&preview);
    let frames: Vec<String> = doc
        .select(&Selector::parse("iframe").unwrap())
        .filter_map(|f| f.value().attr("width").map(str::to_string))
        .collect();
    let note = text_of(&preview, "#absent");
    assert!(
        frames == ["600", "375"] || note.contains("pas encore produite"),
        "{frames:?} {note}"
    );
    if note.is_empty() {
        // As an inbox lists it: the subject, then the preheader.
        let subject = text_of(&preview, "#objet");
        assert!(
            subject.starts_with("La Lettre n°") && subject.contains("112 – Septembre"),
            "{subject}"
        );
        let preheader = text_of(&preview, "#preheader");
        assert!(
            preheader.starts_with("Fabrique de la diplomatie"),
            "{preheader}"
        );
        assert!(!preheader.contains('\u{34f}'), "{preheader:?}");
    }
    assert_eq!(get(port, "/__cufpress/apercu/1999-01/").0, 404);

    // 6. Ctrl-C: a clean stop, and nothing written in public/.
    stop(server);
    assert!(
        !site.path().join("public").exists(),
        "serve never writes public/"
    );
}

fn stop(mut server: Server) {
    let pid = server.child.id().to_string();
    let sent = std::process::Command::new("kill")
        .args(["-INT", &pid])
        .status()
        .expect("kill -INT");
    assert!(sent.success());
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        if let Some(status) = server.child.try_wait().unwrap() {
            assert!(status.success(), "exit status {status}");
            break;
        }
        assert!(Instant::now() < deadline, "serve did not stop on Ctrl-C");
        std::thread::sleep(Duration::from_millis(50));
    }
    wait_line(&server.log, "Serveur arrêté");
}

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
            } else if let Some(d) = line.strip_prefix("data: ")
                && tx.send((event.clone(), d.to_string())).is_err()
            {
                return;
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

/// One raw request: (status, head, body).
fn raw(port: u16, request: &[u8]) -> (u16, String, String) {
    let mut s = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    s.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    // The server may answer before reading everything: ignore a reset.
    let _ = s.write_all(request);
    let mut raw = Vec::new();
    let _ = s.read_to_end(&mut raw);
    let raw = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = raw.split_once("\r\n\r\n").unwrap_or((&raw, ""));
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    (status, head.to_string(), body.to_string())
}

/// Saves `text` into the article the way `how` says, waits for the reload
/// and checks the page shows it.
fn save_and_see(
    site: &TempSite,
    port: u16,
    rx: &Receiver<(String, String)>,
    how: &str,
    text: &str,
) {
    let path = site.path().join("content").join(ARTICLE);
    let dir = path.parent().unwrap().to_path_buf();
    let original = std::fs::read_to_string(&path).unwrap();
    let base = original.split("\nTémoin :").next().unwrap().to_string();
    let new = format!("{base}\nTémoin : {text}\n");
    match how {
        "in place" => std::fs::write(&path, &new).unwrap(),
        // sed -i, JetBrains « safe write »: a temporary file renamed over.
        "rename over" => {
            let tmp = dir.join("sedAb12Cd");
            std::fs::write(&tmp, &new).unwrap();
            std::fs::rename(&tmp, &path).unwrap();
        }
        // vim, some VS Code setups: an ignored temporary name.
        "rename over from a temporary name" => {
            let tmp = dir.join("assises-franco-armeniennes.md.tmp");
            std::fs::write(&tmp, &new).unwrap();
            std::fs::rename(&tmp, &path).unwrap();
        }
        // vim with backupcopy=no: the old file moved away, a new one written.
        "move away then create" => {
            std::fs::rename(&path, dir.join("assises-franco-armeniennes.md~")).unwrap();
            std::fs::write(&path, &new).unwrap();
        }
        "delete then create" => {
            std::fs::remove_file(&path).unwrap();
            std::thread::sleep(Duration::from_millis(5));
            std::fs::write(&path, &new).unwrap();
        }
        _ => unreachable!(),
    }
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let reload = next_reload(rx, Duration::from_secs(30));
        assert!(reload.is_some(), "{how}: no reload");
        let (status, page) = get(port, ARTICLE_URL);
        if status == 200 && text_of(&page, "main").contains(text) {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "{how}: the page never showed « {text} »"
        );
    }
}

#[test]
fn serve_sees_every_kind_of_save() {
    let site = TempSite::sample();
    let server = start(&site);
    let rx = events(server.port);
    for (i, how) in [
        "in place",
        "rename over",
        "rename over from a temporary name",
        "move away then create",
        "delete then create",
    ]
    .iter()
    .enumerate()
    {
        save_and_see(
            &site,
            server.port,
            &rx,
            how,
            &format!("enregistrement numéro {i}"),
        );
    }
}

#[test]
fn serve_stays_inside_the_site() {
    let site = TempSite::sample();
    let server = start(&site);
    let port = server.port;
    let rx = events(port);
    let dir = site.path().join("content/lettres/2025-09");
    // A published attachment, then replaced by a link to a system file;
    // and links dropped in after the start, to a file and to a folder.
    std::fs::write(dir.join("note.txt"), "une note").unwrap();
    save_and_see(&site, port, &rx, "in place", "note ajoutée");
    assert_eq!(
        get(port, "/lettres/2025-09/note.txt"),
        (200, "une note".to_string())
    );
    std::fs::remove_file(dir.join("note.txt")).unwrap();
    std::os::unix::fs::symlink("/etc/passwd", dir.join("note.txt")).unwrap();
    std::os::unix::fs::symlink("/etc/passwd", dir.join("fuite.txt")).unwrap();
    std::os::unix::fs::symlink("/etc", site.path().join("content/systeme")).unwrap();
    save_and_see(&site, port, &rx, "in place", "liens ajoutés");
    for url in [
        "/lettres/2025-09/note.txt",
        "/lettres/2025-09/fuite.txt",
        "/systeme/passwd",
        "/systeme/hostname",
    ] {
        let (status, body) = get(port, url);
        assert_eq!(status, 404, "{url}");
        assert!(!body.contains("root:"), "{url}: {body}");
    }

    // Only loopback names and the bound address as Host (DNS rebinding).
    let ask = |host: &str| {
        raw(
            port,
            format!("GET / HTTP/1.1\r\nHost: {host}\r\n\r\n").as_bytes(),
        )
        .0
    };
    assert_eq!(ask("evil.example"), 421);
    assert_eq!(ask(&format!("evil.example:{port}")), 421);
    assert_eq!(ask(&format!("localhost:{port}")), 200);
    assert_eq!(ask(&format!("127.0.0.1:{port}")), 200);
    assert_eq!(
        raw(port, b"GET / HTTP/1.1\r\n\r\n").0,
        400,
        "HTTP/1.1 without Host"
    );

    // A redirect never leaves the site: `//x` would be another host.
    let (status, head, _) = raw(port, b"GET //lettres/2025-09 HTTP/1.0\r\n\r\n");
    assert_eq!(status, 301);
    let location = head
        .lines()
        .find_map(|l| l.strip_prefix("Location: "))
        .expect("Location");
    assert_eq!(location, "/lettres/2025-09/");

    // A huge header is refused early, not read whole.
    let mut big = b"GET / HTTP/1.1\r\nHost: localhost\r\nX-Pad: ".to_vec();
    big.extend(std::iter::repeat_n(b'a', 1 << 20));
    big.extend(b"\r\n\r\n");
    assert_eq!(raw(port, &big).0, 431);

    // At most 32 reload streams at once; the next ones get a 503.
    let mut streams = Vec::new();
    let mut refused = 0;
    for _ in 0..40 {
        let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
        write!(
            s,
            "GET /__cufpress/evenements HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
        )
        .unwrap();
        let mut first = [0u8; 12];
        s.read_exact(&mut first).unwrap();
        if &first == b"HTTP/1.1 503" {
            refused += 1;
        }
        streams.push(s);
    }
    assert_eq!(refused, 40 - 31, "one stream was already open");
    // Pages are still served meanwhile.
    assert_eq!(get(port, "/").0, 200);
}

//! Latency of `cufpress serve`: time from an article's write to the reload
//! message, median over several edits (see bench/serve.sh):
//!
//! `cargo run --release --example serve_bench -- SITE [--edits 20] [--partenariat [--entete]] [--bin target/release/cufpress]`
//!
//! SITE is modified during the run (one article, or with `--partenariat`
//! one partnership of a répertoire, gets a line appended, or with
//! `--entete` its year changed, then restored):
//! pass a copy. Each edit waits for the link check that follows
//! the reload (`verifie` event) before the next one.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::time::{Duration, Instant};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let site = PathBuf::from(
        args.first()
            .expect("usage: serve_bench SITE [--edits N] [--bin PATH]"),
    );
    let opt = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1).cloned())
    };
    let edits: usize = opt("--edits").and_then(|n| n.parse().ok()).unwrap_or(20);
    let bin = opt("--bin").map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("target/release/cufpress"),
        PathBuf::from,
    );
    let article = if args.iter().any(|a| a == "--partenariat") {
        first_article(&site.join("content/repertoire"))
    } else {
        first_article(&site.join("content/lettres"))
    };
    let original = std::fs::read_to_string(&article).expect("article");
    // `--entete`: edit the partnership's front matter instead of its text.
    let front = args.iter().any(|a| a == "--entete");
    let started = Instant::now();
    let mut child = Command::new(&bin)
        .args(["serve", "--port", "0", "--today", "2025-09-10", "--root"])
        .arg(&site)
        .stderr(Stdio::piped())
        .spawn()
        .expect("start cufpress serve");
    let port = port_of(child.stderr.take().expect("stderr"));
    eprintln!(
        "serveur prêt en {} ms (port {port})",
        started.elapsed().as_millis()
    );
    let rx = events(port);
    let mut times = Vec::new();
    for i in 0..edits {
        let text = if front {
            // The front matter: the year the partnership began.
            let at = original.find("\nsince: ").expect("a since: key") + 1;
            let end = at + original[at..].find('\n').unwrap_or(original.len() - at);
            format!("{}since: {}{}", &original[..at], 1990 + i, &original[end..])
        } else {
            format!("{original}\nModification {i} du banc d'essai.\n")
        };
        let t = Instant::now();
        std::fs::write(&article, text).expect("write article");
        wait(&rx, "reload", Duration::from_secs(60));
        times.push(t.elapsed());
        wait(&rx, "verifie", Duration::from_secs(600));
    }
    std::fs::write(&article, &original).expect("restore article");
    let _ = child.kill();
    let _ = child.wait();
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "{} ({}): {} modifications, médiane {:.1} ms (min {:.1}, max {:.1})",
        site.display(),
        article.strip_prefix(&site).unwrap_or(&article).display(),
        times.len(),
        ms(times[times.len() / 2]),
        ms(times[0]),
        ms(times[times.len() - 1])
    );
}

fn first_article(letters: &Path) -> PathBuf {
    let mut found: Vec<PathBuf> = walk(letters)
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "md") && !p.ends_with("_index.md"))
        .collect();
    found.sort();
    found
        .into_iter()
        .next()
        .expect("a page under content/lettres or content/repertoire")
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}

fn port_of(stderr: std::process::ChildStderr) -> u16 {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let verbose = std::env::var_os("CUFPRESS_SERVE_TIMINGS").is_some();
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            if verbose {
                eprintln!("{line}");
            }
            if let Some(rest) = line.split("127.0.0.1:").nth(1) {
                let _ = tx.send(rest.split('/').next().unwrap_or("").to_string());
            }
        }
    });
    let port = rx
        .recv_timeout(Duration::from_secs(600))
        .expect("server start");
    port.parse().expect("port")
}

fn events(port: u16) -> Receiver<String> {
    let mut s = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    write!(
        s,
        "GET /__cufpress/evenements HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
    )
    .expect("request");
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(s).lines().map_while(Result::ok) {
            if let Some(e) = line.strip_prefix("event: ")
                && tx.send(e.to_string()).is_err()
            {
                return;
            }
        }
    });
    wait(&rx, "bonjour", Duration::from_secs(10));
    rx
}

fn wait(rx: &Receiver<String>, event: &str, within: Duration) {
    let deadline = Instant::now() + within;
    loop {
        let left = deadline
            .checked_duration_since(Instant::now())
            .unwrap_or_else(|| panic!("no « {event} » event"));
        match rx.recv_timeout(left) {
            Ok(e) if e == event => return,
            Ok(_) => {}
            Err(_) => panic!("no « {event} » event"),
        }
    }
}

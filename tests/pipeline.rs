//! Every command runs the build's own pipeline: `serve` previews show the
//! image step's variants and `srcset` like the published site, and the
//! test send goes through the image cache instead of encoding every photo.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use common::{SAMPLE_TODAY, TempSite, cufpress, run_in, select};

const ARTICLE_URL: &str = "/lettres/2025-09/assises-franco-malgaches/";

/// A GET over HTTP/1.0: (status, body bytes).
fn get(port: u16, path: &str) -> (u16, Vec<u8>) {
    let mut s = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    write!(s, "GET {path} HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n").unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).unwrap();
    let end = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("headers");
    let head = String::from_utf8_lossy(&raw[..end]);
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    (status, raw[end + 4..].to_vec())
}

/// `cufpress serve` on `site`, on a free port: the process and its port.
fn serve(site: &TempSite) -> (Child, u16) {
    let mut child = cufpress()
        .args(["serve", "--port", "0", "--today", SAMPLE_TODAY, "--root"])
        .arg(site.path())
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .expect("start serve");
    let stderr = BufReader::new(child.stderr.take().unwrap());
    let deadline = Instant::now() + Duration::from_secs(120);
    let mut lines = stderr.lines();
    let mut port = None;
    while let Some(Ok(line)) = lines.next() {
        if let Some(rest) = line.split("127.0.0.1:").nth(1) {
            port = rest.split('/').next().and_then(|p| p.parse().ok());
            break;
        }
        if Instant::now() > deadline {
            break;
        }
    }
    let Some(port) = port else {
        let _ = child.kill();
        let _ = child.wait();
        panic!("serve did not start");
    };
    // Keep reading what the server prints, so it never writes to a closed pipe.
    std::thread::spawn(move || lines.for_each(drop));
    (child, port)
}

#[test]
fn serve_previews_show_the_resized_images_and_srcset() {
    let site = TempSite::sample();
    let (mut child, port) = serve(&site);
    let (status, body) = get(port, ARTICLE_URL);
    let html = String::from_utf8(body).unwrap();
    let doc = scraper::Html::parse_document(&html);
    let imgs = select(&doc, "article img, main img");
    let _ = child.kill();
    let _ = child.wait();
    assert_eq!(status, 200);
    let img = imgs.first().expect("the article's photo");
    let src = img.value().attr("src").unwrap();
    let srcset = img.value().attr("srcset").expect("srcset in the preview");
    assert!(
        srcset.contains(" 480w") && srcset.contains(" 960w"),
        "{srcset}"
    );
    assert!(
        !src.ends_with("assises-antananarivo.jpg"),
        "the preview points at the original: {src}"
    );
    assert!(img.value().attr("width").is_some() && img.value().attr("height").is_some());
}

#[test]
fn serve_serves_the_image_variants_it_points_at() {
    let site = TempSite::sample();
    let (mut child, port) = serve(&site);
    let (_, body) = get(port, ARTICLE_URL);
    let html = String::from_utf8(body).unwrap();
    let src = {
        let doc = scraper::Html::parse_document(&html);
        select(&doc, "article img, main img")[0]
            .value()
            .attr("src")
            .unwrap()
            .to_string()
    };
    let (status, bytes) = get(port, &src);
    let original = std::fs::read(
        site.path()
            .join("content/lettres/2025-09/images/assises-antananarivo.jpg"),
    )
    .unwrap();
    let _ = child.kill();
    let _ = child.wait();
    assert_eq!(status, 200, "{src}");
    assert!(
        bytes.starts_with(&[0xFF, 0xD8]) && bytes.len() < original.len(),
        "{src}: {} bytes, original {}",
        bytes.len(),
        original.len()
    );
}

#[test]
fn test_send_goes_through_the_image_cache() {
    let site = TempSite::sample();
    let cache = site.path().join(".cufpress-cache/images");
    let _ = std::fs::remove_dir_all(site.path().join(".cufpress-cache"));
    // Nothing listens on port 1: the send fails, after the message is made.
    let run = run_in(
        site.path(),
        &[
            "envoyer-test",
            "2025-09",
            "--to",
            "essai@exemple.fr",
            "--smtp",
            "127.0.0.1:1",
        ],
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    let entries = std::fs::read_dir(&cache)
        .map(|d| d.count())
        .unwrap_or_default();
    assert!(
        entries > 1,
        "the test send made the photos without the cache ({entries} entries)"
    );
}

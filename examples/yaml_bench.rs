//! Times the front-matter readers on every `.md` file of a site (for
//! example one written by `gencorpus`): the fast reader of
//! `src/load/fastyaml.rs`, yaml_serde (libyaml) on the same headers, the
//! pre-scan, and the whole typed parse as the load stage runs it.
//!
//! `cargo run --release --example yaml_bench -- SITE [ROUNDS]`
//! (see `bench/yaml.sh`).

use std::path::Path;
use std::time::Instant;

use cufpress::load::{fastyaml, frontmatter, prescan};
use cufpress::model::{ARTICLE_KEYS, ArticleFront, EVENT_KEYS, EventFront};

fn headers(dir: &Path, out: &mut Vec<(String, String, u8)>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .expect("read dir")
        .flatten()
        .map(|e| e.path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            headers(&p, out);
        } else if p.extension().is_some_and(|e| e == "md") {
            let text = std::fs::read_to_string(&p).expect("read");
            let s = p.to_string_lossy();
            let kind = if s.contains("/lettres/") && !s.ends_with("_index.md") {
                b'a'
            } else if s.contains("/agenda/") {
                b'e'
            } else {
                b'o'
            };
            if let Ok(split) = frontmatter::split("x", &text) {
                out.push((text.clone(), split.yaml.to_string(), kind));
            }
        }
    }
}

/// Runs `f` over every header `rounds` times; nanoseconds per header.
fn time(
    name: &str,
    hs: &[(String, String, u8)],
    rounds: usize,
    mut f: impl FnMut(&str, &str, u8) -> bool,
) {
    let start = Instant::now();
    let mut ok = 0usize;
    for _ in 0..rounds {
        for (text, yaml, kind) in hs {
            ok += usize::from(f(text, yaml, *kind));
        }
    }
    let ns = start.elapsed().as_nanos() as f64 / (rounds * hs.len()) as f64;
    println!(
        "| {name:<34} | {ns:>9.0} ns | {:>5.1} % |",
        100.0 * ok as f64 / (rounds * hs.len()) as f64
    );
}

fn main() {
    let mut args = std::env::args().skip(1);
    let site = args.next().expect("SITE");
    let rounds: usize = args.next().map_or(5, |r| r.parse().expect("ROUNDS"));
    let mut hs = Vec::new();
    headers(&Path::new(&site).join("content"), &mut hs);
    let bytes: usize = hs.iter().map(|h| h.1.len()).sum();
    println!(
        "{} headers, {} bytes on average, {rounds} rounds\n",
        hs.len(),
        bytes / hs.len().max(1)
    );
    println!("| reader                             | per header   | read  |");
    println!("|------------------------------------|--------------|-------|");
    time("fast reader (fastyaml::parse)", &hs, rounds, |_, y, _| {
        fastyaml::parse(y).is_some()
    });
    time("yaml_serde::from_str::<Value>", &hs, rounds, |_, y, _| {
        yaml_serde::from_str::<yaml_serde::Value>(y).is_ok()
    });
    time("pre-scan (prescan::prescan)", &hs, rounds, |t, y, _| {
        prescan::prescan("x", t, y, 1).errors.is_empty()
    });
    time(
        "typed parse (frontmatter::parse)",
        &hs,
        rounds,
        |t, y, k| match k {
            b'a' => frontmatter::parse::<ArticleFront>("x", t, y, 1, ARTICLE_KEYS)
                .parsed
                .is_some(),
            b'e' => frontmatter::parse::<EventFront>("x", t, y, 1, EVENT_KEYS)
                .parsed
                .is_some(),
            _ => fastyaml::parse(y).is_some(),
        },
    );
}

//! A seeded fuzz test of the load and resolve stages: mutated copies of the
//! minimal fixture site (front matter and Markdown: truncations, byte
//! flips, quotes, tabs, invisible spaces, control characters, deep
//! nesting, long lines, huge lists, …) go through the library, and a sample
//! of them through the real binary. Each must give French diagnostics
//! naming their file and line, never a panic, exit 0 or 1, in bounded time.
//!
//! Fixed seed and counts (README, "Tests"): `FUZZ_SEED` and `FUZZ_CASES`
//! in the environment replay or widen a run.

mod common;

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, Instant};

use cufpress::Options;
use cufpress::diagnostics::Diagnostic;
use cufpress::load::{SourceFile, load_site};

/// The default seed and number of library cases.
const SEED: u64 = 0x00C0_FFEE_2025;
const CASES: usize = 3000;
/// Cases of the run also checked through the binary (`check`).
const BINARY_CASES: usize = 40;

/// SplitMix64: small, deterministic, the same on every machine.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len())]
    }
}

/// Words of libyaml's, serde's and the standard library's English messages.
const ENGLISH: &[&str] = &[
    "found",
    "expected",
    "while",
    "could not",
    "did not",
    "character",
    "invalid type",
    "invalid value",
    "missing field",
    "unknown variant",
    "mapping",
    "scalar",
    "sequence",
    "at line",
    "column",
    "cannot",
    "not allowed",
    "stream",
    "recursion",
    "repetition",
    "anchor",
    "No such file",
    "error",
];

const QUOTES: &[&str] = &["\"", "'", "“", "”", "«", "»", "‘", "’", "« ", " »"];
const INVISIBLE: &[&str] = &[
    "\u{a0}", "\u{202f}", "\u{200b}", "\u{feff}", "\u{ad}", "\u{2028}",
];
const CONTROL: &[&str] = &[
    "\u{1}", "\u{7}", "\u{1b}", "\u{7f}", "\u{85}", "\u{fffe}", "\0",
];

/// One random change to `bytes`.
fn mutate(r: &mut Rng, bytes: &mut Vec<u8>) {
    let at = r.below(bytes.len() + 1);
    let line_start = bytes[..at]
        .iter()
        .rposition(|b| *b == b'\n')
        .map_or(0, |p| p + 1);
    let insert = |bytes: &mut Vec<u8>, at: usize, s: &[u8]| {
        bytes.splice(at..at, s.iter().copied());
    };
    match r.below(18) {
        0 => bytes.truncate(at),
        1 if !bytes.is_empty() => {
            let i = r.below(bytes.len());
            bytes[i] = r.next() as u8;
        }
        2 => insert(bytes, at, r.pick(QUOTES).as_bytes()),
        3 => insert(bytes, line_start, b"\t"),
        4 => insert(bytes, at, b"\t"),
        5 => insert(bytes, at, r.pick(INVISIBLE).as_bytes()),
        6 => insert(bytes, at, b": "),
        7 => insert(bytes, at, r.pick(CONTROL).as_bytes()),
        8 => {
            let n = 1 + r.below(3_000);
            let open = if r.below(2) == 0 { "[" } else { "{" };
            insert(bytes, at, open.repeat(n).as_bytes());
        }
        9 => insert(bytes, at, "a".repeat(5_000 + r.below(30_000)).as_bytes()),
        10 => {
            let items = vec!["\"x\""; 1 + r.below(3_000)].join(", ");
            insert(bytes, at, format!("[{items}]").as_bytes());
        }
        11 => {
            let line_end = bytes[at..]
                .iter()
                .position(|b| *b == b'\n')
                .map_or(bytes.len(), |p| at + p + 1);
            let line = bytes[line_start..line_end].to_vec();
            insert(bytes, line_end, &line);
        }
        12 => insert(
            bytes,
            line_start,
            r.pick(&["- ", "  ", "---\n", "...\n", "? "]).as_bytes(),
        ),
        13 => insert(
            bytes,
            at,
            r.pick(&["*a", "&a ", "!tag ", "|", ">", "%", "@", "`", "#"])
                .as_bytes(),
        ),
        14 => {
            let s = r.pick(&[
                "[lien](",
                "![](",
                "<script>x</script>",
                "](absent.md)",
                "[x](../../../etc/passwd)",
                "<img src=x onerror=y>",
                "```\n",
                "\\",
            ]);
            insert(bytes, at, s.as_bytes());
        }
        15 => {
            let unit = r.pick(&["*", "_", ">", "> ", "- ", "[", "`", "<div>", "&amp;"]);
            insert(bytes, at, unit.repeat(1 + r.below(3_000)).as_bytes());
        }
        16 => insert(bytes, at, b"\n"),
        _ => {
            let end = (at + r.below(40)).min(bytes.len());
            bytes.drain(at..end);
        }
    }
}

/// The minimal fixture's content, as the loader reads it.
fn base_site() -> Vec<SourceFile> {
    let root = common::project_root().join("tests/fixtures/core-minimal");
    cufpress::load::read_content(&root).expect("fixture")
}

/// One mutated site: 1 to 3 changes to one or two of its text files.
fn mutated(r: &mut Rng, base: &[SourceFile]) -> Vec<SourceFile> {
    let mut files = base.to_vec();
    let texts: Vec<usize> = (0..files.len())
        .filter(|i| files[*i].path.ends_with(".md") || files[*i].path.ends_with(".yaml"))
        .collect();
    for _ in 0..1 + r.below(2) {
        let f = *r.pick(&texts);
        let mut bytes = files[f].bytes.to_vec();
        for _ in 0..1 + r.below(3) {
            mutate(r, &mut bytes);
        }
        files[f].bytes = bytes.into();
    }
    files
}

/// What is wrong with `d`, if anything: English words, no file, no line.
fn fault(d: &Diagnostic) -> Option<String> {
    let text = format!("{} {}", d.message, d.suggestion.as_deref().unwrap_or(""));
    let words: String = text
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
        .collect();
    let words = format!(
        " {} ",
        words.split_whitespace().collect::<Vec<_>>().join(" ")
    );
    for w in ENGLISH {
        if words.contains(&format!(" {w} ")) {
            return Some(format!("English « {w} »"));
        }
    }
    if !d.file.starts_with("content/") {
        return Some("no content file".into());
    }
    // File-level findings (the file's name or place, a folder without
    // `_index.md`, the weight of a whole e-mail) have no line; every other
    // one has.
    let file_level = d.message.contains("_index.md")
        || d.message.contains("nom «")
        || d.message.starts_with("l'e-mail du numéro");
    if d.line == 0 && !file_level {
        return Some("no line".into());
    }
    None
}

fn seed() -> u64 {
    std::env::var("FUZZ_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(SEED)
}

#[test]
fn mutated_sites_load_with_french_located_diagnostics() {
    let cases = std::env::var("FUZZ_CASES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(CASES);
    let base = base_site();
    let mut r = Rng(seed());
    let mut failures = Vec::new();
    let mut slowest = Duration::ZERO;
    let dump: Option<usize> = std::env::var("FUZZ_DUMP").ok().and_then(|s| s.parse().ok());
    for case in 0..cases {
        let files = mutated(&mut r, &base);
        if dump == Some(case) {
            // Replays one case as a site on disk: FUZZ_DUMP=N.
            let dir = std::env::temp_dir().join(format!("cufpress-fuzz-{case}"));
            write_site(&dir, &files);
            for (f, b) in files.iter().zip(&base) {
                if f.bytes != b.bytes {
                    eprintln!(
                        "case {case}: {} changed, written under {}",
                        f.path,
                        dir.display()
                    );
                }
            }
        }
        let start = Instant::now();
        let run = catch_unwind(AssertUnwindSafe(|| {
            let (site, mut diags) = load_site(&files, &Options::default());
            if let Some(site) = site {
                diags.extend(cufpress::resolve::resolve(site, 2025).2);
            }
            diags
        }));
        slowest = slowest.max(start.elapsed());
        match run {
            Err(_) => failures.push(format!("case {case}: panic")),
            Ok(diags) => {
                for d in diags.iter() {
                    if let Some(f) = fault(d) {
                        failures.push(format!("case {case}: {f}: {d:?}"));
                    }
                }
            }
        }
        if failures.len() > 20 {
            break;
        }
    }
    assert!(
        failures.is_empty(),
        "seed {}: {} faults:\n{}",
        seed(),
        failures.len(),
        failures.join("\n")
    );
    // A bound (no case blows up), not a measure.
    assert!(
        slowest < Duration::from_secs(20),
        "slowest case {slowest:?}"
    );
}

/// Writes `files` as a site under `dir` (the fixture's themes are the
/// project's own).
fn write_site(dir: &Path, files: &[SourceFile]) {
    for f in files {
        let p = dir.join(&f.path);
        std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
        std::fs::write(p, &f.bytes).expect("write");
    }
}

#[test]
fn a_sample_of_mutated_sites_through_the_binary() {
    let base = base_site();
    let mut r = Rng(seed() ^ 0x5eed);
    let bin = env!("CARGO_BIN_EXE_cufpress");
    for case in 0..BINARY_CASES {
        let files = mutated(&mut r, &base);
        let dir = tempfile::tempdir().expect("tempdir");
        write_site(dir.path(), &files);
        let mut child = std::process::Command::new(bin)
            .current_dir(dir.path())
            .args(["check", "--today", common::SAMPLE_TODAY, "--format", "json"])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("run cufpress");
        let out = child.stdout.take().expect("stdout");
        let err = child.stderr.take().expect("stderr");
        let read = |mut p: Box<dyn std::io::Read + Send>| {
            std::thread::spawn(move || {
                let mut s = String::new();
                let _ = p.read_to_string(&mut s);
                s
            })
        };
        let (out, err) = (read(Box::new(out)), read(Box::new(err)));
        let start = Instant::now();
        let status = loop {
            if let Some(s) = child.try_wait().expect("wait") {
                break s;
            }
            if start.elapsed() > Duration::from_secs(60) {
                let _ = child.kill();
                panic!("case {case}: check still running after 60 s");
            }
            std::thread::sleep(Duration::from_millis(20));
        };
        let (out, err) = (out.join().expect("out"), err.join().expect("err"));
        let code = status.code().unwrap_or(-1);
        assert!(code == 0 || code == 1, "case {case}: exit {code}\n{err}");
        assert!(!err.contains("panicked"), "case {case}: {err}");
        for line in out
            .lines()
            .chain(err.lines())
            .filter(|l| l.starts_with('{'))
        {
            let d: Diagnostic = match serde_json::from_str::<serde_json::Value>(line) {
                Ok(v) => Diagnostic {
                    severity: if v["severity"] == "error" {
                        cufpress::diagnostics::Severity::Error
                    } else {
                        cufpress::diagnostics::Severity::Warning
                    },
                    file: v["file"].as_str().unwrap_or("").to_string(),
                    line: v["line"].as_u64().unwrap_or(0) as u32,
                    column: v["column"].as_u64().unwrap_or(0) as u32,
                    message: v["message"].as_str().unwrap_or("").to_string(),
                    suggestion: v["suggestion"].as_str().map(str::to_string),
                    excerpt: None,
                },
                Err(e) => panic!("case {case}: not JSON ({e}): {line}"),
            };
            if let Some(f) = fault(&d) {
                panic!("case {case}: {f}: {d:?}");
            }
        }
    }
}

use std::io::Read as _;

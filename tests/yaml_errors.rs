//! Writers' YAML mistakes through the real binary: each named in French at
//! the line and column where it is, with what to type instead, never the
//! parser's English; one mistake never hides another; hostile headers
//! (huge, deep, long) cost linear time and bounded memory.

mod common;

use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, Instant};

use common::{Run, SAMPLE_TODAY, TempSite};
use std::io::Read as _;

/// One diagnostic of `--format json`.
#[derive(Debug, Clone, serde::Deserialize)]
struct Diag {
    severity: String,
    file: String,
    line: u32,
    column: u32,
    message: String,
    suggestion: Option<String>,
}

/// Words of libyaml's and serde's English messages.
const ENGLISH: &[&str] = &[
    "found",
    "expected",
    "while",
    "could not",
    "character",
    "invalid",
    "mapping",
    "scalar",
    "sequence",
    "missing field",
    "unknown",
    "at line",
    "No such file",
];

/// Runs `cufpress ARGS` in `dir`, killed after `limit`; `None` on timeout.
fn run_bounded(dir: &Path, args: &[&str], limit: Duration, mem_kib: Option<u64>) -> Option<Run> {
    let bin = env!("CARGO_BIN_EXE_cufpress");
    let mut cmd = match mem_kib {
        Some(kib) => {
            let mut c = std::process::Command::new("sh");
            c.arg("-c")
                .arg(format!("ulimit -v {kib}; exec \"$0\" \"$@\""))
                .arg(bin);
            c
        }
        None => std::process::Command::new(bin),
    };
    let mut child = cmd
        .current_dir(dir)
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run cufpress");
    // Drained as it comes, so that a long report never blocks the child.
    let drain = |mut pipe: Box<dyn std::io::Read + Send>| {
        std::thread::spawn(move || {
            let mut buf = Vec::new();
            let _ = pipe.read_to_end(&mut buf);
            String::from_utf8_lossy(&buf).into_owned()
        })
    };
    let out = drain(Box::new(child.stdout.take().expect("stdout")));
    let err = drain(Box::new(child.stderr.take().expect("stderr")));
    let start = Instant::now();
    loop {
        if let Some(status) = child.try_wait().expect("wait") {
            return Some(Run {
                code: status.code().unwrap_or(-1),
                stdout: out.join().expect("stdout"),
                stderr: err.join().expect("stderr"),
            });
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            return None;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// `check --format json` on the minimal fixture with `files` written in.
fn check_json(files: &[(&str, &str)]) -> (Vec<Diag>, Run) {
    let site = TempSite::fixture("core-minimal");
    for (rel, text) in files {
        site.write(rel, text);
    }
    json_of(&site)
}

fn json_of(site: &TempSite) -> (Vec<Diag>, Run) {
    let r = common::run_in(
        site.path(),
        &["check", "--today", SAMPLE_TODAY, "--format", "json"],
    );
    assert_well_formed(&r);
    let ds = r
        .stdout
        .lines()
        .chain(r.stderr.lines())
        .filter(|l| l.starts_with('{'))
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect();
    (ds, r)
}

/// Exit 0 or 1, no panic, every diagnostic French with its file and line.
fn assert_well_formed(r: &Run) {
    assert!(r.code == 0 || r.code == 1, "exit {}:\n{}", r.code, r.stderr);
    assert!(!r.stderr.contains("panicked"), "{}", r.stderr);
    for l in r.stdout.lines().chain(r.stderr.lines()) {
        let Ok(d) = serde_json::from_str::<Diag>(l) else {
            continue;
        };
        assert_french(&d);
    }
}

fn assert_french(d: &Diag) {
    let text = format!("{} {}", d.message, d.suggestion.as_deref().unwrap_or(""));
    for w in ENGLISH {
        let hit = text
            .split(|c: char| !c.is_alphanumeric() && c != ' ')
            .any(|part| format!(" {part} ").contains(&format!(" {w} ")));
        assert!(!hit, "English « {w} » in {d:?}");
    }
    assert!(d.file.starts_with("content/"), "{d:?}");
    assert!(
        d.line > 0 || d.message.contains("dossier"),
        "no line: {d:?}"
    );
}

/// The error about `file` whose message holds `needle`.
fn find<'a>(ds: &'a [Diag], file: &str, needle: &str) -> &'a Diag {
    ds.iter()
        .find(|d| d.file == format!("content/{file}") && d.message.contains(needle))
        .unwrap_or_else(|| panic!("no « {needle} » for {file} in {ds:#?}"))
}

const ARTICLE: &str = "lettres/2025-09/test.md";
const INDEX: &str = "lettres/2025-09/_index.md";
const GOOD_INDEX: &str = "---\ntitle: Septembre & Octobre 2025\nnumber: 2\ndate: 2025-09-10\nperiod:\n  from: 2025-09-01\n  to: 2025-10-31\n---\n";

#[test]
fn tab_in_a_nested_block_is_named_on_its_line() {
    let index = GOOD_INDEX.replace("  from:", "\tfrom:");
    let (ds, r) = check_json(&[(INDEX, &index)]);
    assert_eq!(r.code, 1);
    let d = find(&ds, INDEX, "tabulation");
    assert_eq!((d.line, d.column), (6, 1), "{d:?}");
    assert!(
        d.suggestion.as_deref().unwrap().contains("espaces"),
        "{d:?}"
    );
}

#[test]
fn invisible_space_after_a_colon_is_named_on_its_line() {
    let (ds, _) = check_json(&[(
        ARTICLE,
        "---\ntitle: Titre\nsection:\u{a0}geographique\nsummary: Un résumé\n---\nTexte.\n",
    )]);
    let d = find(&ds, ARTICLE, "U+00A0");
    assert_eq!((d.line, d.column), (3, 9), "{d:?}");
    assert!(
        d.suggestion
            .as_deref()
            .unwrap()
            .contains("section: geographique"),
        "{d:?}"
    );
}

#[test]
fn unclosed_quote_is_reported_on_the_line_that_opens_it() {
    let (ds, _) = check_json(&[(
        ARTICLE,
        "---\ntitle: \"Réunion des maires\nsection: geographique\nsummary: \"Bilan\"\n---\nTexte.\n",
    )]);
    let d = find(&ds, ARTICLE, "jamais fermé");
    assert_eq!((d.line, d.column), (2, 8), "{d:?}");
    let (ds, _) = check_json(&[(
        ARTICLE,
        "---\ntitle: Titre\nthemes: [eau\nsection: geographique\n---\nTexte.\n",
    )]);
    let d = find(&ds, ARTICLE, "« [ »");
    assert_eq!((d.line, d.column), (3, 9), "{d:?}");
}

#[test]
fn word_quotes_are_refused_with_or_without_a_colon() {
    let site = TempSite::fixture("core-minimal");
    site.write(
        ARTICLE,
        "---\ntitle: “Réunion : bilan”\nsection: geographique\nsummary: x\n---\nTexte.\n",
    );
    site.write(
        "lettres/2025-09/deux.md",
        "---\ntitle: “Réunion”\nsection: geographique\nsummary: x\n---\nTexte.\n",
    );
    let (ds, _) = json_of(&site);
    let d = find(&ds, ARTICLE, "guillemets");
    assert_eq!((d.line, d.column), (2, 8), "{d:?}");
    assert!(
        d.suggestion
            .as_deref()
            .unwrap()
            .contains("title: \"Réunion : bilan\""),
        "{d:?}"
    );
    let d = find(&ds, "lettres/2025-09/deux.md", "guillemets");
    assert!(
        d.suggestion
            .as_deref()
            .unwrap()
            .contains("title: \"Réunion\""),
        "{d:?}"
    );
    // Never published with the quotes as part of the title.
    let r = site.build(&[]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        !site
            .path()
            .join("public/lettres/2025-09/deux/index.html")
            .exists()
    );
}

#[test]
fn duplicate_keys_and_a_list_where_a_value_is_expected() {
    let (ds, _) = check_json(&[
        (
            ARTICLE,
            "---\ntitle: Titre\nsection: geographique\ntitle: Autre\n---\nTexte.\n",
        ),
        (
            "lettres/2025-09/deux.md",
            "---\ntitle: Bilan\n- premier point\nsection: geographique\n---\nTexte.\n",
        ),
    ]);
    let d = find(&ds, ARTICLE, "deux fois");
    assert_eq!((d.line, d.column), (4, 1), "{d:?}");
    assert!(d.message.contains("ligne 2"), "{d:?}");
    let d = find(&ds, "lettres/2025-09/deux.md", "tiret");
    assert_eq!((d.line, d.column), (3, 1), "{d:?}");
}

#[test]
fn remaining_parser_errors_are_french_by_kind() {
    for (yaml, line) in [
        ("title: x\nsection: geographique\n  weight: 3\n", 3),
        ("title: x\nsection: [geographique, {a: ]\n", 3),
        ("title: x\nsection: geographique\nthemes: [eau]]\n", 4),
        ("title: >x\nsection: geographique\n", 2),
    ] {
        let (ds, r) = check_json(&[(ARTICLE, &format!("---\n{yaml}---\nTexte.\n"))]);
        assert_eq!(r.code, 1, "{yaml}");
        let d = ds
            .iter()
            .find(|d| d.file.ends_with(ARTICLE) && d.severity == "error")
            .unwrap_or_else(|| panic!("{yaml}: {ds:#?}"));
        assert!(d.line >= 2 && d.line <= line + 1, "{yaml}: {d:?}");
        assert!(d.suggestion.is_some(), "{yaml}: {d:?}");
    }
}

#[test]
fn a_mistake_in_an_issue_index_does_not_hide_the_articles_mistakes() {
    let index = GOOD_INDEX.replace("  from:", "\tfrom:");
    let (ds, _) = check_json(&[
        (INDEX, &index),
        (
            ARTICLE,
            "---\ntitle: Titre\nsection: geografique\nsummary: x\n---\nTexte.\n",
        ),
    ]);
    find(&ds, INDEX, "tabulation");
    let d = find(&ds, ARTICLE, "geografique");
    assert_eq!(d.line, 3, "{d:?}");
}

#[test]
fn a_mistake_in_one_key_does_not_hide_the_other_keys() {
    let (ds, _) = check_json(&[(
        ARTICLE,
        "---\ntitle: Titre\nsection: geografique\ndraft: peut-être\ngroup: madagscar\nweight: lourd\nsummary: x\n---\nVoir [ici](absent.md).\n",
    )]);
    find(&ds, ARTICLE, "`draft`");
    find(&ds, ARTICLE, "`weight`");
    find(&ds, ARTICLE, "geografique");
    find(&ds, ARTICLE, "madagscar");
    find(&ds, ARTICLE, "absent.md");
}

#[test]
fn where_checks_cannot_run_the_report_says_which_and_why() {
    let index = "---\ntitle: Septembre\nnumber: 2\ndate: 2025-09-10\n---\n";
    let (ds, _) = check_json(&[
        (INDEX, index),
        (
            ARTICLE,
            "---\ntitle: Titre\nsection: geografique\nsummary: x\n---\nTexte.\n",
        ),
    ]);
    find(&ds, INDEX, "`period` manque");
    let w = find(&ds, INDEX, "n'ont pas été vérifiés");
    assert_eq!(w.severity, "warning");
    assert!(w.message.contains("articles"), "{w:?}");
}

#[test]
fn multi_document_alias_and_control_characters_are_french() {
    let site = TempSite::fixture("core-minimal");
    let yaml = std::fs::read_to_string(site.path().join("content/site.yaml")).unwrap();
    site.write("site.yaml", &format!("{yaml}---\ntitle: Autre\n"));
    site.write(
        ARTICLE,
        "---\ntitle: a\u{1}b\nsection: geographique\nsummary: x\n---\nTexte.\n",
    );
    site.write(
        "lettres/2025-09/alias.md",
        "---\ntitle: &t Titre\nsection: geographique\nsummary: *t\n---\nTexte.\n",
    );
    let (ds, r) = json_of(&site);
    assert_eq!(r.code, 1);
    let d = find(&ds, "site.yaml", "« --- »");
    assert!(d.line > 1, "{d:?}");
    let d = find(&ds, ARTICLE, "U+0001");
    assert_eq!((d.line, d.column), (2, 9), "{d:?}");
    find(&ds, "lettres/2025-09/alias.md", "alias");
}

#[test]
fn binary_file_with_md_extension_is_named() {
    let site = TempSite::fixture("core-minimal");
    let png = std::fs::read(site.path().join("content/lettres/2025-09/images/photo.png")).unwrap();
    std::fs::write(site.path().join("content").join(ARTICLE), png).unwrap();
    let (ds, r) = json_of(&site);
    assert_eq!(r.code, 1);
    let d = ds
        .iter()
        .find(|d| d.file.ends_with(ARTICLE))
        .unwrap_or_else(|| panic!("{ds:#?}"));
    assert!(
        d.message.contains("UTF-8") || d.message.contains("binaire"),
        "{d:?}"
    );
}

#[test]
fn a_file_name_that_is_not_utf8_is_named() {
    use std::os::unix::ffi::OsStrExt;
    let site = TempSite::fixture("core-minimal");
    let name = std::ffi::OsStr::from_bytes(b"photo-\xe9t\xe9.jpg");
    let dir = site.path().join("content/lettres/2025-09");
    std::fs::write(dir.join(name), b"x").unwrap();
    let r = site.check();
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(!r.stderr.contains("No such file"), "{}", r.stderr);
    assert!(
        r.stderr.contains("content/lettres/2025-09/photo-") && r.stderr.contains("UTF-8"),
        "{}",
        r.stderr
    );
}

#[test]
fn a_one_line_list_of_many_quoted_items_stays_within_memory() {
    let site = TempSite::fixture("core-minimal");
    let items = vec!["\"eau\""; 60_000].join(", ");
    site.write(
        ARTICLE,
        &format!(
            "---\ntitle: Titre\nsection: geographique\nsummary: x\nthemes: [{items}]\n---\nTexte.\n"
        ),
    );
    // Reserving the rest of the line per item took about 14 GB here.
    let r = run_bounded(
        site.path(),
        &["check", "--today", SAMPLE_TODAY],
        Duration::from_secs(120),
        Some(6_000_000),
    )
    .expect("check finished");
    assert_eq!(r.code, 0, "{}", r.stderr);
}

#[test]
fn brackets_nested_deep_are_refused_in_linear_time() {
    let site = TempSite::fixture("core-minimal");
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    site.write(
        ARTICLE,
        &format!("---\ntitle: {deep}\nsection: geographique\n---\nTexte.\n"),
    );
    let r = run_bounded(
        site.path(),
        &["check", "--today", SAMPLE_TODAY, "--format", "json"],
        Duration::from_secs(20),
        None,
    )
    .expect("check finished in 20 s");
    assert_eq!(r.code, 1);
    assert_well_formed(&r);
    assert!(r.stdout.contains("imbriqués") || r.stderr.contains("imbriqués"));
}

#[test]
fn a_very_long_broken_link_is_checked_in_linear_time() {
    let long = "a".repeat(300_000);
    // A site path (checked in the built pages) and a file link (checked
    // against the content): both suggest the closest pages.
    for body in [
        format!("Voir [ici](/lettres/2025-09/{long}/)."),
        format!("Voir [là]({long}.md)."),
    ] {
        let site = TempSite::fixture("core-minimal");
        site.write(
            ARTICLE,
            &format!("---\ntitle: Titre\nsection: geographique\nsummary: x\n---\n{body}\n"),
        );
        // Over 120 s before the suggestions skipped paths far apart in length.
        let r = run_bounded(
            site.path(),
            &["build", "--today", SAMPLE_TODAY],
            Duration::from_secs(30),
            None,
        )
        .expect("build finished in 30 s");
        assert_eq!(r.code, 1, "{}", &r.stderr[..r.stderr.len().min(2000)]);
        assert!(r.stderr.contains("test.md:6:"), "{}", &r.stderr[..2000]);
        // The report quotes the link shortened, not 300,000 characters.
        assert!(
            r.stderr.len() < 20_000,
            "{} bytes of report",
            r.stderr.len()
        );
    }
}

#[test]
fn a_site_title_with_a_line_break_is_an_error_not_a_crash() {
    let site = TempSite::fixture("core-minimal");
    let yaml = std::fs::read_to_string(site.path().join("content/site.yaml")).unwrap();
    let title = yaml.lines().find(|l| l.starts_with("title:")).unwrap();
    for bad in [
        "title: \"Cités\\nUnies France\"",
        "title: |\n  Cités\n  Unies France",
    ] {
        site.write("site.yaml", &yaml.replace(title, bad));
        // It made check and build exit 101 (the e-mail sender's name).
        for args in [
            &["check", "--today", SAMPLE_TODAY][..],
            &["build", "--today", SAMPLE_TODAY],
        ] {
            let r = common::run_in(site.path(), args);
            assert_eq!(r.code, 1, "{bad}: {}", r.stderr);
            assert!(!r.stderr.contains("panicked"), "{}", r.stderr);
            assert!(
                r.stderr
                    .contains("content/site.yaml:1:1 : `title` contient un saut de ligne"),
                "{}",
                r.stderr
            );
        }
    }
}

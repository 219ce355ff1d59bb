//! Snapshot tests, as mdBook's: every fixture site through the real
//! binary, its diagnostics (what a writer reads) and, for the sites that
//! build, the list of files it publishes, compared with the snapshots in
//! `tests/snapshots/`. A change in wording, line numbers or the published
//! tree shows as a diff; when it is intended, accept it with
//! `INSTA_UPDATE=always cargo test --test snapshots` and review the diff.

mod common;

use std::path::Path;

use common::{SAMPLE_TODAY, TempSite, run_in};

/// Every fixture under `tests/fixtures/`.
fn fixtures() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(common::project_root().join("tests/fixtures"))
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.path().join("content").is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// The run's stderr with what varies between runs (durations, the
/// temporary folder) replaced.
fn stable(stderr: &str, root: &Path) -> String {
    let root = root.display().to_string();
    stderr
        .replace(&root, "[site]")
        .lines()
        .map(|l| match l.rfind(" ms") {
            Some(end) => {
                let start = l[..end]
                    .rfind(|c: char| !c.is_ascii_digit())
                    .map_or(0, |i| i + 1);
                format!("{}[durée]{}", &l[..start], &l[end + 3..])
            }
            None => l.to_string(),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Published files, sorted, without cufpress's own bookkeeping.
fn published(public: &Path) -> String {
    let mut files = Vec::new();
    for entry in walkdir::WalkDir::new(public).sort_by_file_name() {
        let entry = entry.unwrap();
        if entry.file_type().is_file() {
            let rel = entry.path().strip_prefix(public).unwrap();
            let rel = rel.to_string_lossy().replace('\\', "/");
            if !rel.starts_with(".cufpress") && !rel.starts_with(".public") {
                files.push(rel);
            }
        }
    }
    files.join("\n")
}

#[test]
fn every_fixture_says_the_same_to_its_writer() {
    let mut settings = insta::Settings::clone_current();
    settings.set_prepend_module_to_snapshot(false);
    settings.set_omit_expression(true);
    settings.bind(|| {
        for name in fixtures() {
            let site = TempSite::fixture(&name);
            let check = run_in(site.path(), &["check", "--today", SAMPLE_TODAY]);
            let text = format!(
                "code de sortie : {}\n{}",
                check.code,
                stable(&check.stderr, site.path())
            );
            insta::assert_snapshot!(format!("diagnostics-{name}"), text);
            if check.code == 0 {
                let build = run_in(site.path(), &["build", "--today", SAMPLE_TODAY]);
                assert_eq!(build.code, 0, "{name}: {}", build.stderr);
                insta::assert_snapshot!(
                    format!("publies-{name}"),
                    published(&site.path().join("public"))
                );
            }
        }
    });
}

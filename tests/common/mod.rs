//! Helpers shared by the whole-site tests: run the real binary on a site,
//! copy fixture sites, parse the produced HTML.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The date the sample site is built against in tests.
pub const SAMPLE_TODAY: &str = "2025-09-10";

/// The project's root folder.
pub fn project_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The real `cufpress` binary.
pub fn cufpress() -> Command {
    Command::new(env!("CARGO_BIN_EXE_cufpress"))
}

/// Result of running the binary.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl From<Output> for Run {
    fn from(o: Output) -> Self {
        Run {
            code: o.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
        }
    }
}

/// Runs `cufpress ARGS` in `dir`.
pub fn run_in(dir: &Path, args: &[&str]) -> Run {
    cufpress()
        .current_dir(dir)
        .args(args)
        .output()
        .expect("run cufpress")
        .into()
}

/// Copies a folder recursively (fixtures are small).
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let dest = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &dest);
        } else {
            std::fs::copy(entry.path(), dest).unwrap();
        }
    }
}

/// The image cache of the sample site, made once per `target/` by a real
/// build and shared by every test that copies the sample site, so its
/// multi-megabyte photos are encoded once for the whole suite rather than
/// once per test. Entries are keyed by a hash of the image and never
/// changed once written, so a stale entry is only never read.
pub fn sample_image_cache() -> &'static Path {
    static SEED: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    SEED.get_or_init(|| {
        let base = Path::new(env!("CARGO_TARGET_TMPDIR"));
        let seed = base.join("sample-image-cache");
        if seed.join("complete").is_file() {
            return seed;
        }
        // Built beside the seed (same file system), then renamed into
        // place: a concurrent test binary either sees it whole or not.
        let work = tempfile::tempdir_in(base).unwrap();
        copy_dir(
            &project_root().join("content"),
            &work.path().join("content"),
        );
        copy_dir(&project_root().join("themes"), &work.path().join("themes"));
        let run = run_in(
            work.path(),
            &["build", "--today", SAMPLE_TODAY, "--sans-pdf"],
        );
        assert_eq!(run.code, 0, "{}", run.stderr);
        let built = work.path().join(".cufpress-cache/images");
        let _ = std::fs::remove_file(built.join("sources.tsv"));
        std::fs::write(built.join("complete"), "").unwrap();
        if std::fs::rename(&built, &seed).is_err() && !seed.join("complete").is_file() {
            panic!(
                "cache d'images partagé : impossible de créer {}",
                seed.display()
            );
        }
        seed
    })
}

/// Mirrors the files of `from` into `to` as hard links (copies where links
/// are refused), leaving out the seed's `complete` marker.
pub fn link_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let dest = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            link_tree(&entry.path(), &dest);
        } else if entry.file_name() != "complete"
            && std::fs::hard_link(entry.path(), &dest).is_err()
        {
            std::fs::copy(entry.path(), dest).unwrap();
        }
    }
}

/// A temporary site: the project's `themes/` plus the given `content/`.
pub struct TempSite {
    pub dir: tempfile::TempDir,
}

impl TempSite {
    /// A copy of the sample site (content and theme), with the image cache
    /// of the sample's photos already filled (see [`sample_image_cache`]).
    ///
    /// `CUFPRESS_TEST_OWN_IMAGES=1` leaves the cache out (each test encodes
    /// the photos again, as before the cache was shared): only to measure
    /// what sharing saves.
    pub fn sample() -> Self {
        let site = Self::with_content(&project_root().join("content"));
        if std::env::var_os("CUFPRESS_TEST_OWN_IMAGES").is_some() {
            return site;
        }
        link_tree(
            sample_image_cache(),
            &site.path().join(".cufpress-cache/images"),
        );
        site
    }

    /// A site made of the fixture `tests/fixtures/NAME/content` and the project theme.
    pub fn fixture(name: &str) -> Self {
        Self::with_content(
            &project_root()
                .join("tests/fixtures")
                .join(name)
                .join("content"),
        )
    }

    /// A site with `content` copied in.
    pub fn with_content(content: &Path) -> Self {
        let dir = tempfile::tempdir().unwrap();
        copy_dir(content, &dir.path().join("content"));
        copy_dir(&project_root().join("themes"), &dir.path().join("themes"));
        TempSite { dir }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Writes (or overwrites) `content/REL`.
    pub fn write(&self, rel: &str, text: &str) {
        let p = self.path().join("content").join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }

    /// `cufpress build --today SAMPLE_TODAY --sans-pdf EXTRA…` in this
    /// site: typesetting the PDFs in every test build would slow the whole
    /// suite; tests/pdf.rs builds them with [`TempSite::build_with_pdf`].
    pub fn build(&self, extra: &[&str]) -> Run {
        let mut args = vec!["build", "--today", SAMPLE_TODAY, "--sans-pdf"];
        args.extend_from_slice(extra);
        run_in(self.path(), &args)
    }

    /// `cufpress build --today SAMPLE_TODAY EXTRA…`, PDFs included.
    pub fn build_with_pdf(&self, extra: &[&str]) -> Run {
        let mut args = vec!["build", "--today", SAMPLE_TODAY];
        args.extend_from_slice(extra);
        run_in(self.path(), &args)
    }

    /// `cufpress check --today SAMPLE_TODAY`.
    pub fn check(&self) -> Run {
        run_in(self.path(), &["check", "--today", SAMPLE_TODAY])
    }

    /// Reads `public/REL` as text.
    pub fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.path().join("public").join(rel))
            .unwrap_or_else(|e| panic!("public/{rel}: {e}"))
    }

    /// Parses `public/REL` as an HTML document.
    pub fn html(&self, rel: &str) -> scraper::Html {
        scraper::Html::parse_document(&self.read(rel))
    }
}

/// All elements matching `css`.
pub fn select<'a>(doc: &'a scraper::Html, css: &str) -> Vec<scraper::ElementRef<'a>> {
    let sel = scraper::Selector::parse(css).unwrap_or_else(|e| panic!("selector {css}: {e:?}"));
    doc.select(&sel).collect()
}

/// The text of an element, whitespace collapsed.
pub fn text(el: &scraper::ElementRef<'_>) -> String {
    el.text()
        .collect::<Vec<_>>()
        .join("")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Node and the browser-test packages, or a clear reason why not.
pub fn node_tools() -> PathBuf {
    let dir = project_root().join("tests/browser");
    assert!(
        dir.join("node_modules/playwright-core").is_dir(),
        "outils de test absents : lancez `bash scripts/setup-test-tools.sh` (installe chromium et les paquets npm)"
    );
    dir
}

/// Runs `node tests/browser/SCRIPT ARGS…` and parses the JSON it prints;
/// a failing script fails the test with its output.
pub fn node_json(script: &str, args: &[&str]) -> serde_json::Value {
    let dir = node_tools();
    let out = std::process::Command::new("node")
        .arg(dir.join(script))
        .args(args)
        .current_dir(&dir)
        .output()
        .expect("node");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{script} : {}\n{stdout}",
        String::from_utf8_lossy(&out.stderr)
    );
    // The report is the whole output, or its last line after the
    // script's progress lines.
    let text = stdout.trim();
    serde_json::from_str(text)
        .or_else(|_| serde_json::from_str(text.lines().last().unwrap_or("")))
        .unwrap_or_else(|e| panic!("{script} : {e} : {stdout}"))
}

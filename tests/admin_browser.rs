//! The back-office in a real browser (#14): Debian's Chromium driven by
//! playwright-core, Decap CMS and decap-server from npm (pinned in
//! tests/browser/package.json), no network. On the `admin-site` fixture:
//!
//! - every content file opened and saved through the CMS builds a site
//!   identical, byte for byte, to the one built from the hand-written files;
//! - an issue, an article with an uploaded photo, an event over two months
//!   and a partnership created through the forms, and an existing article
//!   edited, pass `cufpress check` and show on the built pages;
//! - wrong entries are refused with the French messages.
//!
//! Screenshots of the forms go to `target/admin-screenshots/`.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use common::{TempSite, node_json, node_tools, project_root};

/// One browser at a time: three Chromiums with a 5 MB CMS bundle each on a
/// 2-core machine made page loads miss their timeouts.
static ONE_BROWSER: std::sync::Mutex<()> = std::sync::Mutex::new(());

fn node(args: &[&str]) -> serde_json::Value {
    let _one = ONE_BROWSER.lock().unwrap_or_else(|e| e.into_inner());
    let dir = node_tools();
    assert!(
        dir.join("node_modules/decap-cms/dist/decap-cms.js")
            .is_file(),
        "decap-cms absent : lancez `bash scripts/setup-test-tools.sh`"
    );
    node_json("admin.mjs", args)
}

fn shots() -> PathBuf {
    project_root().join("target/admin-screenshots")
}

/// Every file under `dir`, relative, sorted, with its bytes.
fn tree(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    for e in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let e = e.unwrap();
        if e.file_type().is_file() {
            let rel = e
                .path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            out.push((rel, std::fs::read(e.path()).unwrap()));
        }
    }
    out
}

/// The entries of the fixture's forms, one per content file.
fn entries(site: &TempSite) -> Vec<String> {
    let content = site.path().join("content");
    let mut out = Vec::new();
    for e in walkdir::WalkDir::new(&content).sort_by_file_name() {
        let e = e.unwrap();
        let rel = e
            .path()
            .strip_prefix(&content)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        let Some(stem) = rel.strip_suffix(".md") else {
            if rel == "site.yaml" {
                out.push("reglages/entries/site".to_string());
            }
            continue;
        };
        let parts: Vec<&str> = stem.split('/').collect();
        let entry = match parts.as_slice() {
            ["lettres", issue, name] => format!("lettre-{issue}/entries/{name}"),
            ["repertoire", dir, name] => format!("repertoire-{dir}/entries/{name}"),
            ["agenda", rest @ ..] => format!("agenda/entries/{}", rest.join("/")),
            ["programmes", name] => format!("programmes/entries/{name}"),
            ["groupes", name] => format!("groupes/entries/{name}"),
            other => panic!("fichier inattendu {other:?}"),
        };
        out.push(entry);
    }
    out
}

#[test]
fn every_file_saved_through_the_cms_builds_the_same_site() {
    let site = TempSite::fixture("admin-site");
    let r = site.build(&[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let before_content = tree(&site.path().join("content"));
    let before = tree(&site.path().join("public"));
    let list = entries(&site);
    assert!(list.len() >= 20, "{list:?}");
    let t = Instant::now();
    let report = node(&[
        "roundtrip",
        site.path().to_str().unwrap(),
        shots().to_str().unwrap(),
        &serde_json::to_string(&list).unwrap(),
    ]);
    eprintln!(
        "aller-retour de {} fichiers : {:?} ({report})",
        list.len(),
        t.elapsed()
    );
    assert_eq!(report["saved"].as_array().unwrap().len(), list.len());
    // The CMS did write the files (its YAML style differs from the
    // hand-written one: quotes, block lists, key order, comments)…
    let after_content = tree(&site.path().join("content"));
    assert_ne!(before_content, after_content, "aucun fichier réécrit");
    // Every value is kept (dates stay dates, « 1er », quotes, multi-line
    // summaries, lists), and every body byte for byte; only the comments
    // of a header are lost.
    let mut rewritten = 0;
    for ((name, a), (name2, b)) in before_content.iter().zip(&after_content) {
        assert_eq!(name, name2);
        if a != b {
            rewritten += 1;
        }
        let (Ok(a), Ok(b)) = (std::str::from_utf8(a), std::str::from_utf8(b)) else {
            continue;
        };
        let split = |t: &str| -> (yaml_serde::Value, String) {
            if name.ends_with(".yaml") {
                return (yaml_serde::from_str(t).unwrap(), String::new());
            }
            let rest = t.strip_prefix("---\n").unwrap_or_else(|| panic!("{name}"));
            let (front, body) = rest
                .split_once("\n---\n")
                .unwrap_or_else(|| panic!("{name}"));
            (yaml_serde::from_str(front).unwrap(), body.to_string())
        };
        if name.ends_with(".md") || name.ends_with(".yaml") {
            let (fa, ba) = split(a);
            let (fb, bb) = split(b);
            assert_eq!(fa, fb, "{name} : valeurs changées par le back-office");
            assert_eq!(ba, bb, "{name} : texte changé par le back-office");
        }
    }
    eprintln!("{rewritten} fichiers réécrits autrement par le back-office, mêmes valeurs");
    // … and the site built from them is the same, byte for byte.
    let r = site.check();
    assert_eq!(r.code, 0, "{}", r.stderr);
    let r = site.build(&[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let after = tree(&site.path().join("public"));
    let names = |t: &[(String, Vec<u8>)]| t.iter().map(|(n, _)| n.clone()).collect::<Vec<_>>();
    assert_eq!(names(&before), names(&after));
    for ((name, a), (_, b)) in before.iter().zip(&after) {
        assert!(
            a == b,
            "public/{name} diffère après l'aller-retour dans le back-office"
        );
    }
}

#[test]
fn new_content_written_in_the_forms_is_published() {
    let site = TempSite::fixture("admin-site");
    let r = site.build(&[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let t = Instant::now();
    let report = node(&[
        "create",
        site.path().to_str().unwrap(),
        shots().to_str().unwrap(),
        env!("CARGO_BIN_EXE_cufpress"),
    ]);
    eprintln!("formulaires : {:?} ({report})", t.elapsed());
    // Wrong entries were refused with the French messages.
    let refused = &report["refused"];
    let say = |k: &str| refused[k].as_str().unwrap_or("").to_lowercase();
    assert!(say("required").contains("rubrique est requis"), "{refused}");
    assert!(
        say("image_alt")
            .contains("image sans texte alternatif : image_alt est obligatoire avec image"),
        "{refused}"
    );
    assert!(
        say("date").contains("date invalide : attendu aaaa-mm-jj"),
        "{refused}"
    );
    assert!(
        say("slug").contains("nom invalide : seuls les minuscules sans accent"),
        "{refused}"
    );
    // The preview pane lays the article out with the theme's CSS.
    assert_eq!(
        report["preview"]["title"].as_str(),
        Some("Un article écrit dans le navigateur"),
        "{report}"
    );
    assert!(
        report["preview"]["stylesheets"].as_u64() >= Some(1),
        "{report}"
    );
    // What was saved is where the content model wants it.
    for f in report["saved"].as_array().unwrap() {
        let f = f.as_str().unwrap();
        assert!(site.path().join(f).is_file(), "{f}");
    }
    assert!(
        site.path()
            .join("content/lettres/2025-11/images/photo-navigateur.png")
            .is_file()
    );
    let r = site.check();
    assert_eq!(r.code, 0, "{}", r.stderr);
    let r = site.build(&[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let issue = site.read("lettres/2025-11/index.html");
    assert!(
        issue.contains("Un article écrit dans le navigateur"),
        "{issue}"
    );
    let article = site.read("lettres/2025-11/un-article-ecrit-dans-le-navigateur/index.html");
    assert!(article.contains("photo-navigateur"), "{article}");
    assert!(article.contains("alt=\"Une photo envoyée depuis le navigateur\""));
    assert!(article.contains("Texte écrit dans le navigateur"));
    let event = site.read("agenda/festival-sur-deux-mois/index.html");
    assert!(
        event.contains("Du vendredi 28 novembre au mercredi 3 décembre 2025"),
        "{event}"
    );
    let dir = site.read("repertoire/madagascar/index.html");
    assert!(dir.contains("Ville de Navigateur"));
    site.read("repertoire/madagascar/ville-de-navigateur-commune-de-toliara/index.html");
    let edited = site.read("lettres/2025-09/mada-un/index.html");
    assert!(edited.contains("premier article revu dans le navigateur"));
    for shot in [
        "nouveau-numero",
        "nouvel-article",
        "evenement",
        "partenariat",
        "refus-champ-obligatoire",
    ] {
        assert!(shots().join(format!("{shot}.png")).is_file(), "{shot}");
    }
}

fn git(dir: &Path, args: &[&str]) -> String {
    let out = Command::new("git")
        .args(args)
        .current_dir(dir)
        .envs(GIT_IDENTITY)
        .output()
        .expect("git");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

const GIT_IDENTITY: [(&str, &str); 4] = [
    ("GIT_AUTHOR_NAME", "Test"),
    ("GIT_AUTHOR_EMAIL", "test@example.org"),
    ("GIT_COMMITTER_NAME", "Test"),
    ("GIT_COMMITTER_EMAIL", "test@example.org"),
];

#[test]
fn editorial_workflow_drafts_reviews_and_publishes() {
    let site = TempSite::fixture("admin-site");
    let yaml = std::fs::read_to_string(site.path().join("content/site.yaml")).unwrap();
    site.write(
        "site.yaml",
        &format!("{yaml}admin:\n  backend: github\n  repo: cites-unies-france/site\n"),
    );
    std::fs::write(
        site.path().join(".gitignore"),
        "public/\n.public*\n.cufpress-cache/\n",
    )
    .unwrap();
    let dir = site.path();
    git(dir, &["init", "-q", "-b", "main"]);
    git(dir, &["add", "-A"]);
    git(dir, &["commit", "-q", "-m", "contenu"]);
    let r = site.build(&[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        site.read("admin/config.yml")
            .contains("publish_mode: \"editorial_workflow\"")
    );
    let t = Instant::now();
    let tools = node_tools();
    let out = Command::new("node")
        .arg(tools.join("admin.mjs"))
        .args(["workflow", dir.to_str().unwrap(), shots().to_str().unwrap()])
        .current_dir(&tools)
        .envs(GIT_IDENTITY)
        .output()
        .expect("node");
    assert!(
        out.status.success(),
        "admin.mjs : {}\n{}",
        String::from_utf8_lossy(&out.stderr),
        String::from_utf8_lossy(&out.stdout)
    );
    eprintln!("flux éditorial : {:?}", t.elapsed());
    // Published: merged into main, the draft's branch gone, the site checks.
    let file = "content/lettres/2025-09/un-brouillon-relu-avant-publication.md";
    assert!(dir.join(file).is_file());
    let log = git(dir, &["log", "--format=%s", "main"]);
    assert!(log.contains("un-brouillon-relu-avant-publication"), "{log}");
    assert!(!git(dir, &["branch"]).contains("cms/"));
    assert_eq!(git(dir, &["status", "--porcelain"]), "");
    let r = site.check();
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(site.build(&[]).code, 0);
    assert!(
        site.read("lettres/2025-09/index.html")
            .contains("Un brouillon relu avant publication")
    );
}

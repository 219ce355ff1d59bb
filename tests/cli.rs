//! Whole-site tests of the command line and of publishing: French help,
//! exit codes, `check` writing nothing, `--output`, `--base-url`,
//! `--drafts`, `new`, the failed-build-keeps-`public/` rule and
//! byte-for-byte determinism.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use common::{SAMPLE_TODAY, TempSite, cufpress, run_in, select};

/// Every file under `dir`, relative path → bytes.
fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    for e in walk(dir) {
        let rel = e
            .strip_prefix(dir)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        out.insert(rel, std::fs::read(&e).unwrap());
    }
    out
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

/// Asserts two trees hold the same files with the same bytes.
fn assert_same_tree(a: &BTreeMap<String, Vec<u8>>, b: &BTreeMap<String, Vec<u8>>) {
    let ka: Vec<&String> = a.keys().collect();
    let kb: Vec<&String> = b.keys().collect();
    assert_eq!(ka, kb, "same files");
    for (k, v) in a {
        assert!(v == &b[k], "{k} differs between the two builds");
    }
}

#[test]
fn help_is_in_french() {
    let r: common::Run = cufpress().arg("--help").output().unwrap().into();
    assert_eq!(r.code, 0);
    for want in [
        "Utilisation",
        "Commandes",
        "Construire le site",
        "Vérifier le contenu",
        "Afficher l'aide",
    ] {
        assert!(r.stdout.contains(want), "« {want} » missing:\n{}", r.stdout);
    }
    for sub in [
        vec!["build", "--help"],
        vec!["check", "--help"],
        vec!["new", "--help"],
        vec!["new", "article", "--help"],
    ] {
        let r: common::Run = cufpress().args(&sub).output().unwrap().into();
        assert_eq!(r.code, 0, "{sub:?}");
        for english in ["Usage:", "[default:", "Possible values", "Print help"] {
            assert!(
                !r.stdout.contains(english),
                "{sub:?}: English « {english} »:\n{}",
                r.stdout
            );
        }
        assert!(
            r.stdout.contains("Utilisation : cufpress"),
            "{sub:?}:\n{}",
            r.stdout
        );
        assert_eq!(
            r.stdout.matches("Options:").count(),
            1,
            "{sub:?}: one Options heading:\n{}",
            r.stdout
        );
    }
    let r: common::Run = cufpress()
        .args(["build", "--help"])
        .output()
        .unwrap()
        .into();
    for want in [
        "--output",
        "--base-url",
        "--drafts",
        "--root",
        "Dossier de sortie",
        "brouillons",
    ] {
        assert!(r.stdout.contains(want), "« {want} » missing:\n{}", r.stdout);
    }
}

#[test]
fn usage_errors_exit_2_in_french() {
    let site = TempSite::fixture("core-minimal");
    for (args, want) in [
        (
            vec!["build", "--frobnicate"],
            "option inconnue : --frobnicate",
        ),
        (vec!["fabriquer"], "commande inconnue : fabriquer"),
        (vec!["buidl"], "vouliez-vous dire « build » ?"),
        (vec!["build", "--today", "hier"], "valeur invalide"),
        (vec!["new", "article"], "argument obligatoire manquant"),
    ] {
        let r = run_in(site.path(), &args);
        assert_eq!(r.code, 2, "{args:?}: {}", r.stderr);
        assert!(
            r.stderr.contains(want),
            "{args:?}: « {want} » missing:\n{}",
            r.stderr
        );
        assert!(
            !r.stderr.contains("error:"),
            "{args:?}: English:\n{}",
            r.stderr
        );
    }
    let r = run_in(site.path(), &[]);
    assert_eq!(r.code, 2, "no command is a usage error");
    assert!(!site.path().join("public").exists());
}

#[test]
fn success_exits_0_and_content_errors_exit_1() {
    let site = TempSite::fixture("core-minimal");
    let r = site.build(&[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.contains("Site construit dans"), "{}", r.stderr);
    site.write(
        "lettres/2025-09/x.md",
        "---\ntittle: x\nsection: editorial\n---\n",
    );
    let r = site.build(&[]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.contains("Échec : 2 erreurs"), "{}", r.stderr);
    assert!(
        r.stderr.contains("Le site publié n'a pas été modifié"),
        "{}",
        r.stderr
    );
}

#[test]
fn check_writes_nothing() {
    let site = TempSite::fixture("core-minimal");
    let before = tree(site.path());
    let r = site.check();
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.contains("Contenu vérifié"), "{}", r.stderr);
    assert_same_tree(&before, &tree(site.path()));
    site.write(
        "lettres/2025-09/x.md",
        "---\ntitle: x\nsection: inconnue\n---\n",
    );
    let before = tree(site.path());
    assert_eq!(site.check().code, 1);
    assert_same_tree(&before, &tree(site.path()));
}

#[test]
fn output_and_root_options() {
    let site = TempSite::fixture("core-minimal");
    let out = tempfile::tempdir().unwrap();
    let dest = out.path().join("ailleurs/site");
    let elsewhere = tempfile::tempdir().unwrap();
    let r = run_in(
        elsewhere.path(),
        &[
            "build",
            "--today",
            common::SAMPLE_TODAY,
            "--root",
            site.path().to_str().unwrap(),
            "--output",
            dest.to_str().unwrap(),
        ],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(dest.join("index.html").is_file());
    assert!(dest.join("lettres/2025-09/index.html").is_file());
    assert!(
        !site.path().join("public").exists(),
        "--output replaces public/"
    );
    assert_eq!(
        std::fs::read_dir(elsewhere.path()).unwrap().count(),
        0,
        "nothing written in the current folder"
    );
}

/// Every internal URL of every HTML page starts with the base path.
#[test]
fn base_url_prefixes_every_internal_link() {
    let site = TempSite::fixture("core-minimal");
    let r = site.build(&["--base-url", "https://x.github.io/cuf/"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let public = site.path().join("public");
    let mut checked = 0;
    for file in walk(&public)
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "html"))
    {
        let doc = scraper::Html::parse_document(&std::fs::read_to_string(&file).unwrap());
        for el in select(&doc, "[href], [src]") {
            let url = el.value().attr("href").or(el.value().attr("src")).unwrap();
            if url.starts_with('#') || url.starts_with("mailto:") || url.starts_with("tel:") {
                continue;
            }
            if url.contains("://") {
                assert!(
                    !url.contains("x.github.io") || url.starts_with("https://x.github.io/cuf/"),
                    "{}: {url}",
                    file.display()
                );
                continue;
            }
            checked += 1;
            assert!(url.starts_with("/cuf/"), "{}: {url}", file.display());
            assert!(!url.starts_with("//"), "{}: {url}", file.display());
        }
        for el in select(&doc, "link[rel=canonical], meta[property='og:url']") {
            let url = el
                .value()
                .attr("href")
                .or(el.value().attr("content"))
                .unwrap();
            assert!(
                url.starts_with("https://x.github.io/cuf/"),
                "{}: {url}",
                file.display()
            );
        }
    }
    assert!(checked > 50, "only {checked} links checked");
    let atom = site.read("atom.xml");
    let feed = roxmltree::Document::parse(&atom).unwrap();
    for n in feed.descendants().filter(|n| n.has_tag_name("link")) {
        assert!(
            n.attribute("href")
                .unwrap()
                .starts_with("https://x.github.io/cuf/"),
            "{:?}",
            n.attribute("href")
        );
    }
    // The body link of the editorial, written `../2025-07/ancien.md`.
    let doc = site.html("lettres/2025-09/edito/index.html");
    assert!(
        select(&doc, ".prose a")
            .iter()
            .any(|a| a.value().attr("href") == Some("/cuf/lettres/2025-07/ancien/"))
    );
}

const DRAFT: &str = "lettres/2025-09/conseil-mondial-cglu-xian/index.html";

#[test]
fn drafts_only_with_the_option() {
    let site = TempSite::sample();
    assert!(
        std::fs::read_to_string(
            site.path()
                .join("content/lettres/2025-09/conseil-mondial-cglu-xian.md")
        )
        .unwrap()
        .contains("draft: true"),
        "the sample's draft article"
    );
    let r = site.build(&[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(!site.path().join("public").join(DRAFT).exists());
    let issue = site.read("lettres/2025-09/index.html");
    assert!(
        !issue.contains("conseil-mondial-cglu-xian"),
        "not linked from the issue"
    );
    assert!(
        !site
            .read("sitemap.xml")
            .contains("conseil-mondial-cglu-xian")
    );
    assert!(!site.read("atom.xml").contains("conseil-mondial-cglu-xian"));
    let r = site.build(&["--drafts"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let doc = site.html(DRAFT);
    assert!(common::text(&select(&doc, "h1")[0]).contains("Conseil mondial de CGLU"));
    let issue = site.html("lettres/2025-09/index.html");
    assert_eq!(select(&issue, "article#conseil-mondial-cglu-xian").len(), 1);
}

#[test]
fn new_scaffolds_files_that_build_and_never_overwrites() {
    let site = TempSite::sample();
    let root = site.path().to_str().unwrap();
    let cases: [(&[&str], &str); 4] = [
        (
            &["new", "lettre", "2025-11"],
            "content/lettres/2025-11/_index.md",
        ),
        (
            &[
                "new",
                "article",
                "2025-09",
                "nouvel-article",
                "--rubrique",
                "geographique",
            ],
            "content/lettres/2025-09/nouvel-article.md",
        ),
        (
            &[
                "new",
                "evenement",
                "nouvel-evenement",
                "--date",
                "2026-01-15",
            ],
            "content/agenda/2026/nouvel-evenement.md",
        ),
        (
            &["new", "partenariat", "japon", "nouveau-partenariat"],
            "content/repertoire/japon/nouveau-partenariat.md",
        ),
    ];
    for (args, rel) in &cases {
        let mut a = args.to_vec();
        a.extend(["--root", root]);
        let r = run_in(site.path(), &a);
        assert_eq!(r.code, 0, "{args:?}: {}", r.stderr);
        assert!(r.stdout.contains(rel), "{args:?}: {}", r.stdout);
        let text = std::fs::read_to_string(site.path().join(rel)).unwrap();
        assert!(text.starts_with("---\n"), "{rel}: front matter");
    }
    let r = site.check();
    assert_eq!(r.code, 0, "scaffolded files build:\n{}", r.stderr);
    let r = site.build(&["--drafts"]);
    assert_eq!(
        r.code, 0,
        "scaffolded files build with drafts:\n{}",
        r.stderr
    );
    assert!(
        site.path()
            .join("public/lettres/2025-09/nouvel-article/index.html")
            .is_file()
    );
    for (args, rel) in &cases {
        let path = site.path().join(rel);
        std::fs::write(&path, "mon texte").unwrap();
        let r = run_in(site.path(), args);
        assert_eq!(r.code, 1, "{args:?} refuses to overwrite: {}", r.stderr);
        assert!(r.stderr.contains("existe déjà"), "{}", r.stderr);
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "mon texte");
    }
    let r = run_in(site.path(), &["new", "article", "2025-09", "Mauvais Nom"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr.contains("mauvais-nom"),
        "suggests a slug: {}",
        r.stderr
    );
}

#[test]
fn failed_build_leaves_public_byte_for_byte() {
    let site = TempSite::fixture("core-minimal");
    assert_eq!(site.build(&[]).code, 0);
    let public = site.path().join("public");
    let before = tree(&public);
    assert!(before.len() > 10);
    site.write(
        "lettres/2025-09/mada-un.md",
        "---\ntitle: x\nsection: nulle-part\n---\n",
    );
    let r = site.build(&[]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert_same_tree(&before, &tree(&public));
    let leftovers: Vec<String> = std::fs::read_dir(site.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".public.nouveau"))
        .collect();
    assert!(
        leftovers.is_empty(),
        "no staging folder left: {leftovers:?}"
    );
    // A theme mistake fails the build the same way.
    let base = site.path().join("themes/cuf/templates/base.html");
    let t = std::fs::read_to_string(&base).unwrap();
    std::fs::write(
        &base,
        t.replace(
            "{% block content %}{% endblock content %}",
            "{% block content %}",
        ),
    )
    .unwrap();
    site.write(
        "lettres/2025-09/mada-un.md",
        "---\ntitle: x\nsection: geographique\n---\n",
    );
    let r = site.build(&[]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr.contains("themes/cuf/templates/base.html"),
        "{}",
        r.stderr
    );
    assert_same_tree(&before, &tree(&public));
}

#[test]
fn successful_build_replaces_stale_files() {
    let site = TempSite::fixture("core-minimal");
    assert_eq!(site.build(&[]).code, 0);
    std::fs::remove_file(site.path().join("content/lettres/2025-09/mada-trois.md")).unwrap();
    assert_eq!(site.build(&[]).code, 0);
    assert!(
        !site
            .path()
            .join("public/lettres/2025-09/mada-trois/index.html")
            .exists()
    );
}

/// Same input, same bytes: twice in one place, and from two copies in
/// different folders (no absolute path, clock or thread timing leaks in).
#[test]
fn builds_are_deterministic() {
    let a = TempSite::sample();
    let b = TempSite::sample();
    let out1 = a.path().join("un");
    let out2 = a.path().join("deux");
    for out in [&out1, &out2] {
        let r = a.build(&["--output", out.to_str().unwrap()]);
        assert_eq!(r.code, 0, "{}", r.stderr);
    }
    let first = tree(&out1);
    assert!(first.len() > 50);
    assert_same_tree(&first, &tree(&out2));
    let r = b.build(&[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_same_tree(&first, &tree(&b.path().join("public")));
    let a_path = a.path().to_string_lossy().into_owned();
    for (k, v) in &first {
        assert!(
            !String::from_utf8_lossy(v).contains(&a_path),
            "{k} holds the absolute path of the build"
        );
    }
}

/// CONTENT-MODEL.md: agenda/, programmes/ and repertoire/ are optional; a
/// site with only site.yaml, groups and letters builds.
#[test]
fn site_without_optional_folders_builds() {
    let site = TempSite::fixture("core-minimal");
    for optional in ["repertoire", "programmes"] {
        std::fs::remove_dir_all(site.path().join("content").join(optional)).unwrap();
    }
    let r = site.build(&[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        site.path()
            .join("public/lettres/2025-09/index.html")
            .is_file()
    );
}

#[test]
fn an_article_without_summary_is_a_warning_that_strict_makes_an_error() {
    let site = TempSite::fixture("core-minimal");
    let r = site.check();
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr.lines().any(|l| l
            .starts_with("avertissement : content/lettres/2025-09/edito.md:")
            && l.contains("sans résumé")),
        "{}",
        r.stderr
    );
    let strict = run_in(site.path(), &["check", "--today", SAMPLE_TODAY, "--strict"]);
    assert_eq!(strict.code, 1, "{}", strict.stderr);
}

#[test]
fn french_names_are_aliases_of_the_commands() {
    let site = TempSite::fixture("core-minimal");
    for (english, french) in [("check", "verifier"), ("build", "construire")] {
        let a = run_in(site.path(), &[english, "--today", SAMPLE_TODAY]);
        let b = run_in(site.path(), &[french, "--today", SAMPLE_TODAY]);
        assert_eq!((a.code, b.code), (0, 0), "{}\n{}", a.stderr, b.stderr);
    }
    let help: common::Run = cufpress().arg("--help").output().unwrap().into();
    for want in [
        "(aussi : construire)",
        "send-test",
        "(aussi : envoyer-test)",
        "import",
    ] {
        assert!(help.stdout.contains(want), "« {want} »:\n{}", help.stdout);
    }
    assert!(!help.stdout.contains("aliases"), "{}", help.stdout);
    for cmd in [
        "envoyer-test",
        "send-test",
        "importer-repertoire",
        "import",
        "nouveau",
    ] {
        let r: common::Run = cufpress().args([cmd, "--help"]).output().unwrap().into();
        assert_eq!(r.code, 0, "{cmd}: {}", r.stderr);
        assert!(
            r.stdout.contains("--root"),
            "{cmd} shares --root:\n{}",
            r.stdout
        );
    }
}

#[test]
fn quiet_prints_errors_only_and_verbose_the_stage_timings() {
    let site = TempSite::fixture("core-minimal");
    let normal = site.check();
    assert!(normal.stderr.contains("avertissement"), "{}", normal.stderr);
    let quiet = run_in(site.path(), &["check", "--quiet", "--today", SAMPLE_TODAY]);
    assert_eq!(quiet.code, 0);
    assert_eq!(quiet.stderr, "", "--quiet: nothing but errors");
    let verbose = run_in(site.path(), &["build", "-v", "--today", SAMPLE_TODAY]);
    assert_eq!(verbose.code, 0, "{}", verbose.stderr);
    assert!(verbose.stderr.contains("[temps]"), "{}", verbose.stderr);
    assert!(verbose.stderr.contains("images : "), "{}", verbose.stderr);
    assert!(!normal.stderr.contains("[temps]"));
    let both = run_in(site.path(), &["check", "-q", "-v"]);
    assert_eq!(both.code, 2, "{}", both.stderr);
    // Errors still show under --quiet.
    site.write("lettres/2025-09/edito.md", "---\ntittle: x\n---\n");
    let failed = run_in(site.path(), &["check", "-q", "--today", SAMPLE_TODAY]);
    assert_eq!(failed.code, 1);
    assert!(
        failed
            .stderr
            .contains("erreur : content/lettres/2025-09/edito.md"),
        "{}",
        failed.stderr
    );
}

#[test]
fn colours_only_when_asked_and_never_with_no_color() {
    let site = TempSite::fixture("core-minimal");
    let run = |env: &[(&str, &str)]| -> String {
        let mut c = cufpress();
        c.current_dir(site.path())
            .args(["check", "--today", SAMPLE_TODAY])
            .env_remove("NO_COLOR")
            .env_remove("CLICOLOR_FORCE");
        for (k, v) in env {
            c.env(k, v);
        }
        let r: common::Run = c.output().unwrap().into();
        r.stderr
    };
    // Piped (as here): plain text.
    assert!(!run(&[]).contains('\u{1b}'));
    // Forced, as a terminal would get it: the labels in colour.
    let forced = run(&[("CLICOLOR_FORCE", "1")]);
    assert!(
        forced.contains("\u{1b}[") && forced.contains("avertissement"),
        "{forced:?}"
    );
    // NO_COLOR wins over everything.
    let none = run(&[("CLICOLOR_FORCE", "1"), ("NO_COLOR", "1")]);
    assert!(!none.contains('\u{1b}'), "{none:?}");
}

#[test]
fn completions_and_man_page_come_from_the_command_line() {
    let bash: common::Run = cufpress()
        .args(["completions", "bash"])
        .output()
        .unwrap()
        .into();
    assert_eq!(bash.code, 0, "{}", bash.stderr);
    for want in ["_cufpress()", "send-test", "--drafts", "--sans-recherche"] {
        assert!(
            bash.stdout.contains(want),
            "« {want} » missing from the bash script"
        );
    }
    for shell in ["zsh", "fish"] {
        let r: common::Run = cufpress()
            .args(["completions", shell])
            .output()
            .unwrap()
            .into();
        assert_eq!(r.code, 0, "{shell}");
        assert!(r.stdout.contains("cufpress"), "{shell}");
    }
    let bad: common::Run = cufpress()
        .args(["completions", "cmd"])
        .output()
        .unwrap()
        .into();
    assert_eq!(bad.code, 2);
    assert!(bad.stderr.contains("valeur invalide"), "{}", bad.stderr);
    let man: common::Run = cufpress().arg("man").output().unwrap().into();
    assert_eq!(man.code, 0, "{}", man.stderr);
    assert!(
        man.stdout.starts_with(".ie") || man.stdout.contains(".TH cufpress"),
        "{}",
        &man.stdout[..200.min(man.stdout.len())]
    );
    assert!(man.stdout.contains("Construire le site"));
    let dir = tempfile::tempdir().unwrap();
    let pages = dir.path().join("man");
    let r: common::Run = cufpress()
        .args(["man", "--dossier", pages.to_str().unwrap()])
        .output()
        .unwrap()
        .into();
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(pages.join("cufpress.1").is_file());
    assert!(pages.join("cufpress-build.1").is_file());
}

/// `cmd` run on a pseudo-terminal (util-linux `script`), as in a writer's
/// terminal window; returns everything the terminal received.
fn on_a_terminal(dir: &Path, cmd: &str, env: &[(&str, &str)]) -> String {
    let mut c = std::process::Command::new("script");
    c.current_dir(dir)
        .args(["-qec", cmd, "/dev/null"])
        .env_remove("NO_COLOR")
        .env_remove("CLICOLOR_FORCE");
    for (k, v) in env {
        c.env(k, v);
    }
    let out = c
        .output()
        .expect("script (util-linux) is needed for this test");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn on_a_terminal_images_and_pdfs_show_a_progress_bar_and_labels_a_colour() {
    let site = TempSite::fixture("core-minimal");
    let photo = common::project_root().join("content/lettres/2025-09/images");
    let some = std::fs::read_dir(&photo)
        .unwrap()
        .filter_map(|e| e.ok())
        .find(|e| e.path().extension().is_some_and(|x| x == "jpg"))
        .unwrap();
    std::fs::copy(
        some.path(),
        site.path().join("content/lettres/2025-09/images/photo.jpg"),
    )
    .unwrap();
    site.write(
        "lettres/2025-09/photo.md",
        "---\ntitle: Une photo\nsection: thematique\nsummary: Un résumé.\nimage: images/photo.jpg\nimage_alt: Une photo\n---\nTexte.\n",
    );
    let bin = env!("CARGO_BIN_EXE_cufpress");
    let tty = on_a_terminal(
        site.path(),
        &format!("{bin} build --today {SAMPLE_TODAY}"),
        &[],
    );
    assert!(tty.contains("Images ["), "no progress bar:\n{tty}");
    assert!(
        tty.contains("PDF ["),
        "no progress bar for the PDFs:\n{tty}"
    );
    assert!(tty.contains("\u{1b}[2K"), "the bar is cleared when done");
    assert!(
        tty.contains("\u{1b}[33m") || tty.contains("\u{1b}[1m"),
        "labels in colour:\n{tty:?}"
    );
    assert!(tty.contains("Site construit"));
    let plain = on_a_terminal(
        site.path(),
        &format!("{bin} check --today {SAMPLE_TODAY}"),
        &[("NO_COLOR", "1")],
    );
    assert!(plain.contains("avertissement :"), "{plain}");
    assert!(
        !plain.contains("\u{1b}[1m") && !plain.contains("\u{1b}[33m"),
        "{plain:?}"
    );
    let quiet = on_a_terminal(
        site.path(),
        &format!("rm -rf .cufpress-cache && {bin} build -q --today {SAMPLE_TODAY}"),
        &[],
    );
    assert!(
        !quiet.contains("Images ["),
        "--quiet draws no bar:\n{quiet}"
    );
}

//! Publishing from CI: diagnostic formats (`--format json|github`),
//! `--strict`, the offline link check, reproducible builds, the embedded
//! theme of an installed binary, and the commands of the CI recipes in
//! `docs/ci/` run against the sample site so a recipe cannot rot silently.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use common::{Run, SAMPLE_TODAY, TempSite, project_root, run_in, select};

/// Every line of a `--format json` stdout, parsed.
fn json_lines(run: &Run) -> Vec<serde_json::Value> {
    run.stdout
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("ligne non JSON ({e}) : {l}")))
        .collect()
}

fn find<'a>(ds: &'a [serde_json::Value], needle: &str) -> &'a serde_json::Value {
    ds.iter()
        .find(|d| d["message"].as_str().unwrap_or("").contains(needle))
        .unwrap_or_else(|| panic!("aucun diagnostic ne contient « {needle} » : {ds:#?}"))
}

/// The sample plus an article that only warns (`image_alt` without `image`).
fn sample_with_warning() -> TempSite {
    let site = TempSite::sample();
    site.write(
        "lettres/2025-09/zz-avertissement.md",
        "---\ntitle: Un article presque propre\nsection: informations\nsummary: Il ne manque rien.\nimage_alt: Une photo oubliée\n---\nRien à signaler.\n",
    );
    site
}

#[test]
fn json_format_gives_one_object_per_diagnostic_and_line() {
    let site = TempSite::fixture("publish-links");
    let run = run_in(
        site.path(),
        &["check", "--today", SAMPLE_TODAY, "--format", "json"],
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    let ds = json_lines(&run);
    assert!(!ds.is_empty());
    for d in &ds {
        let keys: Vec<&str> = d.as_object().unwrap().keys().map(String::as_str).collect();
        assert_eq!(
            keys,
            [
                "column",
                "file",
                "line",
                "message",
                "severity",
                "suggestion"
            ],
            "{d}"
        );
        assert!(["error", "warning"].contains(&d["severity"].as_str().unwrap()));
    }
    let broken = find(&ds, "« /lettres/2025-09/disparue/ »");
    assert_eq!(broken["severity"], "error");
    assert_eq!(broken["file"], "content/lettres/2025-09/edito.md");
    assert_eq!(
        (broken["line"].as_u64(), broken["column"].as_u64()),
        (Some(8), Some(25))
    );
    assert!(
        broken["suggestion"]
            .as_str()
            .unwrap()
            .contains("/lettres/2025-09/")
    );
    assert!(run.stderr.contains("Échec"), "the summary stays on stderr");
}

#[test]
fn github_format_annotates_the_line_with_escaped_commands() {
    let site = TempSite::fixture("publish-links");
    let run = run_in(
        site.path(),
        &["check", "--today", SAMPLE_TODAY, "--format", "github"],
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert!(
        lines
            .iter()
            .all(|l| l.starts_with("::error ") || l.starts_with("::warning ")),
        "{}",
        run.stdout
    );
    let broken = lines
        .iter()
        .find(|l| l.contains("disparue"))
        .expect("annotation du lien cassé");
    assert!(
        broken.starts_with("::error file=content/lettres/2025-09/edito.md,line=8,col=25,title=cufpress::lien interne cassé : « /lettres/2025-09/disparue/ »"),
        "{broken}"
    );
    assert!(
        broken.contains("%0Aaide : "),
        "the suggestion follows on its own line: {broken}"
    );
    assert!(!broken.contains('\n') && !broken.contains('\r'));

    // Run from the repository root with the site in a sub-folder: paths stay
    // relative to the repository, as GitHub expects.
    let name = site.path().file_name().unwrap().to_str().unwrap();
    let parent = site.path().parent().unwrap();
    let run = run_in(
        parent,
        &[
            "check",
            "--root",
            name,
            "--today",
            SAMPLE_TODAY,
            "--format",
            "github",
        ],
    );
    let prefix = format!("::error file={name}/content/lettres/2025-09/edito.md,line=8,col=25,");
    assert!(
        run.stdout.lines().any(|l| l.starts_with(&prefix)),
        "{}",
        run.stdout
    );
}

#[test]
fn strict_turns_warnings_into_errors_in_check_and_build() {
    let site = sample_with_warning();
    let relaxed = site.check();
    assert_eq!(relaxed.code, 0, "{}", relaxed.stderr);
    assert!(
        relaxed
            .stderr
            .contains("avertissement : content/lettres/2025-09/zz-avertissement.md"),
        "{}",
        relaxed.stderr
    );

    let strict = run_in(
        site.path(),
        &[
            "check",
            "--today",
            SAMPLE_TODAY,
            "--strict",
            "--format",
            "json",
        ],
    );
    assert_eq!(strict.code, 1, "{}", strict.stderr);
    let ds = json_lines(&strict);
    let d = find(&ds, "image_alt sans image");
    assert_eq!(d["severity"], "error");
    assert!(ds.iter().all(|d| d["severity"] == "error"));

    let build = site.build(&["--strict"]);
    assert_eq!(build.code, 1, "{}", build.stderr);
    assert!(
        build
            .stderr
            .contains("erreur : content/lettres/2025-09/zz-avertissement.md"),
        "{}",
        build.stderr
    );
    assert!(
        !site.path().join("public").exists(),
        "a strict failure publishes nothing"
    );
    assert_eq!(site.build(&[]).code, 0);
}

#[test]
fn link_check_catches_broken_links_and_anchors_on_the_content_file() {
    let site = TempSite::fixture("publish-links");
    let run = site.build(&[]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(!site.path().join("public").exists());
    assert!(
        run.stderr.contains("erreur : content/lettres/2025-09/edito.md:8:25 : lien interne cassé : « /lettres/2025-09/disparue/ »"),
        "{}",
        run.stderr
    );
    let run = run_in(
        site.path(),
        &["check", "--today", SAMPLE_TODAY, "--format", "json"],
    );
    let ds = json_lines(&run);
    let anchor = find(&ds, "#conclusion");
    assert!(
        anchor["message"]
            .as_str()
            .unwrap()
            .starts_with("ancre introuvable"),
        "{anchor}"
    );
    assert_eq!(anchor["file"], "content/lettres/2025-09/edito.md");
    assert_eq!(
        (anchor["line"].as_u64(), anchor["column"].as_u64()),
        (Some(9), Some(35))
    );
    // The good link to edito.md from atelier.md is not reported.
    assert!(
        ds.iter()
            .all(|d| d["file"] != "content/lettres/2025-09/atelier.md"),
        "{ds:#?}"
    );

    // Fixed, the same links pass (and the sample site has no broken link).
    site.write(
        "lettres/2025-09/edito.md",
        "---\ntitle: Éditorial\nsection: editorial\nsummary: Corrigé.\n---\nVoir [l'atelier](atelier.md).\n",
    );
    let run = run_in(
        site.path(),
        &["check", "--today", SAMPLE_TODAY, "--format", "json"],
    );
    assert!(
        json_lines(&run)
            .iter()
            .all(|d| !d["file"].as_str().unwrap().starts_with("content/")),
        "{}",
        run.stdout
    );
    let sample = TempSite::sample();
    let run = run_in(
        sample.path(),
        &[
            "check",
            "--today",
            SAMPLE_TODAY,
            "--format",
            "json",
            "--base-url",
            "https://u.github.io/cuf/",
        ],
    );
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
}

/// Every file under `dir`, relative path → bytes.
fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let rel = p
                    .strip_prefix(dir)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/");
                out.insert(rel, std::fs::read(&p).unwrap());
            }
        }
    }
    out
}

fn contains(hay: &[u8], needle: &str) -> bool {
    hay.windows(needle.len()).any(|w| w == needle.as_bytes())
}

#[test]
fn builds_are_reproducible_from_two_different_directories() {
    let a = TempSite::sample();
    let b = TempSite::sample();
    let run = a.build_with_pdf(&[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    // The second one from elsewhere, through --root and --output.
    let out_b = b.path().join("public");
    let run = run_in(
        Path::new("/"),
        &[
            "build",
            "--today",
            SAMPLE_TODAY,
            "--root",
            b.path().to_str().unwrap(),
            "--output",
            out_b.to_str().unwrap(),
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let ta = tree(&a.path().join("public"));
    let tb = tree(&out_b);
    assert!(ta.len() > 50, "{} fichiers", ta.len());
    assert_eq!(ta.keys().collect::<Vec<_>>(), tb.keys().collect::<Vec<_>>());
    let local = [
        a.path().to_string_lossy().into_owned(),
        b.path().to_string_lossy().into_owned(),
        project_root().to_string_lossy().into_owned(),
        std::env::temp_dir()
            .to_string_lossy()
            .trim_end_matches('/')
            .to_string()
            + "/",
    ];
    for (path, bytes) in &ta {
        assert!(bytes == &tb[path], "{path} differs between the two builds");
        for l in &local {
            assert!(!contains(bytes, l), "{path} contains the local path {l}");
        }
    }
}

#[test]
fn a_site_with_only_content_builds_with_the_embedded_theme() {
    let dir = tempfile::tempdir().unwrap();
    common::copy_dir(&project_root().join("content"), &dir.path().join("content"));
    let run = run_in(dir.path(), &["build", "--today", SAMPLE_TODAY]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        std::fs::read(dir.path().join("public/style.css")).unwrap(),
        std::fs::read(project_root().join("themes/cuf/static/style.css")).unwrap()
    );
    assert!(dir.path().join("public/index.html").is_file());

    // A site's own template replaces the embedded one, and only that one.
    let partials = dir.path().join("themes/cuf/templates/partials");
    std::fs::create_dir_all(&partials).unwrap();
    std::fs::write(
        partials.join("footer.html"),
        "<footer id=\"pied-du-site\">Pied maison</footer>",
    )
    .unwrap();
    let run = run_in(dir.path(), &["build", "--today", SAMPLE_TODAY]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let html = std::fs::read_to_string(dir.path().join("public/index.html")).unwrap();
    let doc = scraper::Html::parse_document(&html);
    assert_eq!(select(&doc, "#pied-du-site").len(), 1);
    assert_eq!(
        select(&doc, "link[rel=stylesheet]").len(),
        1,
        "base.html still comes from the binary"
    );
}

/// `cargo install` in release is slow: run in CI (CI=true at compile time),
/// listed as ignored elsewhere (`cargo test --test publishing -- --ignored`).
#[test]
#[cfg_attr(
    not(cufpress_ci),
    ignore = "lent (cargo install en release) : lancé en CI ou avec --ignored"
)]
fn installed_binary_builds_a_content_only_site() {
    let tmp = tempfile::tempdir().unwrap();
    let install_root = tmp.path().join("installation");
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let status = Command::new(cargo)
        .args(["install", "--locked", "--quiet", "--path"])
        .arg(project_root())
        .arg("--root")
        .arg(&install_root)
        // A target folder of its own, kept between runs, so a second run is quick.
        .env(
            "CARGO_TARGET_DIR",
            project_root().join("target/install-test"),
        )
        // No debug info: CI's disk is small, and this build holds Typst.
        .env("CARGO_PROFILE_RELEASE_DEBUG", "false")
        .status()
        .expect("cargo install");
    assert!(status.success());
    let bin: Vec<PathBuf> = std::fs::read_dir(install_root.join("bin"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(bin.len(), 1, "one single binary: {bin:?}");
    let site = tmp.path().join("depot-de-contenu");
    common::copy_dir(&project_root().join("content"), &site.join("content"));
    let out = Command::new(&bin[0])
        .current_dir(&site)
        .args(["build", "--today", SAMPLE_TODAY])
        .output()
        .unwrap();
    let run: Run = out.into();
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!site.join("themes").exists());
    assert!(site.join("public/index.html").is_file());
    assert!(site.join("public/style.css").is_file());
}

/// A recipe command with `${{ … }}` expressions replaced by test values;
/// an expression the test does not know fails, so the test is updated with it.
fn substitute(line: &str, values: &[(&str, &str)]) -> String {
    let mut out = line.to_string();
    for (k, v) in values {
        out = out.replace(k, v);
    }
    assert!(!out.contains("${{"), "expression inconnue du test : {line}");
    out
}

/// Runs each command through bash in the site, with the freshly built
/// `cufpress` first on PATH.
fn run_recipe(site: &TempSite, commands: &[String], env: &[(&str, &str)]) {
    let bin_dir = Path::new(env!("CARGO_BIN_EXE_cufpress")).parent().unwrap();
    let path = format!(
        "{}:{}",
        bin_dir.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    for c in commands {
        let out = Command::new("bash")
            .args(["-euo", "pipefail", "-c", c])
            .current_dir(site.path())
            .env("PATH", &path)
            .envs(env.iter().copied())
            .output()
            .expect("bash");
        let run: Run = out.into();
        assert_eq!(
            run.code, 0,
            "`{c}` a échoué :\n{}{}",
            run.stdout, run.stderr
        );
    }
}

/// The `cufpress` lines of every `run:` of the GitHub workflow.
fn github_commands() -> Vec<String> {
    let text = std::fs::read_to_string(project_root().join("docs/ci/github-actions.yml")).unwrap();
    let y: yaml_serde::Value = yaml_serde::from_str(&text).unwrap();
    let mut out = Vec::new();
    for (_, job) in y["jobs"].as_mapping().expect("jobs") {
        for step in job["steps"].as_sequence().expect("steps") {
            if let Some(run) = step["run"].as_str() {
                out.extend(
                    run.lines()
                        .map(str::trim)
                        .filter(|l| l.starts_with("cufpress "))
                        .map(str::to_string),
                );
            }
        }
    }
    out
}

#[test]
fn github_actions_recipe_runs_against_the_sample() {
    let commands: Vec<String> = github_commands()
        .iter()
        .map(|c| {
            substitute(
                c,
                &[(
                    "${{ steps.pages.outputs.base_url }}",
                    "https://cuf.github.io/site",
                )],
            )
        })
        .collect();
    assert!(
        commands
            .iter()
            .any(|c| c.starts_with("cufpress check") && c.contains("--format github")),
        "{commands:?}"
    );
    assert!(
        commands
            .iter()
            .any(|c| c.starts_with("cufpress build") && c.contains("--base-url")),
        "{commands:?}"
    );
    let text = std::fs::read_to_string(project_root().join("docs/ci/github-actions.yml")).unwrap();
    for needed in [
        "pull_request:",
        "actions/cache@",
        "path: .cufpress-cache",
        "actions/upload-pages-artifact@",
        "path: public",
        "actions/deploy-pages@",
    ] {
        assert!(
            text.contains(needed),
            "la recette GitHub doit contenir {needed}"
        );
    }
    let site = TempSite::sample();
    run_recipe(&site, &commands, &[]);
    let doc = site.html("index.html");
    let css = select(&doc, "link[rel=stylesheet]");
    assert_eq!(css[0].value().attr("href"), Some("/site/style.css"));
}

#[test]
fn gitlab_recipe_runs_against_the_sample() {
    let text = std::fs::read_to_string(project_root().join("docs/ci/gitlab-ci.yml")).unwrap();
    let y: yaml_serde::Value = yaml_serde::from_str(&text).unwrap();
    let mut commands = Vec::new();
    for (_, job) in y.as_mapping().unwrap() {
        for key in ["before_script", "script"] {
            for line in job[key].as_sequence().into_iter().flatten() {
                let line = line.as_str().unwrap().trim();
                if line.starts_with("cufpress ") {
                    commands.push(line.to_string());
                }
            }
        }
    }
    assert!(
        commands.iter().any(|c| c.contains("$CI_PAGES_URL")),
        "{commands:?}"
    );
    assert_eq!(y["pages"]["artifacts"]["paths"][0].as_str(), Some("public"));
    let cached: Vec<&str> = y["cache"]["paths"]
        .as_sequence()
        .into_iter()
        .flatten()
        .filter_map(|p| p.as_str())
        .collect();
    assert!(cached.contains(&".cufpress-cache/"), "{cached:?}");
    let site = TempSite::sample();
    run_recipe(
        &site,
        &commands,
        &[("CI_PAGES_URL", "https://cuf.gitlab.io/site")],
    );
    assert!(site.path().join("diagnostics.jsonl").is_file());
    let doc = site.html("index.html");
    assert_eq!(
        select(&doc, "link[rel=stylesheet]")[0].value().attr("href"),
        Some("/site/style.css")
    );
}

#[test]
fn publishing_guide_commands_run_against_the_sample() {
    let text = std::fs::read_to_string(project_root().join("docs/publier.md")).unwrap();
    let mut in_sh = false;
    let mut commands = Vec::new();
    for line in text.lines() {
        if line.starts_with("```") {
            in_sh = line == "```sh";
        } else if in_sh && line.starts_with("cufpress ") {
            commands.push(line.to_string());
        }
    }
    assert!(!commands.is_empty());
    let site = TempSite::sample();
    run_recipe(&site, &commands, &[]);
    assert!(site.path().join("public/index.html").is_file());
}

//! The CI recipes of `docs/ci/` install cufpress once per commit of the
//! revision they name: when `CUFPRESS_REV` is a branch that moves, the next
//! run installs the new commit instead of reusing a binary cached under the
//! branch's name forever. The recipes' own shell lines are run here against
//! a local git repository standing in for cufpress's.

use std::path::Path;
use std::process::Command;

fn recipe(name: &str) -> yaml_serde::Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("docs/ci")
        .join(name);
    yaml_serde::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn git(dir: &Path, args: &[&str]) -> String {
    let out = Command::new("git")
        .args(["-c", "user.name=t", "-c", "user.email=t@example.org"])
        .args(args)
        .current_dir(dir)
        .output()
        .expect("git");
    assert!(out.status.success(), "git {args:?}: {out:?}");
    String::from_utf8(out.stdout).unwrap().trim().to_string()
}

/// A repository with one commit on `main`; returns its path.
fn upstream(dir: &Path) -> std::path::PathBuf {
    let repo = dir.join("cufpress.git");
    std::fs::create_dir_all(&repo).unwrap();
    git(&repo, &["init", "-q", "-b", "main"]);
    commit(&repo, "1");
    repo
}

fn commit(repo: &Path, n: &str) -> String {
    std::fs::write(repo.join("f"), n).unwrap();
    git(repo, &["add", "f"]);
    git(repo, &["commit", "-q", "-m", n]);
    git(repo, &["rev-parse", "HEAD"])
}

fn bash(script: &str, cwd: &Path, env: &[(&str, &str)]) -> String {
    let out = Command::new("bash")
        .args(["-euo", "pipefail", "-c", script])
        .current_dir(cwd)
        .envs(env.iter().copied())
        .output()
        .expect("bash");
    assert!(out.status.success(), "{script}\n{out:?}");
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn github_recipe_keys_the_cached_binary_on_the_commit_it_installs() {
    let y = recipe("github-actions.yml");
    let tmp = tempfile::tempdir().unwrap();
    let repo = upstream(tmp.path());
    for (name, job) in y["jobs"].as_mapping().unwrap() {
        let steps = job["steps"].as_sequence().unwrap();
        let version = steps
            .iter()
            .find(|s| s["id"].as_str() == Some("version"))
            .unwrap_or_else(|| panic!("{name:?} : pas d'étape `version`"));
        let cache = steps
            .iter()
            .find(|s| s["id"].as_str() == Some("cache"))
            .unwrap();
        let key = cache["with"]["key"].as_str().unwrap();
        assert!(
            key.contains("steps.version.outputs.rev"),
            "{name:?} : {key}"
        );
        assert!(!key.contains("CUFPRESS_REV"), "{name:?} : {key}");
        let install = steps
            .iter()
            .filter_map(|s| s["run"].as_str())
            .find(|r| r.contains("cargo install"))
            .unwrap();
        assert!(install.contains("steps.version.outputs.rev"), "{install}");

        let script = version["run"].as_str().unwrap();
        let resolve = |rev: &str| {
            let out = tmp.path().join("github_output");
            bash(
                script,
                tmp.path(),
                &[
                    ("CUFPRESS_GIT", repo.to_str().unwrap()),
                    ("CUFPRESS_REV", rev),
                    ("GITHUB_OUTPUT", out.to_str().unwrap()),
                ],
            );
            let text = std::fs::read_to_string(&out).unwrap();
            std::fs::remove_file(&out).unwrap();
            text.trim().strip_prefix("rev=").unwrap().to_string()
        };
        let first = git(&repo, &["rev-parse", "HEAD"]);
        assert_eq!(resolve("main"), first);
        let second = commit(&repo, &format!("{name:?}"));
        assert_eq!(resolve("main"), second, "a moved branch gives a new key");
        assert_eq!(resolve(&first), first, "a commit stays itself");
    }
}

#[test]
fn gitlab_recipe_reinstalls_when_the_revision_moves() {
    let y = recipe("gitlab-ci.yml");
    let lines: Vec<&str> = y["default"]["before_script"]
        .as_sequence()
        .unwrap()
        .iter()
        .map(|l| l.as_str().unwrap())
        .filter(|l| !l.starts_with("export PATH"))
        .collect();
    let cached: Vec<&str> = y["cache"]["paths"]
        .as_sequence()
        .unwrap()
        .iter()
        .filter_map(|p| p.as_str())
        .collect();
    assert!(cached.contains(&".cargo/cufpress-rev"), "{cached:?}");
    let tmp = tempfile::tempdir().unwrap();
    let repo = upstream(tmp.path());
    // A `cargo` that records what it was asked to install.
    let bin = tmp.path().join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    let log = tmp.path().join("cargo.log");
    std::fs::write(
        bin.join("cargo"),
        format!("#!/bin/sh\necho \"$@\" >> {}\n", log.display()),
    )
    .unwrap();
    Command::new("chmod")
        .arg("+x")
        .arg(bin.join("cargo"))
        .status()
        .unwrap();
    let home = tmp.path().join(".cargo");
    std::fs::create_dir_all(&home).unwrap();
    let path = format!("{}:{}", bin.display(), std::env::var("PATH").unwrap());
    let run = || {
        bash(
            &lines.join("\n"),
            tmp.path(),
            &[
                ("CUFPRESS_GIT", repo.to_str().unwrap()),
                ("CUFPRESS_REV", "main"),
                ("CARGO_HOME", home.to_str().unwrap()),
                ("PATH", &path),
            ],
        );
        std::fs::read_to_string(&log).unwrap_or_default()
    };
    let first = git(&repo, &["rev-parse", "HEAD"]);
    let installs = run();
    assert_eq!(installs.lines().count(), 1, "{installs}");
    assert!(installs.contains(&first), "{installs}");
    assert_eq!(run().lines().count(), 1, "same commit: the cache is used");
    let second = commit(&repo, "2");
    let installs = run();
    assert_eq!(installs.lines().count(), 2, "{installs}");
    assert!(
        installs.lines().last().unwrap().contains(&second),
        "{installs}"
    );
}

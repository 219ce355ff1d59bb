//! Publishing under stress, through the real binary: an output folder
//! that is not cufpress's is refused, never emptied; kills injected at
//! each rename and write of the publish step (strace) and at random times
//! leave `public/` whole, old or new; a full disk leaves nothing that
//! blocks the next build; two builds at once never mix their sites; only
//! the documented kinds of attachment are published.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use common::{Run, SAMPLE_TODAY, TempSite, cufpress, run_in};

/// Every file under `dir` (the marker included), by relative path.
fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .min_depth(1)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e
                .path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            (rel, std::fs::read(e.path()).unwrap())
        })
        .collect()
}

fn build_into(site: &Path, out: &Path) -> Run {
    let mut args = vec!["build", "--today", SAMPLE_TODAY, "--output"];
    let out = out.to_string_lossy().into_owned();
    args.push(&out);
    run_in(site, &args)
}

fn assert_ok(run: &Run, what: &str) {
    assert_eq!(run.code, 0, "{what}: {}", run.stderr);
}

// ---------------------------------------------------------------- point 1

#[test]
fn a_folder_cufpress_did_not_make_is_refused_and_kept() {
    let site = TempSite::fixture("core-minimal");
    let home = tempfile::tempdir().unwrap();
    let out = home.path().join("moi");
    std::fs::create_dir_all(out.join("Documents")).unwrap();
    std::fs::create_dir_all(out.join(".ssh")).unwrap();
    std::fs::write(out.join("Documents/these.odt"), "ma thèse").unwrap();
    std::fs::write(out.join(".ssh/id_ed25519"), "clé").unwrap();
    std::fs::write(out.join(".bashrc"), "alias").unwrap();
    let before = tree(&out);
    for _ in 0..2 {
        let run = build_into(site.path(), &out);
        assert_eq!(run.code, 1, "{}", run.stderr);
        assert!(
            run.stderr.contains("dossier de sortie refusé")
                && run.stderr.contains(&out.display().to_string())
                && run.stderr.contains("n'a pas été construit par cufpress"),
            "{}",
            run.stderr
        );
        assert_eq!(tree(&out), before, "nothing of the folder is touched");
    }
    // Nothing was left beside it either.
    let beside: Vec<_> = std::fs::read_dir(home.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n != "moi" && !n.ends_with(".verrou"))
        .collect();
    assert!(beside.is_empty(), "{beside:?}");
}

#[test]
fn empty_missing_and_own_folders_are_accepted() {
    let site = TempSite::fixture("core-minimal");
    let out = site.path().join("vide");
    std::fs::create_dir(&out).unwrap();
    assert_ok(&build_into(site.path(), &out), "empty folder");
    assert!(out.join(".cufpress").is_file(), "the marker is written");
    assert_ok(&build_into(site.path(), &out), "own folder");
    assert_ok(
        &build_into(site.path(), &site.path().join("neuf/sous-dossier")),
        "missing folder",
    );
}

#[test]
fn a_site_built_before_the_marker_existed_is_still_rebuilt() {
    let site = TempSite::fixture("core-minimal");
    assert_ok(&site.build(&[]), "first build");
    let public = site.path().join("public");
    // What the previous version left: the site and its fingerprint list
    // beside it, no marker.
    std::fs::remove_file(public.join(".cufpress")).unwrap();
    assert!(site.path().join(".public.empreintes").is_file());
    assert_ok(&site.build(&[]), "old site, no marker");
    assert!(public.join(".cufpress").is_file());
    // A file the old version did not write makes it someone else's folder.
    std::fs::remove_file(public.join(".cufpress")).unwrap();
    std::fs::write(public.join("notes-perso.txt"), "à moi").unwrap();
    let run = site.build(&[]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("dossier de sortie refusé"),
        "{}",
        run.stderr
    );
    assert!(public.join("notes-perso.txt").is_file());
}

#[test]
fn an_output_over_the_sources_is_refused() {
    let site = TempSite::fixture("core-minimal");
    let content = tree(&site.path().join("content"));
    let themes = tree(&site.path().join("themes"));
    for out in [
        "content",
        "content/public",
        "themes",
        "themes/cuf",
        ".",
        "content/../themes",
    ] {
        let run = build_into(site.path(), &site.path().join(out));
        assert_eq!(run.code, 1, "{out}: {}", run.stderr);
        assert!(
            run.stderr.contains("dossier de sortie refusé"),
            "{out}: {}",
            run.stderr
        );
    }
    assert_eq!(tree(&site.path().join("content")), content);
    assert_eq!(tree(&site.path().join("themes")), themes);
}

// ---------------------------------------------------------------- point 4

/// Two versions of one site: `a` as the fixture, `b` with an article
/// changed, one added and one removed.
struct Versions {
    a: TempSite,
    b: TempSite,
    tree_a: BTreeMap<String, Vec<u8>>,
    tree_b: BTreeMap<String, Vec<u8>>,
}

fn versions() -> Versions {
    let a = TempSite::fixture("core-minimal");
    let b = TempSite::fixture("core-minimal");
    let edito = b.path().join("content/lettres/2025-09/edito.md");
    let text = std::fs::read_to_string(&edito).unwrap();
    std::fs::write(&edito, format!("{text}\nUn paragraphe ajouté.\n")).unwrap();
    let mada = b.path().join("content/lettres/2025-09/mada-trois.md");
    std::fs::rename(
        &mada,
        b.path().join("content/lettres/2025-09/mada-quatre.md"),
    )
    .unwrap();
    let fresh = tempfile::tempdir().unwrap();
    assert_ok(&build_into(a.path(), &fresh.path().join("a")), "site a");
    assert_ok(&build_into(b.path(), &fresh.path().join("b")), "site b");
    let (tree_a, tree_b) = (tree(&fresh.path().join("a")), tree(&fresh.path().join("b")));
    assert_ne!(tree_a, tree_b);
    Versions {
        a,
        b,
        tree_a,
        tree_b,
    }
}

fn strace() -> &'static str {
    assert!(
        Command::new("strace").arg("-V").output().is_ok(),
        "strace absent : lancez `bash scripts/setup-test-tools.sh`"
    );
    "strace"
}

/// `cufpress build` of `site` into `out` under strace with `inject`;
/// true when the build was killed.
fn killed_build(site: &Path, out: &Path, inject: &[&str]) -> bool {
    let status = Command::new(strace())
        .args(["-f", "-qq", "-o", "/dev/null"])
        .args(inject)
        .arg(env!("CARGO_BIN_EXE_cufpress"))
        .args(["build", "--today", SAMPLE_TODAY, "--output"])
        .arg(out)
        .current_dir(site)
        .output()
        .expect("run strace");
    let code = status.status.code();
    assert!(
        matches!(code, Some(0) | Some(137)) || code.is_none(),
        "neither built nor killed ({code:?}): {}",
        String::from_utf8_lossy(&status.stderr)
    );
    code != Some(0)
}

/// One kill, then the checks: `public/` is whole, old or new; the next
/// builds are exact, whichever tree the spare holds.
fn kill_and_check(v: &Versions, out: &Path, inject: &[&str]) -> bool {
    let was_killed = killed_build(v.b.path(), out, inject);
    let now = tree(out);
    assert!(
        now == v.tree_a || now == v.tree_b,
        "after {inject:?}, the output is neither the old nor the new site ({} files)",
        now.len()
    );
    // The build after the kill, and the one after next (which starts from
    // the spare the killed build left): both exact. This also brings back
    // the starting state: public = a, spare = b.
    for (site, want, name) in [(&v.b, &v.tree_b, "b"), (&v.a, &v.tree_a, "a")] {
        assert_ok(&build_into(site.path(), out), name);
        assert!(
            tree(out) == *want,
            "after {inject:?}, the build of {name} is not exact"
        );
    }
    was_killed
}

/// Kills at the Nth call of `syscall` for N = 1, 2, … until a build goes
/// through untouched (at most `max`); returns how many kills were made.
fn kill_at_each(v: &Versions, out: &Path, syscall: &str, extra: &[&str], steps: &[u32]) -> usize {
    let mut kills = 0;
    for n in steps {
        let inject = format!("inject={syscall}:signal=KILL:when={n}");
        let mut args: Vec<&str> = extra.to_vec();
        args.extend(["-e", &inject]);
        if !kill_and_check(v, out, &args) {
            return kills;
        }
        kills += 1;
    }
    kills
}

#[test]
fn a_kill_at_any_step_of_publishing_leaves_old_or_new_and_the_next_build_exact() {
    let v = versions();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    // public = a, and a spare (b) with its fingerprints.
    for site in [&v.a, &v.b, &v.a] {
        assert_ok(&build_into(site.path(), &out), "setup");
    }
    // Each rename of the publish step (the swap is renameat2 on Linux).
    let renames = kill_at_each(&v, &out, "rename", &[], &[1, 2, 3, 4, 5, 6, 7, 8]);
    let exchanges = kill_at_each(&v, &out, "renameat2", &[], &[1, 2, 3]);
    assert!(
        renames >= 3 && exchanges >= 1,
        "renames {renames}, exchanges {exchanges}"
    );
    // Writes, counted per thread: the first ones, then spread out.
    let writes = kill_at_each(&v, &out, "write", &[], &[1, 2, 3, 5, 8, 13, 21, 34, 55, 89]);
    assert!(writes >= 3, "writes {writes}");
    // The writes of the marker and of the fingerprint list, each in turn.
    let staging = dir.path().join(".public.nouveau/.cufpress");
    let manifest = dir.path().join(".public.nouveau.empreintes");
    for (path, steps) in [(&staging, &[1u32, 2][..]), (&manifest, &[1][..])] {
        let p = path.to_string_lossy().into_owned();
        let n = kill_at_each(&v, &out, "write", &["-P", &p], steps);
        assert_eq!(n, steps.len(), "{p}");
    }
}

/// A small fixed-seed generator (xorshift), so the random kills repeat.
fn xorshift(state: &mut u64) -> u64 {
    *state ^= *state << 13;
    *state ^= *state >> 7;
    *state ^= *state << 17;
    *state
}

#[test]
fn random_kills_leave_old_or_new_and_the_next_build_exact() {
    let v = versions();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    for site in [&v.a, &v.b, &v.a] {
        assert_ok(&build_into(site.path(), &out), "setup");
    }
    let start = std::time::Instant::now();
    assert_ok(&build_into(v.a.path(), &out), "timing");
    let span = start.elapsed().as_micros() as u64 + 1;
    let mut seed = 0x5eed_2026_u64;
    for _ in 0..12 {
        let after = Duration::from_micros(xorshift(&mut seed) % span);
        let mut child = cufpress()
            .args(["build", "--today", SAMPLE_TODAY, "--output"])
            .arg(&out)
            .current_dir(v.b.path())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(after);
        let _ = child.kill();
        let _ = child.wait();
        kill_and_check(&v, &out, &[]);
    }
}

#[test]
fn a_full_disk_leaves_nothing_that_blocks_the_next_build() {
    let v = versions();
    let disk = tempfile::tempdir().unwrap();
    let size: u64 = v
        .tree_a
        .values()
        .map(|b| (b.len() as u64).div_ceil(4096) * 4096)
        .sum();
    // A disk that holds the site once, and a third more.
    let script = format!(
        r#"set -e
mount -t tmpfs -o size={disk_size} tmpfs "$DISK"
"$BIN" build --today {SAMPLE_TODAY} --root "$A" --output "$DISK/public"
head -c {filler} /dev/zero > "$DISK/remplissage" || true
echo "--- build b"
"$BIN" build --today {SAMPLE_TODAY} --root "$B" --output "$DISK/public" && exit 3
echo "--- beside"
ls -A "$DISK"
rm "$DISK/remplissage"
echo "--- build b again"
"$BIN" build --today {SAMPLE_TODAY} --root "$B" --output "$DISK/public"
echo "--- tree"
cd "$DISK/public" && find . -type f | sort | xargs sha256sum
"#,
        disk_size = size * 2 + (1 << 20),
        filler = size + (1 << 20) - size / 3,
    );
    let run: Run = Command::new("unshare")
        .args(["-r", "-m", "sh", "-c", &script])
        .env("DISK", disk.path())
        .env("BIN", env!("CARGO_BIN_EXE_cufpress"))
        .env("A", v.a.path())
        .env("B", v.b.path())
        .output()
        .expect("unshare")
        .into();
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    let failed = run.stderr.split("Site construit").nth(1).unwrap_or("");
    assert!(
        failed.contains("le disque est plein")
            && failed.contains(".public.nouveau a été supprimé")
            && !failed.contains("No space"),
        "{}",
        run.stderr
    );
    let beside = run.stdout.split("--- beside").nth(1).unwrap();
    let beside = beside.split("---").next().unwrap();
    let names: Vec<&str> = beside.split_whitespace().collect();
    assert!(
        !names
            .iter()
            .any(|n| n.contains("nouveau") || n.contains("precedent")),
        "leftovers of the failed build: {names:?}"
    );
    let listed = run.stdout.split("--- tree").nth(1).unwrap();
    assert_eq!(
        listed.lines().filter(|l| !l.is_empty()).count(),
        v.tree_b.len()
    );
}

// ---------------------------------------------------------------- point 5

#[test]
fn two_builds_at_once_never_mix_their_sites() {
    let v = versions();
    let dir = tempfile::tempdir().unwrap();
    let out: PathBuf = dir.path().join("public");
    let spawn = |site: &TempSite| {
        cufpress()
            .args(["build", "--today", SAMPLE_TODAY, "--output"])
            .arg(&out)
            .current_dir(site.path())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap()
    };
    for i in 0..30 {
        let (first, second) = if i % 2 == 0 {
            (&v.a, &v.b)
        } else {
            (&v.b, &v.a)
        };
        let one = spawn(first);
        let two = spawn(second);
        let (one, two) = (
            one.wait_with_output().unwrap(),
            two.wait_with_output().unwrap(),
        );
        for o in [&one, &two] {
            assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        }
        let now = tree(&out);
        assert!(now == v.tree_a || now == v.tree_b, "pair {i}: a mixed site");
    }
}

// ---------------------------------------------------------------- point 7

#[test]
fn only_attachments_are_published_never_secrets_or_backups() {
    let site = TempSite::fixture("core-minimal");
    let dir = site.path().join("content/lettres/2025-09");
    let files = [
        "documents/programme.pdf",
        "documents/tableau.ods",
        "documents/secretariat-general.pdf",
        "documents/invitation.ics",
        "#edito.md#",
        "edito.md~",
        ".edito.md.swp",
        "id_rsa",
        "documents/serveur.pem",
        "documents/cle.key",
        ".env",
        "secret.env",
        "secrets.txt",
        ".ssh/config",
        "documents/page.html",
        "documents/logo.svg",
        "documents/notes.yaml",
    ];
    for f in files {
        let p = dir.join(f);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(&p, format!("contenu de {f}")).unwrap();
    }
    let run = site.build(&[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let public = site.path().join("public/lettres/2025-09");
    for f in &files[..4] {
        assert!(public.join(f).is_file(), "{f} is published");
    }
    for f in &files[4..] {
        assert!(!public.join(f).exists(), "{f} must not be published");
    }
    let published = tree(&site.path().join("public"));
    assert!(
        !published
            .keys()
            .any(|k| k.contains("ssh") || k.contains("rsa") || k.ends_with(".env")),
        "{:?}",
        published.keys()
    );
    // A warning, in French, on each file left out that a writer may have
    // meant to publish.
    for (f, why) in [
        ("id_rsa", "clé, d'un mot de passe ou d'un secret"),
        ("documents/serveur.pem", "secret"),
        ("documents/cle.key", "secret"),
        ("secret.env", "secret"),
        ("secrets.txt", "secret"),
        ("documents/page.html", "code que le navigateur"),
        ("documents/logo.svg", "code que le navigateur"),
        (
            "documents/notes.yaml",
            "ne font pas partie des pièces jointes publiées",
        ),
    ] {
        let line = run
            .stderr
            .lines()
            .find(|l| l.contains(&format!("content/lettres/2025-09/{f} : ")))
            .unwrap_or_else(|| panic!("no warning on {f}:\n{}", run.stderr));
        assert!(
            line.contains("fichier non publié") && line.contains(why),
            "{line}"
        );
    }
    // Hidden files and backups are left out silently.
    assert!(
        !run.stderr.contains(".swp") && !run.stderr.contains("#edito"),
        "{}",
        run.stderr
    );
}

#[test]
fn an_upper_case_md_is_markdown_never_an_attachment() {
    let site = TempSite::fixture("core-minimal");
    site.write(
        "lettres/2025-09/brouillon.MD",
        "---\ntitle: Brouillon secret\ndraft: true\n---\nPas encore.\n",
    );
    let run = site.build(&[]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("brouillon.MD") && run.stderr.contains("renommez-le « brouillon.md »"),
        "{}",
        run.stderr
    );
    assert!(
        !site
            .path()
            .join("public/lettres/2025-09/brouillon.MD")
            .exists()
    );
}

//! Whole-site tests, through the real binary, of what writers' values may
//! carry (#20.2: addresses that run code, site values in HTML, XML, JSON-LD
//! and calendars, `base_url`, invisible characters) and of the writer's loop
//! (#15: drafts are checked, placeholders never published, `new article`
//! refusing what cannot work, the article's date, alt texts, titles).

mod common;

use std::path::Path;

use common::{Run, TempSite, run_in, select, text};

/// Every file under `dir`, recursively.
fn files(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return out;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(files(&p));
        } else {
            out.push(p);
        }
    }
    out.sort();
    out
}

/// Occurrences of `needle` (ASCII, any case) in every text file under `dir`.
fn count_in_tree(dir: &Path, needle: &str) -> usize {
    files(dir)
        .iter()
        .filter_map(|p| std::fs::read(p).ok())
        .map(|b| {
            String::from_utf8_lossy(&b)
                .to_ascii_lowercase()
                .matches(needle)
                .count()
        })
        .sum()
}

fn assert_no_panic(r: &Run) {
    assert!(
        !r.stderr.contains("panicked") && r.code != 101,
        "panic:\n{}",
        r.stderr
    );
}

/// Addresses a browser would run or open, in the disguises writers and
/// attackers use; each is written as a double-quoted YAML value.
const PAYLOADS: &[&str] = &[
    "javascript:alert(1)",
    "JaVaScRiPt:alert(document.cookie)",
    "java\\tscript:alert(1)",
    " javascript:alert(1)",
    "\\u0001javascript:alert(1)",
    "vbscript:msgbox(1)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "javascript&colon;alert(1)",
];

/// Rewrites every line of `content/` whose key is one of `keys` (at any
/// indentation) with a payload; returns (file, line) of each.
fn inject(site: &TempSite, keys: &[&str]) -> Vec<(String, usize)> {
    let mut at = Vec::new();
    let content = site.path().join("content");
    let mut n = 0;
    for p in files(&content) {
        let ext = p.extension().and_then(|e| e.to_str()).unwrap_or("");
        if ext != "md" && ext != "yaml" {
            continue;
        }
        let old = std::fs::read_to_string(&p).unwrap();
        let mut changed = false;
        let lines: Vec<String> = old
            .lines()
            .enumerate()
            .map(|(i, l)| {
                let body = l.trim_start().trim_start_matches("- ");
                let indent = &l[..l.len() - body.len()];
                match keys.iter().find(|k| body.starts_with(&format!("{k}: "))) {
                    Some(k) => {
                        n += 1;
                        changed = true;
                        let rel = p.strip_prefix(site.path()).unwrap();
                        at.push((rel.to_string_lossy().replace('\\', "/"), i + 1));
                        let payload = PAYLOADS[n % PAYLOADS.len()];
                        let value = if *k == "email" {
                            format!("\"x@y.fr?body=\\\"><script>alert({n})</script>\"")
                        } else {
                            format!("\"{payload}\"")
                        };
                        format!("{indent}{k}: {value}")
                    }
                    None => l.to_string(),
                }
            })
            .collect();
        if changed {
            std::fs::write(&p, lines.join("\n") + "\n").unwrap();
        }
    }
    at
}

#[test]
fn a_payload_in_every_url_key_of_the_sample_site_is_an_error_and_never_published() {
    let site = TempSite::sample();
    let first = site.build(&[]);
    assert_eq!(first.code, 0, "{}", first.stderr);
    let public = site.path().join("public");
    assert_eq!(count_in_tree(&public, "javascript:"), 0);
    let injected = inject(&site, &["link", "website", "url", "email"]);
    assert!(injected.len() > 80, "only {} keys injected", injected.len());
    let r = site.build(&[]);
    assert_no_panic(&r);
    assert_eq!(r.code, 1, "payloads must fail the build:\n{}", r.stderr);
    for (file, line) in &injected {
        let prefix = format!("erreur : {file}:{line}:");
        let found = r.stderr.lines().find(|l| l.starts_with(&prefix));
        let found = found.unwrap_or_else(|| panic!("no error at {file}:{line}:\n{}", r.stderr));
        let col: u32 = found[prefix.len()..]
            .split(' ')
            .next()
            .and_then(|c| c.parse().ok())
            .unwrap_or(0);
        assert!(col > 1, "column of the value: {found}");
        assert!(
            !found.contains("found") && !found.contains("expected"),
            "French: {found}"
        );
    }
    assert!(
        r.stderr.contains("adresse dangereuse refusée"),
        "{}",
        r.stderr
    );
    // The published site (and its e-mail editions) is the clean one.
    assert_eq!(count_in_tree(&public, "javascript:"), 0);
    assert_eq!(count_in_tree(&public, "vbscript:"), 0);
    // `check` says the same, and `--drafts` does not open a way round it.
    let c = run_in(site.path(), &["check", "--drafts"]);
    assert_eq!(c.code, 1);
}

#[test]
fn a_quote_in_the_unsubscribe_tag_is_refused_and_its_value_escaped() {
    let site = TempSite::sample();
    let yaml = std::fs::read_to_string(site.path().join("content/site.yaml")).unwrap();
    let bad = yaml.replace(
        "unsubscribe: \"{{ unsubscribe }}\"",
        "unsubscribe: '{{ unsubscribe }}\" onmouseover=\"alert(1)'",
    );
    assert_ne!(bad, yaml);
    site.write("site.yaml", &bad);
    let r = site.check();
    assert_no_panic(&r);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let line = bad
        .lines()
        .position(|l| l.contains("unsubscribe:"))
        .unwrap()
        + 1;
    assert!(
        r.stderr
            .contains(&format!("erreur : content/site.yaml:{line}:")),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("mailing.unsubscribe"), "{}", r.stderr);
    // An address is written escaped for its attribute.
    let ok = yaml.replace(
        "unsubscribe: \"{{ unsubscribe }}\"",
        "unsubscribe: \"https://desinscription.example/?l=1&u=2\"",
    );
    site.write("site.yaml", &ok);
    let r = site.build(&[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let email = site.read("lettres/2025-09/email.html");
    assert!(
        email.contains("href=\"https:&#x2F;&#x2F;desinscription.example&#x2F;?l=1&amp;u=2\"")
            || email.contains("href=\"https://desinscription.example/?l=1&amp;u=2\""),
        "unsubscribe link not escaped:\n{}",
        email
            .lines()
            .filter(|l| l.contains("sinscri"))
            .collect::<Vec<_>>()
            .join("\n")
    );
}

#[test]
fn a_line_break_or_space_in_base_url_is_an_error() {
    let site = TempSite::sample();
    let yaml = std::fs::read_to_string(site.path().join("content/site.yaml")).unwrap();
    for bad in [
        "base_url: \"https://www.cites-unies-france.org\\r\\nATTENDEE:mailto:x@evil.example\"",
        "base_url: \"https://www.cites-unies-france.org/a b\"",
        "base_url: http://www.cites-unies-france.org",
        "base_url: \"https://www.cites-unies-france.org/\\\"><script>\"",
    ] {
        let text = yaml.replace("base_url: https://www.cites-unies-france.org", bad);
        site.write("site.yaml", &text);
        let r = site.build(&[]);
        assert_no_panic(&r);
        assert_eq!(r.code, 1, "{bad}:\n{}", r.stderr);
        assert!(
            r.stderr.contains("erreur : content/site.yaml:2:") && r.stderr.contains("base_url"),
            "{bad}:\n{}",
            r.stderr
        );
        assert!(!site.path().join("public/agenda.ics").exists());
    }
    site.write("site.yaml", &yaml);
    let r = site.build(&["--base-url", "https://x.org/a\nATTENDEE:x"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.contains("--base-url"), "{}", r.stderr);
}

#[test]
fn invisible_characters_never_reach_an_output() {
    let site = TempSite::sample();
    let article = "lettres/2025-09/assises-franco-malgaches.md";
    let path = site.path().join("content").join(article);
    let original = std::fs::read_to_string(&path).unwrap();
    // Raw in a title, and as a YAML escape: an error naming file and line.
    for title in [
        "title: Les Assises\u{fffe} de Madagascar",
        "title: \"Les Assises\\uFFFF\"",
    ] {
        let text = original.replacen(original.lines().nth(1).unwrap(), title, 1);
        site.write(article, &text);
        let r = site.check();
        assert_no_panic(&r);
        assert_eq!(r.code, 1, "{title}: {}", r.stderr);
        assert!(
            r.stderr.contains(&format!("erreur : content/{article}:2:"))
                && r.stderr.contains("caractère invisible interdit"),
            "{title}:\n{}",
            r.stderr
        );
    }
    // Written as entities in the body, they are removed: every feed parses.
    site.write(
        article,
        &format!("{original}\nUn&#xFFFE; mot&#xFFFF; caché&#1;.\n"),
    );
    let r = site.build(&[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let atom = site.read("atom.xml");
    roxmltree::Document::parse(&atom).expect("atom.xml is well-formed XML");
    for p in files(&site.path().join("public")) {
        let Ok(t) = std::fs::read_to_string(&p) else {
            continue;
        };
        assert!(
            !t.contains(['\u{fffe}', '\u{ffff}', '\u{1}']),
            "forbidden character in {}",
            p.display()
        );
    }
}

#[test]
fn json_ld_cannot_end_its_script_element() {
    let site = TempSite::sample();
    let event = "agenda/2025/11/salon-des-maires.md";
    let path = site.path().join("content").join(event);
    let original = std::fs::read_to_string(&path).unwrap();
    let title = original.lines().find(|l| l.starts_with("title:")).unwrap();
    site.write(
        event,
        &original.replacen(
            title,
            "title: \"Salon </script><script>alert(1)</script>\\u2028des maires\"",
            1,
        ),
    );
    let r = site.build(&[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let html = site.read("agenda/salon-des-maires/index.html");
    let open = "application/ld+json\">";
    let start = html.find(open).expect("JSON-LD") + open.len();
    let end = start + html[start..].find("</script>").unwrap();
    let json = &html[start..end];
    assert!(!json.contains('<') && !json.contains('\u{2028}'), "{json}");
    let v: serde_json::Value = serde_json::from_str(json.trim()).expect("valid JSON");
    assert!(v["name"].as_str().unwrap().contains("</script>"));
    assert_eq!(html.matches("<script>alert").count(), 0);
}

// ---- #15: the writer's loop ----

#[test]
fn drafts_are_checked_and_their_diagnostics_say_brouillon() {
    let site = TempSite::fixture("core-minimal");
    site.write(
        "lettres/2025-09/brouillon.md",
        "---\ntitle: Un brouillon\nsection: geografique\ndraft: true\n---\nTexte avec ![](images/photo.png).\n",
    );
    let r = site.check();
    assert_no_panic(&r);
    assert_eq!(r.code, 1, "a draft's mistake fails check:\n{}", r.stderr);
    let file = "content/lettres/2025-09/brouillon.md";
    assert!(
        r.stderr.contains(&format!(
            "erreur : {file}:3:10 : (brouillon) rubrique « geografique » inconnue"
        )),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains(&format!("erreur : {file}:6:"))
            && r.stderr.contains("(brouillon) image sans texte alternatif"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("vouliez-vous dire `geographique`"));
    let b = site.build(&[]);
    assert_eq!(b.code, 1, "build checks drafts too:\n{}", b.stderr);
    // A draft whose header does not parse is named a draft as well.
    site.write(
        "lettres/2025-09/brouillon.md",
        "---\ntitle: Un brouillon\ntittle: x\ndraft: true\n---\nTexte.\n",
    );
    let r = site.check();
    assert!(
        r.stderr.contains("(brouillon) `tittle` : clé inconnue"),
        "{}",
        r.stderr
    );
    // Once right, a draft stays out of the site, and links between drafts are fine.
    site.write(
        "lettres/2025-09/brouillon.md",
        "---\ntitle: Un brouillon\nsection: geographique\ndraft: true\n---\nVoir [l'autre](brouillon-deux.md).\n",
    );
    site.write(
        "lettres/2025-09/brouillon-deux.md",
        "---\ntitle: Un autre\nsection: geographique\ndraft: true\n---\nTexte.\n",
    );
    let b = site.build(&[]);
    assert_eq!(b.code, 0, "{}", b.stderr);
    assert!(
        !site
            .path()
            .join("public/lettres/2025-09/brouillon")
            .exists()
    );
    assert!(
        !site
            .read("lettres/2025-09/index.html")
            .contains("Un brouillon")
    );
}

#[test]
fn events_programmes_and_partnerships_may_be_drafts() {
    let site = TempSite::fixture("core-minimal");
    site.write(
        "agenda/2025/10/reunion.md",
        "---\ntitle: Réunion secrète\nstart: 2025-10-14\ndraft: true\n---\n",
    );
    site.write(
        "repertoire/madagascar/brouillon.md",
        "---\nfrench:\n  name: Ville cachée\n  type: commune\npartner:\n  name: Partenaire caché\ndraft: true\n---\n",
    );
    let prog = std::fs::read_to_string(site.path().join("content/programmes/parcours.md")).unwrap();
    site.write(
        "programmes/parcours.md",
        &prog.replacen("---\n", "---\ndraft: true\n", 1),
    );
    let r = site.build(&[]);
    assert_eq!(
        r.code, 0,
        "draft is a known key of every page:\n{}",
        r.stderr
    );
    let public = site.path().join("public");
    assert_eq!(count_in_tree(&public, "réunion secrète"), 0);
    assert_eq!(count_in_tree(&public, "ville cachée"), 0);
    assert!(!public.join("agenda/reunion").exists());
    assert!(!public.join("programmes/parcours").exists());
    let with = site.build(&["--drafts", "--output", "apercu"]);
    assert_eq!(with.code, 0, "{}", with.stderr);
    assert!(
        site.path()
            .join("apercu/agenda/reunion/index.html")
            .exists()
    );
}

#[test]
fn placeholders_of_new_are_never_published() {
    let site = TempSite::sample();
    let r = run_in(
        site.path(),
        &["new", "evenement", "cop31", "--date", "2025-10-20"],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let rel = "content/agenda/2025/cop31.md";
    let written = std::fs::read_to_string(site.path().join(rel)).unwrap();
    assert!(written.contains("draft: true"), "{written}");
    // As written, a draft: built, and nowhere published.
    let b = site.build(&[]);
    assert_eq!(b.code, 0, "{}", b.stderr);
    let public = site.path().join("public");
    assert_eq!(count_in_tree(&public, "titre à compléter"), 0);
    // Published too early: every placeholder is an error.
    site.write(
        "agenda/2025/cop31.md",
        &written.replace("draft: true\n", ""),
    );
    let b = site.build(&[]);
    assert_no_panic(&b);
    assert_eq!(b.code, 1, "{}", b.stderr);
    for needle in [
        &format!(
            "erreur : {rel}:2:1 : le titre est encore le texte d'exemple « Titre à compléter »"
        )[..],
        "le lieu (place) est vide",
        "la phrase d'exemple",
    ] {
        assert!(b.stderr.contains(needle), "{needle}:\n{}", b.stderr);
    }
    assert_eq!(count_in_tree(&public, "titre à compléter"), 0);
    // The same for an article and a partnership.
    site.write("agenda/2025/cop31.md", &written);
    for args in [
        &["new", "article", "2025-09", "essai", "--rubrique", "reseau"][..],
        &["new", "partenariat", "japon", "essai-japon"][..],
    ] {
        assert_eq!(run_in(site.path(), args).code, 0);
    }
    assert_eq!(site.build(&[]).code, 0);
    for rel in [
        "lettres/2025-09/essai.md",
        "repertoire/japon/essai-japon.md",
    ] {
        let p = site.path().join("content").join(rel);
        let t = std::fs::read_to_string(&p).unwrap();
        std::fs::write(&p, t.replace("draft: true\n", "")).unwrap();
    }
    let b = site.check();
    assert_eq!(b.code, 1);
    assert!(
        b.stderr
            .contains("lettres/2025-09/essai.md:2:1 : le titre est encore"),
        "{}",
        b.stderr
    );
    assert!(
        b.stderr
            .contains("`french.name` est encore le texte d'exemple"),
        "{}",
        b.stderr
    );
}

#[test]
fn new_article_refuses_an_unknown_section_and_a_missing_issue() {
    let site = TempSite::sample();
    let r = run_in(
        site.path(),
        &[
            "new",
            "article",
            "2025-09",
            "essai",
            "--rubrique",
            "geografique",
        ],
    );
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr.contains("rubrique « geografique » inconnue")
            && r.stderr.contains("vouliez-vous dire `geographique`"),
        "{}",
        r.stderr
    );
    assert!(
        !site
            .path()
            .join("content/lettres/2025-09/essai.md")
            .exists()
    );
    // A section's printed title stands for its id.
    let r = run_in(
        site.path(),
        &[
            "new",
            "article",
            "2025-09",
            "essai",
            "--rubrique",
            "Actualités géographiques",
        ],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let t = std::fs::read_to_string(site.path().join("content/lettres/2025-09/essai.md")).unwrap();
    assert!(t.contains("\nsection: geographique\n"), "{t}");
    // No issue folder: the message says to create the issue first.
    let r = run_in(
        site.path(),
        &["new", "article", "2031-03", "essai", "--rubrique", "reseau"],
    );
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr.contains("cufpress new lettre 2031-03"),
        "{}",
        r.stderr
    );
    assert!(!site.path().join("content/lettres/2031-03").exists());
}

#[test]
fn the_article_date_is_shown_on_its_page() {
    let site = TempSite::sample();
    site.write(
        "lettres/2025-09/premier-octobre.md",
        "---\ntitle: Le premier jour\nsection: reseau\ndate: 2025-10-01\nsummary: Un résumé.\n---\nTexte.\n",
    );
    let r = site.build(&[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    for (page, iso, shown) in [
        (
            "lettres/2025-09/assises-franco-malgaches/index.html",
            "2025-09-18",
            "18 septembre 2025",
        ),
        (
            "lettres/2025-09/premier-octobre/index.html",
            "2025-10-01",
            "1er octobre 2025",
        ),
    ] {
        let doc = site.html(page);
        let times = select(&doc, &format!("article time[datetime=\"{iso}\"]"));
        assert_eq!(times.len(), 1, "{page}");
        assert_eq!(text(&times[0]), shown);
    }
}

#[test]
fn body_images_need_alt_text_and_titles_are_plain_text() {
    let site = TempSite::fixture("core-minimal");
    site.write(
        "lettres/2025-09/images-sans-alt.md",
        "---\ntitle: Réunion <b>importante</b>\nsection: geographique\nsummary: x\n---\nUn paragraphe.\n\n![](images/photo.png)\n\n![   ](images/photo.png)\n\n<img src=\"images/photo.png\">\n\n![Une photo](images/photo.png)\n",
    );
    let r = site.check();
    assert_no_panic(&r);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let file = "content/lettres/2025-09/images-sans-alt.md";
    for line in [8, 10, 12] {
        assert!(
            r.stderr
                .lines()
                .any(|l| l.starts_with(&format!("erreur : {file}:{line}:"))
                    && l.contains("image sans texte alternatif")),
            "line {line}:\n{}",
            r.stderr
        );
    }
    assert!(
        !r.stderr
            .lines()
            .any(|l| l.starts_with(&format!("erreur : {file}:14:"))),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains(&format!(
            "avertissement : {file}:2:1 : le titre contient la balise HTML « <b> »"
        )),
        "{}",
        r.stderr
    );
}

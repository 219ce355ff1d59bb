//! Whole-site tests of bad input: one test per kind of mistake of
//! CONTENT-MODEL.md "What a bad file gets", each run through the real
//! binary, asserting the French message names the file, line and column,
//! shows the excerpt and suggests what would be right — and never panics.

mod common;

use common::{Run, TempSite};

/// One diagnostic as printed by `cufpress` (the human format).
#[derive(Debug, Clone)]
struct Printed {
    file: String,
    line: u32,
    column: u32,
    message: String,
    excerpt: Option<String>,
    help: Option<String>,
}

/// Parses every `erreur : FILE:LINE:COL : MESSAGE` block of stderr.
fn printed(stderr: &str) -> Vec<Printed> {
    let mut out: Vec<Printed> = Vec::new();
    for line in stderr.lines() {
        if let Some(rest) = line.strip_prefix("erreur : ") {
            let (loc, message) = rest.split_once(" : ").unwrap_or((rest, ""));
            let mut parts = loc.split(':');
            let file = parts.next().unwrap_or("").to_string();
            let line_no = parts.next().and_then(|n| n.parse().ok()).unwrap_or(0);
            let column = parts.next().and_then(|n| n.parse().ok()).unwrap_or(0);
            out.push(Printed {
                file,
                line: line_no,
                column,
                message: message.to_string(),
                excerpt: None,
                help: None,
            });
        } else if let Some(last) = out.last_mut() {
            let t = line.trim_start();
            if let Some(h) = t.strip_prefix("aide : ") {
                last.help = Some(h.to_string());
            } else if let Some((num, text)) = t.split_once(" | ")
                && num.trim().parse::<u32>() == Ok(last.line)
            {
                last.excerpt = Some(text.to_string());
            }
        }
    }
    out
}

/// The stderr of a run must never show a panic or a backtrace.
fn assert_no_panic(r: &Run) {
    for bad in [
        "panicked",
        "RUST_BACKTRACE",
        "stack backtrace",
        "thread 'main'",
    ] {
        assert!(
            !r.stderr.contains(bad) && !r.stdout.contains(bad),
            "panic output ({bad}):\n{}",
            r.stderr
        );
    }
}

/// Runs `check` on a copy of the minimal fixture with `files` written in,
/// expects failure (exit 1) and returns the printed diagnostics.
fn check_with(files: &[(&str, &str)]) -> (Vec<Printed>, Run) {
    let site = TempSite::fixture("core-minimal");
    for (rel, text) in files {
        site.write(rel, text);
    }
    let r = site.check();
    assert_no_panic(&r);
    assert_eq!(r.code, 1, "content errors exit 1:\n{}", r.stderr);
    (printed(&r.stderr), r)
}

/// The one diagnostic about `file` whose message contains `needle`,
/// checked to be located (line, column) with its source excerpt.
fn find<'a>(ds: &'a [Printed], file: &str, needle: &str) -> &'a Printed {
    let d = ds
        .iter()
        .find(|d| d.file == format!("content/{file}") && d.message.contains(needle))
        .unwrap_or_else(|| panic!("no diagnostic « {needle} » for {file} in {ds:#?}"));
    assert!(d.line > 0, "line missing: {d:?}");
    assert!(d.column > 0, "column missing: {d:?}");
    assert!(d.excerpt.is_some(), "excerpt missing: {d:?}");
    d
}

const ARTICLE: &str = "lettres/2025-09/test.md";

#[test]
fn yaml_syntax_error_is_located() {
    let (ds, _) = check_with(&[(
        ARTICLE,
        "---\ntitle: Titre\nsection: [geographique\nweight: 3\n---\nTexte.\n",
    )]);
    let d = find(&ds, ARTICLE, "syntaxe YAML");
    assert!((3..=5).contains(&d.line), "{d:?}");
    assert!(d.help.is_some(), "a hint is given: {d:?}");
}

#[test]
fn unknown_key_typo_suggests_the_right_key() {
    let (ds, _) = check_with(&[(
        ARTICLE,
        "---\ntittle: Titre\nsection: geographique\n---\nTexte.\n",
    )]);
    let d = find(&ds, ARTICLE, "`tittle` : clé inconnue");
    assert_eq!((d.line, d.column), (2, 1));
    assert_eq!(d.excerpt.as_deref(), Some("tittle: Titre"));
    assert_eq!(d.help.as_deref(), Some("vouliez-vous dire `title` ?"));
}

#[test]
fn missing_required_key_is_named() {
    let (ds, _) = check_with(&[(ARTICLE, "---\ntitle: Titre\n---\nTexte.\n")]);
    let d = find(&ds, ARTICLE, "`section` manque");
    assert_eq!(d.line, 2);
}

#[test]
fn wrong_type_names_key_and_line() {
    let (ds, _) = check_with(&[(
        ARTICLE,
        "---\ntitle: Titre\nsection: geographique\nweight: beaucoup\n---\nTexte.\n",
    )]);
    let d = find(&ds, ARTICLE, "`weight`");
    assert_eq!(d.line, 4, "{d:?}");
    assert!(d.message.contains("type de valeur invalide"), "{d:?}");
}

#[test]
fn impossible_date_is_reported() {
    let (ds, _) = check_with(&[(
        ARTICLE,
        "---\ntitle: Titre\nsection: geographique\ndate: 2025-02-30\n---\nTexte.\n",
    )]);
    let d = find(&ds, ARTICLE, "2025-02-30");
    assert_eq!(d.line, 4, "{d:?}");
    assert!(d.message.contains("date invalide"), "{d:?}");
}

#[test]
fn unknown_section_suggests_closest() {
    let (ds, _) = check_with(&[(
        ARTICLE,
        "---\ntitle: Titre\nsection: geographiqe\n---\nTexte.\n",
    )]);
    let d = find(&ds, ARTICLE, "rubrique « geographiqe » inconnue");
    assert_eq!(d.line, 3);
    assert!(
        d.help.as_deref().unwrap_or("").contains("`geographique`"),
        "{d:?}"
    );
}

#[test]
fn unknown_group_suggests_closest() {
    let (ds, _) = check_with(&[(
        ARTICLE,
        "---\ntitle: Titre\nsection: geographique\ngroup: madagscar\n---\nTexte.\n",
    )]);
    let d = find(&ds, ARTICLE, "groupe « madagscar » inconnu");
    assert_eq!(d.line, 4);
    assert!(
        d.help.as_deref().unwrap_or("").contains("`madagascar`"),
        "{d:?}"
    );
}

#[test]
fn unknown_theme_suggests_closest() {
    let (ds, _) = check_with(&[(
        ARTICLE,
        "---\ntitle: Titre\nsection: geographique\nthemes: [eau, climt]\n---\nTexte.\n",
    )]);
    let d = find(&ds, ARTICLE, "thème « climt » inconnu");
    assert_eq!(d.line, 4);
    assert!(
        d.help.as_deref().unwrap_or("").contains("`climat`"),
        "{d:?}"
    );
}

#[test]
fn missing_image_suggests_closest() {
    let (ds, _) = check_with(&[(
        ARTICLE,
        "---\ntitle: Titre\nsection: geographique\nimage: images/phot.png\nimage_alt: Une photo\n---\nTexte.\n",
    )]);
    let d = find(&ds, ARTICLE, "image introuvable");
    assert_eq!(d.line, 4);
    assert!(
        d.help.as_deref().unwrap_or("").contains("images/photo.png"),
        "{d:?}"
    );
}

#[test]
fn missing_image_in_body_is_reported() {
    let (ds, _) = check_with(&[(
        ARTICLE,
        "---\ntitle: Titre\nsection: geographique\n---\nTexte.\n\n![Une photo](images/phot.png)\n",
    )]);
    let d = find(&ds, ARTICLE, "introuvable");
    assert_eq!(d.line, 7);
    assert!(
        d.help.as_deref().unwrap_or("").contains("images/photo.png"),
        "{d:?}"
    );
}

#[test]
fn image_without_alt_is_an_error() {
    let (ds, _) = check_with(&[(
        ARTICLE,
        "---\ntitle: Titre\nsection: geographique\nimage: images/photo.png\n---\nTexte.\n",
    )]);
    let d = find(&ds, ARTICLE, "image_alt");
    assert_eq!(d.line, 4);
}

#[test]
fn broken_internal_link_suggests_closest() {
    let (ds, _) = check_with(&[(
        ARTICLE,
        "---\ntitle: Titre\nsection: geographique\n---\nPremière ligne.\n\nVoir [l'été](../2025-07/ancein.md).\n",
    )]);
    let d = find(&ds, ARTICLE, "ancein.md");
    assert_eq!(d.line, 7, "{d:?}");
    assert_eq!(d.column, 6, "the column of the link: {d:?}");
    assert!(
        d.help
            .as_deref()
            .unwrap_or("")
            .contains("../2025-07/ancien.md"),
        "{d:?}"
    );
}

#[test]
fn links_and_images_escaping_content_are_refused() {
    let (ds, _) = check_with(&[
        (
            ARTICLE,
            "---\ntitle: Titre\nsection: geographique\n---\nVoir [ceci](../../../../etc/passwd.md).\n",
        ),
        (
            "lettres/2025-09/evasion-image.md",
            "---\ntitle: Titre\nsection: geographique\nimage: ../../../../etc/passwd\nimage_alt: x\n---\nTexte.\n",
        ),
    ]);
    let d = find(&ds, ARTICLE, "sort du dossier content/");
    assert_eq!(d.line, 5);
    let d = find(
        &ds,
        "lettres/2025-09/evasion-image.md",
        "sort du dossier content/",
    );
    assert_eq!(d.line, 4);
}

/// Each kind of dangerous HTML in its own file, all in one run.
#[test]
fn dangerous_html_is_reported_with_file_and_line_and_never_published() {
    let head = "---\ntitle: Titre\nsection: geographique\n---\nUne ligne.\n\n";
    let cases = [
        ("script", "<script>alert(1)</script>\n", "<script>"),
        (
            "onclick",
            "Un <span onclick=\"alert(1)\">clic</span>.\n",
            "onclick",
        ),
        (
            "javascript",
            "Un [lien](javascript:alert(1)).\n",
            "javascript:",
        ),
        (
            "iframe",
            "<iframe src=\"https://example.org/\"></iframe>\n",
            "<iframe>",
        ),
    ];
    let site = TempSite::fixture("core-minimal");
    for (name, body, _) in &cases {
        site.write(
            &format!("lettres/2025-09/{name}.md"),
            &format!("{head}{body}"),
        );
    }
    let r = site.build(&[]);
    assert_no_panic(&r);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let ds = printed(&r.stderr);
    for (name, _, needle) in &cases {
        let d = find(&ds, &format!("lettres/2025-09/{name}.md"), needle);
        assert_eq!(d.line, 7, "{d:?}");
    }
    assert!(
        !site.path().join("public").exists(),
        "a failed build writes nothing"
    );
}

/// The sanitiser itself: whatever the Markdown holds, the HTML that would be
/// published has no script, no event handler, no `javascript:` URL, no iframe.
#[test]
fn sanitised_body_holds_nothing_that_runs() {
    let body = "Texte <script>alert(1)</script> et <span onclick=\"alert(1)\" onmouseover='x'>a</span>.\n\n\
        <img src=\"x.png\" onerror=\"alert(1)\" alt=\"x\">\n\n\
        [lien](javascript:alert(1)) [lien2](JaVaScRiPt:alert(1)) <a href=\"javascript:alert(1)\">a</a>\n\n\
        <iframe src=\"https://example.org/\"></iframe><object data=\"x\"></object>\n\n\
        <svg><script>alert(1)</script></svg> <math><mi xlink:href=\"javascript:alert(1)\">x</mi></math>\n\n\
        Permis : 3<sup>e</sup> et une<br>ligne.\n";
    let source = format!("---\ntitle: t\nsection: s\n---\n{body}");
    let (out, diags) = cufpress::load::markdown::render(&cufpress::load::markdown::MdInput {
        file: "content/lettres/2025-09/x.md",
        dir: "content/lettres/2025-09",
        source: &source,
        body,
        body_offset: 4,
        base_path: "",
    });
    assert!(diags.len() >= 5, "each is reported: {diags:#?}");
    assert!(diags.iter().all(|d| d.line > 4), "{diags:#?}");
    let doc = scraper::Html::parse_fragment(&out.html);
    let all = common::select(&doc, "*");
    for el in &all {
        let name = el.value().name();
        assert!(
            !["script", "iframe", "object", "embed", "svg", "math"].contains(&name),
            "<{name}> survived: {}",
            out.html
        );
        for (attr, value) in el.value().attrs() {
            assert!(!attr.starts_with("on"), "{attr} survived: {}", out.html);
            assert!(
                !value
                    .to_ascii_lowercase()
                    .replace(char::is_whitespace, "")
                    .contains("javascript:"),
                "javascript: survived: {}",
                out.html
            );
        }
    }
    assert!(!all.is_empty());
    assert_eq!(
        common::select(&doc, "sup").len(),
        1,
        "harmless HTML is kept: {}",
        out.html
    );
    assert_eq!(common::select(&doc, "br").len(), 1, "{}", out.html);
}

#[test]
fn empty_file_is_an_error() {
    let (ds, _) = check_with(&[(ARTICLE, "")]);
    let d = ds
        .iter()
        .find(|d| d.file == format!("content/{ARTICLE}") && d.message.contains("vide"))
        .unwrap_or_else(|| panic!("{ds:#?}"));
    assert_eq!(d.line, 1);
}

#[test]
fn binary_junk_is_an_error() {
    let site = TempSite::fixture("core-minimal");
    let mut junk: Vec<u8> = (0..4096u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    junk[10] = 0xff;
    std::fs::write(site.path().join("content").join(ARTICLE), &junk).unwrap();
    std::fs::write(
        site.path().join("content/groupes/nul.md"),
        b"---\ntitle: a\0b\n---\n",
    )
    .unwrap();
    let r = site.check();
    assert_no_panic(&r);
    assert_eq!(r.code, 1);
    let ds = printed(&r.stderr);
    assert!(
        ds.iter()
            .any(|d| d.file.ends_with(ARTICLE) && d.message.contains("UTF-8")),
        "{ds:#?}"
    );
    assert!(
        ds.iter()
            .any(|d| d.file.ends_with("nul.md") && d.message.contains("binaire")),
        "{ds:#?}"
    );
}

#[test]
fn ten_megabyte_article_builds_in_reasonable_time() {
    let site = TempSite::fixture("core-minimal");
    let mut text = String::from("---\ntitle: Un très long article\nsection: geographique\n---\n");
    let para = "Le groupe-pays se réunit ; pourquoi ? Parce que « la coopération » compte : la 3e fois, le 1er jour ! `code ? oui` et [un lien](https://partenaires.example.net/a?b=c).\n\n";
    while text.len() < 10 * 1024 * 1024 {
        text.push_str(para);
    }
    site.write(ARTICLE, &text);
    let start = std::time::Instant::now();
    let r = site.build(&[]);
    let took = start.elapsed();
    assert_no_panic(&r);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(took.as_secs() < 120, "10 MB article took {took:?}");
    let html = site.read("lettres/2025-09/test/index.html");
    assert!(html.len() > 10 * 1024 * 1024);
}

#[test]
fn crlf_and_bom_build_and_keep_line_numbers() {
    let good = "\u{feff}---\r\ntitle: Fenêtres\r\nsection: geographique\r\n---\r\nUn texte ; écrit sous Windows.\r\n";
    let site = TempSite::fixture("core-minimal");
    site.write(ARTICLE, good);
    let r = site.build(&[]);
    assert_no_panic(&r);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let doc = site.html("lettres/2025-09/test/index.html");
    assert_eq!(common::text(&common::select(&doc, "h1")[0]), "Fenêtres");

    let bad = "\u{feff}---\r\ntitle: Fenêtres\r\nsection: geographique\r\ngroup: madagscar\r\n---\r\nTexte.\r\n\r\nVoir [ici](nulle-part.md).\r\n";
    let (ds, _) = check_with(&[(ARTICLE, bad)]);
    let d = find(&ds, ARTICLE, "madagscar");
    assert_eq!((d.line, d.column), (4, 8), "{d:?}");
    assert_eq!(
        d.excerpt.as_deref(),
        Some("group: madagscar"),
        "no \\r in the excerpt"
    );
    let d = find(&ds, ARTICLE, "nulle-part.md");
    assert_eq!((d.line, d.column), (8, 6), "{d:?}");
}

#[test]
fn invalid_file_name_is_named() {
    let (ds, _) = check_with(&[(
        "lettres/2025-09/Réunion Liban.md",
        "---\ntitle: Titre\nsection: geographique\n---\nTexte.\n",
    )]);
    assert!(
        ds.iter()
            .any(|d| d.file.contains("Réunion Liban.md") && d.message.contains("invalide")),
        "{ds:#?}"
    );
}

#[test]
fn typo_in_site_yaml_is_reported() {
    let site = TempSite::fixture("core-minimal");
    let yaml = std::fs::read_to_string(site.path().join("content/site.yaml")).unwrap();
    site.write("site.yaml", &yaml.replace("letter_title:", "letter_tilte:"));
    let r = site.check();
    assert_no_panic(&r);
    assert_eq!(r.code, 1);
    let ds = printed(&r.stderr);
    let d = ds
        .iter()
        .find(|d| d.file == "content/site.yaml" && d.message.contains("letter_tilte"))
        .unwrap_or_else(|| panic!("{ds:#?}"));
    assert_eq!(d.line, 4);
    assert!(
        d.help.as_deref().unwrap_or("").contains("letter_title"),
        "{d:?}"
    );
}

/// Several mistakes in several files: all reported in one run, sorted.
#[test]
fn every_mistake_of_a_run_is_reported_at_once() {
    let (ds, r) = check_with(&[
        (
            "lettres/2025-09/un.md",
            "---\ntittle: Un\nsection: geographique\n---\n",
        ),
        (
            "lettres/2025-09/deux.md",
            "---\ntitle: Deux\nsection: geographique\ngroup: climt\n---\n",
        ),
        (
            "lettres/2025-09/trois.md",
            "---\ntitle: Trois\nsection: geo\n---\nVoir [x](absent.md).\n",
        ),
        ("groupes/quatre.md", "---\nname: Quatre\nkind: pay\n---\n"),
        ("lettres/2025-09/cinq.md", ""),
        (
            "lettres/2025-09/six.md",
            "---\ntitle: Six\nsection: geographique\ngroup: madagscar\n---\n<script>x</script>\n",
        ),
    ]);
    for (file, needle) in [
        ("lettres/2025-09/un.md", "tittle"),
        ("lettres/2025-09/deux.md", "climt"),
        ("lettres/2025-09/trois.md", "geo"),
        ("lettres/2025-09/trois.md", "absent.md"),
        ("groupes/quatre.md", "pay"),
        ("lettres/2025-09/six.md", "<script>"),
        // A reference mistake in a page that also has dangerous HTML.
        ("lettres/2025-09/six.md", "madagscar"),
    ] {
        find(&ds, file, needle);
    }
    assert!(ds.iter().any(|d| d.file.ends_with("cinq.md")), "{ds:#?}");
    let errors = ds.len();
    assert!(
        r.stderr.contains(&format!("Échec : {errors} erreurs")),
        "{}",
        r.stderr
    );
    let keys: Vec<(String, u32)> = ds.iter().map(|d| (d.file.clone(), d.line)).collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted, "diagnostics are sorted by file and line");
}

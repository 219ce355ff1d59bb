//! French typography wherever text is shown, through the real binary: no
//! line of a page or of the e-mail begins with « : ; ! ? » » at 375 px
//! (walked on line boxes in Chromium), plain-text outputs carry the no-break
//! characters and never `<sup>` markup, and the theme's own strings use the
//! typographic apostrophe.

mod common;

use common::*;

const NNBSP: char = '\u{202F}';
const NBSP: char = '\u{A0}';

fn built_sample() -> TempSite {
    let site = TempSite::sample();
    let r = site.build(&[]);
    assert_eq!(r.code, 0, "la construction a échoué :\n{}", r.stderr);
    site
}

/// Every place `text` could break before high punctuation or after `«`
/// (an ordinary space there), with some context.
fn breakable_marks(text: &str) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    for (i, c) in chars.iter().enumerate() {
        let before = i.checked_sub(1).map(|j| chars[j]);
        let after = chars.get(i + 1);
        let bad = (matches!(c, ':' | ';' | '!' | '?' | '»')
            && before.is_some_and(|b| b == ' ' || b == '\t'))
            || (*c == '«' && after.is_some_and(|a| *a == ' ' || *a == '\n'));
        if bad {
            let from = i.saturating_sub(30);
            let to = (i + 30).min(chars.len());
            out.push(chars[from..to].iter().collect());
        }
    }
    out
}

#[test]
fn no_line_begins_with_high_punctuation_at_375_px() {
    let site = built_sample();
    let public = site.path().join("public");
    let pages = [
        "/",
        "/agenda/",
        "/agenda/11-eau-enjeux-globaux-solutions-locales/",
        "/agenda/2026-01-proche-orient/",
        "/lettres/2025-09/",
        "/lettres/2025-09/plaquette-municipales-2026/",
        "/lettres/2025-09/dcol-12e-appel/",
        "/groupes/japon/",
        "/programmes/diplomates-des-territoires/",
        "/programmes/chroniques-geopolitiques/",
        "/repertoire/japon/",
        "/lettres/2025-09/email.html",
    ];
    let public = public.display().to_string();
    let mut args = vec![public.as_str(), "375"];
    args.extend_from_slice(&pages);
    let v = node_json("typography-lines.mjs", &args);
    let mut problems = Vec::new();
    for p in v["pages"].as_array().unwrap() {
        let path = p["path"].as_str().unwrap();
        // The walk really ran over the page's lines.
        assert!(p["lines"].as_u64().unwrap() > 20, "{path} : {p}");
        for s in p["starts"].as_array().unwrap() {
            problems.push(format!("{path} : ligne qui commence par un signe : {s}"));
        }
        for s in p["breaks"].as_array().unwrap() {
            problems.push(format!("{path} : espace sécable avant un signe : {s}"));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn plain_text_outputs_get_no_break_characters_and_no_markup() {
    let site = built_sample();
    let txt = site.read("lettres/2025-09/email.txt");
    let bad = breakable_marks(&txt);
    assert!(bad.is_empty(), "email.txt :\n{}", bad.join("\n"));
    assert!(!txt.contains("<sup>") && !txt.contains('^'), "{txt}");
    // An event of the letter's agenda, and the preheader.
    assert!(
        txt.contains(&format!(
            "Chroniques géopolitiques{NBSP}: «{NNBSP}La rentrée diplomatique"
        )) && txt.contains(&format!("l\u{2019}épreuve du monde{NNBSP}»")),
        "{txt}"
    );
    let ics = site.read("agenda.ics").replace("\r\n ", "");
    assert!(
        ics.contains("SUMMARY:9es Rencontres franco-japonaises"),
        "{ics}"
    );
    assert!(!ics.contains("<sup>"));
    assert!(ics.contains(&format!("Chroniques géopolitiques{NBSP}: «{NNBSP}")));
    let event = site.read("agenda/rencontres-franco-japonaises-cannes/index.html");
    assert!(
        event.contains("9<sup>es</sup> Rencontres"),
        "ordinal en exposant"
    );
    let ld = event
        .split("application/ld+json\">")
        .nth(1)
        .and_then(|s| s.split("</script>").next())
        .expect("JSON-LD");
    let ld: serde_json::Value = serde_json::from_str(ld).unwrap();
    assert!(
        ld["name"]
            .as_str()
            .unwrap()
            .starts_with("9es Rencontres franco-japonaises"),
        "{ld}"
    );
    let atom = site.read("atom.xml");
    // Titles and summaries are plain text (the `html` content may hold <sup>).
    for tag in ["title", "summary"] {
        for part in atom.split(&format!("<{tag}>")).skip(1) {
            let t = part.split(&format!("</{tag}>")).next().unwrap();
            assert!(!t.contains("&lt;") && !t.contains('^'), "<{tag}>{t}");
        }
    }
    assert!(atom.contains(&format!(
        "<title>Tribune CUF-AFCCRE-AIMF{NBSP}: plus de 50 élues"
    )));
}

#[test]
fn theme_strings_and_fields_use_typographic_apostrophes() {
    let site = TempSite::sample();
    let r = site.build(&[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(!r.stderr.contains("région française"), "{}", r.stderr);
    let article = site.read("lettres/2025-09/dcol-12e-appel/index.html");
    assert!(
        article.contains("Pour plus d\u{2019}informations"),
        "{article}"
    );
    assert!(!article.contains("Pour plus d'informations"));
    let summary = format!(
        "Six candidatures reçues{NNBSP}; les accompagnements se dérouleront d\u{2019}octobre"
    );
    assert!(article.contains(&summary), "résumé : {article}");
    let home = site.read("index.html");
    assert!(
        home.contains(&format!("Assises franco-malgaches{NBSP}: la rentrée")),
        "chapeau de l'accueil"
    );
    let japon = site.read("repertoire/japon/index.html");
    assert!(japon.contains("Pacte d\u{2019}amitié"), "{japon}");
    assert!(!japon.contains("Pacte d'amitié"));
    assert!(
        japon.contains("Provence-Alpes-Côte d\u{2019}Azur"),
        "{japon}"
    );
    assert!(!japon.contains("Côte d'Azur"));
}

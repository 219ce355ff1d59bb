//! The writers' mistakes the pre-scan must find, where they are, and the
//! headers it must leave alone.

use super::*;

/// The errors for `yaml` (as the front matter of a file starting `---`).
fn scan(yaml: &str) -> Prescan {
    let source = format!("---\n{yaml}---\n");
    prescan("a.md", &source, yaml, 1)
}

/// The one error of `yaml`: (file line, column, message).
fn one(yaml: &str) -> (u32, u32, String, String) {
    let p = scan(yaml);
    assert_eq!(p.errors.len(), 1, "{yaml:?}: {:#?}", p.errors);
    let d = &p.errors[0];
    (
        d.line,
        d.column,
        d.message.clone(),
        d.suggestion.clone().unwrap_or_default(),
    )
}

#[test]
fn good_headers_pass() {
    for y in [
        "title: \"DCOL : le 12e appel\"\nsection: geographique\n",
        "title: « Pacte » signé à Lyon\nthemes: [climat, 'l''eau', \"a, b\"]\n",
        "period:\n  from: 2025-09-01\n  to: 2025-11-30\n",
        "contacts:\n  - name: A\n    role: \"B\"\n  - name: C\nnext: 1\n",
        "themes:\n- a\n- b\nother: x\n",
        "summary: |\n  Un texte : libre\n  \t avec # et \"\nlink: https://a.example/b?c=d#e\n",
        "title: Réunion #3\n",
        "summary: Une phrase\n  qui continue\n",
        "title: \"Le \\\"Pacte\\\"\"\nx: 'it''s'\n",
        "title: Le 10\u{a0}% des villes\n",
        "period: {from: 2025-09-01, to: 2025-11-30}\n",
        "themes: [\n  a,\n  b\n]\n",
        "# commentaire\ntitle: x # note\n",
        "title: \"multi\n  ligne\"\nsection: a\n",
        "start: 2025-10-14T14:00\n",
        "title: ?Pourquoi\n",
    ] {
        let p = scan(y);
        assert!(p.errors.is_empty(), "{y:?}: {:#?}", p.errors);
    }
}

#[test]
fn tabs_anywhere_in_the_structure() {
    let (l, c, m, h) = one("period:\n\tfrom: 2025-09-01\n");
    assert_eq!((l, c), (3, 1));
    assert!(m.contains("tabulation") && m.contains("indentation"), "{m}");
    assert!(h.contains("espaces"), "{h}");
    let (l, c, m, _) = one("title:\tx\n");
    assert_eq!((l, c), (2, 7));
    assert!(m.contains("tabulation"), "{m}");
    let (l, c, m, _) = one("themes:\n  -\tclimat\n");
    assert_eq!((l, c), (3, 4));
    assert!(m.contains("tabulation"), "{m}");
    let (_, _, m, _) = one("section: geo\t\n");
    assert!(m.contains("tabulation") && m.contains("fin"), "{m}");
}

#[test]
fn invisible_characters_in_the_structure() {
    let (l, c, m, h) = one("title: a\nsection:\u{a0}geographique\n");
    assert_eq!((l, c), (3, 9));
    assert!(m.contains("U+00A0"), "{m}");
    assert!(h.contains("section: geographique"), "{h}");
    let (_, c, m, _) = one("section\u{202f}: geo\n");
    assert_eq!(c, 8);
    assert!(m.contains("U+202F") && m.contains("nom de la clé"), "{m}");
    let (_, c, m, _) = one("\u{200b}title: x\n");
    assert_eq!(c, 1);
    assert!(m.contains("U+200B"), "{m}");
    let (_, _, m, _) = one("section: geo\u{feff}\n");
    assert!(m.contains("U+FEFF"), "{m}");
    let (_, _, m, _) = one("section: \u{a0}geo\n");
    assert!(m.contains("U+00A0"), "{m}");
}

#[test]
fn control_characters_anywhere() {
    let (l, c, m, _) = one("title: a\u{1}b\n");
    assert_eq!((l, c), (2, 9));
    assert!(m.contains("contrôle") && m.contains("U+0001"), "{m}");
    let (_, _, m, _) = one("# note \u{7}\ntitle: x\n");
    assert!(m.contains("U+0007"), "{m}");
    let (_, _, m, _) = one("title: \"x\u{fffe}\"\n");
    assert!(m.contains("U+FFFE"), "{m}");
}

#[test]
fn word_and_french_quotes_used_as_yaml_quotes() {
    let (l, c, m, h) = one("title: “Réunion : bilan”\n");
    assert_eq!((l, c), (2, 8));
    assert!(m.contains("guillemets"), "{m}");
    assert!(h.contains("title: \"Réunion : bilan\""), "{h}");
    let (_, _, _, h) = one("title: “Réunion”\n");
    assert!(h.contains("title: \"Réunion\""), "{h}");
    let (_, _, m, h) = one("title: « Les villes s'engagent »\n");
    assert!(m.contains("« »"), "{m}");
    assert!(h.contains("\"Les villes s'engagent\""), "{h}");
    assert!(h.contains("\"« Les villes s'engagent »\""), "{h}");
    let (_, _, _, h) = one("summary: ‘Bilan’\n");
    assert!(h.contains("summary: \"Bilan\""), "{h}");
    // Only an opening quote, with a colon: the colon is the mistake.
    let (_, c, m, _) = one("title: “Réunion : bilan\n");
    assert_eq!(c, 17);
    assert!(m.contains("deux-points"), "{m}");
}

#[test]
fn unclosed_quotes_and_brackets_point_at_their_opening_line() {
    let (l, c, m, h) = one("title: \"Réunion des maires\nsummary: \"Bilan\"\nsection: a\n");
    assert_eq!((l, c), (2, 8));
    assert!(m.contains("jamais fermé"), "{m}");
    assert!(h.contains("même ligne"), "{h}");
    let (l, c, m, _) = one("title: Titre\nsection: [geographique\nweight: 3\n");
    assert_eq!((l, c), (3, 10));
    assert!(m.contains("« [ »"), "{m}");
    let (l, _, m, _) = one("title: x\nthemes: [a, b\n");
    assert_eq!(l, 3);
    assert!(m.contains("jamais fermé"), "{m}");
    let (l, _, _, _) = one("title: 'x\n");
    assert_eq!(l, 2);
}

#[test]
fn text_after_a_closing_quote() {
    let (l, c, m, h) = one("title: \"Le \"Pacte\" signé\"\n");
    assert_eq!((l, c), (2, 13));
    assert!(m.contains("après le guillemet"), "{m}");
    assert!(h.contains("title: \"Le « Pacte » signé\""), "{h}");
}

#[test]
fn colon_in_an_unquoted_value() {
    let (l, c, m, h) = one("title: Réunion : bilan\n");
    assert_eq!((l, c), (2, 16));
    assert!(m.contains("deux-points"), "{m}");
    assert!(h.contains("title: \"Réunion : bilan\""), "{h}");
    let (_, _, _, h) = one("summary: Il a dit \"non\" : fin\n");
    assert!(h.contains("summary: 'Il a dit \"non\" : fin'"), "{h}");
}

#[test]
fn no_space_after_the_colon_is_named_on_its_line() {
    let (l, c, m, h) = one("title: a\nsection:geographique\n");
    assert_eq!((l, c), (3, 1));
    assert!(m.contains("clé: valeur"), "{m}");
    assert!(h.contains("section: geographique"), "{h}");
}

#[test]
fn duplicate_keys_name_both_lines() {
    let (l, c, m, _) = one("title: a\nsection: b\ntitle: c\n");
    assert_eq!((l, c), (4, 1));
    assert!(m.contains("`title`") && m.contains("ligne 2"), "{m}");
    let (l, _, m, _) = one("period:\n  from: 2025-09-01\n  from: 2025-09-02\n");
    assert_eq!(l, 4);
    assert!(m.contains("`from`"), "{m}");
    // The same key in two list items is no duplicate.
    assert!(scan("c:\n  - name: a\n  - name: b\n").errors.is_empty());
}

#[test]
fn a_list_where_a_value_is_expected() {
    let (l, c, m, _) = one("title: Bilan\n- point\n");
    assert_eq!((l, c), (3, 1));
    assert!(m.contains("tiret"), "{m}");
    let (l, c, m, h) = one("themes: - climat\n");
    assert_eq!((l, c), (2, 9));
    assert!(m.contains("liste"), "{m}");
    assert!(h.contains("themes:"), "{h}");
}

#[test]
fn values_that_cannot_start_unquoted() {
    for (y, c) in [
        ("title: *gras*\n", '*'),
        ("title: &a x\n", '&'),
        ("title: @cuf\n", '@'),
        ("title: %20\n", '%'),
        ("title: !important\n", '!'),
        ("title: `code`\n", '`'),
    ] {
        let (_, col, m, h) = one(y);
        assert_eq!(col, 8, "{y}");
        assert!(m.contains(&format!("« {c} »")), "{m}");
        assert!(h.contains("guillemets"), "{h}");
    }
    let (_, _, m, _) = one("a: &a [1,2]\n");
    assert!(m.contains("alias"), "{m}");
}

#[test]
fn unknown_escapes_in_double_quotes() {
    let (l, c, m, h) = one("image: \"C:\\Users\\photo.jpg\"\n");
    assert_eq!((l, c), (2, 11));
    assert!(m.contains("\\U") || m.contains("\\s"), "{m}");
    assert!(h.contains("guillemets simples"), "{h}");
}

#[test]
fn one_mistake_per_line() {
    // The tab, corrected into spaces, leaves `weight` indented: not a
    // second mistake.
    let (l, _, m, _) = one("title: x\n\tweight: 3\n");
    assert_eq!(l, 3);
    assert!(m.contains("tabulation"), "{m}");
}

#[test]
fn an_indented_first_key_is_named() {
    let (l, c, m, h) = one("  title: x\nsection: y\n");
    assert_eq!((l, c), (3, 1));
    assert!(m.contains("ligne 2"), "{m}");
    assert!(h.contains("début de ligne"), "{h}");
}

#[test]
fn document_markers_inside() {
    let (l, _, m, _) = one("title: a\n...\nsection: b\n");
    assert_eq!(l, 3);
    assert!(m.contains("« ... »"), "{m}");
    let p = prescan("site.yaml", "a: 1\n---\nb: 2\n", "a: 1\n---\nb: 2\n", 0);
    assert_eq!(p.errors.len(), 1);
    assert_eq!(p.errors[0].line, 2);
}

#[test]
fn deep_nesting_is_refused_in_linear_time() {
    let deep = format!("title: {}{}\n", "[".repeat(100_000), "]".repeat(100_000));
    let (_, _, m, _) = one(&deep);
    assert!(m.contains("imbriqués"), "{m}");
    let dashes = format!("a:\n{}x\n", "- ".repeat(100_000));
    let (_, _, m, _) = one(&dashes);
    assert!(m.contains("imbriqué"), "{m}");
}

#[test]
fn repaired_text_keeps_lines_and_parses() {
    let y = "title: “Réunion : bilan”\nperiod:\n\tfrom: 2025-09-01\nsection:\u{a0}geo\ntitle: x\nsummary: Réunion : bilan\n";
    let p = scan(y);
    assert_eq!(p.errors.len(), 5, "{:#?}", p.errors);
    let r = p.repaired.expect("a repaired text");
    assert_eq!(r.lines().count(), y.lines().count());
    let v: yaml_serde::Value = yaml_serde::from_str(&r).expect(&r);
    assert_eq!(v["title"].as_str(), Some("Réunion : bilan"));
    assert_eq!(v["section"].as_str(), Some("geo"));
    assert_eq!(v["summary"].as_str(), Some("Réunion : bilan"));
    assert!(v["period"]["from"].is_string());
}

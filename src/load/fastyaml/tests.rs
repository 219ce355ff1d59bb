//! The fast reader against yaml_serde: same value, in the same key order,
//! whenever the fast reader gives one.

use proptest::prelude::*;
use yaml_serde::Value;

use super::parse;

/// Panics when `parse` gives a value yaml_serde does not; returns
/// whether the fast reader took it.
fn check(yaml: &str) -> bool {
    let Some(fast) = parse(yaml) else {
        return false;
    };
    let slow: Result<Value, _> = yaml_serde::from_str(yaml);
    match slow {
        Ok(slow) => assert_eq!(format!("{fast:?}"), format!("{slow:?}"), "{yaml:?}"),
        Err(e) => panic!("fast reader accepted {yaml:?}, yaml_serde says {e}"),
    }
    true
}

#[test]
fn usual_headers_are_read_fast_and_alike() {
    let taken = [
        "title: \"Le comité : l'appui\"\nsection: geographique\nthemes: [agriculture, eau]\nweight: 180\n",
        "french:\n  name: \"Mirabel 168\"\n  type: autre\npartner:\n  name: x\nsince: 2019\nprojects:\n  - title: \"la planification\"\n    years: \"2019-2022\"\n    funding: [MEAE, AFD FICOL]\n  - title: b\n",
        "start: 2023-11-14\nend: 2023-11-15\nplace: \"Paris\"\nmembers_only: false\n",
        "# commentaire\nlink: https://cites-unies-france.org/a#b\ntitle: 3^{e} Assises [bilan], suite\n",
        "items:\n- a\n- 'l''eau'\n- [x, \"y, z\"]\nnext:\n  - k: 1\n    l:\n    m: ~\n",
        "a: -5\nb: +5\nc: 0x1F\nd: 012\ne: 1e3\nf: .inf\ng: True\nh: null\ni: 1.50\n",
        "title: Le \"grand\" jour\nnbsp: a\u{A0}#b\ngui: « x »\nq: \"a \\\"b\\\" \\\\ c\"\n",
        "empty:\nlist: []\nnested:\n    deep:\n        deeper: x\n",
    ];
    for y in taken {
        assert!(check(y), "not read fast: {y:?}");
    }
    let left = [
        "title: a\n  suite\n",
        "title: Réunion #3\n",
        "a: &x 1\nb: *x\n",
        "a: |\n  bloc\n",
        "a: {b: 1}\n",
        "a: 1\na: 2\n",
        "a:\tb\n",
        "a: \"x\\n\"\n",
        "a: [b, c,]\n",
        "a: [b,\n  c]\n",
        "- a\n",
        "a: b: c\n",
        "true: x\n",
        "a: 170141183460469231731687303715884105727\n",
        "j: 18446744073709551616\n",
        "",
    ];
    for y in left {
        assert!(!check(y), "read fast: {y:?}");
    }
}

#[test]
fn the_sample_site_headers_are_read_alike() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("content");
    let (mut seen, mut fast) = (0, 0);
    for entry in walkdir::WalkDir::new(root) {
        let entry = entry.expect("readable content/");
        let path = entry.path();
        if path.extension().is_none_or(|e| e != "md" && e != "yaml") {
            continue;
        }
        let text = std::fs::read_to_string(path).expect("utf-8");
        let yaml = if path.extension().is_some_and(|e| e == "yaml") {
            text.as_str()
        } else {
            match crate::load::frontmatter::split("x", &text) {
                Ok(s) => s.yaml,
                Err(_) => continue,
            }
        };
        seen += 1;
        fast += usize::from(check(yaml));
    }
    assert!(seen > 100, "{seen}");
    assert!(fast * 10 >= seen * 9, "only {fast} of {seen} read fast");
}

fn key() -> impl Strategy<Value = String> {
    let usual = prop::sample::select(vec![
        "title", "a", "b-c", "_x", "k1", "name", "type", "region", "years", "funding", "since",
        "themes", "link", "date", "start", "end", "place", "group", "summary", "weight", "id",
    ]);
    let odd = prop::sample::select(vec![
        "true", "null", "123", "on", "x y", "\"q\"", "é", "-a", "?a", "a#", "0x1", "1e3",
    ]);
    prop_oneof![8 => usual, 1 => odd].prop_map(str::to_string)
}

fn scalar() -> impl Strategy<Value = String> {
    let usual = prop::sample::select(vec![
        "a",
        "Réunion de bilan",
        "2019",
        "2023-11-14",
        "\"Mirabel 168\"",
        "'l''eau'",
        "false",
        "https://x.org/a?b=c#d",
        "Commune partenaire 1178",
        "[climat, eau]",
        "\"2019-2022\"",
        "[MEAE, AFD FICOL]",
        "« Relais »",
        "l'eau",
        "3.5",
        "-2",
        "a, b",
        "x [y]",
        "~",
    ]);
    prop_oneof![6 => usual.prop_map(str::to_string), 1 => odd_scalar()]
}

fn odd_scalar() -> impl Strategy<Value = String> {
    prop::sample::select(vec![
        "a",
        "Réunion",
        "14:00",
        "a: b",
        "a #b",
        "a#b",
        "3^{e}",
        "-5",
        "+5",
        "0x1F",
        "-0x1F",
        "0o17",
        "0b101",
        "012",
        "-012",
        "1e3",
        "1.",
        ".5",
        ".inf",
        "-.inf",
        ".nan",
        "nan",
        "inf",
        "~",
        "null",
        "True",
        "FALSE",
        "2023-11-14",
        "[a, b]",
        "[a,b,]",
        "[ ]",
        "[]",
        "[a, [b]]",
        "[\"x, y\", 'z''s']",
        "[?a]",
        "[-a]",
        "[a: b]",
        "[a:b]",
        "[a #b]",
        "[a]x",
        "[ 1 , 2 ]",
        "\"q\\\"x\"",
        "\"a\\\\\"",
        "'it''s'",
        "\"a\\n\"",
        "\"a\" b",
        "'a' ",
        "\"",
        "'",
        "{a: 1}",
        "&a x",
        "*a",
        "!tag x",
        "|",
        ">",
        "@x",
        "`x",
        "%x",
        "?x",
        "? x",
        ":x",
        ": x",
        "-x",
        "- x",
        "-",
        "a ]",
        "{x}",
        "« x »",
        "x\u{a0}#y",
        "é",
        "a\tb",
        "a:",
        "a :",
        "#c",
        "1_000",
        "0",
        "-0",
        "+0",
        "00",
        "1e400",
        "99999999999999999999",
        "-99999999999999999999",
        "0x",
        "+-1",
        "--1",
        "a\u{2028}b",
        "a\u{85}b",
        "\u{feff}a",
        "...",
        "---",
        "a b  ",
    ])
    .prop_map(str::to_string)
}

fn line() -> impl Strategy<Value = String> {
    let indent = prop::sample::select(vec![0usize, 0, 0, 1, 2, 2, 4, 6]);
    let sep = prop::sample::select(vec![": ", ":", ":  ", " : ", ": "]);
    let body = prop_oneof![
        4 => (key(), sep, scalar()).prop_map(|(k, s, v)| format!("{k}{s}{v}")),
        2 => key().prop_map(|k| format!("{k}:")),
        2 => scalar().prop_map(|v| format!("- {v}")),
        2 => (key(), scalar()).prop_map(|(k, v)| format!("- {k}: {v}")),
        1 => key().prop_map(|k| format!("-   {k}:")),
        1 => Just("- - x".to_string()),
        1 => Just("-".to_string()),
        1 => Just("# c".to_string()),
        1 => Just(String::new()),
        1 => odd_scalar(),
    ];
    (indent, body).prop_map(|(i, b)| format!("{}{b}", " ".repeat(i)))
}

/// A header as a tree, written out by [`write`] with varied indents.
#[derive(Debug, Clone)]
enum Node {
    Scalar(String),
    Flow(Vec<String>),
    Map(Vec<(String, Node)>),
    List(Vec<Node>),
}

fn tree() -> impl Strategy<Value = Node> {
    let leaf = prop_oneof![
        3 => scalar().prop_map(Node::Scalar),
        1 => prop::collection::vec(scalar(), 0..4).prop_map(Node::Flow),
    ];
    leaf.prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            2 => prop::collection::vec((key(), inner.clone()), 1..4).prop_map(Node::Map),
            1 => prop::collection::vec(inner, 1..4).prop_map(Node::List),
        ]
    })
}

/// Writes `node` as the value after `key:` (or a list dash) at `indent`;
/// `pick` gives the indent steps and the optional blank or comment lines.
fn write(node: &Node, indent: usize, pick: &mut impl Iterator<Item = u8>, out: &mut String) {
    let step = [2, 2, 4, 1, 3, 0][usize::from(pick.next().unwrap_or(0) % 6)];
    match node {
        Node::Scalar(s) => out.push_str(&format!(" {s}\n")),
        Node::Flow(items) => out.push_str(&format!(" [{}]\n", items.join(", "))),
        Node::Map(entries) => {
            out.push('\n');
            let inner = indent + step.max(1);
            for (k, v) in entries {
                if pick.next().unwrap_or(0) % 9 == 0 {
                    out.push_str(
                        ["\n", "  # c\n", "#\n"][usize::from(pick.next().unwrap_or(0) % 3)],
                    );
                }
                out.push_str(&format!("{}{k}:", " ".repeat(inner)));
                write(v, inner, pick, out);
            }
        }
        Node::List(items) => {
            out.push('\n');
            let inner = indent + step;
            for item in items {
                out.push_str(&format!("{}-", " ".repeat(inner)));
                match item {
                    Node::Map(entries) if pick.next().unwrap_or(0) % 4 != 0 => {
                        let spaces = 1 + usize::from(pick.next().unwrap_or(0) % 2);
                        let col = inner + 1 + spaces;
                        for (i, (k, v)) in entries.iter().enumerate() {
                            let pad = if i == 0 { spaces } else { col };
                            out.push_str(&format!("{}{k}:", " ".repeat(pad)));
                            write(v, col, pick, out);
                        }
                    }
                    other => write(other, inner, pick, out),
                }
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3000))]
    #[test]
    fn never_differs_from_serde_yaml(lines in prop::collection::vec(line(), 0..9)) {
        let yaml = lines.join("\n") + "\n";
        check(&yaml);
    }

    #[test]
    fn trees_never_differ_from_serde_yaml(
        entries in prop::collection::vec((key(), tree()), 1..5),
        picks in prop::collection::vec(any::<u8>(), 64),
    ) {
        let mut yaml = String::new();
        let mut pick = picks.into_iter().cycle();
        for (k, v) in &entries {
            yaml.push_str(&format!("{k}:"));
            write(v, 0, &mut pick, &mut yaml);
        }
        // About a fifth of these trees are read fast (11,347 of 60,000
        // when this was written); the rest must go to yaml_serde.
        check(&yaml);
    }
}

//! `serve` redoes only what an edit can change (each renderer's
//! `render_changed`): after each kind of edit, the files it serves must be
//! exactly those of a fresh build of the edited site.

mod common;

use std::path::Path;
use std::sync::RwLock;

use cufpress::serve::state::{Builder, Served};

fn options(root: &Path) -> cufpress::Options {
    cufpress::Options {
        root: root.to_path_buf(),
        base_url: Some("http://127.0.0.1:1111".into()),
        today: chrono::NaiveDate::from_ymd_opt(2025, 9, 10).unwrap(),
        search_index: true,
        pdf: cufpress::render::pdf::Settings {
            mode: cufpress::render::pdf::Mode::Lazy,
            cache: None,
        },
        ..cufpress::Options::default()
    }
}

/// Every served file, sorted by path.
fn files(served: &RwLock<Served>) -> Vec<(String, Vec<u8>)> {
    let s = served.read().unwrap();
    let mut v: Vec<(String, Vec<u8>)> = s
        .outputs
        .iter()
        .map(|(k, b)| (k.clone(), b.to_vec()))
        .collect();
    v.sort();
    v
}

fn partnership(town: &str, region: &str, partner: &str) -> String {
    format!(
        "---\nfrench:\n  name: \"{town}\"\n  type: commune\n  region: \"{region}\"\npartner:\n  name: \"{partner}\"\n  type: commune\nkind: jumelage\nsince: 2001\nthemes: [eau]\n---\nUn partenariat entre {town} et {partner}.\n"
    )
}

#[test]
fn every_kind_of_edit_serves_what_a_full_build_makes() {
    let site = common::TempSite::fixture("core-minimal");
    let root = site.path().to_path_buf();
    // Two directories of several entries, so that an edit can reorder one
    // directory (the sheets' numbers) and must leave the other alone.
    for (i, (town, region)) in [
        ("Ville d'Aubagne", "Provence-Alpes-Côte d'Azur"),
        ("Ville de Brest", "Bretagne"),
        ("Ville de Colmar", "Grand Est"),
    ]
    .iter()
    .enumerate()
    {
        site.write(
            &format!("repertoire/madagascar/p{i}.md"),
            &partnership(town, region, &format!("Commune malgache {i}")),
        );
        site.write(
            &format!("repertoire/senegal/p{i}.md"),
            &partnership(town, region, &format!("Commune sénégalaise {i}")),
        );
    }
    site.write(
        "repertoire/senegal/_index.md",
        "---\ntitle: \"Répertoire des partenariats franco-sénégalais\"\ncountry: SN\n---\nUn deuxième répertoire.\n",
    );
    let served = RwLock::new(Served::default());
    let mut builder = Builder::new(&root, options(&root));
    assert!(builder.build(&served).ok);

    let edits: &[(&str, String)] = &[
        // A partnership that moves to another region and initial.
        (
            "repertoire/madagascar/p0.md",
            partnership("Ville de Zonza", "Corse", "Commune malgache 0"),
        ),
        // A directory's presentation.
        (
            "repertoire/senegal/_index.md",
            "---\ntitle: \"Répertoire franco-sénégalais, édition revue\"\ncountry: SN\n---\nPrésentation revue.\n".into(),
        ),
        // A partnership's text alone (its sheet only is redone).
        (
            "repertoire/senegal/p1.md",
            partnership("Ville de Brest", "Bretagne", "Commune sénégalaise 1")
                .replace("Un partenariat entre", "Un partenariat revu entre"),
        ),
        // A directory's presentation text alone.
        (
            "repertoire/senegal/_index.md",
            "---\ntitle: \"Répertoire franco-sénégalais, édition revue\"\ncountry: SN\n---\nPrésentation revue deux fois.\n".into(),
        ),
        // A partnership set aside as a draft, then published again.
        (
            "repertoire/senegal/p2.md",
            partnership("Ville de Colmar", "Grand Est", "Commune sénégalaise 2")
                .replacen("---\n", "---\ndraft: true\n", 1),
        ),
        (
            "repertoire/senegal/p2.md",
            partnership("Ville de Colmar", "Grand Est", "Commune sénégalaise 2"),
        ),
        // An article.
        (
            "lettres/2025-09/mada-deux.md",
            "---\ntitle: Madagascar, deuxième article revu\nsection: geographique\ngroup: madagascar\nweight: 20\n---\nTexte revu.\n".into(),
        ),
    ];
    for (rel, text) in edits {
        site.write(rel, text);
        builder.update(&[root.join("content").join(rel)]);
        let outcome = builder.build(&served);
        assert!(outcome.ok, "{rel} : {:?}", outcome.diagnostics);
        let fresh = RwLock::new(Served::default());
        assert!(Builder::new(&root, options(&root)).build(&fresh).ok);
        let (got, want) = (files(&served), files(&fresh));
        let paths = |v: &[(String, Vec<u8>)]| v.iter().map(|f| f.0.clone()).collect::<Vec<_>>();
        assert_eq!(paths(&got), paths(&want), "après {rel}");
        for ((path, a), (_, b)) in got.iter().zip(&want) {
            assert!(
                a == b,
                "après {rel} : {path} diffère d'une construction complète"
            );
        }
    }
}

/// A save is served in two steps: the pages first (what the open tabs
/// reload), then the search records, the back-office and the PDF jobs,
/// whose requests wait for that second step.
#[test]
fn pages_come_first_then_search_back_office_and_pdf() {
    let site = common::TempSite::fixture("core-minimal");
    let root = site.path().to_path_buf();
    let served = RwLock::new(Served::default());
    let mut builder = Builder::new(&root, options(&root));
    // (changed paths, second step running) after each step.
    let mut steps: Vec<(Vec<String>, bool)> = Vec::new();
    fn record(
        steps: &mut Vec<(Vec<String>, bool)>,
        served: &RwLock<Served>,
        o: &cufpress::serve::state::Outcome,
    ) {
        assert!(o.ok, "{:?}", o.diagnostics);
        let busy = served.read().unwrap().catch_up.is_busy();
        steps.push((o.changed.clone().unwrap_or_default(), busy));
    }
    let outcome = builder.build_steps(&served, |o| record(&mut steps, &served, o));
    assert!(outcome.ok);
    let later = served.read().unwrap().later_paths.clone();
    assert!(later.iter().any(|p| p.starts_with("admin/")), "{later:?}");
    assert!(
        later.iter().any(|p| p.starts_with("pagefind/")),
        "{later:?}"
    );
    assert_eq!(steps.len(), 2);
    assert!(steps[0].1, "the second step is announced as running");
    assert!(!steps[1].1, "and over once it has run");
    let first: Vec<&String> = steps[0].0.iter().filter(|p| later.contains(*p)).collect();
    assert!(first.is_empty(), "first step made {first:?}");
    assert!(steps[0].0.iter().any(|p| p == "index.html"));
    assert!(steps[1].0.iter().any(|p| later.contains(p)));

    // An edited article: its page in the first step, its search record in
    // the second.
    steps.clear();
    let rel = "lettres/2025-09/mada-deux.md";
    site.write(
        rel,
        "---\ntitle: Madagascar, deuxième article revu\nsection: geographique\ngroup: madagascar\nweight: 20\n---\nTexte revu avec un mot témoin : baobab.\n",
    );
    builder.update(&[root.join("content").join(rel)]);
    let outcome = builder.build_steps(&served, |o| record(&mut steps, &served, o));
    assert!(outcome.ok);
    assert_eq!(steps.len(), 2);
    assert!(
        steps[0].0.iter().any(|p| p.starts_with("lettres/2025-09/")),
        "{:?}",
        steps[0].0
    );
    assert!(
        steps[0].0.iter().all(|p| !later.contains(p)),
        "{:?}",
        steps[0].0
    );
    assert!(
        steps[1].0.iter().any(|p| p.starts_with("pagefind/")),
        "{:?}",
        steps[1].0
    );
    // Both steps' changes are the rebuild's.
    let all = outcome.changed.unwrap();
    assert!(steps.iter().flat_map(|s| &s.0).all(|p| all.contains(p)));
}

/// A partnership whose text alone changed redoes its sheet and nothing
/// else of the pages (its country page and the French authorities' index
/// show only its front matter); a change of its front matter redoes those.
#[test]
fn a_partnership_text_edit_redoes_its_sheet_only() {
    let site = common::TempSite::fixture("core-minimal");
    let root = site.path().to_path_buf();
    let served = RwLock::new(Served::default());
    let mut builder = Builder::new(&root, options(&root));
    assert!(builder.build(&served).ok);
    let rel = "repertoire/madagascar/villetest-antsirabe.md";
    let original = std::fs::read_to_string(site.path().join("content").join(rel)).unwrap();
    let mut first_step = |text: String| {
        site.write(rel, &text);
        builder.update(&[root.join("content").join(rel)]);
        let mut first = None;
        let outcome = builder.build_steps(&served, |o| {
            first.get_or_insert((o.rendered, o.changed.clone().unwrap_or_default()));
        });
        assert!(outcome.ok, "{:?}", outcome.diagnostics);
        first.unwrap()
    };
    let (rendered, changed) = first_step(original.replace(
        "Un partenariat de test.",
        "Un partenariat de test, au texte revu.",
    ));
    assert_eq!(
        changed,
        ["repertoire/madagascar/villetest-antsirabe/index.html"]
    );
    let body_only = rendered;
    let (rendered, changed) = first_step(original.replace("since: 2010", "since: 2011"));
    // The same files (the sheet, and the feeds any save redoes) and the
    // three made of front matters: the index of répertoires, the country
    // page, the French authorities.
    assert_eq!(rendered, body_only + 3, "{rendered} / {body_only}");
    for page in [
        "repertoire/madagascar/index.html",
        "repertoire/collectivites/index.html",
        "repertoire/madagascar/villetest-antsirabe/index.html",
    ] {
        assert!(changed.iter().any(|p| p == page), "{page} : {changed:?}");
    }
}

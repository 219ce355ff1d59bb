//! The répertoire's « Chiffres clés » in Chromium: every bar keeps the same
//! height whatever the length of its label, and the count never overlaps
//! it. Screenshots are kept under `target/test-screens/`.

mod common;

use common::*;

/// A long theme label, as a partnership's theme may have.
const LONG: &str = "Culture, patrimoine matériel et immatériel, industries créatives et échanges artistiques entre les territoires";

fn measure(site: &TempSite, rel: &str, width: u32) -> Vec<serde_json::Value> {
    let shots = project_root().join("target/test-screens");
    std::fs::create_dir_all(&shots).unwrap();
    let name = rel.trim_matches('/').replace('/', "-");
    let shot = shots.join(format!("figures-{name}-{width}.png"));
    let public = site.path().join("public");
    let width = width.to_string();
    let v = node_json(
        "repertoire-figures.mjs",
        &[
            public.to_str().unwrap(),
            rel,
            &width,
            shot.to_str().unwrap(),
        ],
    );
    assert!(shot.is_file(), "capture absente : {}", shot.display());
    v["rows"].as_array().unwrap().clone()
}

fn f(v: &serde_json::Value, part: &str, key: &str) -> f64 {
    v[part][key].as_f64().unwrap()
}

#[test]
fn figure_bars_keep_their_height_and_never_meet_the_count() {
    let site = TempSite::sample();
    let yaml = std::fs::read_to_string(site.path().join("content/site.yaml")).unwrap();
    let yaml = yaml.replace(
        "culture: Culture et patrimoine",
        &format!("culture: {LONG}"),
    );
    site.write("site.yaml", &yaml);
    let r = site.build(&[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    for (rel, width) in [
        ("/repertoire/japon/", 375),
        ("/repertoire/japon/", 1280),
        ("/repertoire/", 375),
    ] {
        let rows = measure(&site, rel, width);
        assert!(rows.len() > 10, "{rel} : {rows:?}");
        let first = f(&rows[0], "bar", "height");
        assert!(first > 4.0, "{rel} : barre invisible");
        let mut wrapped = 0;
        for row in &rows {
            let label = row["label"].as_str().unwrap();
            let line = row["lineHeight"].as_f64().unwrap();
            let h = f(row, "bar", "height");
            assert!(
                (h - first).abs() < 0.5 && h <= line,
                "{rel} à {width} px : la barre de « {label} » mesure {h} px (les autres {first} px)"
            );
            // The bar stays on the label's first line.
            let top = f(row, "th", "y");
            let bar_top = f(row, "bar", "y");
            assert!(
                bar_top >= top && bar_top + h <= top + line + 8.0,
                "{rel} à {width} px : barre de « {label} » hors de sa ligne : {row}"
            );
            // The count is beside the bar's track, never on it.
            let track_end = f(row, "track", "x") + f(row, "track", "width");
            let count_x = f(row, "count", "x");
            assert!(
                count_x >= track_end - 0.5
                    && f(row, "bar", "x") + f(row, "bar", "width") <= track_end + 0.5,
                "{rel} à {width} px : le nombre chevauche la barre de « {label} » : {row}"
            );
            if f(row, "th", "height") > 2.0 * line {
                wrapped += 1;
            }
        }
        if width == 375 {
            assert!(
                wrapped > 0,
                "{rel} : aucun libellé long ne passe à la ligne"
            );
        }
    }
}

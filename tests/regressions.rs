//! One test per bug fixed, named after what the user saw, through the real
//! binary. Older bugs have their regression test next to the feature they
//! broke:
//!
//! - `yaml_errors::a_site_title_with_a_line_break_is_an_error_not_a_crash`
//! - `yaml_errors::a_one_line_list_of_many_quoted_items_stays_within_memory`
//! - `yaml_errors::brackets_nested_deep_are_refused_in_linear_time`
//! - `yaml_errors::a_very_long_broken_link_is_checked_in_linear_time`
//! - `yaml_errors::a_file_name_that_is_not_utf8_is_named`
//! - `hardening` (publishing never deletes what cufpress did not create)
//!
//! New bugs get their test here.

mod common;

use common::TempSite;

/// An event with an invalid `start` got two errors: the right one (the date
/// does not exist) and « la clé obligatoire `start` manque », which sent
/// the writer looking for a key that was there.
#[test]
fn an_invalid_start_is_reported_once_not_also_as_missing() {
    let site = TempSite::fixture("core-minimal");
    site.write(
        "agenda/2025/date-invalide.md",
        "---\ntitle: \"Date impossible\"\nstart: 2025-13-01\nend: 2025-13-02\n---\n",
    );
    let r = site.check();
    assert_ne!(r.code, 0, "{}", r.stderr);
    let about: Vec<&str> = r
        .stderr
        .lines()
        .filter(|l| l.contains("date-invalide.md:"))
        .collect();
    assert!(!about.is_empty(), "{}", r.stderr);
    assert!(
        about.iter().any(|l| l.contains("date-invalide.md:3:")),
        "the invalid date on line 3: {}",
        r.stderr
    );
    assert!(!r.stderr.contains("`start` manque"), "{}", r.stderr);
    assert!(!r.stderr.contains("`end` sans `start`"), "{}", r.stderr);
}

/// The fix above must not hide a `start:` left empty: that one is missing.
#[test]
fn an_empty_start_is_still_missing() {
    let site = TempSite::fixture("core-minimal");
    site.write(
        "agenda/2025/sans-date.md",
        "---\ntitle: \"Sans date\"\nstart:\n---\n",
    );
    let r = site.check();
    assert_ne!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr.contains("la clé obligatoire `start` manque"),
        "{}",
        r.stderr
    );
}

/// A relative link climbing above the site's root (`../../../../agenda/`
/// in an article's HTML) was reported « lien cassé », while every browser keeps
/// it at the root and opens the agenda.
#[test]
fn a_relative_link_climbing_above_the_root_lands_on_the_root() {
    let site = TempSite::fixture("core-minimal");
    site.write(
        "agenda/2025/atelier.md",
        "---\ntitle: \"Atelier eau\"\nstart: 2025-10-14\n---\n",
    );
    site.write(
        "lettres/2025-09/mada-deux.md",
        "---\ntitle: Madagascar, deuxième article\nsection: geographique\ngroup: madagascar\n---\nVoir <a href=\"../../../../../../agenda/atelier/\">l'atelier</a>.\n",
    );
    let r = site.build(&[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        !r.stderr
            .lines()
            .any(|l| l.contains("mada-deux.md") && l.contains("lien")),
        "{}",
        r.stderr
    );
    // The link is published as written (else the test would prove nothing).
    let page = site.read("lettres/2025-09/mada-deux/index.html");
    assert!(
        page.contains(r#"href="../../../../../../agenda/atelier/""#),
        "{page}"
    );
}

//! Whole-site tests of the agenda: `/agenda/` pages, event pages and their
//! JSON-LD, the letter's agenda section, the home and group pages, the
//! calendar feeds (with a round trip through a real iCalendar parser), the
//! `--today` parameter and the diagnostics of bad events.

mod common;

use std::collections::BTreeMap;

use common::{TempSite, run_in, select, text};

fn basic() -> TempSite {
    let site = TempSite::fixture("agenda-basic");
    let run = site.build(&[]);
    assert_eq!(run.code, 0, "build failed:\n{}", run.stderr);
    site
}

fn texts(doc: &scraper::Html, css: &str) -> Vec<String> {
    select(doc, css).iter().map(text).collect()
}

#[test]
fn agenda_lists_upcoming_events_by_month() {
    let site = basic();
    let doc = site.html("agenda/index.html");
    assert_eq!(
        texts(&doc, "main h2[id^=mois-]"),
        [
            "Septembre 2025",
            "Octobre 2025",
            "Novembre 2025",
            "Décembre 2025",
            "Février 2026"
        ]
    );
    let titles = texts(&doc, ".events .event-title");
    assert_eq!(
        titles[0], "Mission en cours",
        "an event under way is upcoming"
    );
    assert!(
        !titles
            .iter()
            .any(|t| t.contains("juillet") || t.contains("2024"))
    );
    assert!(
        !titles.iter().any(|t| t == "Séance à dater"),
        "undated session listed"
    );
    assert!(titles.iter().any(|t| t == "Séance datée"));
    let when = texts(&doc, ".event-when");
    for expected in [
        "Du lundi 8 au vendredi 12",
        "Jeudi 18 et vendredi 19",
        "Du jeudi 9 au mercredi 15",
        "Mardi 14, de 14h00 à 16h00",
        "Samedi 1er",
        "Du samedi 15 novembre au dimanche 7 décembre",
        "Du lundi 29 décembre 2025 au vendredi 2 janvier 2026",
    ] {
        assert!(
            when.iter().any(|w| w == expected),
            "{expected} missing from {when:?}"
        );
    }
    let reunion = select(&doc, ".event")
        .into_iter()
        .find(|e| text(e).contains("Réunion du groupe-pays Madagascar"))
        .expect("réunion listed");
    let t = text(&reunion);
    assert!(
        t.contains("Réservé aux adhérents") && t.contains("En visioconférence"),
        "{t}"
    );
    let sel = scraper::Selector::parse(".event-group a").unwrap();
    let group = reunion.select(&sel).next().expect("group link");
    assert_eq!(group.value().attr("href"), Some("/groupes/madagascar/"));
    let time = select(&doc, ".event-when time");
    assert!(time.iter().all(|t| t.value().attr("datetime").is_some()));
    assert!(
        time.iter()
            .any(|t| t.value().attr("datetime") == Some("2025-10-14T14:00"))
    );
    let archives = texts(&doc, ".agenda-archives a");
    assert_eq!(archives, ["2025", "2024"]);
}

#[test]
fn past_events_go_to_yearly_archives() {
    let site = basic();
    let y2025 = site.html("agenda/2025/index.html");
    assert_eq!(texts(&y2025, "h1"), ["Rendez-vous passés en 2025"]);
    assert_eq!(texts(&y2025, ".event-title"), ["Réunion de juillet"]);
    let y2024 = site.html("agenda/2024/index.html");
    assert_eq!(texts(&y2024, ".event-title"), ["Rencontre de 2024"]);
    assert_eq!(texts(&y2024, ".event-when"), ["Jeudi 5"]);
    assert!(!site.path().join("public/agenda/2026/index.html").exists());
}

#[test]
fn today_moves_events_from_upcoming_to_archive() {
    let site = TempSite::fixture("agenda-basic");
    let run = run_in(site.path(), &["build", "--today", "2025-10-15"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let doc = site.html("agenda/index.html");
    let titles = texts(&doc, ".event-title");
    assert!(
        titles.contains(&"Biennale Europe-Afrique".to_string()),
        "ends on the 15th"
    );
    assert!(
        !titles
            .iter()
            .any(|t| t.starts_with("Réunion du groupe-pays"))
    );
    let past = site.html("agenda/2025/index.html");
    let past = texts(&past, ".event-title");
    assert!(
        past.contains(&"Réunion du groupe-pays Madagascar".to_string()),
        "{past:?}"
    );
    assert!(past.contains(&"Assises franco-malgaches".to_string()));
}

fn json_ld(site: &TempSite, slug: &str) -> serde_json::Value {
    let doc = site.html(&format!("agenda/{slug}/index.html"));
    let scripts = select(&doc, "script[type='application/ld+json']");
    assert_eq!(scripts.len(), 1, "{slug}: one JSON-LD script");
    let raw: String = scripts[0].text().collect();
    serde_json::from_str(&raw).unwrap_or_else(|e| panic!("{slug}: invalid JSON-LD: {e}\n{raw}"))
}

#[test]
fn event_pages_carry_schema_org_events() {
    let site = basic();
    let visio = json_ld(&site, "reunion-madagascar");
    assert_eq!(visio["@type"], "Event");
    assert_eq!(visio["name"], "Réunion du groupe-pays Madagascar");
    assert_eq!(visio["startDate"], "2025-10-14T14:00:00+02:00");
    assert_eq!(visio["endDate"], "2025-10-14T16:00:00+02:00");
    assert_eq!(
        visio["eventAttendanceMode"],
        "https://schema.org/OnlineEventAttendanceMode"
    );
    assert_eq!(visio["location"]["@type"], "VirtualLocation");
    assert_eq!(
        visio["location"]["url"],
        "https://inscriptions.example.net/cuf"
    );

    let hybrid = json_ld(&site, "atelier-piege");
    assert_eq!(
        hybrid["name"],
        "Atelier «\u{202f}</script><b>piège</b>\u{202f}» & co"
    );
    assert_eq!(
        hybrid["eventAttendanceMode"],
        "https://schema.org/MixedEventAttendanceMode"
    );
    let types: Vec<&str> = hybrid["location"]
        .as_array()
        .expect("two locations")
        .iter()
        .map(|l| l["@type"].as_str().unwrap())
        .collect();
    assert_eq!(types, ["Place", "VirtualLocation"]);
    let raw = site.read("agenda/atelier-piege/index.html");
    assert_eq!(
        raw.matches("</script>").count(),
        1,
        "title must not close the script"
    );

    let place = json_ld(&site, "assises");
    assert_eq!(place["startDate"], "2025-09-18");
    assert_eq!(place["endDate"], "2025-09-19");
    assert_eq!(place["location"]["@type"], "Place");
    assert_eq!(
        place["eventAttendanceMode"],
        "https://schema.org/OfflineEventAttendanceMode"
    );

    let doc = site.html("agenda/reunion-madagascar/index.html");
    assert_eq!(texts(&doc, "h1"), ["Réunion du groupe-pays Madagascar"]);
    let facts = texts(&doc, ".event-facts dd").join(" | ");
    assert!(
        facts.contains("Mardi 14 octobre 2025, de 14h00 à 16h00"),
        "{facts}"
    );
    assert!(facts.contains("Réservé aux adhérents de CUF"), "{facts}");
    assert!(
        texts(&doc, ".prose")
            .join(" ")
            .contains("Description de l’événement")
    );

    let undated = site.html("agenda/seance-sans-date/index.html");
    assert!(select(&undated, "script[type='application/ld+json']").is_empty());
    assert!(text(&select(&undated, ".event-facts dd")[0]).contains("Date à préciser"));
}

#[test]
fn the_letter_prints_its_agenda_section() {
    let site = basic();
    let doc = site.html("lettres/2025-09/index.html");
    let section = select(&doc, "section#rubrique-agenda");
    assert_eq!(section.len(), 1, "agenda section");
    assert_eq!(texts(&doc, "#rubrique-agenda h2"), ["Agenda"]);
    assert_eq!(
        texts(&doc, "#rubrique-agenda h3"),
        ["Septembre", "Octobre", "Novembre", "Autres dates à retenir"]
    );
    assert_eq!(
        texts(&doc, ".agenda-day"),
        [
            "Du lundi 8 au vendredi 12 :",
            "Jeudi 18 et vendredi 19 :",
            "Du jeudi 9 au mercredi 15 :",
            "Mardi 14 :",
            "Samedi 1er :",
            "Du samedi 15 novembre au dimanche 7 décembre :",
            "Jeudi 20 :",
        ]
    );
    // Two events of the 14th share one date line, earlier hour first.
    let days = select(&doc, ".agenda-days > li");
    let fourteenth = days
        .iter()
        .find(|d| text(d).starts_with("Mardi 14"))
        .unwrap();
    let sel = scraper::Selector::parse("ul li").unwrap();
    let items: Vec<String> = fourteenth.select(&sel).map(|e| text(&e)).collect();
    assert_eq!(items.len(), 2, "{items:?}");
    assert!(items[0].starts_with("Atelier « </script><b>piège</b> » & co, de 9h30 à 11h00"));
    assert_eq!(
        items[1],
        "Réunion du groupe-pays Madagascar, de 14h00 à 16h00, en visioconférence (réservé aux adhérents de CUF)"
    );
    assert_eq!(
        texts(&doc, ".agenda-highlights li"),
        [
            "Colloque franco-argentin, les 16 et 17 décembre 2025, Limoges",
            "Mission de fin d’année, du 29 décembre 2025 au 2 janvier 2026, Dakar"
        ]
    );
    let all = texts(&doc, "#rubrique-agenda").join(" ");
    assert!(!all.contains("Séance à dater") && !all.contains("sans highlight"));
    assert_eq!(texts(&doc, ".toc li").last().unwrap(), "Agenda");
}

#[test]
fn home_and_group_pages_show_upcoming_events() {
    let site = basic();
    let home = site.html("index.html");
    let titles = texts(&home, ".agenda-home .event-title");
    assert_eq!(titles.len(), 6);
    assert_eq!(titles[0], "Mission en cours");
    assert_eq!(
        texts(&home, ".agenda-home .event-when")[0],
        "Du lundi 8 au vendredi 12 septembre 2025"
    );
    let group = site.html("groupes/madagascar/index.html");
    assert_eq!(
        texts(&group, ".agenda-group .event-title"),
        [
            "Assises franco-malgaches",
            "Réunion du groupe-pays Madagascar"
        ]
    );
    let feed = select(&group, ".agenda-group a[type='text/calendar']");
    assert_eq!(
        feed[0].value().attr("href"),
        Some("/groupes/madagascar/agenda.ics")
    );
    let ics = site.read("groupes/madagascar/agenda.ics");
    assert_eq!(ics.matches("BEGIN:VEVENT").count(), 2);
}

/// Every content line of `ics` (folded lines joined back).
fn unfold(ics: &str) -> Vec<String> {
    ics.replace("\r\n ", "")
        .split("\r\n")
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect()
}

#[test]
fn the_feed_follows_rfc_5545() {
    let site = basic();
    let ics = site.read("agenda.ics");
    assert!(ics.starts_with("BEGIN:VCALENDAR\r\n"));
    assert!(ics.ends_with("END:VCALENDAR\r\n"));
    assert!(!ics.replace("\r\n", "").contains('\n'), "bare LF");
    for line in ics.split("\r\n") {
        assert!(line.len() <= 75, "line longer than 75 octets: {line}");
    }
    assert!(ics.contains("\r\n "), "the long title is folded");
    let lines = unfold(&ics);
    assert!(lines.contains(&"VERSION:2.0".to_string()));
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("PRODID:") && l.contains("Cités Unies France"))
    );
    assert!(lines.iter().any(|l| l.contains("TZID=Europe/Paris")));
    assert!(lines.contains(&"BEGIN:VTIMEZONE".to_string()));
    assert!(lines.contains(&"DTSTART;VALUE=DATE:20251009".to_string()));
    assert!(
        lines.contains(&"DTEND;VALUE=DATE:20251016".to_string()),
        "exclusive DTEND"
    );
    assert!(lines.contains(&"UID:biennale@example.org".to_string()));
    assert!(lines.contains(&"DTSTAMP:20251009T000000Z".to_string()));
    assert!(
        !lines
            .iter()
            .any(|l| l.contains("juillet") || l.contains("Séance à dater"))
    );
    // The group with only all-day events needs no VTIMEZONE.
    let climat = site.read("groupes/climat/agenda.ics");
    assert!(climat.contains("VTIMEZONE"), "climat has a timed event");
    let none = TempSite::fixture("agenda-basic");
    none.write(
        "agenda/2025/reunion-madagascar.md",
        "---\ntitle: R\nstart: 2025-10-14\ngroup: madagascar\n---\n",
    );
    assert_eq!(none.build(&[]).code, 0);
    let mada = none.read("groupes/madagascar/agenda.ics");
    assert!(
        !mada.contains("TZID") && !mada.contains("VTIMEZONE"),
        "{mada}"
    );
}

#[test]
fn feeds_and_pages_are_the_same_bytes_at_every_build() {
    let a = basic();
    let b = basic();
    for rel in [
        "agenda.ics",
        "groupes/madagascar/agenda.ics",
        "agenda/index.html",
        "lettres/2025-09/index.html",
    ] {
        assert_eq!(a.read(rel), b.read(rel), "{rel} differs between builds");
    }
    // Another day: the same event keeps its UID and DTSTAMP.
    let c = TempSite::fixture("agenda-basic");
    assert_eq!(
        run_in(c.path(), &["build", "--today", "2025-10-01"]).code,
        0
    );
    let block = |ics: &str| {
        let lines = unfold(ics);
        let at = lines
            .iter()
            .position(|l| l == "UID:biennale@example.org")
            .unwrap();
        lines[at..at + 4].to_vec()
    };
    assert_eq!(block(&a.read("agenda.ics")), block(&c.read("agenda.ics")));
}

fn unescape(v: &str) -> String {
    let mut out = String::new();
    let mut chars = v.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('n') | Some('N') => out.push('\n'),
                Some(o) => out.push(o),
                None => {}
            }
        } else {
            out.push(c);
        }
    }
    out
}

#[test]
fn the_feed_round_trips_through_a_real_parser() {
    let site = basic();
    let ics = site.read("agenda.ics");
    let mut cals = ical::IcalParser::new(std::io::BufReader::new(ics.as_bytes()));
    let cal = cals.next().expect("one calendar").expect("parses");
    assert!(cals.next().is_none());
    assert_eq!(cal.timezones.len(), 1);
    let mut got: BTreeMap<String, (String, String)> = BTreeMap::new();
    for e in &cal.events {
        let prop = |name: &str| {
            let p = e.properties.iter().find(|p| p.name == name);
            let Some(p) = p else {
                return String::new();
            };
            let params: Vec<String> = p
                .params
                .iter()
                .flatten()
                .map(|(k, v)| format!("{k}={}", v.join(",")))
                .collect();
            format!(
                "{};{}",
                params.join(";"),
                p.value.clone().unwrap_or_default()
            )
        };
        let summary = e.properties.iter().find(|p| p.name == "SUMMARY").unwrap();
        got.insert(
            unescape(summary.value.as_deref().unwrap()),
            (prop("DTSTART"), prop("DTEND")),
        );
    }
    let d = |s: &str| format!("VALUE=DATE;{s}");
    let t = |s: &str| format!("TZID=Europe/Paris;{s}");
    let expected: BTreeMap<String, (String, String)> = [
        ("Mission en cours", d("20250908"), d("20250913")),
        ("Assises franco-malgaches", d("20250918"), d("20250920")),
        ("Biennale Europe-Afrique", d("20251009"), d("20251016")),
        ("Atelier «\u{202f}</script><b>piège</b>\u{202f}» & co", t("20251014T093000"), t("20251014T110000")),
        ("Réunion du groupe-pays Madagascar", t("20251014T140000"), t("20251014T160000")),
        ("Séminaire du 1er novembre", d("20251101"), d("20251102")),
        (
            "Journées européennes de la solidarité locale, une édition au titre particulièrement long pour éprouver le pliage des lignes",
            d("20251115"),
            d("20251208"),
        ),
        ("Colloque franco-argentin", d("20251216"), d("20251218")),
        ("Mission de fin d’année", d("20251229"), d("20260103")),
        ("Après la période, sans highlight", d("20260203"), d("20260204")),
        // A timed event without an end has no DTEND (RFC 5545: it ends as it starts).
        ("Séance datée", t("20251120T100000"), String::new()),
    ]
    .into_iter()
    .map(|(a, b, c)| (a.to_string(), (b, c)))
    .collect();
    assert_eq!(got, expected);
}

#[test]
fn bad_events_are_reported_with_place_and_help() {
    let site = TempSite::fixture("agenda-errors");
    let run = site.check();
    assert_ne!(run.code, 0);
    let err = &run.stderr;
    let expect = [
        ("content/agenda/a/mauvais-format.md:4:", "visio-conference"),
        ("content/agenda/a/mauvais-groupe.md:4:", "madagascar"),
        ("content/agenda/a/fin-avant-debut.md:4:", "end"),
        ("content/agenda/a/sans-debut.md:", "start"),
        ("content/agenda/a/date-invalide.md:3:", "2025-13-01"),
        ("content/agenda/a/mauvais-programme.md:3:", "cycle"),
        ("content/agenda/a/heure-inexistante.md:3:", "heure d'été"),
        ("content/agenda/b/doublon.md:1:1", "doublon"),
        ("content/agenda/b/theme-inconnu.md:4:", "climat"),
        ("content/agenda/b/fin-sans-debut.md:4:", "start"),
        ("content/agenda/b/heure-invalide.md:3:", "25:00"),
    ];
    for (at, word) in expect {
        let pos = err
            .find(&format!("erreur : {at}"))
            .unwrap_or_else(|| panic!("no error at {at}:\n{err}"));
        let block: String = err[pos..]
            .lines()
            .take_while(|l| !l.is_empty())
            .enumerate()
            .take_while(|(i, l)| *i == 0 || !l.starts_with("erreur"))
            .map(|(_, l)| format!("{l}\n"))
            .collect();
        assert!(block.contains(word), "{at}: « {word} » missing in\n{block}");
        assert!(block.contains("aide :"), "{at}: no suggestion in\n{block}");
    }
    assert!(!err.contains("panicked") && !err.contains("RUST_BACKTRACE"));
}

#[test]
fn the_sample_letter_shows_its_agenda() {
    let site = TempSite::sample();
    let run = site.build(&[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let doc = site.html("lettres/2025-09/index.html");
    assert_eq!(
        texts(&doc, "#rubrique-agenda h3"),
        ["Septembre", "Octobre", "Novembre", "Autres dates à retenir"]
    );
    let events = select(&doc, ".agenda-days li li").len();
    assert!(events >= 30, "only {events} events in the sample letter");
    let days = texts(&doc, ".agenda-day");
    for shape in [
        "Jeudi 18 et vendredi 19 :",
        "Du jeudi 9 au mercredi 15 :",
        "Mardi 14 :",
    ] {
        assert!(days.iter().any(|d| d == shape), "{shape} missing: {days:?}");
    }
    assert!(!texts(&doc, ".agenda-highlights li").is_empty());
    let agenda = site.html("agenda/index.html");
    assert!(select(&agenda, ".event").len() >= 30);
}

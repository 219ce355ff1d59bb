//! Whole-site tests of programmes and cycles: `/programmes/` and
//! `/programmes/<slug>/` (order of sessions, marks, completion rule,
//! timeline, contacts, partners), the programme feeds parsed with a real
//! iCalendar parser, links from the agenda and the letter to the programme,
//! undated sessions kept out of every list, feed, letter and e-mail, and the
//! validation of programmes (errors and warnings).

mod common;

use common::{TempSite, select, text};

fn built(site: TempSite) -> TempSite {
    let run = site.build(&[]);
    assert_eq!(run.code, 0, "build failed:\n{}", run.stderr);
    site
}

fn texts(doc: &scraper::Html, css: &str) -> Vec<String> {
    select(doc, css).iter().map(text).collect()
}

fn attrs(doc: &scraper::Html, css: &str, attr: &str) -> Vec<String> {
    select(doc, css)
        .iter()
        .map(|e| e.value().attr(attr).unwrap_or_default().to_string())
        .collect()
}

/// The slugs (`/agenda/<slug>/`) of the sessions listed in section `id`.
fn session_slugs(doc: &scraper::Html, id: &str) -> Vec<String> {
    attrs(doc, &format!("section#{id} .event-title a"), "href")
        .iter()
        .map(|h| {
            h.trim_matches('/')
                .trim_start_matches("agenda/")
                .to_string()
        })
        .collect()
}

/// The UIDs (slug part) of the events of a calendar feed, in feed order.
fn ics_uids(ics: &str) -> Vec<String> {
    let mut cals = ical::IcalParser::new(std::io::BufReader::new(ics.as_bytes()));
    let cal = cals.next().expect("one calendar").expect("the feed parses");
    assert!(cals.next().is_none(), "one calendar only");
    cal.events
        .iter()
        .map(|e| {
            let uid = e.properties.iter().find(|p| p.name == "UID").expect("UID");
            let v = uid.value.clone().unwrap_or_default();
            v.split('@').next().unwrap_or_default().to_string()
        })
        .collect()
}

const DIPLOMATES_DATED: [&str; 8] = [
    "01-reunion-de-lancement",
    "02-multiples-defis-action-internationale",
    "04-rencontres-action-internationale",
    "05-diplomatie-demultipliee",
    "06-aict-zones-prioritaires",
    "08-communication-aict",
    "09-reconfiguration-des-alliances",
    "12-remise-des-certificats",
];
const DIPLOMATES_UNDATED: [&str; 4] = [
    "03-congres-mondial-cglu",
    "07-relations-elu-technicien",
    "10-immersion-ecosysteme-diplomatique",
    "11-eau-enjeux-globaux-solutions-locales",
];

#[test]
fn sample_programme_page_lists_sessions_in_order_with_marks() {
    let site = built(TempSite::sample());
    let doc = site.html("programmes/diplomates-des-territoires/index.html");
    assert_eq!(
        texts(&doc, "h1"),
        ["Parcours d’immersion « Diplomates des territoires »"]
    );
    assert_eq!(
        texts(&doc, ".programme-sessions > h2"),
        ["Calendrier des sessions", "Date à préciser"]
    );
    assert_eq!(session_slugs(&doc, "sessions-datees"), DIPLOMATES_DATED);
    assert_eq!(session_slugs(&doc, "date-a-preciser"), DIPLOMATES_UNDATED);
    assert_eq!(
        texts(&doc, "#date-a-preciser .event-when"),
        ["Date à préciser"; 4]
    );
    assert_eq!(attrs(&doc, "ol.sessions", "start"), ["1", "9"]);

    // Marks: the two mandatory sessions, the three reserved to the cohort.
    let title_link = scraper::Selector::parse(".event-title a").unwrap();
    let marked = |mark: &str| -> Vec<String> {
        select(&doc, "li.session")
            .iter()
            .filter(|li| text(li).contains(mark))
            .filter_map(|li| li.select(&title_link).next())
            .map(|a| a.value().attr("href").unwrap_or_default().to_string())
            .collect()
    };
    assert_eq!(
        marked("Statut : obligatoire"),
        [
            "/agenda/09-reconfiguration-des-alliances/",
            "/agenda/10-immersion-ecosysteme-diplomatique/"
        ]
    );
    assert_eq!(
        marked("Session réservée à la promotion"),
        [
            "/agenda/01-reunion-de-lancement/",
            "/agenda/12-remise-des-certificats/",
            "/agenda/11-eau-enjeux-globaux-solutions-locales/"
        ]
    );

    // The first session: subtitle, French date and time, place, format, partners.
    let first = text(&select(&doc, "li.session")[0]);
    for part in [
        "Je rencontre les autres élus de ma promotion",
        "Réunion de lancement : présentation du cycle d’immersion",
        "Mardi 28 avril 2026, de 14h00 à 16h30",
        "Cités Unies France, Paris, et en visioconférence",
        "Sur place et en visioconférence",
        "Avec : CUF, MEAE, Sénat",
    ] {
        assert!(first.contains(part), "« {part} » missing in {first}");
    }

    assert_eq!(
        texts(&doc, ".programme-completion"),
        [
            "Pour obtenir le certificat : assister à au moins 5 sessions sur 12, dont 2 obligatoires."
        ]
    );
    assert_eq!(
        texts(&doc, ".timeline time"),
        ["Février 2026", "Mars 2026", "Avril 2026", "Février 2027"]
    );
    assert_eq!(
        attrs(&doc, ".timeline time", "datetime"),
        ["2026-02", "2026-03", "2026-04", "2027-02"]
    );
    assert_eq!(
        attrs(&doc, ".programme-contacts a", "href"),
        [
            "mailto:s.giovetti@cites-unies-france.org",
            "mailto:coop-dec@cites-unies-france.org"
        ]
    );
    assert_eq!(select(&doc, ".partners .partner-name").len(), 7);
    assert_eq!(select(&doc, ".partners .partner-description").len(), 7);
    assert!(
        texts(&doc, ".programme-body")
            .join(" ")
            .contains("diplomates de terrain")
    );
}

#[test]
fn sample_programmes_index_and_feeds() {
    let site = built(TempSite::sample());
    let doc = site.html("programmes/index.html");
    assert_eq!(
        texts(&doc, ".programme-card h2"),
        [
            "Chroniques géopolitiques — saison 6",
            "Parcours d’immersion « Diplomates des territoires »"
        ]
    );
    assert_eq!(
        texts(&doc, ".programme-count"),
        ["7 sessions", "12 sessions"]
    );
    assert_eq!(
        texts(&doc, ".programme-edition"),
        ["Édition 2025-2026", "Édition 2026-2027"]
    );
    let next = texts(&doc, ".programme-next");
    assert!(
        next[0].starts_with("Prochaine session : Vendredi 24 octobre 2025"),
        "{next:?}"
    );
    assert!(
        next[1].starts_with("Prochaine session : Mardi 28 avril 2026"),
        "{next:?}"
    );

    let uids = ics_uids(&site.read("programmes/diplomates-des-territoires/agenda.ics"));
    assert_eq!(uids.len(), 8);
    assert_eq!(uids, DIPLOMATES_DATED);
    assert_eq!(
        ics_uids(&site.read("programmes/chroniques-geopolitiques/agenda.ics")).len(),
        7
    );
    let ics = site.read("programmes/diplomates-des-territoires/agenda.ics");
    assert!(
        ics.lines().all(|l| l.len() <= 76),
        "lines folded at 75 octets"
    );
    assert!(ics.contains("\r\n"), "CRLF line ends");
}

#[test]
fn undated_sessions_stay_out_of_agenda_and_feeds_in_the_sample() {
    let site = built(TempSite::sample());
    let agenda = site.read("agenda/index.html");
    let feed = ics_uids(&site.read("agenda.ics"));
    for slug in DIPLOMATES_UNDATED {
        assert!(
            !agenda.contains(&format!("/agenda/{slug}/")),
            "{slug} in /agenda/"
        );
        assert!(!feed.iter().any(|u| u == slug), "{slug} in agenda.ics");
        // Its own page still exists and says so.
        let page = site.html(&format!("agenda/{slug}/index.html"));
        assert!(text(&select(&page, ".event-facts dd")[0]).contains("Date à préciser"));
    }
    for slug in DIPLOMATES_DATED {
        assert!(
            agenda.contains(&format!("/agenda/{slug}/")),
            "{slug} not in /agenda/"
        );
        assert!(feed.iter().any(|u| u == slug), "{slug} not in agenda.ics");
    }
    // Dated sessions link to their programme, from the list and their page.
    let doc = site.html("agenda/index.html");
    let links = attrs(&doc, ".event-programme a", "href");
    assert!(links.contains(&"/programmes/diplomates-des-territoires/".to_string()));
    assert!(links.contains(&"/programmes/chroniques-geopolitiques/".to_string()));
    assert_eq!(
        attrs(&doc, ".agenda-programmes a", "href"),
        ["/programmes/"]
    );
    let page = site.html("agenda/09-reconfiguration-des-alliances/index.html");
    assert_eq!(
        attrs(&page, ".event-facts a[href^='/programmes/']", "href"),
        ["/programmes/diplomates-des-territoires/"]
    );
    assert!(
        site.read("agenda.ics")
            .contains("Programme\u{a0}: Parcours d’immersion")
    );
}

#[test]
fn fixture_page_order_marks_rule_and_timeline() {
    let site = built(TempSite::fixture("programmes-site"));
    let doc = site.html("programmes/parcours/index.html");
    // Dated by date (03 is earlier than 01), undated in file order (not by title).
    assert_eq!(
        session_slugs(&doc, "sessions-datees"),
        ["03-visite", "01-ouverture", "05-cloture"]
    );
    assert_eq!(
        session_slugs(&doc, "date-a-preciser"),
        ["02-atelier-sans-date", "04-seminaire-sans-date"]
    );
    assert_eq!(attrs(&doc, "ol.sessions", "start"), ["1", "4"]);
    let sessions = texts(&doc, "li.session .session-marks");
    assert_eq!(
        sessions,
        [
            "Session réservée à la promotion",
            "Statut : obligatoire Réservé aux adhérents",
            "Session réservée à la promotion",
            "Statut : obligatoire Réservée : élus",
        ]
    );
    assert_eq!(
        texts(&doc, ".programme-completion"),
        ["Pour obtenir le certificat : assister à au moins 3 sessions sur 5, dont 2 obligatoires."]
    );
    assert_eq!(
        texts(&doc, ".timeline li"),
        [
            "Août 2025 : Ouverture des inscriptions",
            "15 septembre 2025 : Constitution de la promotion"
        ]
    );
    assert_eq!(
        texts(&doc, ".programme-contacts li"),
        [
            "Camille Martin, Coordinatrice du parcours : c.martin@example.org",
            "Secrétariat"
        ]
    );
    assert_eq!(
        attrs(&doc, ".programme-contacts a", "href"),
        ["mailto:c.martin@example.org"]
    );
    assert_eq!(
        texts(&doc, ".partners li"),
        ["Sénat Accueille la séance de clôture.", "ARRICOD"]
    );
    assert_eq!(
        texts(&doc, "#sessions-datees .event-when"),
        [
            "Samedi 20 septembre 2025",
            "Jeudi 2 octobre 2025, de 14h00 à 16h30",
            "Mardi 25 novembre 2025, à 18h00"
        ]
    );

    let cycle = site.html("programmes/cycle-mensuel/index.html");
    assert!(select(&cycle, ".programme-completion").is_empty());
    assert!(select(&cycle, "#date-a-preciser").is_empty());
    assert_eq!(session_slugs(&cycle, "sessions-datees"), ["cycle-1"]);

    let index = site.html("programmes/index.html");
    assert_eq!(
        texts(&index, ".programme-next"),
        [
            "Prochaine session : Vendredi 17 octobre 2025 – Cycle mensuel, séance 1",
            "Prochaine session : Samedi 20 septembre 2025 – Visite au ministère"
        ]
    );
    assert_eq!(
        ics_uids(&site.read("programmes/parcours/agenda.ics")),
        ["03-visite", "01-ouverture", "05-cloture"]
    );
}

#[test]
fn undated_sessions_are_absent_from_agenda_letter_and_email() {
    let site = built(TempSite::fixture("programmes-site"));
    let undated = [
        "Zeta",
        "Alpha",
        "02-atelier-sans-date",
        "04-seminaire-sans-date",
    ];
    let letter = site.html("lettres/2025-09/index.html");
    let letter_agenda = texts(&letter, "#rubrique-agenda").join(" ");
    let letter_links = attrs(&letter, "#rubrique-agenda a", "href").join(" ");
    let outputs = [
        ("agenda/index.html", site.read("agenda/index.html")),
        ("agenda.ics", site.read("agenda.ics")),
        ("letter agenda", format!("{letter_agenda} {letter_links}")),
        ("email.html", site.read("lettres/2025-09/email.html")),
        ("email.txt", site.read("lettres/2025-09/email.txt")),
    ];
    for (name, out) in &outputs {
        for word in undated {
            assert!(!out.contains(word), "« {word} » in {name}");
        }
        assert!(
            out.contains("Visite au minist"),
            "dated session missing in {name}"
        );
    }
    // The letter's agenda links the dated sessions to their programme.
    assert_eq!(
        attrs(&letter, "#rubrique-agenda a[href^='/programmes/']", "href"),
        [
            "/programmes/parcours/",
            "/programmes/parcours/",
            "/programmes/cycle-mensuel/",
            "/programmes/parcours/"
        ]
    );
    assert!(
        site.read("lettres/2025-09/email.html")
            .contains("https://example.org/programmes/parcours/")
    );
    // The undated sessions keep their own page, linked from the programme.
    let page = site.html("agenda/02-atelier-sans-date/index.html");
    assert!(text(&select(&page, ".event-facts dd")[0]).contains("Date à préciser"));
}

#[test]
fn bad_programmes_are_reported_with_place_and_help() {
    let site = TempSite::fixture("programmes-errors");
    let run = site.check();
    assert_ne!(run.code, 0, "{}", run.stderr);
    let err = &run.stderr;
    let expect = [
        (
            "erreur : content/programmes/trop-exigeant.md:4:17",
            "ne compte que 2 sessions",
        ),
        (
            "erreur : content/programmes/obligatoires.md:3:28",
            "2 sessions obligatoires",
        ),
        (
            "erreur : content/programmes/annonce.md:5:14",
            "une seule est marquée",
        ),
        ("erreur : content/programmes/annonce.md:9:12", "2026-13"),
        (
            "erreur : content/agenda/sessions/faute-de-frappe.md:3:12",
            "trop-exigeant",
        ),
        (
            "avertissement : content/agenda/hors-programme-obligatoire.md:4:12",
            "mandatory",
        ),
        (
            "avertissement : content/agenda/hors-programme-public.md:4:11",
            "audience",
        ),
    ];
    for (at, word) in expect {
        let pos = err
            .find(&format!("{at} :"))
            .unwrap_or_else(|| panic!("nothing at {at}:\n{err}"));
        let block: String = err[pos..]
            .lines()
            .take_while(|l| !l.is_empty())
            .map(|l| format!("{l}\n"))
            .collect();
        assert!(block.contains(word), "{at}: « {word} » missing in\n{block}");
        assert!(block.contains("aide :"), "{at}: no suggestion in\n{block}");
    }
    assert!(
        err.contains("Échec : 5 erreurs et 2 avertissements"),
        "{err}"
    );
    assert!(!err.contains("panicked") && !err.contains("RUST_BACKTRACE"));
}

#[test]
fn session_keys_without_programme_only_warn() {
    let site = TempSite::fixture("programmes-site");
    site.write(
        "agenda/autres/isolee.md",
        "---\ntitle: \"Isolée\"\nstart: 2025-10-20\naudience: promotion\n---\n",
    );
    let run = site.build(&[]);
    assert_eq!(
        run.code, 0,
        "a warning does not fail the build:\n{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("avertissement : content/agenda/autres/isolee.md:4:11 :"),
        "{}",
        run.stderr
    );
    let strict = site.build(&["--strict"]);
    assert_ne!(strict.code, 0, "--strict turns the warning into a failure");
}

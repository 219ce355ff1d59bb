//! The iCalendar (RFC 5545) writer of the agenda feeds, written by hand so
//! every rule is ours to test: CRLF line ends, folding at 75 octets without
//! cutting a UTF-8 sequence, a `VTIMEZONE` for Europe/Paris whenever `TZID`
//! is used, all-day events as `VALUE=DATE` with an exclusive `DTEND`, stable
//! `UID`s and a `DTSTAMP` taken from the content, never from the clock.

use chrono::{Duration, NaiveDate, NaiveDateTime};

use crate::model::When;

/// The product identifier of every feed.
pub const PRODID: &str = "-//Cités Unies France//cufpress//FR";

/// The time zone of every timed event.
pub const TZID: &str = "Europe/Paris";

/// One event of a feed, already in plain text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IcsEvent {
    /// Globally unique and stable: `<slug>@<host>`.
    pub uid: String,
    /// Title.
    pub summary: String,
    /// Start.
    pub start: When,
    /// End as written (inclusive for days), if any.
    pub end: Option<When>,
    /// Place, or "En visioconférence".
    pub location: Option<String>,
    /// Plain-text description.
    pub description: String,
    /// Absolute URL of the event's page.
    pub url: String,
    /// Theme labels.
    pub categories: Vec<String>,
}

/// A whole `VCALENDAR` named `name`, CRLF-terminated lines, folded.
pub fn calendar(name: &str, events: &[IcsEvent]) -> String {
    let mut out = String::new();
    let mut line = |s: &str| push_folded(&mut out, s);
    line("BEGIN:VCALENDAR");
    line("VERSION:2.0");
    line(&format!("PRODID:{PRODID}"));
    line("CALSCALE:GREGORIAN");
    line("METHOD:PUBLISH");
    line(&format!("X-WR-CALNAME:{}", escape_text(name)));
    line(&format!("X-WR-TIMEZONE:{TZID}"));
    let timed = events
        .iter()
        .any(|e| matches!(e.start, When::At(_)) || matches!(e.end, Some(When::At(_))));
    if timed {
        for l in VTIMEZONE {
            line(l);
        }
    }
    for e in events {
        for l in vevent(e) {
            line(&l);
        }
    }
    line("END:VCALENDAR");
    out
}

/// Europe/Paris since 1996: CET/CEST, last Sundays of March and October.
const VTIMEZONE: &[&str] = &[
    "BEGIN:VTIMEZONE",
    "TZID:Europe/Paris",
    "X-LIC-LOCATION:Europe/Paris",
    "BEGIN:DAYLIGHT",
    "TZOFFSETFROM:+0100",
    "TZOFFSETTO:+0200",
    "TZNAME:CEST",
    "DTSTART:19700329T020000",
    "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU",
    "END:DAYLIGHT",
    "BEGIN:STANDARD",
    "TZOFFSETFROM:+0200",
    "TZOFFSETTO:+0100",
    "TZNAME:CET",
    "DTSTART:19701025T030000",
    "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU",
    "END:STANDARD",
    "END:VTIMEZONE",
];

fn vevent(e: &IcsEvent) -> Vec<String> {
    let mut v = vec![
        "BEGIN:VEVENT".to_string(),
        format!("UID:{}", e.uid),
        // RFC 5545 asks for a UTC date-time: the start day at midnight UTC is
        // derived from the content alone, so it is the same at every build.
        format!("DTSTAMP:{}T000000Z", ics_date(e.start.date())),
    ];
    let (start, end) = start_end(e.start, e.end);
    v.push(format!("DTSTART{start}"));
    if let Some(end) = end {
        v.push(format!("DTEND{end}"));
    }
    v.push(format!("SUMMARY:{}", escape_text(&e.summary)));
    if let Some(l) = &e.location {
        v.push(format!("LOCATION:{}", escape_text(l)));
    }
    if !e.description.is_empty() {
        v.push(format!("DESCRIPTION:{}", escape_text(&e.description)));
    }
    if !e.categories.is_empty() {
        let cats: Vec<String> = e.categories.iter().map(|c| escape_text(c)).collect();
        v.push(format!("CATEGORIES:{}", cats.join(",")));
    }
    v.push(format!("URL:{}", e.url));
    v.push("STATUS:CONFIRMED".into());
    v.push("TRANSP:OPAQUE".into());
    v.push("END:VEVENT".into());
    v
}

/// The `DTSTART` and `DTEND` suffixes (parameters and value). Both take the
/// same value type, as RFC 5545 requires: a timed start with a day end ends
/// at the midnight after that day; a day start with a timed end becomes
/// all-day through the end's day. Days end exclusively (the day after).
fn start_end(start: When, end: Option<When>) -> (String, Option<String>) {
    match (start, end) {
        (When::Day(s), end) => {
            let last = end.map_or(s, |e| e.date()).max(s);
            (date_value(s), Some(date_value(next_day(last))))
        }
        (When::At(s), None) => (datetime_value(s), None),
        (When::At(s), Some(When::At(e))) => (datetime_value(s), Some(datetime_value(e.max(s)))),
        (When::At(s), Some(When::Day(e))) => {
            let midnight = next_day(e.max(s.date())).and_time(chrono::NaiveTime::MIN);
            (datetime_value(s), Some(datetime_value(midnight)))
        }
    }
}

fn next_day(d: NaiveDate) -> NaiveDate {
    d.checked_add_signed(Duration::days(1)).unwrap_or(d)
}

fn ics_date(d: NaiveDate) -> String {
    d.format("%Y%m%d").to_string()
}

fn date_value(d: NaiveDate) -> String {
    format!(";VALUE=DATE:{}", ics_date(d))
}

fn datetime_value(dt: NaiveDateTime) -> String {
    format!(";TZID={TZID}:{}", dt.format("%Y%m%dT%H%M%S"))
}

/// Escapes a TEXT value: backslash, semicolon, comma and line breaks.
pub fn escape_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c if c.is_control() || crate::load::values::is_forbidden_char(c) => {}
            c => out.push(c),
        }
    }
    out
}

/// Appends `line` folded into pieces of at most 75 octets (continuations
/// start with one space, which counts), each ended by CRLF, never cutting
/// inside a UTF-8 sequence.
pub fn push_folded(out: &mut String, line: &str) {
    let mut rest = line;
    let mut limit = 75;
    loop {
        if rest.len() <= limit {
            out.push_str(rest);
            out.push_str("\r\n");
            return;
        }
        let mut cut = limit;
        while !rest.is_char_boundary(cut) {
            cut -= 1;
        }
        out.push_str(&rest[..cut]);
        out.push_str("\r\n ");
        rest = &rest[cut..];
        limit = 74;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn at(y: i32, m: u32, d: u32, h: u32) -> When {
        When::At(day(y, m, d).and_hms_opt(h, 0, 0).unwrap())
    }

    fn event(start: When, end: Option<When>) -> IcsEvent {
        IcsEvent {
            uid: "cop30@example.org".into(),
            summary: "COP30, à Belém; «ouverture»".into(),
            start,
            end,
            location: Some("Belém, Brésil".into()),
            description: "Ligne 1\nLigne 2".into(),
            url: "https://example.org/agenda/cop30/".into(),
            categories: vec!["Climat".into()],
        }
    }

    #[test]
    fn folds_at_75_octets_without_splitting_characters() {
        let long = format!("SUMMARY:{}", "é".repeat(100));
        let mut out = String::new();
        push_folded(&mut out, &long);
        assert!(out.ends_with("\r\n"));
        let lines: Vec<&str> = out.trim_end_matches("\r\n").split("\r\n").collect();
        assert!(lines.len() > 2);
        for (i, l) in lines.iter().enumerate() {
            assert!(l.len() <= 75, "line {i} has {} octets", l.len());
            assert_eq!(i > 0, l.starts_with(' '));
        }
        let unfolded: String = out.replace("\r\n ", "");
        assert_eq!(unfolded.trim_end(), long);
        let mut short = String::new();
        push_folded(&mut short, "VERSION:2.0");
        assert_eq!(short, "VERSION:2.0\r\n");
        let mut exact = String::new();
        push_folded(&mut exact, &"a".repeat(75));
        assert_eq!(exact.matches("\r\n").count(), 1);
    }

    #[test]
    fn escapes_text_values() {
        assert_eq!(escape_text("a,b;c\\d\ne"), "a\\,b\\;c\\\\d\\ne");
    }

    #[test]
    fn all_day_events_have_an_exclusive_end() {
        let cal = calendar(
            "Agenda",
            &[event(
                When::Day(day(2025, 11, 10)),
                Some(When::Day(day(2025, 11, 21))),
            )],
        );
        assert!(cal.contains("\r\nDTSTART;VALUE=DATE:20251110\r\n"));
        assert!(cal.contains("\r\nDTEND;VALUE=DATE:20251122\r\n"));
        assert!(!cal.contains("VTIMEZONE"), "no TZID used, no VTIMEZONE");
        let one = calendar("Agenda", &[event(When::Day(day(2025, 12, 31)), None)]);
        assert!(one.contains("DTEND;VALUE=DATE:20260101\r\n"));
    }

    #[test]
    fn timed_events_use_paris_time_and_a_vtimezone() {
        let cal = calendar(
            "Agenda",
            &[event(at(2025, 10, 24, 14), Some(at(2025, 10, 24, 16)))],
        );
        assert!(cal.contains("\r\nDTSTART;TZID=Europe/Paris:20251024T140000\r\n"));
        assert!(cal.contains("\r\nDTEND;TZID=Europe/Paris:20251024T160000\r\n"));
        assert!(cal.contains("BEGIN:VTIMEZONE\r\nTZID:Europe/Paris\r\n"));
        assert!(cal.find("END:VTIMEZONE").unwrap() < cal.find("BEGIN:VEVENT").unwrap());
    }

    #[test]
    fn mixed_forms_share_one_value_type() {
        let (s, e) = start_end(at(2025, 10, 9, 14), Some(When::Day(day(2025, 10, 10))));
        assert_eq!(s, ";TZID=Europe/Paris:20251009T140000");
        assert_eq!(e.unwrap(), ";TZID=Europe/Paris:20251011T000000");
        let (s, e) = start_end(When::Day(day(2025, 10, 9)), Some(at(2025, 10, 10, 12)));
        assert_eq!(s, ";VALUE=DATE:20251009");
        assert_eq!(e.unwrap(), ";VALUE=DATE:20251011");
        let (_, e) = start_end(at(2025, 10, 9, 14), None);
        assert_eq!(e, None);
    }

    #[test]
    fn calendar_envelope_and_stable_stamps() {
        let cal = calendar("Agenda, CUF", &[event(When::Day(day(2025, 11, 10)), None)]);
        assert!(cal.starts_with(
            "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Cités Unies France//cufpress//FR\r\n"
        ));
        assert!(cal.ends_with("END:VCALENDAR\r\n"));
        assert!(cal.contains("X-WR-CALNAME:Agenda\\, CUF\r\n"));
        assert!(cal.contains("UID:cop30@example.org\r\n"));
        assert!(cal.contains("DTSTAMP:20251110T000000Z\r\n"));
        assert!(cal.contains("SUMMARY:COP30\\, à Belém\\; «ouverture»\r\n"));
        assert!(cal.contains("DESCRIPTION:Ligne 1\\nLigne 2\r\n"));
        assert!(
            !cal.replace("\r\n", "").contains('\n'),
            "only CRLF line ends"
        );
        assert_eq!(
            cal,
            calendar("Agenda, CUF", &[event(When::Day(day(2025, 11, 10)), None)])
        );
    }
}

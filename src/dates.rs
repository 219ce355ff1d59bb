//! Dates written the French way, as the letter prints them, with chrono's
//! French locale (no hand-kept tables of month and day names): single days,
//! ranges ("Du jeudi 9 au mercredi 15"), month headings and times.

use chrono::{Datelike, Locale, NaiveDate, NaiveTime, Timelike};

/// "1er" for the first day of a month, the number otherwise.
pub fn day_number(d: NaiveDate) -> String {
    if d.day() == 1 {
        "1er".to_string()
    } else {
        d.day().to_string()
    }
}

/// The month's name in French, lower case: "septembre".
pub fn month_name(d: NaiveDate) -> String {
    d.format_localized("%B", Locale::fr_FR).to_string()
}

/// The weekday's name in French, lower case: "mardi".
pub fn weekday_name(d: NaiveDate) -> String {
    d.format_localized("%A", Locale::fr_FR).to_string()
}

/// "10 septembre 2025", "1er octobre 2025".
pub fn long_date(d: NaiveDate) -> String {
    format!("{} {} {}", day_number(d), month_name(d), d.year())
}

/// The first letter in upper case: "mardi 14" → "Mardi 14".
pub fn capitalize(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// A month heading of the agenda: "Octobre 2025".
pub fn month_heading(d: NaiveDate) -> String {
    capitalize(&format!("{} {}", month_name(d), d.year()))
}

/// The month heading the letter prints over its agenda: "Septembre",
/// "Octobre" (full names: "SEPT" reads as a number).
pub fn month_label(d: NaiveDate) -> String {
    capitalize(&month_name(d))
}

/// What the reader already knows when a date is printed, so it is not repeated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Known {
    /// Nothing: the month and year are always written ("Mardi 14 octobre 2025").
    Nothing,
    /// The month and year of the start (printed in a heading above):
    /// "Mardi 14", "Du jeudi 9 au mercredi 15".
    Month,
}

/// "mardi 14", plus the month and year as asked.
fn day(d: NaiveDate, month: bool, year: bool) -> String {
    let mut s = format!("{} {}", weekday_name(d), day_number(d));
    if month {
        s.push(' ');
        s.push_str(&month_name(d));
    }
    if year {
        s.push_str(&format!(" {}", d.year()));
    }
    s
}

/// The days of an event as the letter writes them, capitalised:
/// "Mardi 14", "Jeudi 18 et vendredi 19" (two days in a row),
/// "Du jeudi 9 au mercredi 15", "Du samedi 15 novembre au dimanche 7
/// décembre", and both years when the range crosses a year. An `end`
/// before `start` is treated as `start` alone.
pub fn range(start: NaiveDate, end: NaiveDate, known: Known) -> String {
    let end = end.max(start);
    let full = known == Known::Nothing;
    if start == end {
        return capitalize(&day(start, full, full));
    }
    let same_year = start.year() == end.year();
    let same_month = same_year && start.month() == end.month();
    let (start_month, start_year) = match (same_month, same_year) {
        (true, _) => (false, false),
        (false, true) => (true, false),
        (false, false) => (true, true),
    };
    let a = day(start, start_month, start_year);
    let b = day(end, full || !same_month, full || !same_year);
    if start.succ_opt() == Some(end) {
        capitalize(&format!("{a} et {b}"))
    } else {
        format!("Du {a} au {b}")
    }
}

/// The dates of a highlighted event, as the letter's "Autres dates à
/// retenir" writes them: "le 3 mars 2026", "les 16 et 17 décembre 2025",
/// "du 21 au 24 octobre 2026", "du 30 novembre au 2 décembre 2025",
/// "du 29 décembre 2025 au 2 janvier 2026".
pub fn short_range(start: NaiveDate, end: NaiveDate) -> String {
    let end = end.max(start);
    if start == end {
        return format!("le {}", long_date(start));
    }
    let a = if start.year() != end.year() {
        long_date(start)
    } else if start.month() != end.month() {
        format!("{} {}", day_number(start), month_name(start))
    } else {
        day_number(start)
    };
    if start.succ_opt() == Some(end) {
        format!("les {a} et {}", long_date(end))
    } else {
        format!("du {a} au {}", long_date(end))
    }
}

/// "14h00", "9h30".
pub fn time(t: NaiveTime) -> String {
    format!("{}h{:02}", t.hour(), t.minute())
}

/// The hours of an event: "de 14h00 à 16h00" within a day, "à 14h00" with
/// no end time, "à partir de 14h00" over several days; None when untimed.
pub fn time_range(
    start: Option<NaiveTime>,
    end: Option<NaiveTime>,
    same_day: bool,
) -> Option<String> {
    let s = start?;
    Some(match end {
        Some(e) if same_day && e > s => format!("de {} à {}", time(s), time(e)),
        _ if !same_day => format!("à partir de {}", time(s)),
        _ => format!("à {}", time(s)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn t(h: u32, m: u32) -> NaiveTime {
        NaiveTime::from_hms_opt(h, m, 0).unwrap()
    }

    #[test]
    fn long_dates_in_french() {
        assert_eq!(long_date(d(2025, 9, 10)), "10 septembre 2025");
        assert_eq!(long_date(d(2025, 10, 1)), "1er octobre 2025");
        assert_eq!(weekday_name(d(2025, 10, 14)), "mardi");
        assert_eq!(month_name(d(2025, 8, 3)), "août");
    }

    #[test]
    fn single_days_as_the_letter_writes_them() {
        assert_eq!(
            range(d(2025, 10, 14), d(2025, 10, 14), Known::Month),
            "Mardi 14"
        );
        assert_eq!(range(d(2025, 9, 8), d(2025, 9, 8), Known::Month), "Lundi 8");
        assert_eq!(
            range(d(2025, 10, 14), d(2025, 10, 14), Known::Nothing),
            "Mardi 14 octobre 2025"
        );
        assert_eq!(
            range(d(2025, 11, 1), d(2025, 11, 1), Known::Month),
            "Samedi 1er"
        );
        assert_eq!(
            range(d(2026, 1, 1), d(2026, 1, 1), Known::Nothing),
            "Jeudi 1er janvier 2026"
        );
    }

    #[test]
    fn two_days_in_a_row_use_et() {
        assert_eq!(
            range(d(2025, 9, 18), d(2025, 9, 19), Known::Month),
            "Jeudi 18 et vendredi 19"
        );
        assert_eq!(
            range(d(2025, 9, 5), d(2025, 9, 6), Known::Month),
            "Vendredi 5 et samedi 6"
        );
        assert_eq!(
            range(d(2025, 9, 18), d(2025, 9, 19), Known::Nothing),
            "Jeudi 18 et vendredi 19 septembre 2025"
        );
        assert_eq!(
            range(d(2025, 10, 31), d(2025, 11, 1), Known::Month),
            "Vendredi 31 octobre et samedi 1er novembre"
        );
        assert_eq!(
            range(d(2025, 12, 31), d(2026, 1, 1), Known::Month),
            "Mercredi 31 décembre 2025 et jeudi 1er janvier 2026"
        );
    }

    #[test]
    fn longer_ranges_use_du_au() {
        assert_eq!(
            range(d(2025, 10, 9), d(2025, 10, 15), Known::Month),
            "Du jeudi 9 au mercredi 15"
        );
        assert_eq!(
            range(d(2025, 10, 9), d(2025, 10, 15), Known::Nothing),
            "Du jeudi 9 au mercredi 15 octobre 2025"
        );
        assert_eq!(
            range(d(2025, 9, 17), d(2025, 9, 19), Known::Month),
            "Du mercredi 17 au vendredi 19"
        );
        assert_eq!(
            range(d(2025, 10, 1), d(2025, 10, 3), Known::Month),
            "Du mercredi 1er au vendredi 3"
        );
    }

    #[test]
    fn ranges_across_months_and_years() {
        assert_eq!(
            range(d(2025, 11, 15), d(2025, 12, 7), Known::Month),
            "Du samedi 15 novembre au dimanche 7 décembre"
        );
        assert_eq!(
            range(d(2025, 11, 15), d(2025, 12, 7), Known::Nothing),
            "Du samedi 15 novembre au dimanche 7 décembre 2025"
        );
        assert_eq!(
            range(d(2025, 12, 29), d(2026, 1, 2), Known::Month),
            "Du lundi 29 décembre 2025 au vendredi 2 janvier 2026"
        );
        assert_eq!(
            range(d(2025, 12, 29), d(2026, 1, 2), Known::Nothing),
            "Du lundi 29 décembre 2025 au vendredi 2 janvier 2026"
        );
        assert_eq!(
            range(d(2025, 10, 31), d(2025, 11, 1), Known::Nothing),
            "Vendredi 31 octobre et samedi 1er novembre 2025"
        );
    }

    #[test]
    fn an_end_before_the_start_is_ignored() {
        assert_eq!(
            range(d(2025, 10, 14), d(2025, 10, 1), Known::Month),
            "Mardi 14"
        );
        assert_eq!(
            short_range(d(2025, 10, 14), d(2025, 10, 1)),
            "le 14 octobre 2025"
        );
    }

    #[test]
    fn short_ranges_for_the_dates_to_remember() {
        assert_eq!(short_range(d(2026, 3, 3), d(2026, 3, 3)), "le 3 mars 2026");
        assert_eq!(
            short_range(d(2025, 12, 16), d(2025, 12, 17)),
            "les 16 et 17 décembre 2025"
        );
        assert_eq!(
            short_range(d(2026, 10, 21), d(2026, 10, 24)),
            "du 21 au 24 octobre 2026"
        );
        assert_eq!(
            short_range(d(2025, 11, 30), d(2025, 12, 2)),
            "du 30 novembre au 2 décembre 2025"
        );
        assert_eq!(
            short_range(d(2025, 12, 29), d(2026, 1, 2)),
            "du 29 décembre 2025 au 2 janvier 2026"
        );
        assert_eq!(short_range(d(2026, 5, 1), d(2026, 5, 1)), "le 1er mai 2026");
    }

    #[test]
    fn month_labels() {
        assert_eq!(month_heading(d(2025, 10, 14)), "Octobre 2025");
        assert_eq!(month_heading(d(2025, 8, 14)), "Août 2025");
        let labels: Vec<String> = (1..=12).map(|m| month_label(d(2025, m, 1))).collect();
        assert_eq!(
            labels,
            [
                "Janvier",
                "Février",
                "Mars",
                "Avril",
                "Mai",
                "Juin",
                "Juillet",
                "Août",
                "Septembre",
                "Octobre",
                "Novembre",
                "Décembre"
            ]
        );
    }

    #[test]
    fn times() {
        assert_eq!(time(t(14, 0)), "14h00");
        assert_eq!(time(t(9, 30)), "9h30");
        assert_eq!(
            time_range(Some(t(14, 0)), Some(t(16, 0)), true).as_deref(),
            Some("de 14h00 à 16h00")
        );
        assert_eq!(
            time_range(Some(t(14, 0)), None, true).as_deref(),
            Some("à 14h00")
        );
        assert_eq!(
            time_range(Some(t(14, 0)), Some(t(14, 0)), true).as_deref(),
            Some("à 14h00")
        );
        assert_eq!(
            time_range(Some(t(14, 0)), Some(t(12, 0)), false).as_deref(),
            Some("à partir de 14h00")
        );
        assert_eq!(time_range(None, Some(t(12, 0)), true), None);
    }

    #[test]
    fn capitalize_handles_accents_and_empty() {
        assert_eq!(capitalize("écrit"), "Écrit");
        assert_eq!(capitalize(""), "");
    }

    fn any_date() -> impl Strategy<Value = NaiveDate> {
        (0i64..60_000).prop_map(|n| d(1950, 1, 1) + chrono::Duration::days(n))
    }

    proptest! {
        /// No range is ever printed "du X au X" (nor "X et X"): both sides differ,
        /// and one day is printed as one day.
        #[test]
        fn no_range_repeats_its_day(start in any_date(), len in 0i64..800, full in any::<bool>()) {
            let end = start + chrono::Duration::days(len);
            let known = if full { Known::Nothing } else { Known::Month };
            for s in [range(start, end, known), short_range(start, end)] {
                let lower = s.to_lowercase();
                if let Some(rest) = lower.strip_prefix("du ") {
                    let (a, b) = rest.split_once(" au ").expect("du … au …");
                    prop_assert_ne!(a, b, "{}", s);
                    prop_assert!(len >= 2, "{}", s);
                } else if let Some((a, b)) = lower.trim_start_matches("les ").split_once(" et ") {
                    prop_assert_ne!(a, b, "{}", s);
                    prop_assert_eq!(len, 1, "{}", s);
                } else {
                    prop_assert_eq!(len, 0, "{}", s);
                }
                prop_assert!(!s.contains("  "), "{}", s);
            }
        }

        /// The end is always printed with its weekday, and with its month
        /// whenever it is not the start's.
        #[test]
        fn the_end_is_always_printed(start in any_date(), len in 1i64..800) {
            let end = start + chrono::Duration::days(len);
            let s = range(start, end, Known::Month);
            let tail = format!("{} {}", weekday_name(end), day_number(end));
            prop_assert!(s.contains(&tail), "{}", s);
            if end.month() != start.month() {
                prop_assert!(s.contains(&format!("{tail} {}", month_name(end))), "{}", s);
            }
        }
    }
}

//! Dates written the French way, as the letter prints them, with chrono's
//! French locale (no hand-kept tables of month and day names).

use chrono::{Datelike, Locale, NaiveDate};

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

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn long_dates_in_french() {
        assert_eq!(long_date(d(2025, 9, 10)), "10 septembre 2025");
        assert_eq!(long_date(d(2025, 10, 1)), "1er octobre 2025");
        assert_eq!(weekday_name(d(2025, 10, 14)), "mardi");
        assert_eq!(month_name(d(2025, 8, 3)), "août");
    }
}

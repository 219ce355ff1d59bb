//! Checks of programmes and their sessions: the completion rule against the
//! sessions that exist (`completion.min_sessions`, `completion.mandatory`),
//! the timeline's dates, and the session-only keys (`mandatory`, `audience`)
//! written on events that belong to no programme.

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::model::{EventFront, Page, ProgrammeFront, Site};

/// Adds to `diags` every mistake of the programmes of `site`.
pub fn check(site: &Site, diags: &mut Diagnostics) {
    for p in &site.programmes {
        let sessions: Vec<&Page<EventFront>> = site
            .events
            .iter()
            .filter(|e| e.front.programme.as_deref() == Some(p.slug.as_str()))
            .collect();
        check_completion(p, &sessions, diags);
        check_timeline(p, diags);
    }
    for e in &site.events {
        check_session_keys(e, site, diags);
    }
}

/// Line and column (1-based) of the value of `key` inside the block of the
/// top-level key `parent` (the block ends at the next top-level key).
pub fn nested_position<F>(page: &Page<F>, parent: &str, key: &str) -> (u32, u32) {
    let start = page.line_of(parent);
    let needle = format!("{key}:");
    for (i, line) in page.source.lines().enumerate().skip(start as usize - 1) {
        let top_level = !line.starts_with([' ', '\t', '-', '#']) && !line.trim().is_empty();
        if i + 1 > start as usize && (top_level || line.trim() == "---") {
            break;
        }
        if let Some(at) = line.find(&needle) {
            let value = line[at + needle.len()..]
                .find(|c: char| !c.is_whitespace())
                .map_or(at + needle.len(), |v| at + needle.len() + v);
            return (i as u32 + 1, line[..value].chars().count() as u32 + 1);
        }
    }
    (start, 1)
}

fn error<F>(page: &Page<F>, (line, col): (u32, u32), message: String, hint: String) -> Diagnostic {
    Diagnostic::error(&page.path, line, col, message)
        .with_suggestion(hint)
        .with_source(&page.source)
}

/// "1 session", "2 sessions".
fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n > 1 { many } else { one })
}

fn check_completion(
    p: &Page<ProgrammeFront>,
    sessions: &[&Page<EventFront>],
    diags: &mut Diagnostics,
) {
    let Some(c) = &p.front.completion else {
        return;
    };
    let total = sessions.len();
    let mandatory: Vec<&str> = sessions
        .iter()
        .filter(|e| e.front.mandatory)
        .map(|e| e.path.as_str())
        .collect();
    if let Some(min) = c.min_sessions {
        let at = nested_position(p, "completion", "min_sessions");
        if min as usize > total {
            diags.push(error(
                p,
                at,
                format!(
                    "completion.min_sessions vaut {min} mais le programme ne compte que {} (événements portant programme: {})",
                    count(total, "session", "sessions"),
                    p.slug
                ),
                format!(
                    "indiquez au plus {total}, ou ajoutez les sessions manquantes dans agenda/ avec programme: {}",
                    p.slug
                ),
            ));
        }
        if mandatory.len() > min as usize {
            diags.push(error(
                p,
                at,
                format!(
                    "completion.min_sessions vaut {min}, mais le programme compte {} : elles sont plus nombreuses que le minimum à suivre",
                    count(mandatory.len(), "session obligatoire", "sessions obligatoires")
                ),
                format!(
                    "indiquez au moins {} ou retirez mandatory: true de l'une de ces sessions : {}",
                    mandatory.len(),
                    mandatory.join(", ")
                ),
            ));
        }
    }
    if let Some(stated) = c.mandatory
        && stated as usize != mandatory.len()
    {
        let listed = if mandatory.is_empty() {
            "aucune session n'est marquée mandatory: true".to_string()
        } else {
            format!(
                "sessions marquées mandatory: true : {}",
                mandatory.join(", ")
            )
        };
        diags.push(error(
            p,
            nested_position(p, "completion", "mandatory"),
            format!(
                "completion.mandatory annonce {}, mais {}",
                count(
                    stated as usize,
                    "session obligatoire",
                    "sessions obligatoires"
                ),
                match mandatory.len() {
                    0 => "aucune session n'est marquée mandatory: true".to_string(),
                    1 => "une seule est marquée mandatory: true".to_string(),
                    n => format!("{n} sont marquées mandatory: true"),
                }
            ),
            format!("corrigez le nombre ou le marquage des sessions ({listed})"),
        ));
    }
}

/// True for `AAAA-MM` and `AAAA-MM-JJ` naming a real month or day.
pub fn valid_milestone_date(s: &str) -> bool {
    let s = s.trim();
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").is_ok()
        || (s.len() == 7
            && chrono::NaiveDate::parse_from_str(&format!("{s}-01"), "%Y-%m-%d").is_ok())
}

fn check_timeline(p: &Page<ProgrammeFront>, diags: &mut Diagnostics) {
    for m in &p.front.timeline {
        if valid_milestone_date(&m.date) {
            continue;
        }
        let at = p
            .source
            .lines()
            .enumerate()
            .skip(p.line_of("timeline") as usize - 1)
            .find_map(|(i, l)| {
                let c = l.find(m.date.as_str())?;
                Some((i as u32 + 1, l[..c].chars().count() as u32 + 1))
            })
            .unwrap_or((p.line_of("timeline"), 1));
        diags.push(error(
            p,
            at,
            format!("date d'étape invalide « {} »", m.date),
            "écrivez AAAA-MM (un mois, par exemple 2026-02) ou AAAA-MM-JJ (un jour, par exemple 2026-03-10)".into(),
        ));
    }
}

/// `mandatory` and `audience` describe a session of a programme: on an
/// event of no programme they are probably a forgotten `programme:` line.
fn check_session_keys(e: &Page<EventFront>, site: &Site, diags: &mut Diagnostics) {
    if e.front.programme.is_some() {
        return;
    }
    let names: Vec<&str> = site.programmes.iter().map(|p| p.slug.as_str()).collect();
    let hint = match names.as_slice() {
        [] => "aucun programme n'existe : retirez cette clé, ou créez programmes/<nom>.md et ajoutez programme: <nom> à l'événement".to_string(),
        _ => format!(
            "ajoutez programme: <nom> (programmes existants : {}), ou retirez cette clé",
            names.join(", ")
        ),
    };
    let mut keys: Vec<&str> = Vec::new();
    if e.front.mandatory {
        keys.push("mandatory");
    }
    if e.front.audience.is_some() {
        keys.push("audience");
    }
    for key in keys {
        let line = e.line_of(key);
        let col = e
            .source
            .lines()
            .nth(line as usize - 1)
            .and_then(|l| l.find(':'))
            .map_or(1, |c| c as u32 + 3);
        diags.push(
            Diagnostic::warning(
                &e.path,
                line,
                col,
                format!("`{key}` ne vaut que pour une session de programme, et cet événement n'a pas de clé `programme`"),
            )
            .with_suggestion(hint.clone())
            .with_source(&e.source),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn milestone_dates() {
        assert!(valid_milestone_date("2026-02"));
        assert!(valid_milestone_date("2026-03-10"));
        assert!(!valid_milestone_date("2026-13"));
        assert!(!valid_milestone_date("février 2026"));
        assert!(!valid_milestone_date("2026-02-30"));
    }

    #[test]
    fn nested_keys_are_found_in_their_block() {
        let source =
            "---\ntitle: x\ncompletion:\n  min_sessions: 5\n  mandatory: 2\nmandatory: 9\n---\n";
        let page = Page {
            path: "content/programmes/x.md".into(),
            slug: "x".into(),
            front: std::sync::Arc::new(()),
            body: Default::default(),
            key_lines: std::sync::Arc::new(
                [("title".to_string(), 2), ("completion".to_string(), 3)]
                    .into_iter()
                    .collect(),
            ),
            source: source.into(),
        };
        assert_eq!(
            nested_position(&page, "completion", "min_sessions"),
            (4, 17)
        );
        assert_eq!(nested_position(&page, "completion", "mandatory"), (5, 14));
        assert_eq!(nested_position(&page, "completion", "absent"), (3, 1));
    }
}

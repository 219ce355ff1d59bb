//! Programmes and cycles: the list of programmes (`/programmes/`), one page
//! per programme (`/programmes/<slug>/`: presentation, timeline, completion
//! rule, contacts, partners, then every session — dated ones by date, then
//! undated ones in file order under "Date à préciser") and its calendar
//! feed (`/programmes/<slug>/agenda.ics`, dated sessions only).

use chrono::NaiveDate;
use serde::Serialize;

use crate::dates;
use crate::diagnostics::Diagnostic;
use crate::load::typography::title_text;
use crate::model::{EventFront, Page, ProgrammeFront};
use crate::render::agenda::{self, Dated, EventItem};
use crate::render::views::plain_excerpt;
use crate::render::web::{meta, page};
use crate::render::{Output, RenderContext, Rendered, Renderer, Sink, ics, par_pages};

/// Renders the programme pages and their feeds.
pub struct ProgrammesRenderer;

impl Renderer for ProgrammesRenderer {
    fn name(&self) -> &'static str {
        "programmes"
    }

    fn ignores(&self) -> &'static [&'static str] {
        // Letters and répertoires are not part of these pages.
        &["lettres/", "repertoire/"]
    }

    fn render(&self, ctx: &RenderContext<'_>, out: &dyn Sink) -> Rendered {
        let all = agenda::dated_events(ctx);
        let mut errs = Vec::new();
        match index_page(ctx, &all) {
            Ok(o) => out.put(o),
            Err(e) => errs.push(e),
        }
        if let Err(e) = par_pages(&ctx.site.programmes, out, |p| programme_page(ctx, &all, p)) {
            errs.extend(e);
        }
        for p in &ctx.site.programmes {
            out.put(Output::text(
                format!("programmes/{}/agenda.ics", p.slug),
                feed(ctx, &all, p),
            ));
        }
        if errs.is_empty() {
            Ok(Vec::new())
        } else {
            Err(errs)
        }
    }
}

/// The sessions of one programme.
struct Sessions<'a> {
    /// Dated ones, in calendar order.
    dated: Vec<Dated<'a>>,
    /// Undated ones, in file order.
    undated: Vec<&'a Page<EventFront>>,
}

impl<'a> Sessions<'a> {
    fn of(ctx: &RenderContext<'a>, all: &[Dated<'a>], slug: &str) -> Self {
        let of_it = |e: &Page<EventFront>| e.front.programme.as_deref() == Some(slug);
        Sessions {
            dated: all.iter().filter(|d| of_it(d.page)).copied().collect(),
            undated: ctx
                .site
                .events
                .iter()
                .filter(|e| of_it(e) && e.front.start.is_none())
                .collect(),
        }
    }

    fn len(&self) -> usize {
        self.dated.len() + self.undated.len()
    }

    fn mandatory(&self) -> usize {
        let dated = self.dated.iter().filter(|d| d.page.front.mandatory);
        dated.count() + self.undated.iter().filter(|e| e.front.mandatory).count()
    }
}

/// A programme as the list of programmes shows it.
#[derive(Debug, Serialize)]
struct ProgrammeSummary {
    title: String,
    url: String,
    edition: Option<String>,
    /// "12 sessions".
    sessions: String,
    /// The first session not over before today.
    next: Option<EventItem>,
    /// Some sessions still wait for their date.
    undated: usize,
}

fn summary(
    ctx: &RenderContext<'_>,
    all: &[Dated<'_>],
    p: &Page<ProgrammeFront>,
) -> ProgrammeSummary {
    let s = Sessions::of(ctx, all, &p.slug);
    ProgrammeSummary {
        title: title_text(&p.front.title),
        url: ctx.url(&format!("/programmes/{}/", p.slug)),
        edition: p.front.edition.clone(),
        sessions: count(s.len(), "session", "sessions"),
        next: s
            .dated
            .iter()
            .find(|d| d.is_upcoming(ctx.today))
            .map(|d| EventItem {
                title: title_text(&d.page.front.title),
                ..EventItem::new(ctx, d)
            }),
        undated: s.undated.len(),
    }
}

/// "1 session", "12 sessions".
fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n > 1 { many } else { one })
}

fn index_page(ctx: &RenderContext<'_>, all: &[Dated<'_>]) -> Result<Output, Diagnostic> {
    let list: Vec<ProgrammeSummary> = ctx
        .site
        .programmes
        .iter()
        .map(|p| summary(ctx, all, p))
        .collect();
    let m = meta(
        ctx,
        "Programmes et cycles",
        "Les parcours et cycles de rencontres de Cités Unies France\u{a0}: leurs sessions, leurs dates, leurs partenaires et la règle pour les suivre jusqu’au bout.",
        "/programmes/",
        "programmes",
    );
    page(ctx, "programmes.html", "programmes/", m, |c| {
        c.insert("programmes", &list);
    })
}

/// One session on its programme's page.
#[derive(Debug, Serialize)]
struct SessionView<'a> {
    title: String,
    subtitle: Option<String>,
    url: String,
    /// The dates, when fixed (None: "Date à préciser").
    item: Option<EventItem>,
    /// Over before today.
    past: bool,
    partners: &'a [String],
    place: Option<&'a str>,
    format_label: Option<&'static str>,
    members_only: bool,
    mandatory: bool,
    /// "Session réservée à la promotion", "Réservée : <audience>".
    audience: Option<String>,
}

impl<'a> SessionView<'a> {
    fn new(ctx: &RenderContext<'_>, e: &'a Page<EventFront>, dated: Option<&Dated<'_>>) -> Self {
        let f = &e.front;
        SessionView {
            title: title_text(&f.title),
            subtitle: f.subtitle.as_deref().map(title_text),
            url: ctx.url(&format!("/agenda/{}/", e.slug)),
            item: dated.map(|d| EventItem::new(ctx, d)),
            past: dated.is_some_and(|d| !d.is_upcoming(ctx.today)),
            partners: &f.partners,
            place: f.place.as_deref(),
            format_label: agenda::format_label(f.format),
            members_only: f.members_only,
            mandatory: f.mandatory,
            audience: f.audience.as_deref().map(audience_label),
        }
    }
}

/// The mark of a session's audience.
fn audience_label(a: &str) -> String {
    if a.trim() == "promotion" {
        "Session réservée à la promotion".to_string()
    } else {
        format!("Réservée\u{a0}: {}", title_text(a.trim()))
    }
}

/// A run of sessions under one heading.
#[derive(Debug, Serialize)]
struct SessionGroup<'a> {
    /// Anchor.
    id: &'static str,
    /// "Les sessions", "Date à préciser".
    heading: &'static str,
    /// Number of the first session (the list goes on across groups).
    start: usize,
    sessions: Vec<SessionView<'a>>,
}

/// A milestone with its date written in French.
#[derive(Debug, Serialize)]
struct MilestoneView<'a> {
    /// "Février 2026", "10 mars 2026".
    date: String,
    /// `datetime` attribute: "2026-02", "2026-03-10".
    datetime: &'a str,
    label: String,
}

/// "Février 2026" for `AAAA-MM`, "10 mars 2026" for `AAAA-MM-JJ`, the text
/// as written otherwise (validation has already reported it).
pub fn milestone_date(s: &str) -> String {
    let s = s.trim();
    if let Ok(d) = NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        return dates::long_date(d);
    }
    match NaiveDate::parse_from_str(&format!("{s}-01"), "%Y-%m-%d") {
        Ok(d) if s.len() == 7 => dates::month_heading(d),
        _ => s.to_string(),
    }
}

/// "Pour obtenir le certificat : assister à au moins 5 sessions sur 12,
/// dont 2 obligatoires", or None when the programme states no rule.
pub fn completion_sentence(min: Option<u32>, mandatory: usize, total: usize) -> Option<String> {
    let rule = match (min, mandatory) {
        (None, 0) => return None,
        (None, m) => format!("assister {}", count_mandatory_only(m)),
        (Some(min), 0) => format!(
            "assister à au moins {} sur {total}",
            count(min as usize, "session", "sessions")
        ),
        (Some(min), m) => format!(
            "assister à au moins {} sur {total}, dont {}",
            count(min as usize, "session", "sessions"),
            count(m, "obligatoire", "obligatoires")
        ),
    };
    Some(format!("Pour obtenir le certificat\u{a0}: {rule}"))
}

fn count_mandatory_only(m: usize) -> String {
    if m == 1 {
        "à la session obligatoire".to_string()
    } else {
        format!("aux {m} sessions obligatoires")
    }
}

/// A contact with its `mailto:` link.
#[derive(Debug, Serialize)]
struct ContactView<'a> {
    name: String,
    role: Option<String>,
    email: Option<&'a str>,
    mailto: Option<String>,
}

/// A partner of the programme.
#[derive(Debug, Serialize)]
struct PartnerView {
    name: String,
    description: Option<String>,
}

/// Everything the page of a programme shows.
#[derive(Debug, Serialize)]
struct ProgrammeView<'a> {
    title: String,
    edition: Option<&'a str>,
    audience: Option<String>,
    html: &'a str,
    completion: Option<String>,
    /// "12 sessions".
    sessions: String,
    timeline: Vec<MilestoneView<'a>>,
    contacts: Vec<ContactView<'a>>,
    partners: Vec<PartnerView>,
    groups: Vec<SessionGroup<'a>>,
    /// Number of dated sessions (the feed is offered when there are some).
    dated: usize,
    /// The feed, root-relative and absolute.
    ics: String,
    ics_absolute: String,
}

fn view<'a>(
    ctx: &RenderContext<'a>,
    all: &[Dated<'a>],
    p: &'a Page<ProgrammeFront>,
) -> ProgrammeView<'a> {
    let f = &p.front;
    let s = Sessions::of(ctx, all, &p.slug);
    let dated: Vec<SessionView<'a>> = s
        .dated
        .iter()
        .map(|d| SessionView::new(ctx, d.page, Some(d)))
        .collect();
    let undated: Vec<SessionView<'a>> = s
        .undated
        .iter()
        .map(|e| SessionView::new(ctx, e, None))
        .collect();
    let mut groups = Vec::new();
    let after_dated = dated.len() + 1;
    if !dated.is_empty() {
        groups.push(SessionGroup {
            id: "sessions-datees",
            heading: "Calendrier des sessions",
            start: 1,
            sessions: dated,
        });
    }
    if !undated.is_empty() {
        groups.push(SessionGroup {
            id: "date-a-preciser",
            heading: "Date à préciser",
            start: after_dated,
            sessions: undated,
        });
    }
    let ics_path = format!("/programmes/{}/agenda.ics", p.slug);
    ProgrammeView {
        title: title_text(&f.title),
        edition: f.edition.as_deref(),
        audience: f.audience.as_deref().map(title_text),
        html: &p.body.html,
        completion: completion_sentence(
            f.completion.as_ref().and_then(|c| c.min_sessions),
            s.mandatory(),
            s.len(),
        ),
        sessions: count(s.len(), "session", "sessions"),
        timeline: f
            .timeline
            .iter()
            .map(|m| MilestoneView {
                date: milestone_date(&m.date),
                datetime: m.date.trim(),
                label: title_text(&m.label),
            })
            .collect(),
        contacts: f
            .contacts
            .iter()
            .map(|c| ContactView {
                name: title_text(&c.name),
                role: c.role.as_deref().map(title_text),
                email: c.email.as_deref(),
                mailto: c.email.as_ref().map(|e| format!("mailto:{}", e.trim())),
            })
            .collect(),
        partners: f
            .partners
            .iter()
            .map(|p| PartnerView {
                name: title_text(&p.name),
                description: p.description.as_deref().map(title_text),
            })
            .collect(),
        groups,
        dated: s.dated.len(),
        ics: ctx.url(&ics_path),
        ics_absolute: ctx.absolute(&ics_path),
    }
}

fn programme_page<'a>(
    ctx: &RenderContext<'a>,
    all: &[Dated<'a>],
    p: &'a Page<ProgrammeFront>,
) -> Result<Output, Diagnostic> {
    let v = view(ctx, all, p);
    let path = format!("/programmes/{}/", p.slug);
    let m = meta(
        ctx,
        title_text(&p.front.title),
        plain_excerpt(&p.body.html, 160),
        &path,
        "programmes",
    );
    page(ctx, "programme.html", &path[1..], m, |c| {
        c.insert("programme", &v);
    })
}

/// The feed of one programme: all its dated sessions, past ones included
/// (a path is followed from its first session to its last).
fn feed(ctx: &RenderContext<'_>, all: &[Dated<'_>], p: &Page<ProgrammeFront>) -> String {
    let events: Vec<ics::IcsEvent> = Sessions::of(ctx, all, &p.slug)
        .dated
        .iter()
        .map(|d| agenda::ics_event(ctx, d))
        .collect();
    let name = format!("{} – {}", p.front.title, ctx.site.config.title);
    ics::calendar(&name, &events)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn milestones_in_french() {
        assert_eq!(milestone_date("2026-02"), "Février 2026");
        assert_eq!(milestone_date("2026-03-10"), "10 mars 2026");
        assert_eq!(milestone_date("2026-04-01"), "1er avril 2026");
        assert_eq!(milestone_date("bientôt"), "bientôt");
    }

    #[test]
    fn completion_rules_in_words() {
        assert_eq!(
            completion_sentence(Some(5), 2, 12).unwrap(),
            "Pour obtenir le certificat\u{a0}: assister à au moins 5 sessions sur 12, dont 2 obligatoires"
        );
        assert_eq!(
            completion_sentence(Some(1), 1, 3).unwrap(),
            "Pour obtenir le certificat\u{a0}: assister à au moins 1 session sur 3, dont 1 obligatoire"
        );
        assert_eq!(
            completion_sentence(Some(4), 0, 7).unwrap(),
            "Pour obtenir le certificat\u{a0}: assister à au moins 4 sessions sur 7"
        );
        assert_eq!(
            completion_sentence(None, 2, 7).unwrap(),
            "Pour obtenir le certificat\u{a0}: assister aux 2 sessions obligatoires"
        );
        assert_eq!(completion_sentence(None, 0, 7), None);
    }

    #[test]
    fn audiences() {
        assert_eq!(
            audience_label("promotion"),
            "Session réservée à la promotion"
        );
        assert_eq!(audience_label("élus"), "Réservée\u{a0}: élus");
    }
}

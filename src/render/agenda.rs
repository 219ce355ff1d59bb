//! The agenda: upcoming events by month (`/agenda/`), yearly archives of past
//! events (`/agenda/<année>/`), one page per event with schema.org JSON-LD,
//! the calendar feeds (`/agenda.ics`, `/groupes/<slug>/agenda.ics`), and the
//! agenda data of the letter, the home page and the group pages.
//!
//! "Upcoming" means "not over before `ctx.today`". Sessions of a programme
//! without a `start` appear in no list, feed or letter.

use std::collections::BTreeSet;

use chrono::{Datelike, NaiveDate, NaiveTime, TimeZone};
use serde::Serialize;
use serde_json::{Value, json};

use crate::dates::{self, Known};
use crate::diagnostics::Diagnostic;
use crate::model::{EventFormat, EventFront, Letter, Page, When};
use crate::render::ics::{self, IcsEvent};
use crate::render::views::{plain_excerpt, theme_labels};
use crate::render::web::{meta, page};
use crate::render::{Output, RenderContext, Rendered, Renderer, Sink, par_pages};
use crate::urls;

/// Renders the agenda pages and the calendar feeds.
pub struct AgendaRenderer;

impl Renderer for AgendaRenderer {
    fn name(&self) -> &'static str {
        "agenda"
    }

    fn ignores(&self) -> &'static [&'static str] {
        // Letters and répertoires are not part of these pages.
        &["lettres/", "repertoire/"]
    }

    fn render(&self, ctx: &RenderContext<'_>, out: &dyn Sink) -> Rendered {
        let all = dated_events(ctx);
        let mut errs = Vec::new();
        let mut take = |r: Result<Output, Diagnostic>| match r {
            Ok(o) => out.put(o),
            Err(e) => errs.push(e),
        };
        take(index_page(ctx, &all));
        for year in archive_years(ctx, &all) {
            take(year_page(ctx, &all, year));
        }
        if let Err(e) = par_pages(&ctx.site.events, out, |e| event_page(ctx, e)) {
            errs.extend(e);
        }
        out.put(Output::text("agenda.ics", feed(ctx, &all, None)));
        for g in &ctx.site.groups {
            out.put(Output::text(
                format!("groupes/{}/agenda.ics", g.slug),
                feed(ctx, &all, Some(&g.slug)),
            ));
        }
        if errs.is_empty() {
            Ok(Vec::new())
        } else {
            Err(errs)
        }
    }
}

/// An event that has a start, with its end filled in.
#[derive(Debug, Clone, Copy)]
pub struct Dated<'a> {
    /// The event's file.
    pub page: &'a Page<EventFront>,
    /// Start.
    pub start: When,
    /// End as written, or the start.
    pub end: When,
}

impl Dated<'_> {
    /// First day.
    pub fn first_day(&self) -> NaiveDate {
        self.start.date()
    }

    /// Last day (never before the first).
    pub fn last_day(&self) -> NaiveDate {
        self.end.date().max(self.first_day())
    }

    /// True when not over before `today`.
    pub fn is_upcoming(&self, today: NaiveDate) -> bool {
        self.last_day() >= today
    }

    fn start_time(&self) -> Option<NaiveTime> {
        match self.start {
            When::At(dt) => Some(dt.time()),
            When::Day(_) => None,
        }
    }

    fn end_time(&self) -> Option<NaiveTime> {
        match (self.page.front.end, self.end) {
            (Some(_), When::At(dt)) => Some(dt.time()),
            _ => None,
        }
    }

    fn order_key(&self) -> (NaiveDate, NaiveDate, Option<NaiveTime>, &str, &str) {
        let f = &self.page.front;
        (
            self.first_day(),
            self.last_day(),
            self.start_time(),
            &f.title,
            &self.page.slug,
        )
    }
}

/// Every event with a start, in calendar order (day, then length, then hour).
/// Every letter's agenda asks for it: the order is found once per build
/// (kept in the render context) and each call only lays it out.
pub fn dated_events<'a>(ctx: &RenderContext<'a>) -> Vec<Dated<'a>> {
    let events = &ctx.site.events;
    let order = ctx.event_order.get_or_init(|| {
        let mut v: Vec<(usize, Dated<'_>)> = events
            .iter()
            .enumerate()
            .filter_map(|(i, page)| Some((i, dated(page)?)))
            .collect();
        v.sort_by(|a, b| a.1.order_key().cmp(&b.1.order_key()));
        v.into_iter().map(|(i, _)| i).collect()
    });
    order.iter().filter_map(|&i| dated(&events[i])).collect()
}

fn dated(page: &Page<EventFront>) -> Option<Dated<'_>> {
    let start = page.front.start?;
    Some(Dated {
        page,
        start,
        end: page.front.end.unwrap_or(start),
    })
}

/// An event as listed on the agenda, the home page and the group pages.
#[derive(Debug, Clone, Serialize)]
pub struct EventItem {
    /// Slug.
    pub slug: String,
    /// Title.
    pub title: String,
    /// Line above the title.
    pub subtitle: Option<String>,
    /// Page URL.
    pub url: String,
    /// Dates under a month heading: "Mardi 14", "Du jeudi 9 au mercredi 15".
    pub dates: String,
    /// Dates on their own: "Mardi 14 octobre 2025".
    pub dates_full: String,
    /// `datetime` of the start: "2025-10-14" or "2025-10-14T14:00".
    pub datetime: String,
    /// "de 14h00 à 16h00".
    pub time: Option<String>,
    /// "Sénat, Paris".
    pub place: Option<String>,
    /// `presentiel`, `visio`, `hybride`.
    pub format: Option<EventFormat>,
    /// "Sur place", "En visioconférence", "Sur place et en visioconférence".
    pub format_label: Option<&'static str>,
    /// Reserved to CUF members.
    pub members_only: bool,
    /// The organising group.
    pub group: Option<Link>,
    /// The programme it belongs to, linked to its page.
    pub programme: Option<Link>,
}

/// A named link.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Link {
    /// Text.
    pub name: String,
    /// URL.
    pub url: String,
}

/// The format as the agenda pages write it.
pub fn format_label(f: Option<EventFormat>) -> Option<&'static str> {
    Some(match f? {
        EventFormat::Presentiel => "Sur place",
        EventFormat::Visio => "En visioconférence",
        EventFormat::Hybride => "Sur place et en visioconférence",
    })
}

/// `datetime` attribute value of a `When`.
fn datetime_attr(w: When) -> String {
    match w {
        When::Day(d) => d.to_string(),
        When::At(dt) => dt.format("%Y-%m-%dT%H:%M").to_string(),
    }
}

fn event_url(ctx: &RenderContext<'_>, e: &Page<EventFront>) -> String {
    ctx.url(&urls::page_url(&e.path).unwrap_or_else(|| format!("/agenda/{}/", e.slug)))
}

fn group_link(ctx: &RenderContext<'_>, slug: Option<&str>) -> Option<Link> {
    let g = &ctx.site.groups[*ctx.index.group_pos.get(slug?)?];
    Some(Link {
        name: g.front.name.clone(),
        url: ctx.url(&format!("/groupes/{}/", g.slug)),
    })
}

/// The programme `slug` (when known), linked to its `/programmes/<slug>/` page.
pub fn programme_link(ctx: &RenderContext<'_>, slug: Option<&str>) -> Option<Link> {
    let slug = slug?;
    let p = ctx.site.programmes.iter().find(|p| p.slug == slug)?;
    Some(Link {
        name: p.front.title.clone(),
        url: ctx.url(&format!("/programmes/{slug}/")),
    })
}

fn time_label(d: &Dated<'_>) -> Option<String> {
    dates::time_range(d.start_time(), d.end_time(), d.first_day() == d.last_day())
}

impl EventItem {
    /// The item of `d`.
    pub fn new(ctx: &RenderContext<'_>, d: &Dated<'_>) -> Self {
        let f = &d.page.front;
        EventItem {
            slug: d.page.slug.clone(),
            title: f.title.clone(),
            subtitle: f.subtitle.clone(),
            url: event_url(ctx, d.page),
            dates: dates::range(d.first_day(), d.last_day(), Known::Month),
            dates_full: dates::range(d.first_day(), d.last_day(), Known::Nothing),
            datetime: datetime_attr(d.start),
            time: time_label(d),
            place: f.place.clone(),
            format: f.format,
            format_label: format_label(f.format),
            members_only: f.members_only,
            group: group_link(ctx, f.group.as_deref()),
            programme: programme_link(ctx, f.programme.as_deref()),
        }
    }
}

/// Events of one month, under a heading "Octobre 2025".
#[derive(Debug, Clone, Serialize)]
pub struct MonthGroup {
    /// `2025-10`, for anchors.
    pub id: String,
    /// "Octobre 2025".
    pub heading: String,
    /// Its events, in order.
    pub events: Vec<EventItem>,
}

/// Groups events (already in order) by the month of their start.
pub fn by_month(ctx: &RenderContext<'_>, events: &[Dated<'_>]) -> Vec<MonthGroup> {
    let mut months: Vec<MonthGroup> = Vec::new();
    for d in events {
        let day = d.first_day();
        let id = format!("{}-{:02}", day.year(), day.month());
        if months.last().is_none_or(|m| m.id != id) {
            months.push(MonthGroup {
                id,
                heading: dates::month_heading(day),
                events: Vec::new(),
            });
        }
        if let Some(m) = months.last_mut() {
            m.events.push(EventItem::new(ctx, d));
        }
    }
    months
}

/// The next `limit` upcoming events (all of them for `usize::MAX`), of one
/// group when `group` is given.
pub fn upcoming_items(
    ctx: &RenderContext<'_>,
    group: Option<&str>,
    limit: usize,
) -> Vec<EventItem> {
    dated_events(ctx)
        .iter()
        .filter(|d| d.is_upcoming(ctx.today))
        .filter(|d| group.is_none_or(|g| d.page.front.group.as_deref() == Some(g)))
        .take(limit)
        .map(|d| EventItem::new(ctx, d))
        .collect()
}

/// Years that hold at least one past event, newest first.
fn archive_years(ctx: &RenderContext<'_>, all: &[Dated<'_>]) -> Vec<i32> {
    let years: BTreeSet<i32> = all
        .iter()
        .filter(|d| !d.is_upcoming(ctx.today))
        .map(|d| d.first_day().year())
        .collect();
    years.into_iter().rev().collect()
}

fn index_page(ctx: &RenderContext<'_>, all: &[Dated<'_>]) -> Result<Output, Diagnostic> {
    let upcoming: Vec<Dated<'_>> = all
        .iter()
        .filter(|d| d.is_upcoming(ctx.today))
        .copied()
        .collect();
    let m = meta(
        ctx,
        "Agenda",
        "Les prochains rendez-vous de Cités Unies France et de ses groupes-pays : réunions, webinaires, assises, colloques et sommets internationaux.",
        "/agenda/",
        "agenda",
    );
    page(ctx, "agenda.html", "agenda/", m, |c| {
        c.insert("months", &by_month(ctx, &upcoming));
        c.insert("years", &archive_years(ctx, all));
        c.insert("ics", &ctx.url("/agenda.ics"));
        c.insert("ics_absolute", &ctx.absolute("/agenda.ics"));
    })
}

fn year_page(ctx: &RenderContext<'_>, all: &[Dated<'_>], year: i32) -> Result<Output, Diagnostic> {
    let past: Vec<Dated<'_>> = all
        .iter()
        .filter(|d| !d.is_upcoming(ctx.today) && d.first_day().year() == year)
        .copied()
        .collect();
    let path = format!("/agenda/{year}/");
    let m = meta(
        ctx,
        format!("Agenda {year} : les rendez-vous passés"),
        format!("Les rendez-vous passés de Cités Unies France en {year}."),
        &path,
        "agenda",
    );
    page(ctx, "agenda-annee.html", &path[1..], m, |c| {
        c.insert("year", &year);
        c.insert("months", &by_month(ctx, &past));
        c.insert("years", &archive_years(ctx, all));
    })
}

/// What the page of one event shows beyond its list item.
#[derive(Debug, Serialize)]
struct EventPage<'a> {
    item: Option<EventItem>,
    title: &'a str,
    subtitle: Option<&'a str>,
    html: &'a str,
    link: Option<&'a str>,
    partners: &'a [String],
    themes: Vec<&'a str>,
    audience: Option<&'a str>,
    mandatory: bool,
    members_only: bool,
    place: Option<&'a str>,
    format_label: Option<&'static str>,
    group: Option<Link>,
    programme: Option<Link>,
    upcoming: bool,
}

fn event_page(ctx: &RenderContext<'_>, e: &Page<EventFront>) -> Result<Output, Diagnostic> {
    let f = &e.front;
    let dated = f.start.map(|start| Dated {
        page: e,
        start,
        end: f.end.unwrap_or(start),
    });
    let view = EventPage {
        item: dated.as_ref().map(|d| EventItem::new(ctx, d)),
        title: &f.title,
        subtitle: f.subtitle.as_deref(),
        html: &e.body.html,
        link: f.link.as_deref(),
        partners: &f.partners,
        themes: theme_labels(ctx, &f.themes),
        audience: f.audience.as_deref(),
        mandatory: f.mandatory,
        members_only: f.members_only,
        place: f.place.as_deref(),
        format_label: format_label(f.format),
        group: group_link(ctx, f.group.as_deref()),
        programme: programme_link(ctx, f.programme.as_deref()),
        upcoming: dated.is_some_and(|d| d.is_upcoming(ctx.today)),
    };
    let path = urls::page_url(&e.path).unwrap_or_else(|| format!("/agenda/{}/", e.slug));
    let when = view.item.as_ref().map_or_else(
        || "Date à préciser".to_string(),
        |i| match &i.time {
            Some(t) => format!("{}, {t}", i.dates_full),
            None => i.dates_full.clone(),
        },
    );
    let description = match f.place.as_deref() {
        Some(p) => format!("{when} – {p}. {}", plain_excerpt(&e.body.html, 120)),
        None => format!("{when}. {}", plain_excerpt(&e.body.html, 120)),
    };
    let mut m = meta(
        ctx,
        f.title.clone(),
        description.trim_end().to_string(),
        &path,
        "agenda",
    );
    m.og_type = "article";
    page(ctx, "evenement.html", &path[1..], m, |c| {
        c.insert("event", &view);
        c.insert("when", &when);
        c.insert("json_ld", &dated.map(|d| json_ld(ctx, &d)));
        c.insert("ics", &ctx.url("/agenda.ics"));
    })
}

/// The schema.org `Event` of `d`, as JSON safe inside a `<script>` element
/// (`<`, `>` and `&` written as `\u003c`, `\u003e`, `\u0026`).
pub fn json_ld(ctx: &RenderContext<'_>, d: &Dated<'_>) -> String {
    let f = &d.page.front;
    let url = ctx.absolute(&urls::page_url(&d.page.path).unwrap_or_default());
    let place = f
        .place
        .as_ref()
        .map(|p| json!({"@type": "Place", "name": p, "address": p}));
    let virtual_location = json!({
        "@type": "VirtualLocation",
        "url": f.link.clone().unwrap_or_else(|| url.clone()),
    });
    let (mode, location) = match (f.format, place) {
        (Some(EventFormat::Visio), _) => ("Online", Some(virtual_location)),
        (Some(EventFormat::Hybride), Some(p)) => ("Mixed", Some(json!([p, virtual_location]))),
        (Some(EventFormat::Hybride), None) => ("Mixed", Some(virtual_location)),
        (_, Some(p)) => ("Offline", Some(p)),
        (Some(EventFormat::Presentiel), None) => ("Offline", None),
        (None, None) => ("", None),
    };
    let mut v = json!({
        "@context": "https://schema.org",
        "@type": "Event",
        "name": f.title,
        "startDate": iso(d.start),
        "eventStatus": "https://schema.org/EventScheduled",
        "url": url,
        "organizer": {
            "@type": "Organization",
            "name": ctx.site.config.title,
            "url": ctx.absolute("/"),
        },
    });
    let obj = v.as_object_mut().expect("a JSON object");
    if f.end.is_some() {
        obj.insert("endDate".into(), Value::String(iso(d.end)));
    }
    if !mode.is_empty() {
        obj.insert(
            "eventAttendanceMode".into(),
            Value::String(format!("https://schema.org/{mode}EventAttendanceMode")),
        );
    }
    if let Some(l) = location {
        obj.insert("location".into(), l);
    }
    let description = plain_excerpt(&d.page.body.html, 300);
    if !description.is_empty() {
        obj.insert("description".into(), Value::String(description));
    }
    script_safe(&serde_json::to_string_pretty(&v).unwrap_or_default())
}

/// ISO 8601 with the Paris offset for a timed start ("2025-10-24T14:00:00+02:00").
fn iso(w: When) -> String {
    match w {
        When::Day(d) => d.to_string(),
        When::At(dt) => match chrono_tz::Europe::Paris.from_local_datetime(&dt).earliest() {
            Some(z) => z.format("%Y-%m-%dT%H:%M:%S%:z").to_string(),
            None => dt.format("%Y-%m-%dT%H:%M:%S").to_string(),
        },
    }
}

/// JSON that cannot close or open a tag inside `<script>` (so no `</`),
/// nor end a line of JavaScript (U+2028, U+2029).
fn script_safe(json: &str) -> String {
    json.replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
        .replace('\u{2028}', "\\u2028")
        .replace('\u{2029}', "\\u2029")
}

/// The host of the base URL, for UIDs: `https://www.x.org/cuf` → `www.x.org`.
fn host(base_url: &str) -> &str {
    crate::urls::authority(base_url)
}

/// `agenda.ics` (every upcoming event) or a group's feed.
fn feed(ctx: &RenderContext<'_>, all: &[Dated<'_>], group: Option<&str>) -> String {
    let events: Vec<IcsEvent> = all
        .iter()
        .filter(|d| d.is_upcoming(ctx.today))
        .filter(|d| group.is_none_or(|g| d.page.front.group.as_deref() == Some(g)))
        .map(|d| ics_event(ctx, d))
        .collect();
    let name = match group.and_then(|g| group_link(ctx, Some(g))) {
        Some(g) => format!("{} – Agenda – {}", g.name, ctx.site.config.title),
        None => format!("Agenda – {}", ctx.site.config.title),
    };
    ics::calendar(&name, &events)
}

/// The calendar entry of `d`, for every `.ics` feed.
pub fn ics_event(ctx: &RenderContext<'_>, d: &Dated<'_>) -> IcsEvent {
    let f = &d.page.front;
    let url = ctx.absolute(&urls::page_url(&d.page.path).unwrap_or_default());
    let mut parts: Vec<String> = Vec::new();
    if let Some(s) = &f.subtitle {
        parts.push(s.clone());
    }
    let mut facts: Vec<&str> = Vec::new();
    facts.extend(format_label(f.format));
    if f.members_only {
        facts.push("Réservé aux adhérents de CUF");
    }
    if !facts.is_empty() {
        parts.push(facts.join(" · "));
    }
    let body = plain_excerpt(&d.page.body.html, 1500);
    if !body.is_empty() {
        parts.push(body);
    }
    if let Some(l) = &f.link {
        parts.push(format!("Pour plus d’informations\u{a0}: {l}"));
    }
    if let Some(p) = programme_link(ctx, f.programme.as_deref()) {
        let slug = f.programme.as_deref().unwrap_or_default();
        let url = ctx.absolute(&format!("/programmes/{slug}/"));
        parts.push(format!("Programme\u{a0}: {} – {url}", p.name));
    }
    IcsEvent {
        uid: format!("{}@{}", d.page.slug, host(&ctx.base_url)),
        summary: f.title.clone(),
        start: d.start,
        end: f.end,
        location: f.place.clone().or_else(|| {
            (f.format == Some(EventFormat::Visio)).then(|| "En visioconférence".to_string())
        }),
        description: parts.join("\n\n"),
        url,
        categories: theme_labels(ctx, &f.themes)
            .into_iter()
            .map(str::to_string)
            .collect(),
    }
}

// ---- the letter's agenda section ----

/// The agenda section of one issue, for the web and e-mail editions.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct LetterAgenda {
    /// Months of the issue's period that hold events, in order.
    pub months: Vec<LetterMonth>,
    /// "Autres dates à retenir": highlighted events after the period.
    pub highlights: Vec<LetterHighlight>,
}

impl LetterAgenda {
    /// True when there is nothing to print.
    pub fn is_empty(&self) -> bool {
        self.months.is_empty() && self.highlights.is_empty()
    }
}

/// One month of the letter's agenda.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct LetterMonth {
    /// "Septembre", "Octobre", "Janvier 2026" (the year only when it is not
    /// the period's).
    pub label: String,
    /// "Septembre 2025", for `<abbr title>` and screen readers (the
    /// printed heading is `label`).
    pub full_name: String,
    /// Its date lines, in order.
    pub days: Vec<LetterDay>,
}

/// One date line and the events it covers.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct LetterDay {
    /// "Jeudi 18 et vendredi 19".
    pub label: String,
    /// ISO date of the first day, for `<time datetime>`.
    pub datetime: String,
    /// The events, in order.
    pub events: Vec<LetterEvent>,
}

/// One event of the letter's agenda.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct LetterEvent {
    /// Title.
    pub title: String,
    /// "de 14h00 à 16h00".
    pub time: Option<String>,
    /// "Sénat, Paris".
    pub place: Option<String>,
    /// "en visioconférence", "en présentiel et en visioconférence" (none in person).
    pub format_label: Option<String>,
    /// "réservé aux adhérents de CUF".
    pub members_only: bool,
    /// The event's page (root-relative, with the base path).
    pub url: String,
    /// The organising group's name.
    pub group_name: Option<String>,
    /// The programme it is a session of, linked to its page.
    pub programme: Option<Link>,
}

/// One of the "Autres dates à retenir".
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct LetterHighlight {
    /// "les 16 et 17 décembre 2025".
    pub dates_label: String,
    /// Title.
    pub title: String,
    /// Place.
    pub place: Option<String>,
    /// The event's page.
    pub url: String,
}

fn letter_format(f: Option<EventFormat>) -> Option<String> {
    match f? {
        EventFormat::Presentiel => None,
        EventFormat::Visio => Some("en visioconférence".into()),
        EventFormat::Hybride => Some("en présentiel et en visioconférence".into()),
    }
}

/// The agenda section of `letter`: events starting inside its `period`,
/// by month and date line, then highlighted events starting after it.
pub fn letter_agenda(ctx: &RenderContext<'_>, letter: &Letter) -> LetterAgenda {
    let period = letter.index.front.period;
    let (from, to) = (period.from.0, period.to.0);
    let all = dated_events(ctx);
    let mut months: Vec<LetterMonth> = Vec::new();
    for d in all.iter().filter(|d| (from..=to).contains(&d.first_day())) {
        let first = d.first_day();
        let mut label = dates::month_label(first);
        if first.year() != from.year() {
            label = format!("{label} {}", first.year());
        }
        if months.last().is_none_or(|m| m.label != label) {
            months.push(LetterMonth {
                label: label.clone(),
                full_name: dates::month_heading(first),
                days: Vec::new(),
            });
        }
        let month = months.last_mut().expect("just pushed");
        let day_label = dates::range(first, d.last_day(), Known::Month);
        if month.days.last().is_none_or(|x| x.label != day_label) {
            month.days.push(LetterDay {
                label: day_label,
                datetime: first.to_string(),
                events: Vec::new(),
            });
        }
        let f = &d.page.front;
        let day = month.days.last_mut().expect("just pushed");
        day.events.push(LetterEvent {
            title: f.title.clone(),
            time: time_label(d),
            place: f.place.clone(),
            format_label: letter_format(f.format),
            members_only: f.members_only,
            url: event_url(ctx, d.page),
            group_name: group_link(ctx, f.group.as_deref()).map(|g| g.name),
            programme: programme_link(ctx, f.programme.as_deref()),
        });
    }
    let highlights = all
        .iter()
        .filter(|d| d.page.front.highlight && d.first_day() > to)
        .map(|d| LetterHighlight {
            dates_label: dates::short_range(d.first_day(), d.last_day()),
            title: d.page.front.title.clone(),
            place: d.page.front.place.clone(),
            url: event_url(ctx, d.page),
        })
        .collect();
    LetterAgenda { months, highlights }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_of_base_urls() {
        assert_eq!(host("https://www.x.org"), "www.x.org");
        assert_eq!(host("https://u.github.io/cuf"), "u.github.io");
        assert_eq!(host("http://127.0.0.1:8080/"), "127.0.0.1:8080");
    }

    #[test]
    fn json_is_script_safe() {
        let s = script_safe(r#"{"name":"</script><b>&"}"#);
        assert!(!s.contains('<') && !s.contains('>') && !s.contains('&'));
        let v: Value = serde_json::from_str(&s).unwrap();
        assert_eq!(v["name"], "</script><b>&");
    }

    #[test]
    fn iso_dates_carry_the_paris_offset() {
        let at = |m, h| {
            When::At(
                NaiveDate::from_ymd_opt(2025, m, 14)
                    .unwrap()
                    .and_hms_opt(h, 0, 0)
                    .unwrap(),
            )
        };
        assert_eq!(iso(at(10, 14)), "2025-10-14T14:00:00+02:00");
        assert_eq!(iso(at(11, 9)), "2025-11-14T09:00:00+01:00");
        assert_eq!(
            iso(When::Day(NaiveDate::from_ymd_opt(2025, 9, 1).unwrap())),
            "2025-09-01"
        );
    }
}

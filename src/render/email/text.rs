//! The plain-text part of the e-mail: titles, teasers or full text, and
//! every link written out (with the same UTM parameters as the HTML part).
//!
//! Prose is wrapped at spaces only (`textwrap`), in lines of at most 78
//! characters; a URL is never cut: one longer than a line stands whole on
//! a line of its own (up to the 998 octets SMTP allows). Lines are
//! `format=flowed; delsp=yes` text (RFC 3676): a wrapped line ends with a
//! space that a flowing reader deletes when it joins the lines back.

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
use serde_json::Value;

use crate::load::typography;
use crate::model::Letter;
use crate::postprocess::{self, EmailLinks};
use crate::render::RenderContext;
use crate::render::email::{EmailArticle, EmailView, IMAGE_WIDTH};
use crate::urls;

/// Longest line of prose, in characters, soft-break space included.
pub const WIDTH: usize = 78;

/// Longest line in octets (RFC 5322), CRLF excluded: only a word longer
/// than this is ever cut.
pub const MAX_LINE_OCTETS: usize = 998;

/// The `email.txt` of `letter`.
pub fn render(ctx: &RenderContext<'_>, letter: &Letter, view: &EmailView<'_>) -> String {
    let page_url = ctx.absolute(&format!("/lettres/{}/", letter.id));
    let utm = super::html::utm(ctx, letter);
    let verbatim: Vec<&str> = view.unsubscribe.into_iter().collect();
    let links = EmailLinks {
        base_url: &ctx.base_url,
        page_url: &page_url,
        utm: &utm,
        verbatim: &verbatim,
        image_width: IMAGE_WIDTH,
    };
    let mut t = Text {
        lines: Vec::new(),
        links: &links,
    };
    t.para(&view.letter_title.to_uppercase());
    let number = view
        .number
        .map(|n| format!(" – n°\u{a0}{n}"))
        .unwrap_or_default();
    t.para(&format!("{}{number} – {}", view.issue_title, view.date));
    t.blank();
    t.para(&format!("Version en ligne\u{a0}: {}", t.link(&page_url)));
    if let Some(pdf) = &view.pdf_url {
        let pdf = t.link(&ctx.absolute(pdf.trim_start_matches(&ctx.base_path)));
        t.para(&format!("Version PDF\u{a0}: {pdf}"));
    }
    if !letter.index.body.markdown.trim().is_empty() {
        t.blank();
        markdown(&mut t, ctx, &letter.index.body.markdown, &letter.index.path);
    }
    for section in &view.sections {
        t.heading(&section.title.to_uppercase(), '=');
        for run in &section.runs {
            if let Some(b) = &run.byline {
                t.para(b);
                t.blank();
            }
            for a in &run.articles {
                article(&mut t, ctx, letter, view, a);
            }
        }
    }
    if let Some(agenda) = &view.agenda {
        self::agenda(&mut t, ctx, agenda);
    }
    footer(&mut t, ctx, letter, view);
    t.finish()
}

fn article(
    t: &mut Text<'_>,
    ctx: &RenderContext<'_>,
    letter: &Letter,
    view: &EmailView<'_>,
    a: &EmailArticle,
) {
    t.heading(&a.title_text, '-');
    let page = letter.articles.iter().find(|p| p.slug == a.slug);
    match page {
        Some(p) if view.full_text => markdown(t, ctx, &p.body.markdown, &p.path),
        _ => {
            t.para(&a.summary);
            t.blank();
        }
    }
    if let Some(author) = &a.author {
        t.para(author);
        t.blank();
    }
    let label = if view.full_text {
        "En ligne"
    } else {
        "Lire la suite"
    };
    let url = t.link(&site_abs(ctx, &a.url));
    t.para(&format!("{label}\u{a0}: {url}"));
    if let Some(link) = &a.link {
        let link = t.link(link);
        t.para(&format!("Pour plus d’informations\u{a0}: {link}"));
    }
    t.blank();
}

fn agenda(t: &mut Text<'_>, ctx: &RenderContext<'_>, agenda: &Value) {
    t.heading("AGENDA", '=');
    let list = |v: &Value, k: &str| {
        v.get(k)
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default()
    };
    let s = |v: &Value, k: &str| v.get(k).and_then(Value::as_str).unwrap_or("").to_string();
    for month in list(agenda, "months") {
        t.heading(&s(&month, "full_name").to_uppercase(), '-');
        for day in list(&month, "days") {
            t.para(&format!("{}\u{a0}:", s(&day, "label")));
            for e in list(&day, "events") {
                let mut line = format!("- {}", s(&e, "title"));
                for k in ["time", "place", "format_label"] {
                    if !s(&e, k).is_empty() {
                        line.push_str(&format!(", {}", s(&e, k)));
                    }
                }
                if e.get("members_only").and_then(Value::as_bool) == Some(true) {
                    line.push_str(" (réservé aux adhérents de CUF)");
                }
                if !s(&e, "url").is_empty() {
                    line.push_str(&format!(" {}", t.link(&site_abs(ctx, &s(&e, "url")))));
                }
                if let Some(p) = e.get("programme").filter(|p| !p.is_null()) {
                    line.push_str(&format!(
                        " – {} {}",
                        s(p, "name"),
                        t.link(&site_abs(ctx, &s(p, "url")))
                    ));
                }
                t.para(&line);
            }
            t.blank();
        }
    }
    let highlights = list(agenda, "highlights");
    if !highlights.is_empty() {
        t.heading("AUTRES DATES À RETENIR", '-');
        for h in highlights {
            let mut line = format!("- {}, {}", s(&h, "title"), s(&h, "dates_label"));
            if !s(&h, "place").is_empty() {
                line.push_str(&format!(", {}", s(&h, "place")));
            }
            if !s(&h, "url").is_empty() {
                line.push_str(&format!(" {}", t.link(&site_abs(ctx, &s(&h, "url")))));
            }
            t.para(&line);
        }
        t.blank();
    }
}

fn footer(t: &mut Text<'_>, ctx: &RenderContext<'_>, letter: &Letter, view: &EmailView<'_>) {
    if !view.supporters.is_empty() {
        t.blank();
        t.para("Dispositif soutenu par\u{a0}:");
        for s in &view.supporters {
            match &s.url {
                Some(u) => {
                    let u = t.link(u);
                    t.para(&format!("- {} {u}", s.name));
                }
                None => t.para(&format!("- {}", s.name)),
            }
        }
    }
    t.blank();
    // The signature separator (RFC 3676 §4.3): dash, dash, space, alone.
    t.lines.push("-- ".to_string());
    t.para(view.site_title);
    for line in [view.address, view.email].into_iter().flatten() {
        t.para(line);
    }
    if let Some(p) = view.phone {
        t.para(&format!("Tél.\u{a0}: {p}"));
    }
    for s in view.social {
        let url = t.link(&s.url);
        t.para(&format!("{}\u{a0}: {url}", s.name));
    }
    t.blank();
    let online = t.link(&ctx.absolute(&format!("/lettres/{}/", letter.id)));
    t.para(&format!("Version en ligne\u{a0}: {online}"));
    if let Some(u) = view.unsubscribe {
        t.para(&format!("Se désinscrire\u{a0}: {u}"));
    }
}
/// The text of a Markdown body: paragraphs, list items and headings on
/// lines of their own, links written out after their text.
fn markdown(t: &mut Text<'_>, ctx: &RenderContext<'_>, md: &str, file: &str) {
    let mut opts = Options::empty();
    opts.insert(Options::ENABLE_TABLES);
    opts.insert(Options::ENABLE_FOOTNOTES);
    opts.insert(Options::ENABLE_STRIKETHROUGH);
    let mut m = MdText {
        ctx,
        email: t.links,
        dir: file.rsplit_once('/').map_or("content", |(d, _)| d),
        cur: String::new(),
        links: Vec::new(),
        lists: Vec::new(),
    };
    for ev in Parser::new_ext(md, opts) {
        m.event(t, ev);
    }
    m.flush(t);
}

/// The state of [`markdown`]: the paragraph being written, open links and lists.
struct MdText<'c, 'a> {
    ctx: &'c RenderContext<'a>,
    email: &'c EmailLinks<'c>,
    dir: &'c str,
    cur: String,
    links: Vec<(String, usize)>,
    lists: Vec<Option<u64>>,
}

impl MdText<'_, '_> {
    fn flush(&mut self, t: &mut Text<'_>) {
        let s = self.cur.trim().to_string();
        if !s.is_empty() {
            t.para(&s);
            t.blank();
        }
        self.cur.clear();
    }

    fn event(&mut self, t: &mut Text<'_>, ev: Event<'_>) {
        match ev {
            Event::Start(Tag::Paragraph | Tag::Heading { .. } | Tag::TableRow | Tag::TableHead)
                if !only_marker(&self.cur) =>
            {
                self.flush(t)
            }
            Event::End(
                TagEnd::Paragraph
                | TagEnd::Heading(_)
                | TagEnd::TableRow
                | TagEnd::TableHead
                | TagEnd::Item,
            ) => self.flush(t),
            Event::Start(Tag::List(first)) => {
                self.flush(t);
                self.lists.push(first);
            }
            Event::End(TagEnd::List(_)) => {
                self.lists.pop();
            }
            Event::Start(Tag::Item) => {
                self.flush(t);
                match self.lists.last_mut() {
                    Some(Some(n)) => {
                        self.cur.push_str(&format!("{n}. "));
                        *n += 1;
                    }
                    _ => self.cur.push_str("- "),
                }
            }
            Event::Start(Tag::FootnoteDefinition(n)) => {
                self.flush(t);
                self.cur.push_str(&format!("[{n}] "));
            }
            other => self.inline(other),
        }
    }

    fn inline(&mut self, ev: Event<'_>) {
        let cur = &mut self.cur;
        match ev {
            Event::Start(Tag::Link { dest_url, .. }) => {
                self.links
                    .push((link_url(self.ctx, self.dir, &dest_url), cur.len()));
            }
            Event::End(TagEnd::Link) => {
                if let Some((url, at)) = self.links.pop()
                    && !url.is_empty()
                    && cur[at..].trim() != url
                {
                    let url = postprocess::rewrite_href(&url, self.email);
                    cur.push_str(&format!(" <{url}>"));
                }
            }
            Event::Start(Tag::Image { .. }) => cur.push_str("[Image\u{a0}: "),
            Event::End(TagEnd::Image) => cur.push(']'),
            Event::Text(s) => cur.push_str(&typography::title_text(&s)),
            Event::Code(s) => cur.push_str(&s),
            Event::SoftBreak => cur.push(' '),
            Event::HardBreak => cur.push('\n'),
            Event::InlineHtml(h) | Event::Html(h) if h.trim_start().starts_with("<br") => {
                cur.push('\n')
            }
            Event::End(TagEnd::TableCell) => cur.push_str(" | "),
            Event::FootnoteReference(n) => cur.push_str(&format!("[{n}]")),
            _ => {}
        }
    }
}

/// A root-relative URL of the site (`/cuf/lettres/…`) made absolute.
fn site_abs(ctx: &RenderContext<'_>, url: &str) -> String {
    if !url.starts_with('/') {
        return url.to_string();
    }
    let origin_len = ctx.base_url.len() - ctx.base_path.len();
    format!("{}{url}", &ctx.base_url[..origin_len])
}

/// True when `cur` holds only a list marker ("- ", "3. ").
fn only_marker(cur: &str) -> bool {
    let c = cur.trim_end();
    c == "-" || (c.ends_with('.') && c[..c.len() - 1].bytes().all(|b| b.is_ascii_digit()))
}

/// A link of a body as an absolute URL: internal `.md` links to their page.
fn link_url(ctx: &RenderContext<'_>, dir: &str, dest: &str) -> String {
    let d = dest.trim();
    if d.contains("://") || d.starts_with("mailto:") || d.starts_with("tel:") {
        return d.to_string();
    }
    if d.starts_with('/') {
        return ctx.absolute(d);
    }
    let (path, frag) = d.split_once('#').map_or((d, ""), |(p, f)| (p, f));
    let page = urls::join_in_content(dir, path)
        .and_then(|p| urls::page_url(&p).or_else(|| Some(urls::asset_url(&p))));
    match page {
        Some(p) if !path.is_empty() => {
            let frag = if frag.is_empty() {
                String::new()
            } else {
                format!("#{frag}")
            };
            ctx.absolute(&format!("{p}{frag}"))
        }
        _ => String::new(),
    }
}

/// Lines being written, wrapped as they come.
struct Text<'l> {
    lines: Vec<String>,
    /// How the HTML part's links are rewritten, for the same URLs here.
    links: &'l EmailLinks<'l>,
}

impl Text<'_> {
    /// `url` as the HTML part links it: absolute, with the issue's UTM
    /// parameters when it is the site's.
    fn link(&self, url: &str) -> String {
        postprocess::rewrite_href(url, self.links)
    }

    /// A paragraph (its `\n` are hard breaks), wrapped.
    fn para(&mut self, s: &str) {
        for hard in s.split('\n') {
            self.lines.extend(wrap(hard.trim()));
        }
    }

    fn blank(&mut self) {
        if self.lines.last().is_some_and(|l| !l.is_empty()) {
            self.lines.push(String::new());
        }
    }

    fn heading(&mut self, title: &str, rule: char) {
        self.blank();
        let wrapped = wrap(title);
        let width = wrapped
            .iter()
            .map(|l| l.trim_end().chars().count())
            .max()
            .unwrap_or(0);
        if rule == '=' {
            self.lines.push(rule.to_string().repeat(width));
        }
        self.lines.extend(wrapped);
        self.lines.push(rule.to_string().repeat(width));
        self.lines.push(String::new());
    }

    fn finish(mut self) -> String {
        while self.lines.last().is_some_and(String::is_empty) {
            self.lines.pop();
        }
        let mut out = self.lines.join("\n");
        out.push('\n');
        crate::postprocess::strip_control(&out)
    }
}

/// One paragraph as flowed lines of at most [`WIDTH`] characters, broken
/// at spaces only: a word longer than a line (a URL) stands whole on a
/// line of its own, and only a word over [`MAX_LINE_OCTETS`] is cut.
/// A line broken between words ends with two spaces (the word space, then
/// the flowed marker), one cut inside a word with one.
pub fn wrap(text: &str) -> Vec<String> {
    let words: Vec<&str> = text.split(' ').filter(|w| !w.is_empty()).collect();
    let opts = textwrap::Options::new(WIDTH - 2)
        .break_words(false)
        .word_separator(textwrap::WordSeparator::AsciiSpace)
        .word_splitter(textwrap::WordSplitter::NoHyphenation);
    let mut lines: Vec<String> = textwrap::wrap(&words.join(" "), &opts)
        .into_iter()
        .map(|l| format!("{l}  "))
        .collect();
    if let Some(last) = lines.last_mut() {
        last.truncate(last.len() - 2);
    } else {
        lines.push(String::new());
    }
    lines
        .into_iter()
        .flat_map(cut_overlong)
        .map(stuff)
        .collect()
}

/// A line over [`MAX_LINE_OCTETS`] (one giant word) as flowed pieces.
fn cut_overlong(line: String) -> Vec<String> {
    if line.len() < MAX_LINE_OCTETS {
        return vec![line];
    }
    let mut pieces = Vec::new();
    let mut rest = line.as_str();
    while rest.len() > MAX_LINE_OCTETS - 2 {
        let mut at = MAX_LINE_OCTETS - 2;
        while !rest.is_char_boundary(at) {
            at -= 1;
        }
        pieces.push(format!("{} ", &rest[..at]));
        rest = &rest[at..];
    }
    pieces.push(rest.to_string());
    pieces
}

/// RFC 3676 space-stuffing of lines a reader would take for quotes.
fn stuff(line: String) -> String {
    if line.starts_with(' ') || line.starts_with('>') || line.starts_with("From ") {
        format!(" {line}")
    } else {
        line
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Joins flowed lines back as a RFC 3676 reader with delsp=yes does.
    fn unflow(lines: &[String]) -> String {
        let mut out = String::new();
        for l in lines {
            match l.strip_suffix(' ') {
                Some(soft) => out.push_str(soft),
                None => out.push_str(l),
            }
        }
        out
    }

    #[test]
    fn urls_stay_whole_on_their_line_and_prose_flows_back() {
        let url = format!("https://x.org/{}", "a-b".repeat(60));
        let text = format!(
            "Pour plus d'informations : {url} et la suite du texte qui continue encore un peu plus loin, bien au-delà d'une ligne."
        );
        let lines = wrap(&text);
        assert!(lines.iter().any(|l| l.trim_end() == url), "{lines:#?}");
        for l in lines.iter().filter(|l| !l.contains(&url)) {
            assert!(l.chars().count() <= WIDTH, "{l}");
        }
        assert!(lines.len() >= 3);
        assert_eq!(unflow(&lines), text);
    }

    #[test]
    fn only_a_word_over_998_octets_is_cut() {
        let word = "é".repeat(700);
        let lines = wrap(&format!("voir {word}"));
        assert!(
            lines.iter().all(|l| l.len() <= MAX_LINE_OCTETS),
            "{lines:?}"
        );
        assert_eq!(unflow(&lines), format!("voir {word}"));
    }

    #[test]
    fn short_text_is_one_line_without_trailing_space() {
        assert_eq!(wrap("Bonjour à tous"), vec!["Bonjour à tous"]);
        assert_eq!(wrap(">cite"), vec![" >cite"]);
    }
}

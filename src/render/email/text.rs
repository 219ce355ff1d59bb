//! The plain-text part of the e-mail: titles, teasers or full text, and
//! every link written out, in lines of at most 78 characters.
//!
//! Lines are wrapped as `format=flowed; delsp=yes` text (RFC 3676): a
//! wrapped line ends with a space that a flowing reader deletes when it
//! joins the lines back, so even a URL longer than a line comes back whole.

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
use serde_json::Value;

use crate::load::typography;
use crate::model::Letter;
use crate::render::RenderContext;
use crate::render::email::{EmailArticle, EmailView};
use crate::urls;

/// Longest line, in characters, soft-break space included.
pub const WIDTH: usize = 78;

/// The `email.txt` of `letter`.
pub fn render(ctx: &RenderContext<'_>, letter: &Letter, view: &EmailView<'_>) -> String {
    let mut t = Text::default();
    t.para(&view.letter_title.to_uppercase());
    let number = view
        .number
        .map(|n| format!(" – no {n}"))
        .unwrap_or_default();
    t.para(&format!("{}{number} – {}", view.issue_title, view.date));
    t.blank();
    t.para(&format!(
        "Version en ligne\u{a0}: {}",
        ctx.absolute(&format!("/lettres/{}/", letter.id))
    ));
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
    t: &mut Text,
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
    t.para(&format!("{label}\u{a0}: {}", site_abs(ctx, &a.url)));
    if let Some(link) = &a.link {
        t.para(&format!("Pour plus d’informations\u{a0}: {link}"));
    }
    t.blank();
}

fn agenda(t: &mut Text, ctx: &RenderContext<'_>, agenda: &Value) {
    t.heading("AGENDA", '=');
    let list = |v: &Value, k: &str| {
        v.get(k)
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default()
    };
    let s = |v: &Value, k: &str| v.get(k).and_then(Value::as_str).unwrap_or("").to_string();
    for month in list(agenda, "months") {
        let label = Some(s(&month, "heading")).filter(|h| !h.is_empty());
        t.heading(
            &label.unwrap_or_else(|| s(&month, "label")).to_uppercase(),
            '-',
        );
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
                    line.push_str(&format!(" {}", site_abs(ctx, &s(&e, "url"))));
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
                line.push_str(&format!(" {}", site_abs(ctx, &s(&h, "url"))));
            }
            t.para(&line);
        }
        t.blank();
    }
}

fn footer(t: &mut Text, ctx: &RenderContext<'_>, letter: &Letter, view: &EmailView<'_>) {
    t.blank();
    t.para("-- ");
    t.para(view.site_title);
    for line in [view.address, view.email].into_iter().flatten() {
        t.para(line);
    }
    if let Some(p) = view.phone {
        t.para(&format!("Tél.\u{a0}: {p}"));
    }
    for s in view.social {
        t.para(&format!("{}\u{a0}: {}", s.name, s.url));
    }
    t.blank();
    t.para(&format!(
        "Version en ligne\u{a0}: {}",
        ctx.absolute(&format!("/lettres/{}/", letter.id))
    ));
    if let Some(u) = view.unsubscribe {
        t.para(&format!("Se désinscrire\u{a0}: {u}"));
    }
}
/// The text of a Markdown body: paragraphs, list items and headings on
/// lines of their own, links written out after their text.
fn markdown(t: &mut Text, ctx: &RenderContext<'_>, md: &str, file: &str) {
    let mut opts = Options::empty();
    opts.insert(Options::ENABLE_TABLES);
    opts.insert(Options::ENABLE_FOOTNOTES);
    opts.insert(Options::ENABLE_STRIKETHROUGH);
    let mut m = MdText {
        ctx,
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
    dir: &'c str,
    cur: String,
    links: Vec<(String, usize)>,
    lists: Vec<Option<u64>>,
}

impl MdText<'_, '_> {
    fn flush(&mut self, t: &mut Text) {
        let s = self.cur.trim().to_string();
        if !s.is_empty() {
            t.para(&s);
            t.blank();
        }
        self.cur.clear();
    }

    fn event(&mut self, t: &mut Text, ev: Event<'_>) {
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
#[derive(Default)]
struct Text {
    lines: Vec<String>,
}

impl Text {
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

/// One paragraph as flowed lines of at most [`WIDTH`] characters.
/// A line broken between words ends with two spaces (the word space, then
/// the flowed marker), one broken inside a long word with one.
pub fn wrap(text: &str) -> Vec<String> {
    let words: Vec<&str> = text.split(' ').filter(|w| !w.is_empty()).collect();
    let mut lines = Vec::new();
    let mut cur = String::new();
    let room = WIDTH - 3;
    for w in words {
        let len = w.chars().count();
        let cur_len = cur.chars().count();
        if cur_len > 0 && cur_len + 1 + len <= room {
            cur.push(' ');
            cur.push_str(w);
            continue;
        }
        if cur_len > 0 {
            lines.push(format!("{cur}  "));
            cur.clear();
        }
        if len <= room {
            cur.push_str(w);
            continue;
        }
        let chars: Vec<char> = w.chars().collect();
        let mut chunks = chars.chunks(WIDTH - 1).peekable();
        while let Some(c) = chunks.next() {
            let s: String = c.iter().collect();
            if chunks.peek().is_some() {
                lines.push(format!("{s} "));
            } else {
                cur = s;
            }
        }
    }
    if !cur.is_empty() || lines.is_empty() {
        lines.push(cur);
    }
    lines.into_iter().map(stuff).collect()
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
    fn wrapped_lines_fit_and_flow_back() {
        let url = format!("https://x.org/{}", "a-b".repeat(60));
        let text = format!(
            "Pour plus d'informations : {url} et la suite du texte qui continue encore un peu plus loin."
        );
        let lines = wrap(&text);
        assert!(
            lines.iter().all(|l| l.chars().count() <= WIDTH),
            "{lines:#?}"
        );
        assert!(lines.len() > 3);
        assert_eq!(unflow(&lines), text);
    }

    #[test]
    fn short_text_is_one_line_without_trailing_space() {
        assert_eq!(wrap("Bonjour à tous"), vec!["Bonjour à tous"]);
        assert_eq!(wrap(">cite"), vec![" >cite"]);
    }
}

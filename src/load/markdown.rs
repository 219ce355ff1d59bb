//! Markdown to HTML: pulldown-cmark events, French typography on text,
//! internal links rewritten to URLs, and raw HTML checked and sanitised.

use std::cell::OnceCell;
use std::ops::Range;
use std::sync::LazyLock;

use pulldown_cmark::{CowStr, Event, LinkType, Options, Parser, Tag, TagEnd, TextMergeWithOffset};

use crate::diagnostics::Diagnostic;
use crate::load::typography::{Typeset, typeset};
use crate::model::{Body, Reference};
use crate::urls;
use crate::urls::percent_decode;

/// What the renderer needs to know about the file.
pub struct MdInput<'a> {
    /// Site-root-relative path of the file, for diagnostics.
    pub file: &'a str,
    /// Its folder (`content/lettres/2025-09`), against which links resolve.
    pub dir: &'a str,
    /// The whole file, for excerpts.
    pub source: &'a str,
    /// The Markdown body.
    pub body: &'a str,
    /// Lines before the body in the file.
    pub body_offset: u32,
    /// Path prefix of the site (`/cuf`), or empty.
    pub base_path: &'a str,
}

/// Renders `input.body`; returns the body and the mistakes found in it.
pub fn render(input: &MdInput<'_>) -> (Body, Vec<Diagnostic>) {
    let mut r = Renderer {
        input,
        lines: LineIndex::new(input.body),
        body: Body {
            markdown: input.body.to_string(),
            ..Body::default()
        },
        diags: Vec::new(),
        code_depth: 0,
        raw_text_depth: 0,
        has_raw_html: false,
        image: None,
    };
    r.forbidden_chars();
    let mut opts = Options::empty();
    opts.insert(Options::ENABLE_TABLES);
    opts.insert(Options::ENABLE_FOOTNOTES);
    opts.insert(Options::ENABLE_STRIKETHROUGH);
    let parser = Parser::new_ext(input.body, opts).into_offset_iter();
    let events = TextMergeWithOffset::new(parser).map(|(ev, range)| r.event(ev, range));
    let mut html = String::with_capacity(input.body.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, events);
    if r.has_raw_html {
        html = SANITIZER.clean(&html).to_string();
    }
    // Characters written as entities (`&#xFFFE;`) come out of the parser
    // as they are: none may reach a page, a feed or an e-mail.
    if let std::borrow::Cow::Owned(clean) = crate::load::values::strip_forbidden(&html) {
        html = clean;
    }
    r.body.html = html;
    (r.body, r.diags)
}

/// One allow-list for every body: formatting, tables, footnotes, images.
static SANITIZER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let mut b = ammonia::Builder::default();
    b.add_generic_attributes(["class", "id"])
        .link_rel(None)
        .url_relative(ammonia::UrlRelative::PassThrough)
        .add_tag_attributes("img", ["loading"]);
    b
});

struct Renderer<'i> {
    input: &'i MdInput<'i>,
    lines: LineIndex<'i>,
    body: Body,
    diags: Vec<Diagnostic>,
    /// Inside a code block or inline code: no typography.
    code_depth: u32,
    /// Inside a link written as a bare URL, or an image's alt text.
    raw_text_depth: u32,
    has_raw_html: bool,
    /// Inside an image: where it starts, as written, and whether its
    /// alternative text has any word yet.
    image: Option<(usize, String, bool)>,
}

impl<'i> Renderer<'i> {
    fn event<'a>(&mut self, ev: Event<'a>, range: Range<usize>) -> Event<'a> {
        match ev {
            Event::Start(tag) => self.start(tag, range),
            Event::End(end) => {
                match end {
                    TagEnd::CodeBlock => self.code_depth -= 1,
                    TagEnd::Link | TagEnd::Image if self.raw_text_depth > 0 => {
                        self.raw_text_depth -= 1
                    }
                    _ => {}
                }
                if end == TagEnd::Image {
                    self.end_image();
                }
                Event::End(end)
            }
            Event::Text(text) if self.image.is_some() => {
                if !text.trim().is_empty()
                    && let Some(img) = &mut self.image
                {
                    img.2 = true;
                }
                Event::Text(text)
            }
            Event::Text(text) if self.code_depth == 0 && self.raw_text_depth == 0 => {
                match typeset(&text) {
                    Typeset::Text(std::borrow::Cow::Borrowed(_)) => Event::Text(text),
                    Typeset::Text(t) => Event::Text(CowStr::from(t.into_owned())),
                    Typeset::Html(h) => Event::InlineHtml(CowStr::from(h)),
                }
            }
            Event::FootnoteReference(name) => Event::FootnoteReference(self.note_id(&name)),
            Event::Html(html) | Event::InlineHtml(html) => {
                self.raw_html(&html, range.start);
                Event::InlineHtml(html)
            }
            other => other,
        }
    }

    fn start<'a>(&mut self, tag: Tag<'a>, range: Range<usize>) -> Event<'a> {
        match tag {
            Tag::CodeBlock(k) => {
                self.code_depth += 1;
                Event::Start(Tag::CodeBlock(k))
            }
            Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            } => {
                // Only links we rewrite end up tracked: keep End balanced.
                if matches!(link_type, LinkType::Autolink | LinkType::Email) {
                    self.raw_text_depth += 1;
                }
                let dest = self.destination(dest_url, range.start, false);
                Event::Start(Tag::Link {
                    link_type,
                    dest_url: dest,
                    title,
                    id,
                })
            }
            Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            } => {
                self.raw_text_depth += 1;
                self.image = Some((range.start, dest_url.to_string(), false));
                let dest = self.destination(dest_url, range.start, true);
                Event::Start(Tag::Image {
                    link_type,
                    dest_url: dest,
                    title,
                    id,
                })
            }
            Tag::FootnoteDefinition(name) => {
                Event::Start(Tag::FootnoteDefinition(self.note_id(&name)))
            }
            other => Event::Start(other),
        }
    }

    /// Footnote ids are prefixed with the file name: an issue page shows many
    /// articles, each free to have its own note `[^1]`.
    fn note_id<'a>(&self, name: &str) -> CowStr<'a> {
        let stem = self
            .input
            .file
            .rsplit('/')
            .next()
            .unwrap_or("")
            .trim_end_matches(".md");
        CowStr::from(format!("note-{stem}-{name}"))
    }

    /// Checks and rewrites a link or image destination.
    fn destination<'a>(&mut self, dest: CowStr<'a>, at: usize, image: bool) -> CowStr<'a> {
        let trimmed = dest.trim();
        let lower = trimmed.to_ascii_lowercase();
        let squeezed = lower.replace(['\t', '\n', ' '], "");
        if ["javascript:", "vbscript:", "data:"]
            .iter()
            .any(|s| squeezed.starts_with(s))
        {
            self.diag(
                at,
                format!("lien dangereux retiré : « {trimmed} »"),
                "un lien doit commencer par https://, mailto: ou désigner un fichier du site",
            );
            return CowStr::from("#");
        }
        let is_external = lower.contains("://")
            || lower.starts_with("mailto:")
            || lower.starts_with("tel:")
            || lower.starts_with('#')
            || lower.starts_with('/')
            || lower.starts_with("//")
            || trimmed.is_empty();
        if is_external {
            return dest;
        }
        let (path, fragment) = match trimmed.find(['#', '?']) {
            Some(i) => (&trimmed[..i], &trimmed[i..]),
            None => (trimmed, ""),
        };
        let decoded = percent_decode(path);
        let (line, column) = self.lines.locate(at);
        let line = line + self.input.body_offset;
        let Some(target) = urls::join_in_content(self.input.dir, &decoded) else {
            self.diags.push(
                Diagnostic::error(
                    self.input.file,
                    line,
                    column,
                    format!("le lien « {trimmed} » sort du dossier content/"),
                )
                .with_suggestion("un lien interne désigne un fichier de content/, par exemple ../2025-07/assises.md")
                .with_source(self.input.source),
            );
            return CowStr::from("#");
        };
        let reference = Reference {
            target: target.clone(),
            written: trimmed.to_string(),
            line,
            column,
        };
        if !image && target.ends_with(".md") {
            self.body.links.push(reference);
            let url = urls::page_url(&target).unwrap_or_else(|| urls::asset_url(&target));
            CowStr::from(format!("{}{url}{fragment}", self.input.base_path))
        } else {
            self.body.images.push(reference);
            CowStr::from(format!(
                "{}{}{fragment}",
                self.input.base_path,
                urls::asset_url(&target)
            ))
        }
    }

    /// An image without alternative text is an error, as `image` without
    /// `image_alt` is: screen readers and mail clients that block images
    /// would have nothing to say.
    fn end_image(&mut self) {
        let Some((at, written, has_alt)) = self.image.take() else {
            return;
        };
        if !has_alt {
            self.diag(
                at,
                format!("image sans texte alternatif : « {written} »"),
                &format!("écrivez entre les crochets ce que montre l'image : ![Description de l'image]({written})"),
            );
        }
    }

    /// Each forbidden character of the body (controls, non-characters),
    /// reported where it is; they are removed from the HTML.
    fn forbidden_chars(&mut self) {
        let body = self.input.body;
        let mut from = 0;
        // A handful is enough to show the writer the problem.
        for _ in 0..5 {
            let Some((i, c)) = crate::load::values::forbidden_char(&body[from..]) else {
                break;
            };
            let p = crate::load::values::forbidden_char_problem(c);
            self.diag(from + i, p.message, &p.suggestion);
            from += i + c.len_utf8();
        }
    }

    fn raw_html(&mut self, html: &str, at: usize) {
        self.has_raw_html = true;
        let lower = html.to_ascii_lowercase();
        if lower.contains("<img") && !lower.contains("alt=") {
            self.diag(
                at,
                "image sans texte alternatif : balise <img> sans attribut alt",
                "ajoutez alt=\"ce que montre l'image\", ou écrivez l'image en Markdown : ![Description](images/photo.jpg)",
            );
        }
        for tag in [
            "script", "iframe", "object", "embed", "form", "style", "base", "meta",
        ] {
            if lower.contains(&format!("<{tag}")) {
                self.diag(
                    at,
                    format!("HTML dangereux retiré : balise <{tag}>"),
                    "seules les balises de mise en forme (<sup>, <br>, <abbr>…) sont permises dans le texte",
                );
            }
        }
        if let Some(attr) = event_handler(&lower) {
            self.diag(
                at,
                format!("HTML dangereux retiré : attribut « {attr} »"),
                "les attributs on… exécutent du code et ne sont pas permis",
            );
        }
        // Browsers drop tabs and newlines inside URLs, written raw or as entities.
        let squeezed: String = [
            "&#x09;",
            "&#9;",
            "&#x0a;",
            "&#10;",
            "&#x0d;",
            "&#13;",
            "&tab;",
            "&newline;",
        ]
        .iter()
        .fold(lower.clone(), |acc, e| acc.replace(e, ""))
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .collect();
        if squeezed.contains("javascript:") || squeezed.contains("vbscript:") {
            self.diag(
                at,
                "HTML dangereux retiré : lien javascript:",
                "un lien doit commencer par https:// ou mailto:",
            );
        }
    }

    fn diag(&mut self, at: usize, message: impl Into<String>, hint: &str) {
        let (line, column) = self.lines.locate(at);
        self.diags.push(
            Diagnostic::error(
                self.input.file,
                line + self.input.body_offset,
                column,
                message,
            )
            .with_suggestion(hint)
            .with_source(self.input.source),
        );
    }
}

/// The first `on…=` attribute in lower-cased HTML.
fn event_handler(lower: &str) -> Option<String> {
    let bytes = lower.as_bytes();
    let mut i = 0;
    while let Some(p) = lower[i..].find("on") {
        let at = i + p;
        let before_ok =
            at > 0 && matches!(bytes[at - 1], b' ' | b'\t' | b'\n' | b'/' | b'"' | b'\'');
        let name_end = lower[at..]
            .find(|c: char| !c.is_ascii_alphanumeric())
            .map_or(lower.len(), |e| at + e);
        let after = lower[name_end..].trim_start();
        if before_ok && name_end > at + 2 && after.starts_with('=') && in_tag(lower, at) {
            return Some(lower[at..name_end].to_string());
        }
        i = at + 2;
    }
    None
}

/// True when byte `at` is inside a `<…>` tag.
fn in_tag(s: &str, at: usize) -> bool {
    let open = s[..at].rfind('<');
    let close = s[..at].rfind('>');
    match (open, close) {
        (Some(o), Some(c)) => o > c,
        (Some(_), None) => true,
        _ => false,
    }
}

/// Byte offset to (line, column), both 1-based. The line starts are only
/// computed once a position is asked for (most bodies never need one).
struct LineIndex<'t> {
    text: &'t str,
    starts: OnceCell<Vec<usize>>,
}

impl<'t> LineIndex<'t> {
    fn new(text: &'t str) -> Self {
        LineIndex {
            text,
            starts: OnceCell::new(),
        }
    }

    fn locate(&self, at: usize) -> (u32, u32) {
        let starts = self.starts.get_or_init(|| {
            let mut starts = vec![0];
            starts.extend(memchr::memchr_iter(b'\n', self.text.as_bytes()).map(|i| i + 1));
            starts
        });
        let line = starts.partition_point(|s| *s <= at).max(1) - 1;
        let start = starts[line];
        let end = at.min(self.text.len());
        let col = self.text.get(start..end).map_or(0, |s| s.chars().count());
        (line as u32 + 1, col as u32 + 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render_md(body: &str) -> (Body, Vec<Diagnostic>) {
        render(&MdInput {
            file: "content/lettres/2025-09/a.md",
            dir: "content/lettres/2025-09",
            source: body,
            body,
            body_offset: 0,
            base_path: "",
        })
    }

    #[test]
    fn javascript_hidden_behind_entities_is_reported_and_removed() {
        // Regression: `jav&#x09;ascript:` slipped past the report (browsers drop the tab).
        let (body, diags) = render_md("<a href=\"jav&#x09;ascript:alert(1)\">z</a>\n");
        assert!(
            diags.iter().any(|d| d.message.contains("javascript")),
            "{diags:?}"
        );
        assert!(
            !body.html.to_ascii_lowercase().contains("script:"),
            "{}",
            body.html
        );
    }

    #[test]
    fn percent_encoded_escape_is_refused() {
        let (_, diags) = render_md("[y](%2e%2e/%2e%2e/%2e%2e/x.md)\n");
        assert!(
            diags.iter().any(|d| d.message.contains("sort du dossier")),
            "{diags:?}"
        );
    }
}

//! The e-mail edition of La Lettre: for each issue, `email.html` (one
//! self-contained, table-based, inlined HTML file for the mailing tool),
//! `email.txt` (its plain-text alternative) and `lettre-AAAA-MM.eml` (both
//! as one MIME message, to preview or to send as a test).
//!
//! The view is built here; [`html`] renders and post-processes it, [`text`]
//! writes the plain text, [`mime`] assembles the message.

pub mod html;
pub mod mime;
pub mod text;

use rayon::prelude::*;
use serde::Serialize;

use crate::diagnostics::Diagnostic;
use crate::load::typography;
use crate::model::{ArticleFront, Letter, LetterFront, Page, SiteConfig, Social};
use crate::postprocess;
use crate::render::agenda;
use crate::render::views::{plain_excerpt, tel_uri};
use crate::render::{Output, RenderContext, Rendered, Renderer, Sink};
use crate::urls;

/// Above this size (in bytes) the build warns: Gmail clips messages at
/// about 102 KB, and the mailing tool adds its own bytes.
pub const SIZE_WARNING: usize = 90 * 1024;

/// Width of the content column, and so of the widest image.
pub const IMAGE_WIDTH: u32 = 552;

/// A subject longer than this (in characters) is cut in a phone's inbox.
pub const SUBJECT_CHARS: usize = 60;

/// Largest width at which the logo is shown in the e-mail (CSS pixels).
pub const LOGO_WIDTH: u32 = 200;

/// Height at which supporters' logos are shown (CSS pixels).
pub const SUPPORTER_HEIGHT: u32 = 48;

/// Above this, the logo weighs too much in every message (bytes).
pub const LOGO_MAX_BYTES: usize = 30 * 1024;

/// Renders the e-mail edition of every issue.
pub struct EmailRenderer;

impl Renderer for EmailRenderer {
    fn name(&self) -> &'static str {
        "email"
    }

    fn render(&self, ctx: &RenderContext<'_>, out: &dyn Sink) -> Rendered {
        let all: Vec<&Letter> = ctx.site.letters.iter().collect();
        render_letters(ctx, &all, out)
    }

    fn render_changed(
        &self,
        ctx: &RenderContext<'_>,
        changes: &crate::render::changes::ChangeSet,
        out: &dyn Sink,
    ) -> Option<Rendered> {
        if changes.only_under(&["repertoire/"]) {
            return Some(Ok(Vec::new()));
        }
        // An edit inside one issue changes that issue's e-mail only.
        let ids = changes.letters_only()?;
        let touched: Vec<&Letter> = ctx
            .site
            .letters
            .iter()
            .filter(|l| ids.contains(&l.id.as_str()))
            .collect();
        Some(render_letters(ctx, &touched, out))
    }
}

/// The files of `letters` (in parallel) into `out`, with their warnings, or
/// every error; prints the time per issue when timings are on.
fn render_letters(ctx: &RenderContext<'_>, letters: &[&Letter], out: &dyn Sink) -> Rendered {
    let results: Vec<_> = letters
        .par_iter()
        .map(|l| crate::timings::timed(|| render_letter(ctx, l)))
        .collect();
    let mut millis: Vec<f64> = results.iter().map(|(_, t)| *t).collect();
    crate::timings::summary("email: un numéro", &mut millis);
    let mut warnings = if letters.is_empty() {
        Vec::new()
    } else {
        logo_warnings(ctx)
    };
    let mut errors = Vec::new();
    for (r, _) in results {
        match r {
            Ok((o, w)) => {
                o.into_iter().for_each(|o| out.put(o));
                warnings.extend(w);
            }
            Err(e) => errors.push(e),
        }
    }
    if errors.is_empty() {
        Ok(warnings)
    } else {
        Err(errors)
    }
}

/// The three files of one issue, and the warnings they raise.
pub fn render_letter(
    ctx: &RenderContext<'_>,
    letter: &Letter,
) -> Result<(Vec<Output>, Vec<Diagnostic>), Diagnostic> {
    let mut warnings = Vec::new();
    let view = EmailView::new(ctx, letter, &mut warnings);
    let page = html::render(ctx, letter, &view, &mut warnings)?;
    let plain = text::render(ctx, letter, &view);
    let eml = mime::message(ctx, letter, &view.subject, &plain, &page)?;
    if page.len() > SIZE_WARNING {
        warnings.push(size_warning(letter, page.len()));
    }
    let dir = format!("lettres/{}", letter.id);
    Ok((
        vec![
            Output::text(format!("{dir}/email.html"), page),
            Output::text(format!("{dir}/email.txt"), plain),
            Output {
                path: format!("{dir}/lettre-{}.eml", letter.id),
                bytes: eml,
            },
        ],
        warnings,
    ))
}

/// The logos of `site.yaml` that the e-mail cannot show, or shows too heavy.
fn logo_warnings(ctx: &RenderContext<'_>) -> Vec<Diagnostic> {
    let c = &ctx.site.config;
    let logos = c.logo.iter().map(|l| ("logo.src", "logo", l.src.as_str()));
    let supporters = c.supporters.iter().filter_map(|s| {
        s.logo
            .as_deref()
            .map(|l| ("supporters.logo", "supporters", l))
    });
    let mut out = Vec::new();
    for (key, top, src) in logos.chain(supporters) {
        let line = c.line_of(top);
        let set = urls::join_in_content("content", src).and_then(|p| ctx.images.get(&p));
        let d = match set {
            None => Diagnostic::warning(
                "content/site.yaml",
                line,
                1,
                format!("{key} : l'image « {src} » est introuvable ou illisible : l'e-mail et le site s'en passent"),
            )
            .with_suggestion("indiquez le chemin d'une image .png ou .jpg depuis le dossier content/, par exemple images/logo.png"),
            Some(set) if set.email.bytes > LOGO_MAX_BYTES => Diagnostic::warning(
                "content/site.yaml",
                line,
                1,
                format!(
                    "{key} : l'image « {src} » pèse {} Ko dans l'e-mail, au-delà de {} Ko (elle est chargée à chaque ouverture)",
                    set.email.bytes.div_ceil(1024),
                    LOGO_MAX_BYTES / 1024
                ),
            )
            .with_suggestion("fournissez un logo de 400 px de large au plus, en PNG aux couleurs franches"),
            Some(_) => continue,
        };
        out.push(d);
    }
    out
}

fn size_warning(letter: &Letter, bytes: usize) -> Diagnostic {
    Diagnostic::warning(
        &letter.index.path,
        0,
        0,
        format!(
            "l'e-mail du numéro {} pèse {} Ko, au-delà de {} Ko : Gmail coupe les messages d'environ 102 Ko et l'outil d'envoi ajoute ses propres octets",
            letter.id,
            bytes.div_ceil(1024),
            SIZE_WARNING / 1024
        ),
    )
    .with_suggestion(
        "gardez mailing.full_text à false (résumés et titres liés), raccourcissez les résumés ou déplacez des articles dans un autre numéro",
    )
}

/// Everything the e-mail templates see.
#[derive(Debug, Serialize)]
pub struct EmailView<'a> {
    /// `lang` of the letter.
    pub lang: &'a str,
    /// Subject line, also the `<title>`.
    pub subject: String,
    /// Hidden preview text.
    pub preheader: String,
    /// Invisible characters after the preheader, so clients do not pull
    /// body text into the preview.
    pub preheader_filler: String,
    /// "La Lettre de Cités Unies France".
    pub letter_title: &'a str,
    /// "Septembre & Octobre 2025".
    pub issue_title: String,
    /// Issue number.
    pub number: Option<u32>,
    /// "10 septembre 2025".
    pub date: String,
    /// The letter's web page (root-relative; made absolute later).
    pub online_url: String,
    /// The letter's PDF edition (root-relative), when the build makes PDFs.
    pub pdf_url: Option<String>,
    /// Body of `_index.md`, if any.
    pub intro: Option<String>,
    /// Sections in print order.
    pub sections: Vec<EmailSection>,
    /// The agenda block (`render::agenda::LetterAgenda` serialised), if any.
    pub agenda: Option<serde_json::Value>,
    /// Width attribute of article images.
    pub image_width: u32,
    /// Full text (true) or teasers.
    pub full_text: bool,
    /// Site name, for the footer.
    pub site_title: &'a str,
    /// Postal address.
    pub address: Option<&'a str>,
    /// Phone, as written.
    pub phone: Option<&'a str>,
    /// `tel:` link of the phone.
    pub phone_uri: Option<String>,
    /// Contact address.
    pub email: Option<&'a str>,
    /// Social links.
    pub social: &'a [Social],
    /// The mailing tool's unsubscribe merge tag, verbatim.
    pub unsubscribe: Option<&'a str>,
    /// The sender's logo, if `site.yaml` has one.
    pub logo: Option<EmailImage>,
    /// The supporters of the footer.
    pub supporters: Vec<EmailSupporter>,
}

/// An image with its display size.
#[derive(Debug, Serialize)]
pub struct EmailImage {
    /// URL (root-relative; made absolute later).
    pub url: String,
    /// Alternative text.
    pub alt: String,
    /// `width` attribute.
    pub width: u32,
    /// `height` attribute.
    pub height: u32,
}

/// A supporter in the footer: its logo, or its name alone.
#[derive(Debug, Serialize)]
pub struct EmailSupporter {
    /// Name.
    pub name: String,
    /// Its site.
    pub url: Option<String>,
    /// Its logo.
    pub logo: Option<EmailImage>,
}

/// One section of the e-mail.
#[derive(Debug, Serialize)]
pub struct EmailSection {
    /// Printed title.
    pub title: String,
    /// Runs of articles sharing a byline.
    pub runs: Vec<EmailRun>,
}

/// Consecutive articles of one group.
#[derive(Debug, Serialize)]
pub struct EmailRun {
    /// "Présidente du groupe-pays …".
    pub byline: Option<String>,
    /// The group's page.
    pub group_url: Option<String>,
    /// The articles.
    pub articles: Vec<EmailArticle>,
}

/// One article as the e-mail shows it.
#[derive(Debug, Serialize)]
pub struct EmailArticle {
    /// Slug.
    pub slug: String,
    /// Title as HTML (escaped, `<sup>` ordinals).
    pub title: String,
    /// Title as plain text.
    pub title_text: String,
    /// The article in the letter on the web.
    pub url: String,
    /// Teaser text (always set: the summary or an excerpt of the body).
    pub summary: String,
    /// Body HTML in full-text mode, None for teasers.
    pub html: Option<String>,
    /// "Pour plus d'informations" URL.
    pub link: Option<String>,
    /// What that link shows: the host of the URL.
    pub link_label: Option<String>,
    /// Its accessible name, when another article's link shows the same
    /// host but goes elsewhere.
    pub link_aria: Option<String>,
    /// Image URL (JPEG, PNG or GIF only).
    pub image: Option<String>,
    /// Its alt text.
    pub image_alt: Option<String>,
    /// Signature.
    pub author: Option<String>,
}

impl<'a> EmailView<'a> {
    /// The view of `letter`; images mail clients cannot show are left out
    /// with a warning in `warnings`.
    pub fn new(
        ctx: &'a RenderContext<'a>,
        letter: &'a Letter,
        warnings: &mut Vec<Diagnostic>,
    ) -> Self {
        let c = &ctx.site.config;
        let f = &letter.index.front;
        let mailing = c.mailing.as_ref();
        let full_text = mailing.is_some_and(|m| m.full_text);
        let mut sections = sections(ctx, letter, full_text, warnings);
        name_ambiguous_links(&mut sections);
        let issue_title = typography::title_text(&f.title);
        EmailView {
            lang: &c.language,
            subject: subject(c, f, &issue_title),
            preheader: preheader(letter, &sections),
            preheader_filler: "&#847;&zwnj;&nbsp;".repeat(24),
            letter_title: &c.letter_title,
            issue_title,
            number: f.number,
            date: crate::dates::long_date(f.date.0),
            online_url: ctx.url(&format!("/lettres/{}/", letter.id)),
            pdf_url: crate::render::pdf::letter_url(ctx, &letter.id),
            intro: (!letter.index.body.html.trim().is_empty())
                .then(|| letter.index.body.html.clone()),
            sections,
            agenda: Some(agenda::letter_agenda(ctx, letter))
                .filter(|a| !a.is_empty())
                .and_then(|a| serde_json::to_value(a).ok()),
            image_width: IMAGE_WIDTH,
            full_text,
            site_title: &c.title,
            address: c.address.as_deref(),
            phone: c.phone.as_deref(),
            phone_uri: c.phone.as_deref().map(tel_uri),
            email: c.email.as_deref(),
            social: &c.social,
            unsubscribe: mailing.and_then(|m| m.unsubscribe.as_deref()),
            logo: c
                .logo
                .as_ref()
                .and_then(|l| sized_image(ctx, &l.src, &l.alt, Fit::Width(LOGO_WIDTH))),
            supporters: c
                .supporters
                .iter()
                .map(|s| EmailSupporter {
                    name: s.name.clone(),
                    url: s.url.clone(),
                    logo: s.logo.as_deref().and_then(|src| {
                        sized_image(ctx, src, &s.name, Fit::Height(SUPPORTER_HEIGHT))
                    }),
                })
                .collect(),
        }
    }
}

/// The issue's `subject`, or « La Lettre n° 112 – Septembre & Octobre 2025 »:
/// the letter's title without « de <site> » (the sender's name already
/// says it), the number and the issue's title; the issue's title alone
/// (with the number) when that is longer than [`SUBJECT_CHARS`].
pub fn subject(c: &SiteConfig, f: &LetterFront, issue_title: &str) -> String {
    if let Some(s) = f.subject.as_deref().filter(|s| !s.trim().is_empty()) {
        return typography::title_text(s);
    }
    let short = c
        .letter_title
        .strip_suffix(&format!(" de {}", c.title))
        .unwrap_or(&c.letter_title);
    let number = f
        .number
        .map(|n| format!(" n°\u{a0}{n}"))
        .unwrap_or_default();
    let full = format!("{short}{number} – {issue_title}");
    if full.chars().count() <= SUBJECT_CHARS {
        return full;
    }
    match f.number {
        Some(n) => format!("N°\u{a0}{n} – {issue_title}"),
        None => issue_title.to_string(),
    }
}

/// How an image is fitted: at most this wide, or exactly this high.
enum Fit {
    Width(u32),
    Height(u32),
}

/// The e-mail variant of the image `src` of `content/`, sized by `fit`
/// (never above its own size at double density), or None when the image
/// pipeline did not make it (reported by `resolve` or the image step).
fn sized_image(ctx: &RenderContext<'_>, src: &str, alt: &str, fit: Fit) -> Option<EmailImage> {
    let path = urls::join_in_content("content", src)?;
    let set = ctx.images.get(&path)?;
    let (w, h) = (set.email.width.max(1), set.email.height.max(1));
    let (width, height) = match fit {
        Fit::Width(max) => {
            let width = max.min(w.div_ceil(2).max(1));
            (width, (h * width).div_ceil(w))
        }
        Fit::Height(height) => ((w * height).div_ceil(h), height),
    };
    Some(EmailImage {
        url: ctx.url(&set.email.url),
        alt: alt.to_string(),
        width,
        height,
    })
}

/// The issue's preheader, or the titles of its first news after the editorial.
fn preheader(letter: &Letter, sections: &[EmailSection]) -> String {
    if let Some(p) = &letter.index.front.preheader {
        return typography::title_text(p);
    }
    let titles: Vec<&str> = sections
        .iter()
        .flat_map(|s| s.runs.iter().flat_map(|r| r.articles.iter()))
        .filter(|a| {
            letter
                .articles
                .iter()
                .any(|x| x.slug == a.slug && x.front.section != "editorial")
        })
        .take(3)
        .map(|a| a.title_text.as_str())
        .collect();
    plain_excerpt(&titles.join(" · "), 150)
}

fn sections(
    ctx: &RenderContext<'_>,
    letter: &Letter,
    full_text: bool,
    warnings: &mut Vec<Diagnostic>,
) -> Vec<EmailSection> {
    let li = ctx
        .site
        .letters
        .iter()
        .position(|l| l.id == letter.id)
        .unwrap_or(0);
    let Some(layout) = ctx.index.layouts.get(li) else {
        return Vec::new();
    };
    layout
        .iter()
        .map(|s| EmailSection {
            title: ctx.site.config.sections[s.section].title.clone(),
            runs: s
                .runs
                .iter()
                .map(|r| EmailRun {
                    byline: r
                        .group
                        .as_ref()
                        .and_then(|g| ctx.index.bylines.get(g))
                        .cloned(),
                    group_url: r
                        .group
                        .as_ref()
                        .filter(|g| ctx.index.group_pos.contains_key(*g))
                        .map(|g| ctx.url(&format!("/groupes/{g}/"))),
                    articles: r
                        .articles
                        .iter()
                        .map(|&ai| article(ctx, letter, &letter.articles[ai], full_text, warnings))
                        .collect(),
                })
                .collect(),
        })
        .collect()
}

fn article(
    ctx: &RenderContext<'_>,
    letter: &Letter,
    a: &Page<ArticleFront>,
    full_text: bool,
    warnings: &mut Vec<Diagnostic>,
) -> EmailArticle {
    let f = &a.front;
    let summary = f
        .summary
        .as_deref()
        .map(|s| typography::spacing(s).into_owned())
        .unwrap_or_else(|| plain_excerpt(&a.body.html, 300));
    let html = full_text.then(|| {
        postprocess::shift_headings(&a.body.html, 4).unwrap_or_else(|_| a.body.html.clone())
    });
    EmailArticle {
        slug: a.slug.clone(),
        title: typography::title_html(&f.title),
        title_text: typography::title_text(&f.title),
        url: ctx.url(&format!("/lettres/{}/{}/", letter.id, a.slug)),
        summary,
        html,
        link: f.link.clone(),
        link_label: f.link.as_deref().map(link_label),
        link_aria: None,
        image: image(ctx, letter, a, warnings),
        image_alt: f.image_alt.clone(),
        author: f.author.clone(),
    }
}

/// The article's image URL, or None (with a warning) when mail clients
/// would not show its format.
fn image(
    ctx: &RenderContext<'_>,
    letter: &Letter,
    a: &Page<ArticleFront>,
    warnings: &mut Vec<Diagnostic>,
) -> Option<String> {
    let written = a.front.image.as_deref()?;
    let path = urls::join_in_content(&format!("content/lettres/{}", letter.id), written)?;
    if let Some(set) = ctx.images.get(&path) {
        // Re-encoded as JPEG or PNG whatever the source (WebP included).
        return Some(ctx.url(&set.email.url));
    }
    if !postprocess::is_mail_image(&path) {
        warnings.push(
            Diagnostic::warning(
                &a.path,
                a.line_of("image"),
                1,
                format!(
                    "l'image « {written} » n'apparaîtra pas dans l'e-mail : les messageries n'affichent de façon sûre que le JPEG, le PNG et le GIF"
                ),
            )
            .with_suggestion("enregistrez l'image en .jpg ou en .png")
            .with_source(&a.source),
        );
        return None;
    }
    Some(ctx.url(&urls::asset_url(&path)))
}

/// Gives « Pour plus d'informations » links an accessible name of their
/// own when two show the same host but lead to different pages.
fn name_ambiguous_links(sections: &mut [EmailSection]) {
    let mut targets: std::collections::HashMap<String, std::collections::HashSet<String>> =
        std::collections::HashMap::new();
    for a in sections
        .iter()
        .flat_map(|s| s.runs.iter().flat_map(|r| r.articles.iter()))
    {
        if let (Some(label), Some(link)) = (&a.link_label, &a.link) {
            targets
                .entry(label.clone())
                .or_default()
                .insert(link.clone());
        }
    }
    for a in sections
        .iter_mut()
        .flat_map(|s| s.runs.iter_mut().flat_map(|r| r.articles.iter_mut()))
    {
        let Some(label) = a.link_label.as_ref() else {
            continue;
        };
        if targets.get(label).is_some_and(|t| t.len() > 1) {
            // The visible text stays in the name (WCAG 2.5.3).
            a.link_aria = Some(format!("{label} : {}", a.title_text));
        }
    }
}

/// "https://www.x.org/a/b" → "www.x.org".
fn link_label(url: &str) -> String {
    let after = url.split_once("://").map_or(url, |(_, r)| r);
    after
        .split(['/', '?', '#'])
        .next()
        .unwrap_or(after)
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn link_labels_are_hosts() {
        assert_eq!(
            link_label("https://cites-unies-france.org/Atelier-x?y=1"),
            "cites-unies-france.org"
        );
        assert_eq!(link_label("mailto:a@b.fr"), "mailto:a@b.fr");
    }
}

//! What templates see: small serialisable views built per page from the
//! resolved site (never the whole site cloned into every context).

use serde::Serialize;

use crate::dates;
use crate::load::typography;
use crate::model::{ArticleFront, GroupFront, GroupKind, Letter, Page, Social};
use crate::render::RenderContext;
use crate::urls;

/// Site-wide values every page template may use.
#[derive(Debug, Serialize)]
pub struct SiteView<'a> {
    /// Site name.
    pub title: &'a str,
    /// Name of the letter.
    pub letter_title: &'a str,
    /// `lang` attribute.
    pub language: &'a str,
    /// Absolute base URL, no trailing slash.
    pub base_url: &'a str,
    /// Path prefix, for root-relative links.
    pub base_path: &'a str,
    /// Footer data.
    pub address: Option<&'a str>,
    /// Phone, as written.
    pub phone: Option<&'a str>,
    /// `tel:` form of the phone.
    pub phone_uri: Option<String>,
    /// Contact address.
    pub email: Option<&'a str>,
    /// Social links.
    pub social: &'a [Social],
    /// The logo of the header, if `site.yaml` has one.
    pub logo: Option<SiteLogo>,
    /// Whether the site has its search page (`/recherche/`).
    pub search: bool,
}

/// The header's logo: its web variant, shown 40 px high.
#[derive(Debug, Serialize)]
pub struct SiteLogo {
    /// URL (root-relative, with the base path).
    pub url: String,
    /// Alternative text.
    pub alt: String,
    /// `width` attribute.
    pub width: u32,
    /// `height` attribute.
    pub height: u32,
}

/// Height of the logo in the site's header (CSS pixels).
pub const HEADER_LOGO_HEIGHT: u32 = 40;

fn site_logo(ctx: &RenderContext<'_>) -> Option<SiteLogo> {
    let logo = ctx.site.config.logo.as_ref()?;
    let path = crate::urls::join_in_content("content", &logo.src)?;
    let v = ctx.images.get(&path)?.src();
    Some(SiteLogo {
        url: ctx.url(&v.url),
        alt: logo.alt.clone(),
        width: (v.width * HEADER_LOGO_HEIGHT).div_ceil(v.height.max(1)),
        height: HEADER_LOGO_HEIGHT,
    })
}

impl<'a> SiteView<'a> {
    /// The view of `ctx`'s site.
    pub fn new(ctx: &'a RenderContext<'a>) -> Self {
        let c = &ctx.site.config;
        SiteView {
            title: &c.title,
            letter_title: &c.letter_title,
            language: &c.language,
            base_url: &ctx.base_url,
            base_path: &ctx.base_path,
            address: c.address.as_deref(),
            phone: c.phone.as_deref(),
            phone_uri: c.phone.as_deref().map(tel_uri),
            email: c.email.as_deref(),
            social: &c.social,
            logo: site_logo(ctx),
            search: ctx.search_index,
        }
    }
}

/// [`SiteView`] of `ctx` as a Tera value, serialised once per build (kept
/// in the render context), not once per page: a clone only bumps a
/// reference count (Tera shares maps and long strings).
pub fn site_value(ctx: &RenderContext<'_>) -> tera::Value {
    ctx.site_value
        .get_or_init(|| tera::Value::from_serializable(&SiteView::new(ctx)))
        .clone()
}

/// "+33 (0)1 53 41 81 81" → "tel:+33153418181".
pub fn tel_uri(phone: &str) -> String {
    let cleaned = phone.replace("(0)", "");
    let digits: String = cleaned
        .chars()
        .filter(|c| c.is_ascii_digit() || *c == '+')
        .collect();
    format!("tel:{digits}")
}

/// Per-page metadata for `<head>`.
#[derive(Debug, Serialize)]
pub struct PageMeta {
    /// `<title>` (without the site name).
    pub title: String,
    /// Meta description and OpenGraph description.
    pub description: String,
    /// Absolute canonical URL.
    pub canonical: String,
    /// OpenGraph type.
    pub og_type: &'static str,
    /// Absolute URL of the sharing image, if any.
    pub og_image: Option<String>,
    /// Alt text of that image.
    pub og_image_alt: Option<String>,
    /// Which navigation entry is current.
    pub nav: &'static str,
}

/// A group as shown next to an article.
#[derive(Debug, Serialize)]
pub struct GroupRef<'a> {
    /// Slug.
    pub slug: &'a str,
    /// Name.
    pub name: &'a str,
    /// Page URL.
    pub url: String,
}

/// An article for templates.
#[derive(Debug, Serialize)]
pub struct ArticleView<'a> {
    /// Slug (anchor id inside the issue page).
    pub slug: &'a str,
    /// Title, as plain text with French typography.
    pub title: String,
    /// Title as HTML (ordinals in `<sup>`), safe.
    pub title_html: String,
    /// Page URL.
    pub url: String,
    /// Body HTML (safe).
    pub html: &'a str,
    /// Teaser.
    pub summary: Option<&'a str>,
    /// "Pour plus d'informations".
    pub link: Option<&'a str>,
    /// Image URL (the processed ~960 px variant when there is one).
    pub image: Option<String>,
    /// Its alt text.
    pub image_alt: Option<&'a str>,
    /// Its `srcset` (480/960/1440 w), when processed.
    pub image_srcset: Option<String>,
    /// Its `sizes`, when processed.
    pub image_sizes: Option<&'static str>,
    /// Width of `image`, for the `width` attribute.
    pub image_width: Option<u32>,
    /// Height of `image`, for the `height` attribute.
    pub image_height: Option<u32>,
    /// Signature.
    pub author: Option<&'a str>,
    /// Group, if any.
    pub group: Option<GroupRef<'a>>,
    /// Theme labels.
    pub themes: Vec<&'a str>,
    /// Date, French: « 18 septembre 2025 », « 1er octobre 2025 ».
    pub date: Option<String>,
    /// The same date, ISO, for `<time datetime>`.
    pub date_iso: Option<String>,
    /// Section title.
    pub section: &'a str,
}

impl<'a> ArticleView<'a> {
    /// The view of `a`, an article of `letter`.
    pub fn new(ctx: &'a RenderContext<'a>, letter: &'a Letter, a: &'a Page<ArticleFront>) -> Self {
        let f = &a.front;
        let dir = format!("content/lettres/{}", letter.id);
        let source = f
            .image
            .as_deref()
            .and_then(|i| urls::join_in_content(&dir, i));
        let set = source.as_deref().and_then(|p| ctx.images.get(p));
        let image = match set {
            Some(s) => Some(ctx.url(&s.src().url)),
            None => source.map(|p| ctx.url(&urls::asset_url(&p))),
        };
        let group = f.group.as_deref().and_then(|g| group_ref(ctx, g));
        let section = ctx
            .site
            .config
            .sections
            .iter()
            .find(|s| s.id == f.section)
            .map_or("", |s| s.title.as_str());
        ArticleView {
            slug: &a.slug,
            title: typography::title_text(&f.title),
            title_html: typography::title_html(&f.title),
            url: ctx.url(&format!("/lettres/{}/{}/", letter.id, a.slug)),
            html: &a.body.html,
            summary: f.summary.as_deref(),
            link: f.link.as_deref(),
            image,
            image_alt: f.image_alt.as_deref(),
            image_srcset: set.map(|s| s.srcset(&ctx.base_path)),
            image_sizes: set.map(|_| crate::postprocess::images::FIGURE_SIZES),
            image_width: set.map(|s| s.src().width),
            image_height: set.map(|s| s.src().height),
            author: f.author.as_deref(),
            group,
            themes: theme_labels(ctx, &f.themes),
            date: f.date.map(|d| dates::long_date(d.0)),
            date_iso: f.date.map(|d| d.0.to_string()),
            section,
        }
    }
}

/// The labels of theme ids (unknown ids were reported by `resolve`).
pub fn theme_labels<'a>(ctx: &'a RenderContext<'a>, ids: &[String]) -> Vec<&'a str> {
    ids.iter()
        .filter_map(|t| ctx.site.config.themes.get(t).map(String::as_str))
        .collect()
}

/// The reference to group `slug`, if it exists.
pub fn group_ref<'a>(ctx: &'a RenderContext<'a>, slug: &str) -> Option<GroupRef<'a>> {
    let g = &ctx.site.groups[*ctx.index.group_pos.get(slug)?];
    Some(GroupRef {
        slug: &g.slug,
        name: &g.front.name,
        url: ctx.url(&format!("/groupes/{}/", g.slug)),
    })
}

/// A letter as listed in the archive and on the home page.
#[derive(Debug, Serialize)]
pub struct LetterSummary<'a> {
    /// `AAAA-MM`.
    pub id: &'a str,
    /// "Septembre & Octobre 2025".
    pub title: &'a str,
    /// Issue number.
    pub number: Option<u32>,
    /// "10 septembre 2025".
    pub date: String,
    /// ISO date, for `<time datetime>`.
    pub date_iso: String,
    /// Page URL.
    pub url: String,
    /// Preheader text.
    pub preheader: Option<&'a str>,
    /// Number of articles.
    pub count: usize,
    /// Its PDF edition, when this build makes PDFs.
    pub pdf_url: Option<String>,
}

impl<'a> LetterSummary<'a> {
    /// The summary of `l`.
    pub fn new(ctx: &RenderContext<'_>, l: &'a Letter) -> Self {
        let f = &l.index.front;
        LetterSummary {
            id: &l.id,
            title: &f.title,
            number: f.number,
            date: dates::long_date(f.date.0),
            date_iso: f.date.0.to_string(),
            url: ctx.url(&format!("/lettres/{}/", l.id)),
            preheader: f.preheader.as_deref(),
            count: l.articles.len(),
            pdf_url: crate::render::pdf::letter_url(ctx, &l.id),
        }
    }
}

/// A group for templates.
#[derive(Debug, Serialize)]
pub struct GroupView<'a> {
    /// Slug.
    pub slug: &'a str,
    /// Name.
    pub name: &'a str,
    /// "Groupe-pays", "Dynamique thématique", "Dynamique régionale".
    pub kind_label: &'static str,
    /// `pays`, `thematique`, `regionale`.
    pub kind: GroupKind,
    /// Page URL.
    pub url: String,
    /// Byline, if it has a president.
    pub byline: Option<&'a str>,
    /// Description HTML.
    pub html: &'a str,
}

impl<'a> GroupView<'a> {
    /// The view of group `g`.
    pub fn new(ctx: &'a RenderContext<'a>, g: &'a Page<GroupFront>) -> Self {
        GroupView {
            slug: &g.slug,
            name: &g.front.name,
            kind_label: match g.front.kind {
                GroupKind::Pays => "Groupe-pays",
                GroupKind::Thematique => "Dynamique thématique",
                GroupKind::Regionale => "Dynamique régionale",
            },
            kind: g.front.kind,
            url: ctx.url(&format!("/groupes/{}/", g.slug)),
            byline: ctx.index.bylines.get(&g.slug).map(String::as_str),
            html: &g.body.html,
        }
    }
}

/// Plain text of an HTML fragment, for meta descriptions: tags become
/// spaces, five entities are decoded, then whole words are kept up to
/// `max_chars` characters, followed by `…` when some are left out.
///
/// Linear in the input (characters are counted once), and only the start of
/// the text is decoded when `max_chars` is small: the output is exactly the
/// one of the former quadratic version (see the tests).
pub fn plain_excerpt(html: &str, max_chars: usize) -> String {
    let limit = max_chars.saturating_add(max_chars / 4).saturating_add(16);
    let (text, cut) = strip_tags(html, limit);
    match words_up_to(&decode_five(text), max_chars) {
        (s, true) => s,
        (s, false) if !cut => s,
        // The prefix held too few words: take the whole text.
        _ => words_up_to(&decode_five(strip_tags(html, usize::MAX).0), max_chars).0,
    }
}

/// `html` without its tags, a space for each `>` unless one ends the text
/// already, stopped after a whitespace once `limit` bytes are written (true
/// if so). A prefix ending with whitespace decodes and splits into words
/// exactly as the start of the whole text does: no entity spans a space.
fn strip_tags(html: &str, limit: usize) -> (String, bool) {
    let mut out = String::with_capacity(html.len().min(limit.saturating_add(64)));
    let mut in_tag = false;
    let mut pos = 0;
    for i in memchr::memchr2_iter(b'<', b'>', html.as_bytes()) {
        if !in_tag {
            out.push_str(&html[pos..i]);
        }
        pos = i + 1;
        if html.as_bytes()[i] == b'<' {
            in_tag = true;
        } else {
            in_tag = false;
            if !out.ends_with(' ') {
                out.push(' ');
            }
        }
        if out.len() >= limit
            && let Some(ws) = out.bytes().rposition(|b| b.is_ascii_whitespace())
        {
            out.truncate(ws + 1);
            return (out, true);
        }
    }
    if !in_tag {
        out.push_str(&html[pos..]);
    }
    (out, false)
}

/// The five entities [`plain_excerpt`] decodes, one after the other.
fn decode_five(text: String) -> String {
    if !text.contains('&') {
        return text;
    }
    text.replace("&amp;", "&")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
}

/// Whole words of `text` up to `max_chars`, then `…`; true when cut there.
fn words_up_to(text: &str, max_chars: usize) -> (String, bool) {
    let mut s = String::new();
    let mut kept = 0usize;
    for w in text.split_whitespace() {
        let len = w.chars().count();
        if kept.saturating_add(len).saturating_add(1) > max_chars {
            s.push('…');
            return (s, true);
        }
        if !s.is_empty() {
            s.push(' ');
            kept += 1;
        }
        s.push_str(w);
        kept += len;
    }
    (s, false)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The former implementation, quadratic in the number of words kept.
    fn plain_excerpt_reference(html: &str, max_chars: usize) -> String {
        let mut out = String::new();
        let mut in_tag = false;
        for c in html.chars() {
            match c {
                '<' => in_tag = true,
                '>' => {
                    in_tag = false;
                    if !out.ends_with(' ') {
                        out.push(' ');
                    }
                }
                _ if !in_tag => out.push(c),
                _ => {}
            }
        }
        let text = out
            .replace("&amp;", "&")
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&#39;", "'");
        let mut s = String::new();
        for w in text.split_whitespace() {
            if s.chars().count() + w.chars().count() + 1 > max_chars {
                s.push('…');
                break;
            }
            if !s.is_empty() {
                s.push(' ');
            }
            s.push_str(w);
        }
        s
    }

    #[test]
    fn excerpts_match_the_former_implementation() {
        let long = "<p>Les élus de Cités Unies France&nbsp;: une <em>très</em> longue phrase. </p>"
            .repeat(40);
        let cases = [
            "",
            "<p>a</p>",
            "<p>Un &amp;lt; deux &amp; trois &quot;x&quot; l&#39;été</p>",
            "a<b>c</b>d",
            "<<p>>x> y <",
            "mot\u{a0}insécable\u{2003}large  et\tfin",
            "<p>a</p><p>b</p>\n<ul><li>c</li></ul>",
            long.as_str(),
        ];
        for html in cases {
            for max in [0, 1, 2, 5, 10, 120, 160, 300, 1500, usize::MAX] {
                assert_eq!(
                    plain_excerpt(html, max),
                    plain_excerpt_reference(html, max),
                    "{html:?} {max}"
                );
            }
        }
    }

    proptest! {
        #[test]
        fn excerpts_match_the_former_implementation_on_anything(
            html in "([<>&; a-zé.\u{a0}\t]|&amp;|&lt;|&#39;|<p>|</p>){0,400}",
            max in prop_oneof![0usize..200, Just(usize::MAX)],
        ) {
            prop_assert_eq!(plain_excerpt(&html, max), plain_excerpt_reference(&html, max));
        }
    }
}

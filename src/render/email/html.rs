//! The HTML part of the e-mail: the `email/` templates rendered, then
//! post-processed (images and absolute links with UTM parameters in one
//! pass, then CSS inlined).

use tera::Context;

use crate::diagnostics::Diagnostic;
use crate::model::Letter;
use crate::postprocess::{self, EmailLinks};
use crate::render::RenderContext;
use crate::render::email::{EmailView, IMAGE_WIDTH};

/// Classes kept after inlining: the ones `email/responsive.css` uses.
pub const RESPONSIVE_PREFIX: &str = "m-";

/// The UTM parameters of the issue: `utm_source` and `utm_medium` from
/// `site.yaml`, `utm_campaign=lettre-AAAA-MM`.
pub fn utm(ctx: &RenderContext<'_>, letter: &Letter) -> Vec<(String, String)> {
    let m = ctx.site.config.mailing.as_ref();
    let mut params = Vec::new();
    if let Some(s) = m.and_then(|m| m.utm_source.as_ref()) {
        params.push(("utm_source".to_string(), s.clone()));
    }
    if let Some(s) = m.and_then(|m| m.utm_medium.as_ref()) {
        params.push(("utm_medium".to_string(), s.clone()));
    }
    params.push(("utm_campaign".to_string(), format!("lettre-{}", letter.id)));
    params
}

/// The finished `email.html` of `letter`.
pub fn render(
    ctx: &RenderContext<'_>,
    letter: &Letter,
    view: &EmailView<'_>,
    warnings: &mut Vec<Diagnostic>,
) -> Result<String, Diagnostic> {
    let mut c = Context::new();
    c.insert("email", view);
    let raw = ctx.theme.render("email/lettre.html", &c)?;
    let css = ctx.theme.render("email/inline.css", &Context::new())?;
    let fail = |step: &str, e: String| {
        Diagnostic::error(
            &letter.index.path,
            0,
            0,
            format!("e-mail du numéro {} : échec {step} ({e})", letter.id),
        )
    };
    let page_url = ctx.absolute(&format!("/lettres/{}/", letter.id));
    let utm = utm(ctx, letter);
    let verbatim: Vec<&str> = view.unsubscribe.into_iter().collect();
    let links = EmailLinks {
        base_url: &ctx.base_url,
        page_url: &page_url,
        utm: &utm,
        verbatim: &verbatim,
        image_width: IMAGE_WIDTH,
    };
    // Images first, then links and safety, in one pass over the document.
    let images =
        crate::postprocess::images::email_handlers(ctx.images, &ctx.base_path, IMAGE_WIDTH);
    let rewritten = postprocess::rewrite_email_after(&raw, &links, images)
        .map_err(|e| fail("de la réécriture des liens", e))?;
    for src in &rewritten.dropped_images {
        warnings.push(Diagnostic::warning(
            &letter.index.path,
            0,
            0,
            format!(
                "e-mail du numéro {} : image « {src} » retirée (les messageries n'affichent de façon sûre que le JPEG, le PNG et le GIF)",
                letter.id
            ),
        ));
    }
    let inlined = postprocess::inline_css(&rewritten.html, &css)
        .map_err(|e| fail("de l'intégration des styles", e))?;
    postprocess::finish_email(&inlined, RESPONSIVE_PREFIX).map_err(|e| fail("de la finition", e))
}

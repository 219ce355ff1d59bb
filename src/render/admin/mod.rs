//! The back-office in the browser: `public/admin/index.html` loads Decap
//! CMS (3.x, pinned, with its integrity hash) and `public/admin/config.yml`
//! describes every kind of content file with the fields the load stage
//! accepts, made from this site's own sections, themes, groups, issues and
//! directories. The page is `noindex` and is left out of the sitemap (see
//! [`crate::render::feeds::sitemap`]), the feeds, the search and the e-mail.

pub mod config;
pub mod fields;
pub mod yaml;

use serde::Serialize;

use crate::render::views::site_value;
use crate::render::{Output, RenderContext, Rendered, Renderer, Sink};

/// The Decap CMS version the admin page loads.
pub const DECAP_VERSION: &str = "3.16.3";
/// Where the admin page loads Decap CMS from.
pub const DECAP_URL: &str = "https://unpkg.com/decap-cms@3.16.3/dist/decap-cms.js";
/// Subresource integrity of [`DECAP_URL`]: sha384 of `dist/decap-cms.js`
/// in the npm tarball of [`DECAP_VERSION`].
pub const DECAP_INTEGRITY: &str =
    "sha384-A/Gdn928CNLufmnGWGs9RM4Q9o8bSNLeJERqBFrBjwzL7FRpoLT3MPF8Tl0+Wd2p";

/// Where the back-office is published, inside `public/`.
pub const ADMIN_DIR: &str = "admin/";

/// Writes `admin/index.html` and `admin/config.yml`.
pub struct AdminRenderer;

#[derive(Serialize)]
struct AdminPage<'a> {
    configured: bool,
    backend: &'a str,
    repo: &'a str,
    branch: &'a str,
    editorial_workflow: bool,
    cms_url: &'a str,
    cms_integrity: &'a str,
    config_url: String,
    style_url: String,
    script_url: String,
    /// Names of the forms whose preview is an article (new-article
    /// collections and article files), space-separated.
    article_previews: String,
    image_alt_message: &'a str,
    start_message: &'a str,
}

impl Renderer for AdminRenderer {
    fn name(&self) -> &'static str {
        "admin"
    }

    fn render(&self, ctx: &RenderContext<'_>, out: &dyn Sink) -> Rendered {
        let admin = ctx.site.config.admin.as_ref();
        let page = AdminPage {
            configured: admin.is_some(),
            backend: admin.map_or("", |a| a.backend.decap_name()),
            repo: admin.and_then(|a| a.repo.as_deref()).unwrap_or(""),
            branch: admin.map_or("main", |a| a.branch.as_str()),
            editorial_workflow: admin.is_some_and(|a| a.editorial_workflow),
            cms_url: DECAP_URL,
            cms_integrity: DECAP_INTEGRITY,
            config_url: ctx.url("/admin/config.yml"),
            style_url: ctx.url("/style.css"),
            script_url: ctx.url("/admin/cufpress-admin.js"),
            article_previews: config::article_forms(ctx.site).join(" "),
            image_alt_message: fields::IMAGE_ALT_MESSAGE,
            start_message: fields::START_MESSAGE,
        };
        let mut c = tera::Context::new();
        c.insert_value("site", site_value(ctx));
        c.insert("admin", &page);
        let html = ctx.theme.render("admin.html", &c).map_err(|e| vec![e])?;
        out.put(Output::text(format!("{ADMIN_DIR}index.html"), html));
        let yml = format!(
            "# Back-office Decap CMS {DECAP_VERSION} de ce site, écrit par cufpress à chaque\n# construction depuis content/ : ne pas modifier à la main.\n{}",
            yaml::to_string(&config::config(ctx.site))
        );
        out.put(Output::text(format!("{ADMIN_DIR}config.yml"), yml));
        Ok(Vec::new())
    }
}

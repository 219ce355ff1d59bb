//! Drafts and placeholders: drafts are checked like every file, their
//! diagnostics say « brouillon », and only then are they left out; a file
//! that is not a draft must not still hold what `cufpress new` wrote.

use std::collections::HashSet;

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::load::{draft_files, mark_draft};
use crate::model::*;

/// The title `cufpress new` writes in an article, an event or a programme.
pub const PLACEHOLDER_TITLE: &str = "Titre à compléter";
/// The body `cufpress new article` writes.
pub const PLACEHOLDER_ARTICLE_BODY: &str =
    "Écrivez ici le texte de l'article, puis retirez la ligne draft: true pour le publier.";
/// The body `cufpress new evenement` writes.
pub const PLACEHOLDER_EVENT_BODY: &str =
    "Décrivez ici l'événement, puis retirez la ligne draft: true pour le publier.";
/// The body `cufpress new partenariat` writes.
pub const PLACEHOLDER_PARTNERSHIP_BODY: &str = "Historique, objectifs et actions du partenariat, puis retirez la ligne draft: true pour le publier.";
/// How every placeholder body ends.
const PLACEHOLDER_TAIL: &str = "puis retirez la ligne draft: true pour le publier.";
/// The names `cufpress new partenariat` writes.
pub const PLACEHOLDER_FRENCH: &str = "Collectivité française à compléter";
/// See [`PLACEHOLDER_FRENCH`].
pub const PLACEHOLDER_PARTNER: &str = "Collectivité partenaire à compléter";
/// Marks every diagnostic of a draft (even with `--drafts`, where drafts
/// are published) so the writer knows which mistakes are in unpublished work.
pub fn mark(site: &Site, diags: &mut Diagnostics) {
    let drafts = draft_files(site);
    if drafts.is_empty() {
        return;
    }
    let set: HashSet<&str> = drafts.iter().map(String::as_str).collect();
    diags.for_each_mut(|d| {
        if set.contains(d.file.as_str()) {
            mark_draft(d);
        }
    });
}

/// Leaves out the drafts that `load` noted (`site.drafts`), once checked.
pub fn leave_out(site: &mut Site) {
    if site.drafts.is_empty() {
        return;
    }
    let out: HashSet<String> = site.drafts.iter().cloned().collect();
    let keep = |path: &String| !out.contains(path);
    site.letters.retain(|l| keep(&l.index.path));
    for l in &mut site.letters {
        l.articles.retain(|a| keep(&a.path));
    }
    site.events.retain(|e| keep(&e.path));
    site.programmes.retain(|p| keep(&p.path));
    for d in &mut site.directories {
        d.partnerships.retain(|p| keep(&p.path));
    }
}

/// Reports what `cufpress new` wrote and a published file still holds.
pub fn check_placeholders(site: &Site, diags: &mut Diagnostics) {
    let drafts: HashSet<String> = draft_files(site).into_iter().collect();
    let published = |path: &str| !drafts.contains(path);
    for l in &site.letters {
        for a in l.articles.iter().filter(|a| published(&a.path)) {
            title(a, &a.front.title, diags);
            body(a, diags);
        }
    }
    for e in site.events.iter().filter(|e| published(&e.path)) {
        title(e, &e.front.title, diags);
        body(e, diags);
        if e.front
            .place
            .as_deref()
            .is_some_and(|p| p.trim().is_empty())
        {
            diags.push(error(
                e,
                "place",
                "le lieu (place) est vide",
                "écrivez le lieu, par exemple place: \"Sénat, Paris\" ; pour un événement en ligne, retirez la ligne place et écrivez format: visio",
            ));
        }
    }
    for p in site.programmes.iter().filter(|p| published(&p.path)) {
        title(p, &p.front.title, diags);
    }
    for d in &site.directories {
        for p in d.partnerships.iter().filter(|p| published(&p.path)) {
            for (key, name, placeholder) in [
                ("french", &p.front.french.name, PLACEHOLDER_FRENCH),
                ("partner", &p.front.partner.name, PLACEHOLDER_PARTNER),
            ] {
                if name.trim() == placeholder {
                    diags.push(error(
                        p,
                        key,
                        &format!("`{key}.name` est encore le texte d'exemple « {placeholder} »"),
                        "écrivez le nom de la collectivité, ou gardez draft: true tant que la fiche n'est pas prête",
                    ));
                }
            }
            body(p, diags);
        }
    }
}

fn title<F>(page: &Page<F>, title: &str, diags: &mut Diagnostics) {
    if title.trim() == PLACEHOLDER_TITLE {
        diags.push(error(
            page,
            "title",
            &format!("le titre est encore le texte d'exemple « {PLACEHOLDER_TITLE} »"),
            "écrivez le vrai titre, ou remettez draft: true tant que la page n'est pas prête",
        ));
    }
}

fn body<F>(page: &Page<F>, diags: &mut Diagnostics) {
    // Every placeholder ends with this; one vectorised search of each body
    // (tens of MB on a national site, at each rebuild of `serve`) instead
    // of three.
    static TAIL: std::sync::LazyLock<memchr::memmem::Finder<'static>> =
        std::sync::LazyLock::new(|| memchr::memmem::Finder::new(PLACEHOLDER_TAIL));
    let text = page.body.markdown.trim();
    if TAIL.find(text.as_bytes()).is_none() {
        return;
    }
    let current = [
        PLACEHOLDER_ARTICLE_BODY,
        PLACEHOLDER_EVENT_BODY,
        PLACEHOLDER_PARTNERSHIP_BODY,
    ];
    let placeholder = current.iter().find(|p| text.contains(**p));
    if let Some(p) = placeholder {
        let before = page.source.find(p).unwrap_or(0);
        let line = page.source[..before].matches('\n').count() as u32 + 1;
        diags.push(
            Diagnostic::error(
                &page.path,
                line,
                1,
                format!("le texte contient encore la phrase d'exemple « {p} »"),
            )
            .with_suggestion("remplacez-la par le vrai texte, ou remettez draft: true tant que la page n'est pas prête")
            .with_source(&page.source),
        );
    }
}

fn error<F>(page: &Page<F>, key: &str, message: &str, suggestion: &str) -> Diagnostic {
    Diagnostic::error(&page.path, page.line_of(key), 1, message)
        .with_suggestion(suggestion)
        .with_source(&page.source)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_placeholder_body_ends_with_the_searched_tail() {
        for p in [
            PLACEHOLDER_ARTICLE_BODY,
            PLACEHOLDER_EVENT_BODY,
            PLACEHOLDER_PARTNERSHIP_BODY,
        ] {
            assert!(p.ends_with(PLACEHOLDER_TAIL), "{p}");
        }
    }
}

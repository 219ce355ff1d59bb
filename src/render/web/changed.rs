//! Selective rendering of the web edition for `cufpress serve`: the pages
//! an edit of existing files can change, and only those.

use std::collections::BTreeSet;

use super::{archive, article_page, group_page, groups_index, home, letter_page, not_found};
use crate::diagnostics::Diagnostic;
use crate::render::changes::ChangeSet;
use crate::render::{Output, RenderContext, Sink, par_pages};

/// One page of the web edition.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Target {
    Home,
    Archive,
    GroupsIndex,
    NotFound,
    Letter(usize),
    Article(usize, usize),
    Group(usize),
}

/// The pages `changes` can have changed, or `None` when the change reaches
/// too far to tell (a group's byline, a shared template, an unknown file).
pub(super) fn render(
    ctx: &RenderContext<'_>,
    changes: &ChangeSet,
    out: &dyn Sink,
) -> Option<Result<(), Vec<Diagnostic>>> {
    let mut targets = BTreeSet::new();
    for f in &changes.files {
        if !add_targets(ctx, f, &mut targets) {
            return None;
        }
    }
    let list: Vec<Target> = targets.into_iter().collect();
    Some(par_pages(&list, out, |&t| render_target(ctx, t)))
}

fn render_target(ctx: &RenderContext<'_>, t: Target) -> Result<Output, Diagnostic> {
    match t {
        Target::Home => home(ctx),
        Target::Archive => archive(ctx),
        Target::GroupsIndex => groups_index(ctx),
        Target::NotFound => not_found(ctx),
        Target::Letter(li) => letter_page(ctx, &ctx.site.letters[li]),
        Target::Article(li, ai) => article_page(ctx, li, ai),
        Target::Group(gi) => group_page(ctx, gi),
    }
}

/// Adds the pages depending on `file`; false when every page may.
fn add_targets(ctx: &RenderContext<'_>, file: &str, t: &mut BTreeSet<Target>) -> bool {
    if let Some(rest) = file.strip_prefix("content/") {
        return content_targets(ctx, file, rest, t);
    }
    let Some(rest) = file
        .strip_prefix(ctx.theme.origin.as_str())
        .and_then(|r| r.strip_prefix('/'))
    else {
        return false;
    };
    let site = ctx.site;
    match rest {
        "templates/index.html" => {
            t.insert(Target::Home);
        }
        "templates/lettres.html" => {
            t.insert(Target::Archive);
        }
        "templates/groupes.html" => {
            t.insert(Target::GroupsIndex);
        }
        "templates/404.html" => {
            t.insert(Target::NotFound);
        }
        "templates/lettre.html" => t.extend((0..site.letters.len()).map(Target::Letter)),
        "templates/article.html" => {
            for li in 0..site.letters.len() {
                articles_of(ctx, li, t);
            }
        }
        "templates/groupe.html" => groups(ctx, t),
        // Static files are copied as they are: no page changes.
        s if s.starts_with("static/") => {}
        _ => return false,
    }
    true
}

fn content_targets(
    ctx: &RenderContext<'_>,
    file: &str,
    rest: &str,
    t: &mut BTreeSet<Target>,
) -> bool {
    let site = ctx.site;
    let parts: Vec<&str> = rest.split('/').collect();
    match parts.as_slice() {
        ["lettres", id, name] if name.ends_with(".md") => {
            let Some(li) = site.letters.iter().position(|l| l.id == *id) else {
                return false;
            };
            let l = &site.letters[li];
            if *name == "_index.md" {
                t.extend(
                    [li.checked_sub(1), li.checked_add(1)]
                        .into_iter()
                        .flatten()
                        .filter(|&i| i < site.letters.len())
                        .map(Target::Letter),
                );
            } else if !l.articles.iter().any(|a| a.path == file) {
                return false;
            }
            t.extend([Target::Home, Target::Archive, Target::Letter(li)]);
            articles_of(ctx, li, t);
            groups(ctx, t);
            true
        }
        ["groupes", ..] => false,
        // A directory's title and group show on its group's page; a
        // partnership's text shows on no page of the web edition (its
        // directory's count changes only when a file appears or goes,
        // which renders everything).
        ["repertoire", _, name] if name.ends_with(".md") => {
            if *name == "_index.md" {
                groups(ctx, t);
            }
            true
        }
        [first, ..] if ["agenda", "programmes", "repertoire"].contains(first) => {
            if !rest.ends_with(".md") {
                return true;
            }
            t.insert(Target::Home);
            t.extend((0..site.letters.len()).map(Target::Letter));
            groups(ctx, t);
            true
        }
        // Images and other copied files: no page text depends on their bytes.
        _ => !rest.ends_with(".md") && rest != "site.yaml",
    }
}

fn articles_of(ctx: &RenderContext<'_>, li: usize, t: &mut BTreeSet<Target>) {
    let n = ctx.site.letters[li].articles.len();
    t.extend((0..n).map(|ai| Target::Article(li, ai)));
}

fn groups(ctx: &RenderContext<'_>, t: &mut BTreeSet<Target>) {
    t.extend((0..ctx.site.groups.len()).map(Target::Group));
}

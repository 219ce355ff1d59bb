//! `public/admin/config.yml`: the Decap CMS configuration of this site,
//! a collection per kind of content file (see [`super::fields`]).

use crate::model::{AdminConfig, Site};

use std::cell::RefCell;
use std::collections::BTreeSet;

use super::fields::{Choices, Kind, fields};
use super::yaml::{Node, map, s};

/// The Decap CMS (3.x) configuration of `site`.
pub fn config(site: &Site) -> Node {
    let choices = super::fields::choices(site);
    let mut root = map([
        ("backend", backend(site.config.admin.as_ref())),
        // Decap's local backend (`npx decap-server`) when the page is
        // opened on this machine (`cufpress serve`); ignored elsewhere.
        ("local_backend", Node::Bool(true)),
    ]);
    if site
        .config
        .admin
        .as_ref()
        .is_some_and(|a| a.editorial_workflow)
    {
        root.set("publish_mode", s("editorial_workflow"));
    }
    root.set("locale", s("fr"));
    root.set("site_url", s(site.config.base_url.clone()));
    root.set("display_url", s(site.config.base_url.clone()));
    root.set("media_folder", s("content/images"));
    root.set("public_folder", s("images"));
    root.set(
        "slug",
        map([
            ("encoding", s("ascii")),
            ("clean_accents", Node::Bool(true)),
            ("sanitize_replacement", s("-")),
        ]),
    );
    root.set("collections", Node::List(collections(site, &choices)));
    root
}

fn backend(admin: Option<&AdminConfig>) -> Node {
    let Some(a) = admin else {
        // Nothing to save to but the local backend: the admin page says
        // what to configure.
        return map([("name", s("git-gateway")), ("branch", s("main"))]);
    };
    let mut b = map([("name", s(a.backend.decap_name()))]);
    if let Some(repo) = &a.repo {
        b.set("repo", s(repo.clone()));
    }
    b.set("branch", s(a.branch.clone()));
    if let Some(url) = &a.auth_url {
        b.set("base_url", s(url.clone()));
    }
    if let Some(id) = &a.app_id {
        b.set("auth_type", s("pkce"));
        b.set("app_id", s(id.clone()));
    }
    b
}

/// The field lists of the configuration: each kind's written once, with
/// an anchor, and referred to by alias after that.
struct Forms<'a> {
    choices: &'a Choices,
    written: RefCell<BTreeSet<&'static str>>,
}

impl Forms<'_> {
    fn fields(&self, kind: Kind) -> Node {
        let anchor = match kind {
            Kind::Site => "site",
            Kind::Group => "groupe",
            Kind::Letter => "numero",
            Kind::Article => "article",
            Kind::Event => "evenement",
            Kind::Programme => "programme",
            Kind::Directory => "repertoire",
            Kind::Partnership => "partenariat",
        };
        if self.written.borrow_mut().insert(anchor) {
            Node::Anchor(anchor, Box::new(Node::List(fields(kind, self.choices))))
        } else {
            Node::Alias(anchor)
        }
    }
}

/// Common keys of a folder collection writing Markdown with front matter.
fn folder(name: &str, label: &str, folder: &str, kind: Kind, choices: &Forms<'_>) -> Node {
    map([
        ("name", s(name)),
        ("label", s(label)),
        ("folder", s(folder)),
        ("extension", s("md")),
        ("format", s("yaml-frontmatter")),
        ("create", Node::Bool(true)),
        ("fields", choices.fields(kind)),
    ])
}

/// A folder collection that lists nothing and creates files at `path`
/// (relative to `folder`): Decap lists every Markdown file of a folder,
/// `_index.md` included, and one collection has one set of fields; the
/// existing files are in the files collections.
fn creator(
    name: &str,
    label: &str,
    folder_: &str,
    path: &str,
    kind: Kind,
    choices: &Forms<'_>,
) -> Node {
    let mut c = folder(name, label, folder_, kind, choices);
    c.set("path", s(path));
    // Depth 1: only `folder/*.md`, which the content model never holds.
    c.set(
        "nested",
        map([("depth", Node::Int(1)), ("subfolders", Node::Bool(false))]),
    );
    c
}

fn file(name: &str, label: &str, path: &str, kind: Kind, choices: &Forms<'_>) -> Node {
    map([
        ("name", s(name)),
        ("label", s(label)),
        ("file", s(path)),
        ("fields", choices.fields(kind)),
    ])
}

/// The names Decap gives the preview of an article: the new-article
/// collections, and the article files (a files collection's entries are
/// named by file), sorted, without repeats.
pub fn article_forms(site: &Site) -> Vec<String> {
    let mut names: Vec<String> = site
        .letters
        .iter()
        .flat_map(|l| {
            std::iter::once(format!("articles-{}", l.id))
                .chain(l.articles.iter().map(|a| stem(&a.path)))
        })
        .collect();
    names.sort();
    names.dedup();
    names
}

/// The file name of `path` without `.md`, as a collection-safe name.
fn stem(path: &str) -> String {
    path.rsplit('/')
        .next()
        .unwrap_or(path)
        .trim_end_matches(".md")
        .to_string()
}

fn collections(site: &Site, choices: &Choices) -> Vec<Node> {
    let choices = &Forms {
        choices,
        written: RefCell::default(),
    };
    let mut out = Vec::new();
    // The letter: a files collection per issue (its `_index.md`, then its
    // articles), newest first; a form for a new issue, one for a new
    // article of each issue.
    out.push(creator(
        "nouveau-numero",
        "La Lettre : nouveau numéro",
        "content/lettres",
        "{{year}}-{{month}}/_index",
        Kind::Letter,
        choices,
    ));
    for letter in site.letters.iter().rev() {
        let dir = format!("content/lettres/{}", letter.id);
        let mut files = vec![file(
            "_index",
            &format!("Le numéro : {}", letter.index.front.title),
            &letter.index.path,
            Kind::Letter,
            choices,
        )];
        for a in &letter.articles {
            let mut f = file(
                &stem(&a.path),
                &a.front.title,
                &a.path,
                Kind::Article,
                choices,
            );
            f.set("media_folder", s("images"));
            f.set("public_folder", s("images"));
            files.push(f);
        }
        out.push(map([
            ("name", s(format!("lettre-{}", letter.id))),
            (
                "label",
                s(format!(
                    "La Lettre {} ({})",
                    letter.index.front.title, letter.id
                )),
            ),
            ("media_folder", s(format!("{dir}/images"))),
            ("public_folder", s("images")),
            ("files", Node::List(files)),
        ]));
        let mut new = creator(
            &format!("articles-{}", letter.id),
            &format!("La Lettre {} : nouvel article", letter.id),
            "content/lettres",
            &format!("{}/{{{{slug}}}}", letter.id),
            Kind::Article,
            choices,
        );
        new.set("media_folder", s("images"));
        new.set("public_folder", s("images"));
        out.push(new);
    }
    // Events, in their sub-folders; new ones at the top of agenda/.
    let mut events = folder("agenda", "Agenda", "content/agenda", Kind::Event, choices);
    events.set(
        "nested",
        map([("depth", Node::Int(6)), ("subfolders", Node::Bool(false))]),
    );
    events.set("path", s("{{slug}}"));
    events.set("summary", s("{{start}} — {{title}}"));
    events.set("sortable_fields", Node::List(vec![s("start"), s("title")]));
    out.push(events);
    out.push(folder(
        "programmes",
        "Programmes",
        "content/programmes",
        Kind::Programme,
        choices,
    ));
    // Répertoires: each directory's `_index.md` and partnerships, and a
    // form for a new partnership in each.
    for d in &site.directories {
        let mut files = vec![file(
            "_index",
            &format!("Le répertoire : {}", d.index.front.title),
            &d.index.path,
            Kind::Directory,
            choices,
        )];
        for p in &d.partnerships {
            files.push(file(
                &stem(&p.path),
                &format!("{} – {}", p.front.french.name, p.front.partner.name),
                &p.path,
                Kind::Partnership,
                choices,
            ));
        }
        out.push(map([
            ("name", s(format!("repertoire-{}", d.slug))),
            ("label", s(format!("Répertoire {}", d.slug))),
            ("files", Node::List(files)),
        ]));
        let mut new = creator(
            &format!("partenariats-{}", d.slug),
            &format!("Répertoire {} : nouveau partenariat", d.slug),
            "content/repertoire",
            &format!("{}/{{{{slug}}}}", d.slug),
            Kind::Partnership,
            choices,
        );
        new.set("identifier_field", s("french.name"));
        new.set("slug", s("{{french.name}}-{{partner.name}}"));
        out.push(new);
    }
    let mut groups = folder(
        "groupes",
        "Groupes",
        "content/groupes",
        Kind::Group,
        choices,
    );
    groups.set("identifier_field", s("name"));
    out.push(groups);
    out.push(map([
        ("name", s("reglages")),
        ("label", s("Réglages du site")),
        (
            "files",
            Node::List(vec![{
                let mut f = file(
                    "site",
                    "site.yaml",
                    "content/site.yaml",
                    Kind::Site,
                    choices,
                );
                f.set("media_folder", s("images"));
                f.set("public_folder", s("images"));
                f
            }]),
        ),
        ("media_folder", s("content/images")),
        ("public_folder", s("images")),
    ]));
    out
}

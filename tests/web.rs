//! Whole-site tests of the web edition, parsing the produced HTML and XML:
//! section order, group bylines, article pages, escaping, archive, group
//! pages, 404, Atom, sitemap, canonical and OpenGraph tags, French
//! typography, and an offline crawl that every internal link resolves.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::sync::LazyLock;

use common::{TempSite, select, text};

/// The minimal fixture, built once for the whole file.
static MINIMAL: LazyLock<TempSite> = LazyLock::new(|| {
    let site = TempSite::fixture("core-minimal");
    let r = site.build(&[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    site
});

/// The sample site, built once for the whole file.
static SAMPLE: LazyLock<TempSite> = LazyLock::new(|| {
    let site = TempSite::sample();
    let r = site.build(&[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    site
});

const SCRIPT_TITLE: &str = "Le <script>alert(1)</script> piégé & «\u{202f}guillemets\u{202f}»";

fn attr<'a>(el: &scraper::ElementRef<'a>, name: &str) -> &'a str {
    el.value()
        .attr(name)
        .unwrap_or_else(|| panic!("no {name} on {}", el.html()))
}

/// Every file under `public/`, relative, `/`-separated.
fn public_files(site: &TempSite) -> Vec<String> {
    let root = site.path().join("public");
    let mut out = Vec::new();
    let mut stack = vec![root.clone()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push(
                    p.strip_prefix(&root)
                        .unwrap()
                        .to_string_lossy()
                        .replace('\\', "/"),
                );
            }
        }
    }
    out.sort();
    out
}

/// The pages of the site (the back-office under admin/ is none: see tests/admin.rs).
fn html_pages(site: &TempSite) -> Vec<String> {
    public_files(site)
        .into_iter()
        .filter(|p| p.ends_with(".html") && !p.starts_with("admin/"))
        .collect()
}

/// The section ids of `site.yaml`, in order.
fn yaml_sections(site: &TempSite) -> Vec<String> {
    let yaml = std::fs::read_to_string(site.path().join("content/site.yaml")).unwrap();
    let mut ids = Vec::new();
    let mut in_sections = false;
    for line in yaml.lines() {
        if !line.starts_with(' ') && !line.starts_with('-') {
            in_sections = line.starts_with("sections:");
        } else if in_sections && let Some(id) = line.trim().strip_prefix("- id:") {
            ids.push(id.trim().to_string());
        }
    }
    assert!(!ids.is_empty());
    ids
}

fn section_ids(doc: &scraper::Html) -> Vec<String> {
    select(doc, "main section.section h2")
        .iter()
        .map(|h| attr(h, "id").trim_start_matches("titre-").to_string())
        .collect()
}

#[test]
fn sections_follow_site_yaml_order() {
    let doc = MINIMAL.html("lettres/2025-09/index.html");
    assert_eq!(
        section_ids(&doc),
        ["editorial", "thematique", "geographique"]
    );
    let toc: Vec<String> = select(&doc, "nav.toc li").iter().map(text).collect();
    assert_eq!(
        toc,
        [
            "Éditorial",
            "Actualités thématiques",
            "Actualités géographiques"
        ]
    );

    let site = &*SAMPLE;
    let order = yaml_sections(site);
    let doc = site.html("lettres/2025-09/index.html");
    let got = section_ids(&doc);
    let from_yaml: Vec<String> = got
        .iter()
        .filter(|id| order.contains(id))
        .cloned()
        .collect();
    assert_eq!(
        from_yaml, order,
        "the full issue has every section, in site.yaml order"
    );
    assert_eq!(
        got[..order.len()],
        order[..],
        "other parts (agenda) come after the sections"
    );
}

/// (byline text, article ids) for each run of a section.
fn runs(doc: &scraper::Html, section: &str) -> Vec<(Option<String>, Vec<String>)> {
    let css = format!("section.section:has(> h2#titre-{section}) .run");
    select(doc, &css)
        .iter()
        .map(|run| {
            let bylines = run
                .select(&scraper::Selector::parse(".byline").unwrap())
                .collect::<Vec<_>>();
            assert!(bylines.len() <= 1, "one byline per run");
            let ids = run
                .select(&scraper::Selector::parse("article").unwrap())
                .map(|a| attr(&a, "id").to_string())
                .collect();
            (bylines.first().map(text), ids)
        })
        .collect()
}

#[test]
fn byline_printed_once_before_consecutive_articles_of_a_group() {
    let doc = MINIMAL.html("lettres/2025-09/index.html");
    let mada = "Présidente du groupe-pays Madagascar\u{a0}: Pascale Durand, vice-présidente chargée de la coopération, Région Test";
    let climat =
        "Président de la dynamique thématique Climat\u{a0}: Jean Martin, maire de Villetest";
    let got = runs(&doc, "geographique");
    let norm = |s: &str| s.replace('\u{a0}', " ");
    let got: Vec<(Option<String>, Vec<String>)> = got
        .into_iter()
        .map(|(b, ids)| (b.map(|b| norm(&b)), ids))
        .collect();
    let want = vec![
        (None, vec!["sans-groupe".to_string()]),
        (Some(norm(mada)), vec!["mada-un".into(), "mada-deux".into()]),
        (Some(norm(climat)), vec!["climat-un".into()]),
        (Some(norm(mada)), vec!["mada-trois".into()]),
    ];
    assert_eq!(got, want);
    // The byline comes before the first article of its run.
    let run = select(&doc, "section.section:has(> h2#titre-geographique) .run")[1];
    let first = run
        .children()
        .filter_map(scraper::ElementRef::wrap)
        .next()
        .unwrap();
    assert!(
        first.value().classes().any(|c| c == "byline"),
        "{}",
        run.html()
    );
    let link = select(&doc, ".byline a")[0];
    assert_eq!(attr(&link, "href"), "/groupes/madagascar/");
}

#[test]
fn sample_issue_bylines_are_never_repeated_back_to_back() {
    let site = &*SAMPLE;
    let doc = site.html("lettres/2025-09/index.html");
    let mut bylines = 0;
    for section in yaml_sections(site) {
        let rs = runs(&doc, &section);
        for w in rs.windows(2) {
            if w[0].0.is_some() {
                assert_ne!(
                    w[0].0, w[1].0,
                    "two runs of the same group follow each other in {section}"
                );
            }
        }
        bylines += rs.iter().filter(|r| r.0.is_some()).count();
    }
    assert!(bylines >= 8, "the sample issue prints bylines ({bylines})");
    assert!(doc.html().contains("Présidente du groupe-pays Mauritanie"));
}

#[test]
fn every_article_has_its_own_page() {
    for site in [&*MINIMAL, &*SAMPLE] {
        for issue in ["lettres/2025-09/index.html", "lettres/2025-07/index.html"] {
            let doc = site.html(issue);
            let articles = select(&doc, "article.article");
            assert!(!articles.is_empty());
            for a in articles {
                let h = a
                    .select(&scraper::Selector::parse("h3 a").unwrap())
                    .next()
                    .unwrap();
                let href = attr(&h, "href");
                let rel = format!("{}index.html", href.trim_start_matches('/'));
                let page = site.html(&rel);
                assert_eq!(text(&select(&page, "h1")[0]), text(&h), "{rel}");
                assert_eq!(
                    href,
                    format!(
                        "/{}/{}/",
                        issue.trim_end_matches("/index.html"),
                        attr(&a, "id")
                    )
                );
            }
        }
    }
}

#[test]
fn more_information_links_and_images_with_alt() {
    let site = &*MINIMAL;
    for page in [
        "lettres/2025-09/index.html",
        "lettres/2025-09/mada-un/index.html",
    ] {
        let doc = site.html(page);
        let more = select(&doc, "p.more");
        let hit = more
            .iter()
            .find(|p| text(p).starts_with("Pour plus d’informations"))
            .unwrap();
        let a = hit
            .select(&scraper::Selector::parse("a").unwrap())
            .next()
            .unwrap();
        assert_eq!(
            attr(&a, "href"),
            "https://partenaires.example.net/mada-un",
            "{page}"
        );
        let img = select(&doc, "main img")[0];
        assert_eq!(attr(&img, "alt"), "Une photo de test");
        // The processed web variant of images/photo.png, content-hashed.
        let src = attr(&img, "src");
        assert!(
            src.starts_with("/lettres/2025-09/images/photo-") && src.ends_with(".png"),
            "{src}"
        );
        assert!(!attr(&img, "width").is_empty() && !attr(&img, "height").is_empty());
    }
    assert_eq!(
        select(&site.html("lettres/2025-09/index.html"), "p.more").len(),
        2
    );
    for s in [&*MINIMAL, &*SAMPLE] {
        for page in html_pages(s) {
            let doc = s.html(&page);
            for img in select(&doc, "img") {
                assert!(
                    img.value()
                        .attr("alt")
                        .is_some_and(|a| !a.trim().is_empty()),
                    "{page}: {}",
                    img.html()
                );
            }
        }
    }
}

#[test]
fn script_in_a_title_is_escaped_everywhere() {
    let site = &*MINIMAL;
    for page in [
        "lettres/2025-09/index.html",
        "lettres/2025-09/piege/index.html",
        "index.html",
    ] {
        let doc = site.html(page);
        assert!(
            select(&doc, "script").is_empty(),
            "{page}: a script element"
        );
        let raw = site.read(page);
        assert!(!raw.contains("<script"), "{page}: raw <script");
        let found = select(&doc, "h1, h3, li a")
            .iter()
            .any(|e| raw_text(e) == SCRIPT_TITLE);
        assert!(found, "{page}: the title as text");
    }
    let doc = site.html("lettres/2025-09/piege/index.html");
    let title = raw_text(&select(&doc, "title")[0]);
    assert!(title.starts_with(SCRIPT_TITLE), "{title}");
    let og = select(&doc, "meta[property='og:title']")[0];
    assert_eq!(attr(&og, "content"), SCRIPT_TITLE);
    let desc = select(&doc, "meta[name=description]")[0];
    assert_eq!(attr(&desc, "content"), "Résumé <script>alert(2)</script>");
    let atom = site.read("atom.xml");
    let feed = roxmltree::Document::parse(&atom).expect("atom.xml is XML");
    let titles: Vec<&str> = feed
        .descendants()
        .filter(|n| n.has_tag_name("entry"))
        .filter_map(|e| {
            e.children()
                .find(|c| c.has_tag_name("title"))
                .and_then(|t| t.text())
        })
        .collect();
    let plain = SCRIPT_TITLE.replace('\u{202f}', " ");
    assert!(
        titles.iter().any(|t| t.replace('\u{202f}', " ") == plain),
        "{titles:?}"
    );
    assert!(!atom.contains("<script"));
}

#[test]
fn archive_lists_issues_newest_first() {
    for site in [&*MINIMAL, &*SAMPLE] {
        let doc = site.html("lettres/index.html");
        let hrefs: Vec<&str> = select(&doc, "main ol.letters > li > a")
            .iter()
            .map(|a| attr(a, "href"))
            .collect();
        assert_eq!(hrefs, ["/lettres/2025-09/", "/lettres/2025-07/"]);
    }
    let home = MINIMAL.html("index.html");
    let latest = select(&home, "a.button")[0];
    assert_eq!(
        attr(&latest, "href"),
        "/lettres/2025-09/",
        "home shows the latest issue"
    );
}

#[test]
fn group_page_lists_its_articles_across_issues() {
    let doc = MINIMAL.html("groupes/madagascar/index.html");
    let hrefs: Vec<&str> = select(&doc, "main ul.teasers > li > a:first-child")
        .iter()
        .map(|a| attr(a, "href"))
        .collect();
    assert_eq!(
        hrefs,
        [
            "/lettres/2025-09/mada-un/",
            "/lettres/2025-09/mada-deux/",
            "/lettres/2025-09/mada-trois/",
            "/lettres/2025-07/ancien/"
        ]
    );
    assert!(text(&select(&doc, "main .byline")[0]).contains("Pascale Durand"));
    assert!(text(&select(&doc, "h1")[0]).contains("Madagascar"));
    let index = MINIMAL.html("groupes/index.html");
    assert_eq!(select(&index, "main ul.cards > li").len(), 2);
}

#[test]
fn not_found_page() {
    let doc = MINIMAL.html("404.html");
    assert_eq!(text(&select(&doc, "h1")[0]), "Page introuvable");
    assert!(
        select(&doc, "main a")
            .iter()
            .any(|a| attr(a, "href") == "/")
    );
}

#[test]
fn atom_feed_is_valid_and_complete() {
    let site = &*SAMPLE;
    let atom = site.read("atom.xml");
    let feed = roxmltree::Document::parse(&atom).expect("atom.xml is XML");
    let root = feed.root_element();
    assert_eq!(root.tag_name().name(), "feed");
    assert_eq!(
        root.tag_name().namespace(),
        Some("http://www.w3.org/2005/Atom")
    );
    let entries: Vec<_> = root
        .children()
        .filter(|n| n.has_tag_name("entry"))
        .collect();
    let issue_articles = select(&site.html("lettres/2025-09/index.html"), "article.article").len()
        + select(&site.html("lettres/2025-07/index.html"), "article.article").len();
    assert_eq!(entries.len(), issue_articles.min(50));
    let mut ids = BTreeSet::new();
    for e in &entries {
        let child = |name: &str| {
            e.children()
                .find(|c| c.has_tag_name(name))
                .map(|c| c.text().unwrap_or(""))
        };
        let id = child("id").expect("entry id");
        assert!(ids.insert(id.to_string()), "duplicate id {id}");
        assert!(
            id.starts_with("https://www.cites-unies-france.org/lettres/"),
            "{id}"
        );
        assert!(!child("title").unwrap().is_empty());
        let updated = child("updated").unwrap();
        assert!(updated.len() == 20 && updated.ends_with('Z'), "{updated}");
        let link = e.children().find(|c| c.has_tag_name("link")).unwrap();
        let rel = link
            .attribute("href")
            .unwrap()
            .trim_start_matches("https://www.cites-unies-france.org/");
        assert!(
            site.path()
                .join("public")
                .join(rel)
                .join("index.html")
                .is_file(),
            "{rel}"
        );
    }
    // Newest issue first.
    let first = entries[0]
        .children()
        .find(|c| c.has_tag_name("id"))
        .unwrap()
        .text()
        .unwrap();
    assert!(first.contains("/lettres/2025-09/"), "{first}");
}

#[test]
fn sitemap_lists_every_page() {
    for site in [&*MINIMAL, &*SAMPLE] {
        let xml = site.read("sitemap.xml");
        let doc = roxmltree::Document::parse(&xml).expect("sitemap.xml is XML");
        let base = if std::ptr::eq(site, &*MINIMAL) {
            "https://example.org"
        } else {
            "https://www.cites-unies-france.org"
        };
        let locs: BTreeSet<String> = doc
            .descendants()
            .filter(|n| n.has_tag_name("loc"))
            .map(|n| n.text().unwrap().to_string())
            .collect();
        let pages: BTreeSet<String> = html_pages(site)
            .into_iter()
            .filter_map(|p| p.strip_suffix("index.html").map(|d| format!("{base}/{d}")))
            .filter(|u| !u.contains("/email"))
            .collect();
        let locs: BTreeSet<String> = locs.into_iter().filter(|u| !u.contains("/email")).collect();
        assert_eq!(locs, pages);
    }
}

#[test]
fn canonical_and_opengraph_tags() {
    for site in [&*MINIMAL, &*SAMPLE] {
        let base = if std::ptr::eq(site, &*MINIMAL) {
            "https://example.org"
        } else {
            "https://www.cites-unies-france.org"
        };
        for page in html_pages(site)
            .into_iter()
            .filter(|p| p.ends_with("index.html"))
        {
            if page.contains("email") {
                continue;
            }
            let doc = site.html(&page);
            let want = format!("{base}/{}", page.trim_end_matches("index.html"));
            let canonical = select(&doc, "link[rel=canonical]");
            assert_eq!(canonical.len(), 1, "{page}");
            assert_eq!(attr(&canonical[0], "href"), want, "{page}");
            let og = |p: &str| {
                select(&doc, &format!("meta[property='og:{p}']"))
                    .first()
                    .map(|m| attr(m, "content").to_string())
                    .unwrap_or_else(|| panic!("{page}: og:{p} missing"))
            };
            assert_eq!(og("url"), want);
            assert!(!og("title").is_empty());
            assert!(!og("description").trim().is_empty(), "{page}");
            assert!(["website", "article"].contains(&og("type").as_str()));
        }
    }
    let doc = MINIMAL.html("lettres/2025-09/mada-un/index.html");
    let img = select(&doc, "meta[property='og:image']")[0];
    let og_image = attr(&img, "content");
    assert!(
        og_image.starts_with("https://example.org/lettres/2025-09/images/photo-")
            && og_image.ends_with(".png"),
        "{og_image}"
    );
    assert_eq!(
        attr(&select(&doc, "meta[property='og:type']")[0], "content"),
        "article"
    );
}

/// The text of an element, ASCII whitespace collapsed (no-break spaces kept:
/// `common::text` would fold them, being Unicode whitespace).
fn raw_text(el: &scraper::ElementRef<'_>) -> String {
    let t: String = el.text().collect();
    t.split_ascii_whitespace().collect::<Vec<_>>().join(" ")
}

/// The text of the body of the `piege` article.
fn piege_prose() -> scraper::Html {
    let doc = MINIMAL.html("lettres/2025-09/piege/index.html");
    scraper::Html::parse_fragment(&select(&doc, "main .prose")[0].inner_html())
}

#[test]
fn french_typography_in_text_only() {
    let prose = piege_prose();
    let first = raw_text(&select(&prose, "p")[0]);
    for want in [
        "Pourquoi\u{202f}?",
        "Parce que\u{202f}!",
        "la liste\u{202f};",
        "elle suit\u{a0}:",
        "«\u{202f}Relais\u{202f}»",
    ] {
        assert!(first.contains(want), "« {want:?} » in {first:?}");
    }
    let sups: Vec<String> = select(&prose, "p sup").iter().map(text).collect();
    assert_eq!(sups, ["e", "er"], "3<sup>e</sup> and 1<sup>er</sup>");
    assert!(
        select(&prose, "p")[0]
            .inner_html()
            .contains("3<sup>e</sup> édition")
    );
    assert_eq!(
        raw_text(&select(&prose, "code")[0]),
        "a ? b : c",
        "no typography in code"
    );
    assert_eq!(
        raw_text(&select(&prose, "pre code")[0]),
        "bloc ? non ; pas : de « typo »"
    );
    let hrefs: Vec<&str> = select(&prose, "a")
        .iter()
        .map(|a| attr(a, "href"))
        .collect();
    assert_eq!(
        hrefs,
        ["https://partenaires.example.net/a?b=c;d!e"],
        "no typography in a URL"
    );
    let second = raw_text(&select(&prose, "p")[1]);
    assert!(
        second.contains(" https://partenaires.example.net/x?y=1."),
        "no typography in a bare URL: {second:?}"
    );
    // Nowhere in an attribute of any page.
    for page in html_pages(&MINIMAL) {
        let doc = MINIMAL.html(&page);
        for el in select(&doc, "[href], [src]") {
            let v = el.value().attr("href").or(el.value().attr("src")).unwrap();
            assert!(!v.contains(['\u{202f}', '\u{a0}']), "{page}: {v:?}");
        }
    }
}

/// Offline crawler: every `href`/`src` that points into the site resolves
/// to a generated file, and every `#fragment` to an id of that page.
fn crawl(site: &TempSite, base_path: &str) -> usize {
    let public = site.path().join("public");
    // The e-mail editions hold the mailing tool's merge tags; checked apart.
    let pages: Vec<String> = html_pages(site)
        .into_iter()
        .filter(|p| !p.contains("email"))
        .collect();
    let ids: BTreeMap<String, BTreeSet<String>> = pages
        .iter()
        .map(|p| {
            let doc = site.html(p);
            let set = select(&doc, "[id]")
                .iter()
                .map(|e| attr(e, "id").to_string())
                .collect();
            (p.clone(), set)
        })
        .collect();
    let mut broken = Vec::new();
    let mut count = 0;
    for page in &pages {
        let doc = site.html(page);
        for el in select(
            &doc,
            "a[href], link[href], img[src], script[src], source[src]",
        ) {
            let url = el.value().attr("href").or(el.value().attr("src")).unwrap();
            if url.contains("://") || url.starts_with("mailto:") || url.starts_with("tel:") {
                continue;
            }
            count += 1;
            let (path, fragment) = url.split_once('#').unwrap_or((url, ""));
            let path = path.split('?').next().unwrap();
            let target = if path.is_empty() {
                page.clone()
            } else if let Some(abs) = path.strip_prefix(base_path).filter(|p| p.starts_with('/')) {
                let rel = abs.trim_start_matches('/');
                if rel.is_empty() || rel.ends_with('/') {
                    format!("{rel}index.html")
                } else {
                    rel.to_string()
                }
            } else {
                broken.push(format!("{page}: {url} (not under {base_path}/)"));
                continue;
            };
            if !public.join(&target).is_file() {
                broken.push(format!("{page}: {url}"));
                continue;
            }
            if !fragment.is_empty() && ids.get(&target).is_some_and(|s| !s.contains(fragment)) {
                broken.push(format!("{page}: {url} (no id « {fragment} »)"));
            }
        }
    }
    assert!(
        broken.is_empty(),
        "{} broken links:\n{}",
        broken.len(),
        broken.join("\n")
    );
    count
}

#[test]
fn every_internal_link_resolves() {
    assert!(crawl(&MINIMAL, "") > 100);
    assert!(crawl(&SAMPLE, "") > 500);
}

#[test]
fn ids_are_unique_in_every_page() {
    for site in [&*MINIMAL, &*SAMPLE] {
        for page in html_pages(site) {
            let doc = site.html(&page);
            let mut seen = BTreeSet::new();
            for el in select(&doc, "[id]") {
                let id = attr(&el, "id");
                assert!(seen.insert(id.to_string()), "{page}: id « {id} » twice");
            }
        }
    }
}

#[test]
fn footnotes_link_within_their_article() {
    let doc = MINIMAL.html("lettres/2025-09/index.html");
    for id in ["mada-deux", "climat-un"] {
        let art = select(&doc, &format!("article#{id}"))[0];
        let a = art
            .select(&scraper::Selector::parse(".footnote-reference a").unwrap())
            .next()
            .unwrap();
        let target = attr(&a, "href").trim_start_matches('#');
        let def = art
            .select(&scraper::Selector::parse(".footnote-definition").unwrap())
            .next()
            .unwrap();
        assert_eq!(attr(&def, "id"), target, "{id}");
    }
}

#[test]
fn pages_need_no_javascript_and_have_lang() {
    for page in html_pages(&SAMPLE)
        .into_iter()
        .filter(|p| !p.contains("email"))
    {
        let doc = SAMPLE.html(&page);
        assert_eq!(attr(&select(&doc, "html")[0], "lang"), "fr", "{page}");
        assert_eq!(select(&doc, "h1").len(), 1, "{page}: one h1");
        let core = ["lettres/", "groupes/", "index.html", "404.html"]
            .iter()
            .any(|p| page.starts_with(p));
        if core {
            let code = select(&doc, "script:not([type='application/ld+json'])");
            assert!(code.is_empty(), "{page}: the letter needs no JavaScript");
        }
    }
}

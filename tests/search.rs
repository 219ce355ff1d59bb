//! The site-wide search: the `/recherche/` page, the two Pagefind bundles
//! (`/pagefind/` and `/repertoire/pagefind/`) and their cache, searched for
//! real in headless Chromium; nothing from content runs in the page.
//! The 15,000-partnership figures are in `tests/repertoire.rs`.

mod common;

use common::{TempSite, node_json, select};

fn files_under(dir: &std::path::Path) -> Vec<(String, Vec<u8>)> {
    let mut v: Vec<(String, Vec<u8>)> = walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (
                e.path()
                    .strip_prefix(dir)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect();
    v.sort();
    v
}

#[test]
fn the_search_page_is_linked_from_every_page_and_works_without_javascript() {
    let site = TempSite::sample();
    let r = site.build(&[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    for page in [
        "index.html",
        "agenda/index.html",
        "repertoire/japon/index.html",
    ] {
        let doc = site.html(page);
        let nav = select(&doc, "header nav a[href='/recherche/']");
        assert_eq!(nav.len(), 1, "{page} : lien « Rechercher »");
    }
    let doc = site.html("recherche/index.html");
    let current = select(&doc, "header nav a[aria-current='page']");
    assert_eq!(common::text(&current[0]), "Rechercher");
    let section = &select(&doc, "#recherche")[0];
    // Hidden without script from the first paint; shown, not unhidden,
    // with it (no layout shift).
    assert!(section.value().attr("hidden").is_none());
    let noscript = select(&doc, "head noscript");
    assert!(
        noscript
            .iter()
            .any(|n| n.inner_html().contains("#recherche"))
    );
    assert_eq!(section.value().attr("data-pagefind"), Some("/pagefind/"));
    assert_eq!(
        section.value().attr("data-fusion"),
        Some("/repertoire/pagefind/")
    );
    let filters: Vec<(String, String, Vec<String>)> =
        serde_json::from_str(section.value().attr("data-filtres").unwrap()).unwrap();
    let genre = &filters[0];
    assert_eq!(genre.1, "Type de page");
    assert_eq!(
        genre.2,
        ["Article", "Événement", "Groupe", "Partenariat", "Programme"]
    );
    let years = &filters.iter().find(|f| f.0 == "annee").unwrap().2;
    let mut newest_first = years.clone();
    newest_first.sort_by(|a, b| b.cmp(a));
    assert_eq!(years, &newest_first, "années, la plus récente d'abord");
    assert!(years.contains(&"2025".to_string()), "{years:?}");
    // The ways in that need no script.
    for href in [
        "/lettres/",
        "/agenda/",
        "/groupes/",
        "/repertoire/",
        "/repertoire/japon/",
    ] {
        assert!(
            !select(&doc, &format!("main a[href='{href}']")).is_empty(),
            "lien {href}"
        );
    }
    let public = site.path().join("public");
    for bundle in ["pagefind", "repertoire/pagefind"] {
        let dir = public.join(bundle);
        assert!(dir.join("pagefind.js").is_file(), "{bundle}");
        assert!(dir.join("pagefind-entry.json").is_file(), "{bundle}");
        assert!(dir.join("wasm.fr.pagefind").is_file(), "{bundle}");
        // Pagefind's own English UIs are not published: recherche.js is the UI.
        let names: Vec<String> = files_under(&dir).into_iter().map(|(n, _)| n).collect();
        assert!(!names.iter().any(|n| n.contains("-ui")), "{names:?}");
    }
    assert!(public.join("recherche.js").is_file());
    assert!(!public.join("repertoire/index.json").exists());
    let map = site.read("sitemap.xml");
    assert!(map.contains("/recherche/</loc>"));
}

#[test]
fn without_the_search_nothing_links_to_it() {
    let site = TempSite::sample();
    let r = site.build(&["--sans-recherche"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let public = site.path().join("public");
    assert!(!public.join("recherche").exists());
    assert!(!public.join("pagefind").exists());
    assert!(!public.join("repertoire/pagefind").exists());
    let home = site.read("index.html");
    assert!(
        !home.contains("/recherche/"),
        "pas de lien vers une page absente"
    );
    let rep = site.html("repertoire/index.html");
    assert!(select(&rep, "#recherche").is_empty());
}

#[test]
fn the_index_is_deterministic_and_cached_by_content() {
    let site = TempSite::sample();
    assert_eq!(site.build(&[]).code, 0);
    let public = site.path().join("public");
    let first = files_under(&public.join("pagefind"));
    let first_rep = files_under(&public.join("repertoire/pagefind"));
    let cache = site.path().join(".cufpress-cache/recherche");
    let entries = |b: &str| -> Vec<String> {
        std::fs::read_dir(cache.join(b))
            .map(|rd| {
                rd.map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                    .collect()
            })
            .unwrap_or_default()
    };
    assert_eq!(entries("pagefind").len(), 1, "une entrée par index");
    assert_eq!(entries("repertoire-pagefind").len(), 1);
    // A fresh build (no cache) makes the same bytes.
    std::fs::remove_dir_all(&cache).unwrap();
    std::fs::remove_dir_all(&public).unwrap();
    assert_eq!(site.build(&[]).code, 0);
    assert!(
        first == files_under(&public.join("pagefind")),
        "mêmes octets"
    );
    assert!(first_rep == files_under(&public.join("repertoire/pagefind")));
    // An edit in an article changes the site's bundle only; the cache
    // keeps the new entry in place of the old one.
    let before = entries("pagefind");
    let art = "lettres/2025-09/assises-franco-malgaches.md";
    let text = std::fs::read_to_string(site.path().join("content").join(art)).unwrap();
    site.write(art, &format!("{text}\nUn mot témoin : ornithorynque.\n"));
    assert_eq!(site.build(&[]).code, 0);
    let after = entries("pagefind");
    assert_eq!(after.len(), 1);
    assert_ne!(before, after);
    assert!(first_rep == files_under(&public.join("repertoire/pagefind")));
    assert!(first != files_under(&public.join("pagefind")));
}

#[test]
fn search_finds_articles_events_and_partnerships_and_runs_nothing_from_content() {
    let site = TempSite::sample();
    // Text that looks like markup, in an article's body and title.
    let art = "lettres/2025-09/assises-franco-malgaches.md";
    let text = std::fs::read_to_string(site.path().join("content").join(art)).unwrap();
    site.write(
        art,
        &format!(
            "{text}\nUn piège : `<img src=x onerror=\"window.pwned=1\">` et &lt;script&gt;window.pwned=2&lt;/script&gt; ornithorynque.\n"
        ),
    );
    assert_eq!(site.build(&[]).code, 0);
    let public = site.path().join("public");
    let steps = serde_json::json!([
        { "q": "Madagascar" },
        { "q": "Madagascar", "picks": { "genre": ["Article"] } },
        { "q": "Madagascar", "picks": { "genre": ["Partenariat"] } },
        { "q": "Madagascar", "picks": { "genre": ["Article", "Partenariat"] } },
        { "q": "ornithorynque" },
        { "q": "onerror" },
    ]);
    let out = node_json(
        "recherche.mjs",
        &[public.to_str().unwrap(), "/recherche/", &steps.to_string()],
    );
    eprintln!("{out}");
    assert_eq!(out["errors"].as_array().unwrap().len(), 0, "{out}");
    assert_eq!(
        out["bytes_before_search"], 0,
        "Pagefind ne se charge qu'à la première recherche"
    );
    let n = |i: usize| out["steps"][i]["results"].as_u64().unwrap();
    let (all, articles, partnerships, both) = (n(0), n(1), n(2), n(3));
    assert!(articles > 0 && partnerships > 0, "{out}");
    assert_eq!(both, articles + partnerships, "OU dans un même filtre");
    assert!(all >= both);
    let href = |i: usize| {
        out["steps"][i]["first"]["href"]
            .as_str()
            .unwrap()
            .to_string()
    };
    assert!(href(1).starts_with("/lettres/"), "{}", href(1));
    assert!(
        href(2).starts_with("/repertoire/madagascar/"),
        "{}",
        href(2)
    );
    assert_eq!(n(4), 1);
    assert_eq!(href(4), "/lettres/2025-09/assises-franco-malgaches/");
    // The excerpt shows the trap as text; nothing of it ran.
    let excerpt = out["steps"][5]["first"]["excerpt"].as_str().unwrap();
    assert!(excerpt.contains("&lt;img"), "{excerpt}");
    assert!(!excerpt.contains("<img"), "{excerpt}");
    assert!(
        !excerpt.contains("&amp;lt;"),
        "échappé une seule fois : {excerpt}"
    );
    assert_eq!(out["pwned"], serde_json::Value::Null, "{out}");
    // Counts: the genre filter's values say how many each would give.
    let genre = out["counts"]["Type de page"].as_array().unwrap();
    assert!(!genre.is_empty());
}

#[test]
fn serve_makes_the_index_when_a_search_asks_for_it() {
    use std::io::{Read, Write};
    let site = TempSite::sample();
    let mut child = common::cufpress()
        .args(["serve", "--port", "0", "--root"])
        .arg(site.path())
        .stderr(std::process::Stdio::piped())
        .stdout(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut err = std::io::BufReader::new(child.stderr.take().unwrap());
    let port: u16 = loop {
        let mut line = String::new();
        use std::io::BufRead;
        if err.read_line(&mut line).unwrap() == 0 {
            panic!("serve s'est arrêté");
        }
        if let Some(rest) = line.split("127.0.0.1:").nth(1) {
            break rest.split('/').next().unwrap().trim().parse().unwrap();
        }
    };
    std::thread::spawn(move || std::io::copy(&mut err, &mut std::io::sink()));
    let get = |path: &str| -> (u16, Vec<u8>) {
        let mut s = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
        write!(s, "GET {path} HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n").unwrap();
        let mut raw = Vec::new();
        s.read_to_end(&mut raw).unwrap();
        let at = raw.windows(4).position(|w| w == b"\r\n\r\n").unwrap();
        let head = String::from_utf8_lossy(&raw[..at]).into_owned();
        let status = head.split(' ').nth(1).unwrap().parse().unwrap();
        (status, raw[at + 4..].to_vec())
    };
    // Before any search, the bundle's other files do not exist yet.
    assert_eq!(get("/repertoire/pagefind/pagefind-entry.json").0, 404);
    let (status, js) = get("/repertoire/pagefind/pagefind.js");
    assert_eq!(status, 200);
    assert!(
        !js.starts_with(b"\0"),
        "le script de Pagefind, pas les fiches"
    );
    assert!(String::from_utf8_lossy(&js).contains("pagefind"));
    let (status, entry) = get("/repertoire/pagefind/pagefind-entry.json");
    assert_eq!(status, 200);
    assert!(String::from_utf8_lossy(&entry).contains("\"fr\""));
    assert!(
        site.path()
            .join(".cufpress-cache/recherche/repertoire-pagefind")
            .is_dir()
    );
    let _ = child.kill();
    let _ = child.wait();
}

//! The PDF editions, read back with poppler-utils (`pdfinfo`, `pdftotext`,
//! `pdffonts`, `pdftohtml`, `pdftoppm`; `bash scripts/setup-test-tools.sh`
//! installs them): the letter and a répertoire's booklet built from the
//! sample site, their structure, links, fonts, page numbers and index,
//! determinism, the cache, the links to them, and content that looks like
//! Typst markup.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use common::*;

const LETTER: &str = "lettres/2025-09/lettre-cuf-2025-09.pdf";
const BOOKLET: &str = "repertoire/japon/repertoire-japon.pdf";

fn tool(name: &str, args: &[&str]) -> String {
    let out = Command::new(name).args(args).output().unwrap_or_else(|e| {
        panic!("{name} absent ({e}) : lancez `bash scripts/setup-test-tools.sh` (poppler-utils)")
    });
    assert!(
        out.status.success(),
        "{name} {args:?} : {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The sample site built once with its PDFs, shared by the read-only tests.
fn sample() -> &'static TempSite {
    static SITE: OnceLock<TempSite> = OnceLock::new();
    SITE.get_or_init(|| {
        let site = TempSite::sample();
        let r = site.build_with_pdf(&[]);
        assert_eq!(r.code, 0, "{}", r.stderr);
        site
    })
}

fn public(site: &TempSite, rel: &str) -> PathBuf {
    site.path().join("public").join(rel)
}

fn info(pdf: &Path) -> String {
    tool("pdfinfo", &[pdf.to_str().unwrap()])
}

fn pages_of(pdf: &Path) -> usize {
    info(pdf)
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .expect("Pages:")
}

/// The text of every page (pdftotext separates pages by form feeds).
fn pages_text(pdf: &Path) -> Vec<String> {
    let all = tool("pdftotext", &["-enc", "UTF-8", pdf.to_str().unwrap(), "-"]);
    let mut pages: Vec<String> = all.split('\u{c}').map(str::to_string).collect();
    if pages.last().is_some_and(|p| p.trim().is_empty()) {
        pages.pop();
    }
    pages
}

/// Text without any whitespace or line-end hyphen, for comparisons that
/// line breaks must not upset.
fn flat(s: &str) -> String {
    s.replace("-\n", "")
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect()
}

/// Positions of `needles` in `hay`, each searched after the previous one.
fn in_order(hay: &str, needles: &[String]) {
    let mut at = 0;
    for n in needles {
        let key: String = flat(n).chars().take(40).collect();
        match hay[at..].find(&key) {
            Some(i) => at += i + key.len(),
            None => panic!(
                "« {n} » absent ou pas dans l'ordre (cherché après l'octet {at}) ; présent ailleurs : {}",
                hay.contains(&key)
            ),
        }
    }
}

#[test]
fn the_letter_is_an_a4_document_with_metadata_fonts_and_tags() {
    let site = sample();
    let pdf = public(site, LETTER);
    let i = info(&pdf);
    assert!(i.contains("(A4)"), "{i}");
    assert!(
        i.contains("Title:           La Lettre de Cités Unies France – Septembre & Octobre 2025"),
        "{i}"
    );
    assert!(i.contains("Author:          Cités Unies France"), "{i}");
    assert!(i.contains("Tagged:          yes"), "{i}");
    assert!(
        i.contains("CreationDate:") && i.contains("2025"),
        "date du contenu : {i}"
    );
    let fonts = tool("pdffonts", &[pdf.to_str().unwrap()]);
    let rows: Vec<&str> = fonts.lines().skip(2).collect();
    assert!(!rows.is_empty(), "{fonts}");
    for r in &rows {
        let cols: Vec<&str> = r.split_whitespace().collect();
        // name type [type2] encoding emb sub uni object ID
        let n = cols.len();
        assert_eq!(cols[n - 5], "yes", "police non incorporée : {r}");
    }
    assert!(fonts.contains("Libertinus"), "{fonts}");
    // The language of the document, in its XMP metadata.
    let xmp = tool("pdfinfo", &["-meta", pdf.to_str().unwrap()]);
    assert!(
        xmp.contains("<dc:language><rdf:Bag><rdf:li>fr-FR</rdf:li>"),
        "{xmp}"
    );
}

#[test]
fn the_letter_has_cover_sommaire_sections_in_order_and_bylines_before_articles() {
    let site = sample();
    let pdf = public(site, LETTER);
    let pages = pages_text(&pdf);
    let n = pages_of(&pdf);
    assert_eq!(pages.len(), n);
    assert!(n >= 8, "{n} pages");
    let cover = flat(&pages[0]);
    for want in [
        "LaLettredeCitésUniesFrance",
        "Septembre&Octobre2025",
        "Numéro112",
        "10septembre2025",
    ] {
        assert!(cover.contains(want), "couverture sans « {want} » : {cover}");
    }
    assert!(flat(&pages[1]).starts_with("Sommaire") || flat(&pages[1]).contains("Sommaire"));
    // Page numbers « 3 / 12 » on every page but the cover, and a running head.
    assert!(!flat(&pages[0]).contains(&format!("1/{n}")));
    for (i, p) in pages.iter().enumerate().skip(1) {
        assert!(
            flat(p).ends_with(&format!("{}/{n}", i + 1)),
            "page {} : {p}",
            i + 1
        );
        assert!(
            flat(p).starts_with("LaLettredeCitésUniesFrance"),
            "en-tête courant page {}",
            i + 1
        );
    }
    // The order of the web edition: sections, then each run's byline
    // before its articles.
    let doc = site.html("lettres/2025-09/index.html");
    let mut expected = Vec::new();
    for s in select(&doc, "section.section") {
        expected.push(text(&s.select(&sel("h2")).next().unwrap()));
        for run in s.select(&sel(".run")) {
            if let Some(b) = run.select(&sel(".byline")).next() {
                expected.push(text(&b));
            }
            for a in run.select(&sel("article h3")) {
                expected.push(text(&a));
            }
        }
    }
    assert!(expected.len() > 30, "{expected:?}");
    let body: String = pages.iter().skip(2).map(|p| flat(p)).collect();
    let body = body.replace(&flat("La Lettre de Cités Unies France"), "");
    in_order(&body, &expected);
    // The sommaire gives each section's page.
    let sommaire = pages[1].clone() + &pages[2];
    let first = text(&select(&doc, "section.section h2")[0]);
    let line = sommaire
        .lines()
        .find(|l| flat(l).starts_with(&flat(&first)))
        .unwrap_or_else(|| panic!("« {first} » absent du sommaire : {sommaire}"));
    let page = page_at_end(line).unwrap_or_else(|| panic!("pas de numéro de page : {line}"));
    assert!(
        flat(&pages[page - 1]).contains(&flat(&first)),
        "« {first} » annoncé page {page}"
    );
}

fn sel(css: &str) -> scraper::Selector {
    scraper::Selector::parse(css).unwrap()
}

#[test]
fn the_letter_agenda_writes_dates_the_french_way() {
    let site = sample();
    let pages = pages_text(&public(site, LETTER));
    let doc = site.html("lettres/2025-09/index.html");
    let days: Vec<String> = select(&doc, ".agenda-day time").iter().map(text).collect();
    assert!(days.len() > 5, "{days:?}");
    assert!(
        days.iter()
            .any(|d| d.starts_with("Du ") && d.contains(" au ")),
        "{days:?}"
    );
    let all: String = pages.iter().map(|p| flat(p)).collect();
    let agenda = &all[all.rfind("Agenda").expect("titre Agenda")..];
    in_order(agenda, &days);
    // Contacts close the document.
    let last = flat(pages.last().unwrap());
    assert!(
        last.contains("9,rueChristiani,75018Paris")
            && last.contains("coop-dec@cites-unies-france.org"),
        "{last}"
    );
}

/// The URI link annotations of a PDF, by page (`pdftohtml -xml`).
fn links(pdf: &Path) -> Vec<String> {
    let xml = tool(
        "pdftohtml",
        &["-xml", "-stdout", "-i", "-q", pdf.to_str().unwrap()],
    );
    xml.match_indices("<a href=\"")
        .map(|(i, m)| {
            let rest = &xml[i + m.len()..];
            rest[..rest.find('"').unwrap()].replace("&amp;", "&")
        })
        .collect()
}

#[test]
fn more_information_links_are_clickable() {
    let site = sample();
    let found = links(&public(site, LETTER));
    let doc = site.html("lettres/2025-09/index.html");
    let wanted: Vec<String> = select(&doc, "p.more a")
        .iter()
        .map(|a| a.value().attr("href").unwrap().to_string())
        .collect();
    assert!(wanted.len() > 5, "{wanted:?}");
    for w in &wanted {
        assert!(found.contains(w), "lien « {w} » absent : {found:?}");
    }
    assert!(
        found.iter().any(|l| l.starts_with("mailto:coop-dec@")),
        "{found:?}"
    );
}

#[test]
fn the_booklet_has_cover_sommaire_figures_regions_and_a_true_index() {
    let site = sample();
    let pdf = public(site, BOOKLET);
    let pages = pages_text(&pdf);
    let n = pages.len();
    assert!(n >= 6, "{n} pages");
    let cover = flat(&pages[0]);
    assert!(
        cover.contains("franco-japonais") && cover.contains("Éditiondefévrier2025"),
        "{cover}"
    );
    assert!(flat(&pages[1]).contains("Sommaire"));
    let all: String = pages.iter().map(|p| flat(p)).collect();
    in_order(
        &all,
        &[
            "Présentation".into(),
            "Chiffres clés".into(),
            "Par type de partenariat".into(),
            "Les partenariats par région française".into(),
            "Index des collectivités françaises".into(),
        ],
    );
    // Regions in the web page's order, each partnership under them.
    let doc = site.html("repertoire/japon/index.html");
    let regions: Vec<String> = select(&doc, ".rep-region > h3")
        .iter()
        .map(|h| text(h).split(" (").next().unwrap().to_string())
        .collect();
    let part = &all[all.find("Lespartenariatsparrégionfrançaise").unwrap() + 10..];
    let part = &part[part.find("Lespartenariatsparrégionfrançaise").unwrap_or(0)..];
    in_order(part, &regions);
    assert!(
        all.contains("histoiredelasoie"),
        "historique complet dans le livret"
    );
    // Every index entry points at the page of its authority.
    let index_at = pages
        .iter()
        .rposition(|p| flat(p).contains("Indexdescollectivitésfrançaises"))
        .unwrap();
    let index: Vec<String> = pages[index_at..]
        .iter()
        .flat_map(|p| p.lines())
        .map(flat)
        .collect();
    let mut authorities: Vec<String> = select(&doc, ".rep-rows li b").iter().map(text).collect();
    authorities.dedup();
    assert_eq!(authorities.len(), 11, "{authorities:?}");
    for a in &authorities {
        // "Ville de Lyon – Commune ……… 7"
        let key = flat(a);
        let line = index
            .iter()
            .find(|l| l.starts_with(&format!("{key}–")))
            .unwrap_or_else(|| panic!("« {a} » absent de l'index : {index:?}"));
        let after = line[key.len()..]
            .trim_start_matches(|c: char| c != '.')
            .trim_start_matches(['.', '\u{2060}']);
        let digits: String = after.chars().take_while(char::is_ascii_digit).collect();
        let page: usize = digits
            .parse()
            .unwrap_or_else(|_| panic!("« {a} » sans page : {after}"));
        assert!(
            flat(&pages[page - 1]).contains(&key),
            "« {a} » : l'index renvoie à la page {page}"
        );
    }
    // Sorted by proper name, as the web's list of authorities: « Commune
    // de Chamonix-Mont-Blanc » between Cannes and Lyon, not first.
    let pos = |a: &str| {
        let key = format!("{}–", flat(a));
        index.iter().position(|l| l.starts_with(&key)).unwrap()
    };
    let chamonix = pos("Commune de Chamonix-Mont-Blanc");
    assert!(
        pos("Ville de Cannes") < chamonix && chamonix < pos("Ville de Lyon"),
        "{index:?}"
    );
    for (i, p) in pages.iter().enumerate().skip(1) {
        assert!(
            flat(p).ends_with(&format!("{}/{n}", i + 1)),
            "page {}",
            i + 1
        );
    }
}

#[test]
fn pages_are_rendered_to_png_for_a_look() {
    let site = sample();
    let dir = common::project_root().join("target/pdf-pages");
    std::fs::create_dir_all(&dir).unwrap();
    for (pdf, name, page) in [
        (LETTER, "lettre-couverture", 1),
        (LETTER, "lettre-interieur", 4),
        (BOOKLET, "repertoire-couverture", 1),
        (BOOKLET, "repertoire-chiffres", 4),
    ] {
        let pdf = public(site, pdf);
        let prefix = dir.join(name);
        let p = page.to_string();
        tool(
            "pdftoppm",
            &[
                "-png",
                "-r",
                "50",
                "-f",
                &p,
                "-l",
                &p,
                "-singlefile",
                pdf.to_str().unwrap(),
                prefix.to_str().unwrap(),
            ],
        );
        let png = std::fs::read(prefix.with_extension("png")).unwrap();
        assert!(png.starts_with(b"\x89PNG") && png.len() > 5000, "{name}");
    }
}

#[test]
fn two_builds_give_the_same_pdfs_and_the_cache_skips_typesetting() {
    let a = sample();
    let b = TempSite::sample();
    assert_eq!(b.build_with_pdf(&[]).code, 0);
    for rel in [LETTER, BOOKLET] {
        assert!(
            std::fs::read(public(a, rel)).unwrap() == std::fs::read(public(&b, rel)).unwrap(),
            "{rel} : deux constructions, deux PDF différents"
        );
    }
    // A rebuild reads the cache: mark the cached letter and see the mark
    // published.
    let cache = b.path().join(".cufpress-cache/pdf");
    let bytes = std::fs::read(public(&b, LETTER)).unwrap();
    let entry = std::fs::read_dir(&cache)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| std::fs::read(p).unwrap() == bytes)
        .expect("la lettre est en cache");
    let mut marked = bytes.clone();
    marked.extend_from_slice(b"%cache\n");
    std::fs::write(&entry, &marked).unwrap();
    assert_eq!(b.build_with_pdf(&[]).code, 0);
    assert_eq!(std::fs::read(public(&b, LETTER)).unwrap(), marked);
    // A change to the letter typesets it again.
    let p = b.path().join("content/lettres/2025-09/editorial.md");
    let text = std::fs::read_to_string(&p).unwrap();
    std::fs::write(&p, text.replace("title:", "title: Nouveau")).unwrap();
    assert_eq!(b.build_with_pdf(&[]).code, 0);
    let again = std::fs::read(public(&b, LETTER)).unwrap();
    assert!(again != marked && again.starts_with(b"%PDF"));
}

#[test]
fn pdfs_are_linked_from_the_site_the_email_and_the_sitemap() {
    let site = sample();
    let pdf_link =
        |doc: &scraper::Html, url: &str| !select(doc, &format!("a[href='{url}']")).is_empty();
    let letter = "/lettres/2025-09/lettre-cuf-2025-09.pdf";
    let booklet = "/repertoire/japon/repertoire-japon.pdf";
    assert!(pdf_link(&site.html("lettres/2025-09/index.html"), letter));
    assert!(pdf_link(&site.html("lettres/index.html"), letter));
    assert!(pdf_link(&site.html("repertoire/japon/index.html"), booklet));
    assert!(pdf_link(&site.html("repertoire/index.html"), booklet));
    assert!(pdf_link(&site.html("groupes/japon/index.html"), booklet));
    let email = site.read("lettres/2025-09/email.html");
    assert!(email.contains("Version PDF"), "e-mail sans lien PDF");
    assert!(email.contains("lettre-cuf-2025-09.pdf"));
    assert!(
        email.len() < 90 * 1024,
        "email.html pèse {} octets",
        email.len()
    );
    let sitemap = site.read("sitemap.xml");
    assert!(sitemap.contains(&format!("https://www.cites-unies-france.org{letter}")));
    assert!(sitemap.contains(&format!("https://www.cites-unies-france.org{booklet}")));
    // Without PDFs, no link to one.
    let bare = TempSite::sample();
    assert_eq!(bare.build(&[]).code, 0);
    assert!(!bare.path().join("public").join(LETTER).exists());
    assert!(!bare.read("lettres/2025-09/index.html").contains(".pdf"));
}

#[test]
fn content_that_looks_like_typst_stays_text_and_saut_avant_breaks_the_page() {
    let site = TempSite::sample();
    site.write(
        "lettres/2025-09/zz-typst.md",
        "---\ntitle: \"Titre #set page(width: 1cm) $x$ <l> @r\"\nsection: reseau\npdf:\n  saut_avant: true\n---\n\
         Un corps avec #panic(\"boum\"), `#eval(\"1\")`, \\*étoiles\\*, [crochets] et \\\\ barre.\n",
    );
    let r = site.build_with_pdf(&[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let pages = pages_text(&public(&site, LETTER));
    let at = pages
        .iter()
        .rposition(|p| flat(p).contains("Titre#setpage(width:1cm)$x$<l>@r"))
        .expect("titre imprimé tel quel");
    let page = flat(&pages[at]);
    assert!(
        page.starts_with(
            &(flat("La Lettre de Cités Unies France Septembre & Octobre 2025") + "Titre#set")
        ),
        "saut de page avant l'article : {page}"
    );
    for want in ["#panic(", "#eval(", "*étoiles*", "[crochets]", "\\barre"] {
        assert!(page.contains(want), "« {want} » absent : {page}");
    }
}

#[test]
fn a_bad_pdf_key_is_a_located_french_error() {
    let site = TempSite::sample();
    site.write(
        "lettres/2025-09/zz-mauvais.md",
        "---\ntitle: Essai\nsection: reseau\npdf:\n  saut_avan: true\n---\nTexte.\n",
    );
    site.write(
        "lettres/2025-09/zz-mauvais2.md",
        "---\ntitle: Essai 2\nsection: reseau\npdf: {saut_avant: peut-être}\n---\nTexte.\n",
    );
    let r = site.check();
    assert_ne!(r.code, 0);
    assert!(
        r.stderr.contains("content/lettres/2025-09/zz-mauvais.md:5")
            && r.stderr.contains("saut_avant"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr
            .contains("content/lettres/2025-09/zz-mauvais2.md:4"),
        "{}",
        r.stderr
    );
}

/// `serve` publishes each PDF's job and typesets it on the first request.
#[test]
fn serve_typesets_a_pdf_only_when_it_is_asked_for() {
    use std::io::{BufRead, BufReader, Read, Write};
    struct Killed(std::process::Child);
    impl Drop for Killed {
        fn drop(&mut self) {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }
    let site = TempSite::sample();
    let mut child = cufpress()
        .args(["serve", "--port", "0", "--today", SAMPLE_TODAY, "--root"])
        .arg(site.path())
        .stderr(std::process::Stdio::piped())
        .stdout(std::process::Stdio::null())
        .spawn()
        .expect("serve");
    let stderr = child.stderr.take().unwrap();
    let server = Killed(child);
    let mut port = 0u16;
    for line in BufReader::new(stderr).lines().map_while(Result::ok) {
        if let Some(rest) = line.split("Site servi sur http://127.0.0.1:").nth(1) {
            port = rest.split('/').next().unwrap().parse().unwrap();
            break;
        }
    }
    assert!(port > 0, "serve n'a pas démarré");
    let cache = site.path().join(".cufpress-cache/pdf");
    let entries = || std::fs::read_dir(&cache).map_or(0, |d| d.count());
    assert_eq!(entries(), 0, "rien n'est composé au démarrage");
    let get = |path: &str| -> Vec<u8> {
        let mut s = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
        write!(
            s,
            "GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n"
        )
        .unwrap();
        let mut v = Vec::new();
        s.read_to_end(&mut v).unwrap();
        v
    };
    let page = String::from_utf8_lossy(&get("/lettres/2025-09/")).into_owned();
    assert!(page.contains("lettre-cuf-2025-09.pdf"), "lien vers le PDF");
    let resp = get("/lettres/2025-09/lettre-cuf-2025-09.pdf");
    let head_end = resp.windows(4).position(|w| w == b"\r\n\r\n").unwrap();
    let head = String::from_utf8_lossy(&resp[..head_end]);
    assert!(
        head.starts_with("HTTP/1.1 200") && head.contains("application/pdf"),
        "{head}"
    );
    assert!(resp[head_end + 4..].starts_with(b"%PDF"));
    assert_eq!(entries(), 1, "la lettre demandée, elle seule, est composée");
    drop(server);
}

/// The page number that ends a sommaire line (« Bretagne (21) …… 12 »).
fn page_at_end(line: &str) -> Option<usize> {
    line.trim_end()
        .rsplit(|c: char| !c.is_ascii_digit())
        .next()
        .and_then(|d| d.parse().ok())
}

/// The page (1-based) of the first page whose text holds `needle` (flat).
fn page_of(pages: &[String], needle: &str) -> Option<usize> {
    pages
        .iter()
        .position(|p| flat(p).contains(needle))
        .map(|i| i + 1)
}

/// The 1-based page of the body's « Les partenariats par région
/// française » heading: the last page naming it (the sommaire names it too).
fn regions_page(pages: &[String]) -> usize {
    let key = "Lespartenariatsparrégionfrançaise";
    let at = pages.iter().rposition(|p| flat(p).contains(key)).unwrap() + 1;
    assert!(
        page_of(pages, key).unwrap() < at,
        "sommaire sans les régions"
    );
    at
}

#[test]
fn a_long_booklet_starts_each_region_on_a_new_page_a_short_one_runs_on() {
    // The sample's booklet (11 partnerships) runs its regions on: some page
    // holds two region headings.
    let site = sample();
    let doc = site.html("repertoire/japon/index.html");
    let headings: Vec<String> = select(&doc, ".rep-region > h3").iter().map(text).collect();
    assert!(headings.len() >= 3, "{headings:?}");
    let pages = pages_text(&public(site, BOOKLET));
    let body = regions_page(&pages);
    let on = |h: &String| page_of(&pages[body - 1..], &flat(h)).unwrap();
    let at: Vec<usize> = headings.iter().map(on).collect();
    assert!(at.windows(2).any(|w| w[0] == w[1]), "{headings:?} {at:?}");

    // With 60 partnerships more (three regions), every region but the
    // first begins its page, and the sommaire gives that page.
    let long = TempSite::sample();
    let regions = [
        ("Bretagne", "Bzh"),
        ("Normandie", "Nor"),
        ("Occitanie", "Occ"),
    ];
    for i in 0..60 {
        let (region, code) = regions[i % 3];
        long.write(
            &format!("repertoire/japon/essai-{i:02}.md"),
            &format!(
                "---\nfrench:\n  name: \"Commune de {code}ville{i:02}\"\n  type: commune\n  region: \"{region}\"\n\
                 partner:\n  name: \"Ville de Kyo{i:02}\"\n  type: ville\nkind: jumelage\nsince: 2001\n---\n\
                 Un jumelage ancien, fait d'échanges scolaires et culturels, de visites de délégations \
                 et de projets communs autour de l'eau, de la culture et de la jeunesse.\n\n\
                 Les deux villes préparent un nouveau programme d'échanges pour les années à venir.\n"
            ),
        );
    }
    let r = long.build_with_pdf(&[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let pages = pages_text(&public(&long, BOOKLET));
    let n = pages.len();
    let doc = long.html("repertoire/japon/index.html");
    let headings: Vec<String> = select(&doc, ".rep-region > h3").iter().map(text).collect();
    let body = regions_page(&pages);
    let sommaire: Vec<String> = pages[1..body - 1]
        .iter()
        .flat_map(|p| p.lines())
        .map(flat)
        .collect();
    let mut last = body;
    for (i, h) in headings.iter().enumerate() {
        let key = flat(h);
        let page = body + page_of(&pages[body - 1..], &key).unwrap() - 1;
        assert!(
            page >= last,
            "« {h} » page {page} avant la région précédente"
        );
        if i > 0 {
            // Only the running head (and nothing of the region before)
            // comes before the heading on its page.
            let before = &flat(&pages[page - 1])[..flat(&pages[page - 1]).find(&key).unwrap()];
            assert!(
                !before.contains("Bzhville")
                    && !before.contains("Norville")
                    && !before.contains("Occville")
                    && before.len() < 120,
                "« {h} » ne commence pas la page {page} : {before}"
            );
            assert!(page > last, "« {h} » partage la page {page}");
        }
        let line = sommaire
            .iter()
            .find(|l| l.starts_with(&key))
            .unwrap_or_else(|| panic!("« {h} » absent du sommaire : {sommaire:?}"));
        assert_eq!(page_at_end(line), Some(page), "sommaire : {line}");
        last = page;
    }
    assert!(flat(&pages[n - 1]).ends_with(&format!("{n}/{n}")));
}

#[test]
fn a_template_change_is_typeset_again_not_read_from_the_pdf_cache() {
    let site = TempSite::sample();
    let r = site.build_with_pdf(&[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let heading = "Indexdescollectivitésfrançaises";
    let index_heading = |site: &TempSite| {
        let text: String = pages_text(&public(site, BOOKLET))
            .iter()
            .map(|p| flat(p))
            .collect();
        (
            text.contains(heading),
            text.contains("Indexdesvillesetrégions"),
        )
    };
    assert_eq!(index_heading(&site), (true, false));

    // The same job with another booklet template (CUFPRESS_PDF_TEMPLATES):
    // the cache entry of the first build must not be served.
    let templates = site.path().join("gabarits");
    std::fs::create_dir_all(&templates).unwrap();
    let builtin = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("src/render/pdf/booklet.typ"),
    )
    .unwrap();
    let changed = builtin.replace(
        "Index des collectivités françaises",
        "Index des villes et régions",
    );
    assert_ne!(changed, builtin);
    std::fs::write(templates.join("booklet.typ"), changed).unwrap();
    let o = cufpress()
        .current_dir(site.path())
        .env("CUFPRESS_PDF_TEMPLATES", &templates)
        .args(["build", "--today", SAMPLE_TODAY])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(index_heading(&site), (false, true));

    // Back to the built-in template: its own cache entry again.
    let r = site.build_with_pdf(&[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(index_heading(&site), (true, false));
}

//! The répertoires through the real binary: pages of the sample site,
//! validation mistakes, the CSV import, the search timed in headless Chromium
//! on a generated 15,000-partnership répertoire, and the printed booklet.

mod common;

use std::path::Path;

use common::*;

fn build_ok(site: &TempSite) {
    let r = site.build(&[]);
    assert_eq!(r.code, 0, "la construction a échoué :\n{}", r.stderr);
}

#[test]
fn index_lists_every_directory_with_counts_and_totals() {
    let site = TempSite::sample();
    build_ok(&site);
    let doc = site.html("repertoire/index.html");
    let rows = select(&doc, ".rep-directories tbody tr");
    let got: Vec<(String, String)> = rows
        .iter()
        .map(|r| {
            let name = text(&select_in(r, "th a")[0]);
            let n = text(&select_in(r, "td.n")[0]);
            (name, n.split_whitespace().next().unwrap_or("").to_string())
        })
        .collect();
    assert_eq!(
        got,
        vec![
            ("Japon".to_string(), "11".to_string()),
            ("Madagascar".into(), "9".into()),
            ("Sénégal".into(), "7".into())
        ]
    );
    let totals = text(&select(&doc, ".rep-totals")[0]);
    assert!(totals.contains("27 partenariats"), "{totals}");
    assert!(totals.contains("3 pays"), "{totals}");
    assert!(totals.contains("1 en sommeil"), "{totals}");
    // The search UI is hidden until the script runs: the page works without it.
    let search = select(&doc, "#recherche");
    let noscript = select(&doc, "head noscript");
    assert!(
        noscript
            .iter()
            .any(|n| n.inner_html().contains("#recherche"))
    );
    // It searches the site's Pagefind index, limited to the partnerships.
    assert_eq!(
        search[0].value().attr("data-pagefind"),
        Some("/repertoire/pagefind/")
    );
    let filters: Vec<(String, String, Vec<String>)> =
        serde_json::from_str(search[0].value().attr("data-filtres").unwrap()).unwrap();
    let keys: Vec<&str> = filters.iter().map(|(k, _, _)| k.as_str()).collect();
    assert_eq!(
        keys,
        ["pays", "region", "type", "theme", "statut", "nature"]
    );
    assert_eq!(filters[0].2, ["Japon", "Madagascar", "Sénégal"]);
    assert!(
        site.path()
            .join("public/repertoire/pagefind/pagefind-entry.json")
            .is_file()
    );
    assert!(!site.path().join("public/repertoire/index.json").exists());
    assert!(!site.path().join("public/repertoire.js").exists());
}

fn select_in<'a>(el: &scraper::ElementRef<'a>, css: &str) -> Vec<scraper::ElementRef<'a>> {
    el.select(&scraper::Selector::parse(css).unwrap()).collect()
}

#[test]
fn country_page_has_figures_and_every_partnership_by_region_then_authority() {
    let site = TempSite::sample();
    build_ok(&site);
    let doc = site.html("repertoire/japon/index.html");
    assert!(select(&doc, "script").is_empty(), "lisible sans JavaScript");
    let cover = text(&select(&doc, ".booklet-cover")[0]);
    assert!(cover.contains("franco-japonais") && cover.contains("Édition de février 2025"));
    let figures: Vec<String> = select(&doc, ".rep-figure caption")
        .iter()
        .map(text)
        .collect();
    assert_eq!(figures.len(), 6, "{figures:?}");
    let rows = |id: &str| -> Vec<String> {
        select(&doc, &format!("#{id} tbody tr"))
            .iter()
            .map(|r| {
                select_in(r, "th, td")
                    .iter()
                    .map(text)
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect()
    };
    assert_eq!(rows("par-statut"), vec!["Actif 11"]);
    assert_eq!(rows("par-decennie")[0], "Années 1950 1");
    assert_eq!(rows("par-nature"), vec!["Jumelage 10", "Pacte d’amitié 1"]);
    let regions: Vec<String> = select(&doc, ".rep-region > h3")
        .iter()
        .map(|h| text(h).split(" (").next().unwrap().to_string())
        .collect();
    let mut sorted = regions.clone();
    sorted.sort_by_key(|r| r.replace('Î', "I"));
    assert_eq!(regions, sorted, "régions dans l'ordre alphabétique");
    assert_eq!(select(&doc, ".rep-rows li").len(), 11);
    let paca: Vec<String> = select(&doc, "#region-provence-alpes-cote-d-azur li b")
        .iter()
        .map(|h| text(h))
        .collect();
    assert_eq!(paca.len(), 3);
    assert!(paca[0].starts_with("Ville d’Aix-en-Provence"), "{paca:?}");
    // The dormant one in Senegal is marked.
    let sn = site.html("repertoire/senegal/index.html");
    let dormant = select(&sn, ".rep-rows li.dormant");
    assert_eq!(dormant.len(), 1);
    assert!(text(&dormant[0]).contains("en sommeil"));
}

#[test]
fn partnership_page_has_both_authorities_history_themes_projects_contacts() {
    let site = TempSite::sample();
    build_ok(&site);
    let doc = site.html("repertoire/japon/lyon-yokohama/index.html");
    let h1 = text(&select(&doc, "h1")[0]);
    assert!(h1.contains("Ville de Lyon – Ville de Yokohama"), "{h1}");
    let sides: Vec<String> = select(&doc, ".rep-side").iter().map(text).collect();
    assert!(sides[0].contains("Ville de Lyon") && sides[0].contains("Commune"));
    assert!(sides[1].contains("Ville de Yokohama") && sides[1].contains("Japon"));
    let body = text(&select(&doc, "main")[0]);
    assert!(body.contains("Historique") && body.contains("histoire de la soie"));
    assert!(body.contains("Culture et patrimoine"));
    let project = text(&select(&doc, ".rep-projects tbody tr")[0]);
    assert!(
        project.contains("2021-2024") && project.contains("MEAE, Fonds propres"),
        "{project}"
    );
    assert!(!select(&doc, "a[href='https://www.lyon.fr']").is_empty());
}

#[test]
fn authorities_page_lists_each_french_authority_once_across_countries() {
    let site = TempSite::sample();
    build_ok(&site);
    let doc = site.html("repertoire/collectivites/index.html");
    let names: Vec<String> = select(&doc, ".rep-authority h3")
        .iter()
        .map(|h| text(h).split(" – ").next().unwrap().to_string())
        .collect();
    let mut unique = names.clone();
    unique.dedup();
    assert_eq!(names, unique, "chaque collectivité une seule fois");
    let na = select(&doc, "#c-region-nouvelle-aquitaine li");
    let lines: Vec<String> = na.iter().map(text).collect();
    assert_eq!(lines.len(), 2, "{lines:?}");
    assert!(
        lines[0].contains("Madagascar") && lines[1].contains("Sénégal"),
        "{lines:?}"
    );
}

#[test]
fn group_page_links_its_country_directory() {
    let site = TempSite::sample();
    build_ok(&site);
    let doc = site.html("groupes/madagascar/index.html");
    let links = select(&doc, ".rep-group-link a[href='/repertoire/madagascar/']");
    assert_eq!(links.len(), 1);
    let climat = site.html("groupes/climat/index.html");
    assert!(select(&climat, ".rep-group-link").is_empty());
}

#[test]
fn every_vocabulary_and_code_mistake_is_located() {
    let site = TempSite::fixture("repertoire-erreurs");
    let r = site.check();
    assert_eq!(r.code, 1, "{}", r.stderr);
    let e = &r.stderr;
    for expected in [
        "content/repertoire/pays-x/_index.md:3:10 : code pays « JPN » invalide",
        "content/repertoire/pays-x/mauvais.md:4:9 : type de collectivité française « comune » inconnu",
        "content/repertoire/pays-x/mauvais.md:8:12 : code pays « XX » invalide",
        "content/repertoire/pays-x/mauvais.md:9:7 : type de partenariat « jumelages » inconnu",
        "content/repertoire/pays-x/mauvais.md:10:8 : année de début 1820 invraisemblable",
        "content/repertoire/pays-x/mauvais.md:11:9 : statut « dormant » inconnu",
        "content/repertoire/pays-x/mauvais.md:12:9 : thème « eaux » inconnu",
        "content/repertoire/pays-x/futur.md:2:38 : type de collectivité française « regoin » inconnu",
        "content/repertoire/pays-x/futur.md:3:43 : code pays « jp » invalide",
        "content/repertoire/pays-x/futur.md:4:8 : année de début 2031 invraisemblable",
    ] {
        assert!(e.contains(expected), "manque « {expected} » dans :\n{e}");
    }
    assert!(e.contains("aide : vouliez-vous dire `commune` ?"));
    assert!(e.contains("aide : écrivez le code en majuscules : JP"));
    assert!(e.contains("région française « Bretange » inconnue"));
}

// ---- import ----

fn import(site: &TempSite, csv: &[u8], extra: &[&str]) -> Run {
    let file = site.path().join("fiches.csv");
    std::fs::write(&file, csv).unwrap();
    let mut args = vec!["importer-repertoire", "fiches.csv", "--pays", "japon"];
    args.extend_from_slice(extra);
    run_in(site.path(), &args)
}

fn japon_files(site: &TempSite) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(site.path().join("content/repertoire/japon"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

#[test]
fn import_reads_windows_1252_with_semicolons() {
    let site = TempSite::fixture("repertoire-import");
    let csv = "collectivite;type;region;partenaire;nature;depuis;statut;themes;description\n\
                Ville de Sète;commune;Occitanie;Ville de Chigasaki;Jumelage;1990;En sommeil;Culture;\"Échanges «\u{a0}culturels\u{a0}», été ; hiver\"\n";
    let (bytes, _, bad) = encoding_rs::WINDOWS_1252.encode(csv);
    assert!(!bad);
    let r = import(&site, &bytes, &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout.contains("Windows-1252") && r.stdout.contains("« ; »"),
        "{}",
        r.stdout
    );
    let md = std::fs::read_to_string(
        site.path()
            .join("content/repertoire/japon/ville-de-sete-ville-de-chigasaki.md"),
    )
    .unwrap();
    assert!(md.contains("name: \"Ville de Sète\""), "{md}");
    assert!(
        md.contains("status: en-sommeil") && md.contains("themes: [culture]"),
        "{md}"
    );
    assert!(
        md.contains("Échanges «\u{a0}culturels\u{a0}», été ; hiver"),
        "{md}"
    );
    build_ok(&site);
    let doc = site.html("repertoire/japon/ville-de-sete-ville-de-chigasaki/index.html");
    assert!(text(&select(&doc, "h1")[0]).contains("Ville de Sète – Ville de Chigasaki"));
}

#[test]
fn import_reads_utf8_with_bom_and_commas_and_the_documented_example() {
    let site = TempSite::fixture("repertoire-import");
    let mut csv = b"\xEF\xBB\xBF".to_vec();
    csv.extend_from_slice(
        "Collectivité,Type,Partenaire,Thèmes,Projet1,Projet1 années,Projet1 financements\n\
         Métropole de Lyon,Métropole,Ville de Yokohama,\"eau, economie\",Eau potable,2020-2023,\"MEAE, AFD FICOL\"\n"
            .as_bytes(),
    );
    let r = import(&site, &csv, &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout.contains("UTF-8 avec BOM") && r.stdout.contains("« , »"),
        "{}",
        r.stdout
    );
    let md = std::fs::read_to_string(
        site.path()
            .join("content/repertoire/japon/metropole-de-lyon-ville-de-yokohama.md"),
    )
    .unwrap();
    assert!(
        md.contains("type: \"epci\"") && md.contains("funding: [\"MEAE\", \"AFD FICOL\"]"),
        "{md}"
    );
    let example = std::fs::read(project_root().join("docs/exemple-repertoire.csv")).unwrap();
    let r = import(&site, &example, &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout.starts_with("3 partenariats importés"),
        "{}",
        r.stdout
    );
    build_ok(&site);
    let doc = site.html("repertoire/japon/index.html");
    assert_eq!(select(&doc, ".rep-rows li").len(), 4);
}

#[test]
fn import_reports_every_bad_row_and_writes_nothing() {
    let site = TempSite::fixture("repertoire-import");
    let before = japon_files(&site);
    let csv = "collectivite;type;partenaire;depuis;pays_partenaire;themes;contact1_courriel;couleur\n\
               Ville A;commune;Ville B;1990;JP;eau;a@b.fr;bleu\n\
               Ville C;comune;Ville D;19990;JPN;eaux;pas-une-adresse;\n\
               ;commune;Ville F;;;;;\n";
    let r = import(&site, csv.as_bytes(), &[]);
    assert_eq!(r.code, 1, "{}", r.stdout);
    let e = &r.stderr;
    for expected in [
        "fiches.csv:1:8 : ligne 1, colonne H : colonne « couleur » inconnue",
        "fiches.csv:3:2 : ligne 3, colonne B (type) : type de collectivité « comune » inconnu",
        "fiches.csv:3:4 : ligne 3, colonne D (depuis) : année 19990 invraisemblable",
        "fiches.csv:3:5 : ligne 3, colonne E (pays_partenaire) : code pays « JPN » invalide",
        "fiches.csv:3:6 : ligne 3, colonne F (themes) : thème « eaux » inconnu",
        "fiches.csv:3:7 : ligne 3, colonne G (contact1_courriel) : adresse électronique « pas-une-adresse » invalide",
        "fiches.csv:4:1 : ligne 4, colonne A (collectivite) : cellule vide",
        "Aucun fichier n'a été écrit.",
    ] {
        assert!(e.contains(expected), "manque « {expected} » dans :\n{e}");
    }
    assert_eq!(japon_files(&site), before, "rien n'est écrit");
}

#[test]
fn import_never_overwrites_without_force() {
    let site = TempSite::fixture("repertoire-import");
    let csv =
        "fichier;collectivite;type;partenaire\nparis-kyoto;Ville de Paris;commune;Ville de Kyoto\n";
    assert_eq!(import(&site, csv.as_bytes(), &[]).code, 0);
    let path = site.path().join("content/repertoire/japon/paris-kyoto.md");
    let csv2 = csv.replace("Ville de Kyoto", "Ville de Kyōto");
    let r = import(&site, csv2.as_bytes(), &[]);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.contains("paris-kyoto.md existe déjà") && r.stderr.contains("--force"),
        "{}",
        r.stderr
    );
    assert!(
        std::fs::read_to_string(&path)
            .unwrap()
            .contains("\"Ville de Kyoto\"")
    );
    let r = import(&site, csv2.as_bytes(), &["--force"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        std::fs::read_to_string(&path)
            .unwrap()
            .contains("\"Ville de Kyōto\"")
    );
}

#[test]
fn import_names_rows_as_the_spreadsheet_shows_them() {
    let site = TempSite::fixture("repertoire-import");
    // What Excel writes: CRLF line ends, a cell holding a line break, an
    // empty row, bad types on rows 2 and 6, a control character on row 8.
    let csv = "collectivite;type;partenaire;description\r\n\
               Ville Y;comune;Ville Z;\r\n\
               Ville A;commune;Ville B;\"ligne un\r\nligne deux\"\r\n\
               Ville C;commune;Ville D;\r\n\
               ;;;\r\n\
               Ville G;comune;Ville H;\r\n\
               \r\n\
               Ville I;commune;Ville\u{7} J;\r\n";
    let r = import(&site, csv.as_bytes(), &[]);
    assert_eq!(r.code, 1, "{}", r.stdout);
    let e = &r.stderr;
    for expected in [
        "fiches.csv:2:2 : ligne 2, colonne B (type) : type de collectivité « comune » inconnu",
        "fiches.csv:6:2 : ligne 6, colonne B (type) : type de collectivité « comune » inconnu",
        "fiches.csv:8:3 : ligne 8, colonne C (partenaire) : caractère invisible interdit (U+0007)",
    ] {
        assert!(e.contains(expected), "manque « {expected} » dans :\n{e}");
    }
    assert_eq!(
        e.matches("erreur : ").count(),
        3,
        "une erreur par cellule :\n{e}"
    );
    assert!(!e.contains("cellule vide"), "{e}");
}

#[test]
fn import_transliterates_file_names_and_keeps_formula_cells_whole() {
    let site = TempSite::fixture("repertoire-import");
    let csv = "collectivite;type;partenaire;region_partenaire;projet1;projet1_financements\n\
               Ville de Nantes;commune;Ville de Kōbe;Hyōgo;Port;=MEAE+AFD\n\
               Département de la Loire;département;Préfecture de Hyōgo;;;\n";
    let r = import(&site, csv.as_bytes(), &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let dir = site.path().join("content/repertoire/japon");
    let md = std::fs::read_to_string(dir.join("ville-de-nantes-ville-de-kobe.md"))
        .unwrap_or_else(|_| panic!("{:?}", japon_files(&site)));
    assert!(md.contains("funding: [\"=MEAE+AFD\"]"), "{md}");
    assert!(
        dir.join("departement-de-la-loire-prefecture-de-hyogo.md")
            .is_file(),
        "{:?}",
        japon_files(&site)
    );
    build_ok(&site);
}

#[test]
fn new_suggests_transliterated_file_names() {
    let site = TempSite::fixture("repertoire-import");
    let r = run_in(site.path(), &["new", "partenariat", "japon", "Nantes-Kōbe"]);
    assert_eq!(r.code, 1, "{}", r.stdout);
    assert!(r.stderr.contains("« nantes-kobe »"), "{}", r.stderr);
}

#[test]
fn a_1500_partnership_country_page_stays_under_300_kb() {
    // The booklet PDF holds every partnership's full text; the web page
    // keeps compact rows linking to each partnership's page.
    let tmp = tempfile::tempdir().unwrap();
    generate_corpus(&tmp.path().join("content"), 1_500, 1);
    copy_dir(&project_root().join("themes"), &tmp.path().join("themes"));
    let r = run_in(
        tmp.path(),
        &["build", "--today", SAMPLE_TODAY, "--sans-pdf"],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let html =
        std::fs::read_to_string(tmp.path().join("public/repertoire/pays-jp/index.html")).unwrap();
    assert!(html.len() < 300 * 1024, "{} octets", html.len());
    let doc = scraper::Html::parse_document(&html);
    let rows = select(&doc, ".rep-rows li > a");
    assert_eq!(rows.len(), 1_500);
    assert_eq!(
        rows[0].value().attr("href").map(|h| h.ends_with('/')),
        Some(true)
    );
}

// ---- browser: search on 15,000 partnerships, and print ----

/// Deterministic pseudo-random numbers (a 64-bit LCG), so the corpus is the same every run.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) % n as u64) as usize
    }
    fn pick<'a>(&mut self, v: &[&'a str]) -> &'a str {
        v[self.next(v.len())]
    }
}

/// Writes a site of `n` partnerships across the first `countries` (at
/// most 30) country directories.
fn generate_corpus(content: &Path, n: usize, countries: usize) {
    const COUNTRIES: &[&str] = &[
        "JP", "MG", "SN", "BF", "ML", "MA", "TN", "LB", "PS", "AM", "VN", "KH", "LA", "BJ", "TG",
        "NE", "MR", "CM", "HT", "AR", "BR", "CL", "MX", "CO", "PE", "US", "CA", "PL", "RO", "UA",
    ];
    const REGIONS: &[&str] = &[
        "Auvergne-Rhône-Alpes",
        "Bourgogne-Franche-Comté",
        "Bretagne",
        "Centre-Val de Loire",
        "Corse",
        "Grand Est",
        "Hauts-de-France",
        "Île-de-France",
        "Normandie",
        "Nouvelle-Aquitaine",
        "Occitanie",
        "Pays de la Loire",
        "Provence-Alpes-Côte d'Azur",
        "Guadeloupe",
        "La Réunion",
    ];
    const TYPES: &[&str] = &[
        "commune",
        "commune",
        "commune",
        "epci",
        "departement",
        "region",
        "autre",
    ];
    const KINDS: &[&str] = &["jumelage", "cooperation", "amitie", "autre"];
    const THEMES: &[&str] = &[
        "eau",
        "culture",
        "tourisme",
        "economie",
        "education",
        "agriculture",
    ];
    const SYL: &[&str] = &[
        "ba", "ko", "ri", "sa", "mo", "té", "lu", "vi", "ne", "dô", "ka", "zo", "mé", "pa", "ro",
        "chi",
    ];
    const WORDS: &[&str] = &[
        "échanges",
        "scolaires",
        "assainissement",
        "forage",
        "jeunesse",
        "patrimoine",
        "santé",
        "formation",
        "agents",
        "marché",
        "filière",
        "énergie",
        "déchets",
        "coopérative",
        "musée",
        "bibliothèque",
        "festival",
        "irrigation",
        "maraîchage",
        "gouvernance",
        "budget",
        "état civil",
    ];
    let mut r = Lcg(42);
    let word = |r: &mut Lcg, k: usize| -> String {
        let s: String = (0..k).map(|_| r.pick(SYL)).collect();
        let mut c = s.chars();
        c.next()
            .map(|f| f.to_uppercase().chain(c).collect())
            .unwrap_or_default()
    };
    let site = std::fs::read_to_string(
        project_root().join("tests/fixtures/repertoire-import/content/site.yaml"),
    )
    .unwrap();
    std::fs::create_dir_all(content).unwrap();
    std::fs::write(content.join("site.yaml"), site).unwrap();
    let countries = &COUNTRIES[..countries.clamp(1, COUNTRIES.len())];
    for (ci, code) in countries.iter().enumerate() {
        let dir = content.join(format!("repertoire/pays-{}", code.to_lowercase()));
        std::fs::create_dir_all(&dir).unwrap();
        let idx = format!(
            "---\ntitle: \"Répertoire {code}\"\ncountry: {code}\nedition: \"2025-0{}\"\n---\nPrésentation du pays {code}.\n",
            ci % 9 + 1
        );
        std::fs::write(dir.join("_index.md"), idx).unwrap();
    }
    for i in 0..n {
        let code = countries[i % countries.len()];
        let k = 2 + r.next(2);
        let town = word(&mut r, k);
        let partner = word(&mut r, 3);
        let desc: Vec<&str> = (0..40).map(|_| r.pick(WORDS)).collect();
        let (t1, t2) = (r.pick(THEMES), r.pick(THEMES));
        let text = format!(
            "---\nfrench:\n  name: \"Ville de {town}\"\n  type: {}\n  region: \"{}\"\npartner:\n  name: \"Commune de {partner}\"\nkind: {}\nsince: {}\nstatus: {}\nthemes: [{t1}, {t2}]\nprojects:\n  - title: \"Projet {}\"\n    years: \"2020-2023\"\n    funding: [MEAE]\n---\n{}.\n",
            r.pick(TYPES),
            r.pick(REGIONS),
            r.pick(KINDS),
            1950 + r.next(75),
            if r.next(10) == 0 {
                "en-sommeil"
            } else {
                "active"
            },
            r.pick(WORDS),
            desc.join(" ")
        );
        let dir = content.join(format!("repertoire/pays-{}", code.to_lowercase()));
        std::fs::write(dir.join(format!("p{i:05}.md")), text).unwrap();
    }
}

/// On a 15,000-partnership site, no page or data file a reader may open
/// weighs over 1 MB, images and PDFs aside: the list of French authorities
/// is one page per initial, the sitemap is split under an index, the
/// search index is Pagefind's chunks. One known exception: the
/// back-office's `admin/config.yml`, read by staff only.
fn large_site_files_stay_under_1_mb(public: &Path) {
    let mut heavy = Vec::new();
    for e in walkdir::WalkDir::new(public) {
        let e = e.unwrap();
        let rel = e
            .path()
            .strip_prefix(public)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        let ext = rel.rsplit('.').next().unwrap_or("");
        if !e.file_type().is_file()
            || ![
                "html",
                "xml",
                "json",
                "js",
                "css",
                "ics",
                "txt",
                "yml",
                "pf_meta",
                "pf_index",
                "pf_filter",
                "pf_fragment",
                "pagefind",
            ]
            .contains(&ext)
            || rel == "admin/config.yml"
        {
            continue;
        }
        let len = e.metadata().unwrap().len();
        if len > 1_000_000 {
            heavy.push(format!("{rel} : {len} octets"));
        }
    }
    assert!(heavy.is_empty(), "fichiers de plus de 1 Mo : {heavy:#?}");
    let index =
        std::fs::read_to_string(public.join("repertoire/collectivites/index.html")).unwrap();
    assert!(
        index.contains("href=\"/repertoire/collectivites/v/\""),
        "une page par initiale"
    );
    let v = std::fs::read_to_string(public.join("repertoire/collectivites/v/index.html")).unwrap();
    assert!(
        v.contains("Ville de "),
        "la page V liste les « Ville de … »"
    );
    let map = std::fs::read_to_string(public.join("sitemap.xml")).unwrap();
    assert!(
        map.contains("<sitemapindex"),
        "{}",
        &map[..map.len().min(300)]
    );
    let part = std::fs::read_to_string(public.join("sitemap-1.xml")).unwrap();
    assert!(part.contains("<urlset") && part.contains("/repertoire/"));
}

/// Folded as the search folds: lower case, no accents.
fn folded(s: &str) -> String {
    deunicode::deunicode(s).to_lowercase()
}

/// What the generated corpus holds, read back from its files: a town name
/// that is a word of its own (no other word of the corpus starts with it,
/// so prefix matching adds nothing), and how many partnerships have it,
/// then also in `region`, then also `status`.
fn corpus_truth(content: &Path, region: &str, status: &str) -> (String, usize, usize, usize) {
    let mut files = Vec::new();
    for e in walkdir::WalkDir::new(content.join("repertoire")) {
        let e = e.unwrap();
        let name = e.file_name().to_string_lossy();
        if name.starts_with('p') && name.ends_with(".md") {
            files.push(std::fs::read_to_string(e.path()).unwrap());
        }
    }
    let words_of = |t: &str| -> Vec<String> {
        folded(t)
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(str::to_string)
            .collect()
    };
    let all: std::collections::BTreeSet<String> = files.iter().flat_map(|t| words_of(t)).collect();
    let town = files
        .iter()
        .filter_map(|t| {
            let line = t
                .lines()
                .find(|l| l.trim_start().starts_with("name: \"Ville de "))?;
            let w = folded(line.split("Ville de ").nth(1)?.trim_end_matches('"'));
            let alone = !all.iter().any(|o| o != &w && o.starts_with(&w));
            (alone && w.len() >= 6).then_some(w)
        })
        .find(|w| {
            let with: Vec<&String> = files.iter().filter(|t| words_of(t).contains(w)).collect();
            with.len() >= 5
                && with
                    .iter()
                    .any(|t| t.contains(&format!("region: \"{region}\"")))
        })
        .expect("un nom de ville assez fréquent");
    let (mut n, mut in_region, mut both) = (0, 0, 0);
    for t in &files {
        let w = words_of(t).contains(&town);
        let r = t.contains(&format!("region: \"{region}\""));
        let s = t.contains(&format!("status: {status}"));
        n += w as usize;
        in_region += (w && r) as usize;
        both += (w && r && s) as usize;
    }
    (town, n, in_region, both)
}

#[test]
fn search_answers_under_100_ms_on_15000_partnerships() {
    let tmp = tempfile::tempdir().unwrap();
    let content = tmp.path().join("content");
    generate_corpus(&content, 15_000, 30);
    copy_dir(&project_root().join("themes"), &tmp.path().join("themes"));
    let r = run_in(
        tmp.path(),
        &["build", "--today", SAMPLE_TODAY, "--sans-pdf"],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let public = tmp.path().join("public");
    large_site_files_stay_under_1_mb(&public);
    let region = "Bretagne";
    let (town, word, in_region, both) = corpus_truth(&content, region, "en-sommeil");
    eprintln!("« {town} » : {word}, en {region} {in_region}, en sommeil {both}");
    let upper = town.to_uppercase();
    let steps = serde_json::json!([
        { "q": town },
        { "q": town, "picks": { "region": [region] } },
        { "q": town, "picks": { "region": [region], "statut": ["En sommeil"] } },
        { "q": upper, "picks": { "region": [region], "statut": ["En sommeil"] } },
        { "q": "zzzzzz" },
        { "q": "", "picks": { "statut": ["En sommeil"] } },
        { "q": "", "picks": {} },
        // A word in nearly every entry of this corpus: timed, see below.
        { "q": "irrigation" },
    ]);
    let out = node_json(
        "recherche.mjs",
        &[public.to_str().unwrap(), "/repertoire/", &steps.to_string()],
    );
    eprintln!(
        "octets : prêt {}, premier résultat {} (non compressés : {}) ; étapes : {}",
        out["bytes_ready"], out["bytes_first_result"], out["raw_first_result"], out["steps"]
    );
    assert_eq!(out["errors"].as_array().unwrap().len(), 0, "{out}");
    assert_eq!(out["visible"], true);
    let step = |i: usize| &out["steps"][i];
    let n = |i: usize| step(i)["results"].as_u64().unwrap() as usize;
    assert_eq!(n(0), word, "« {town} » : les fiches qui ont ce nom");
    assert_eq!(n(1), in_region, "« {town} » en {region}");
    assert_eq!(n(2), both, "« {town} », {region}, en sommeil");
    assert_eq!(n(3), both, "la casse ne compte pas");
    assert_eq!(n(4), 0);
    assert_eq!(step(4)["status"], "Aucun partenariat ne correspond.");
    let dormant = n(5);
    assert!((1000..2000).contains(&dormant), "{dormant} en sommeil");
    assert_eq!(n(6), 0, "ni mot ni filtre : pas de liste");
    assert_eq!(step(6)["status"], "Tapez un mot ou choisissez un filtre.");
    assert_eq!(
        step(7)["shown"].as_u64(),
        Some(10),
        "dix résultats affichés d’abord"
    );
    let first = &step(0)["first"];
    assert!(
        first["href"]
            .as_str()
            .unwrap()
            .starts_with("/repertoire/pays-"),
        "{first}"
    );
    assert!(
        first["excerpt"].as_str().unwrap().contains("<mark>"),
        "{first}"
    );
    // A name, then a name and two filters: under 100 ms once the index
    // is loaded (the second run of each step). Pagefind's time grows with
    // the number of results (about 0.2 ms each here): a filter alone that
    // keeps 1,500 partnerships, or a word found in 12,000, is slower. Those
    // times are printed above and reported in the README, not held to it.
    for i in [0, 1, 2, 3, 4, 6] {
        let ms = step(i)["warm_ms"].as_f64().unwrap();
        assert!(ms < 100.0, "étape {i} : {ms} ms (limite 100 ms)");
    }
    // What a reader downloads before the first result: index and script.
    let bytes = out["bytes_first_result"].as_u64().unwrap();
    assert!(
        bytes <= 300 * 1024,
        "{bytes} octets avant le premier résultat"
    );
}

#[test]
fn a_country_directory_prints_as_a_booklet() {
    let site = TempSite::sample();
    build_ok(&site);
    let pdf = site.path().join("japon.pdf");
    let public = site.path().join("public");
    node_json(
        "repertoire-print.mjs",
        &[public.to_str().unwrap(), "japon", pdf.to_str().unwrap()],
    );
    let bytes = std::fs::read(&pdf).unwrap();
    let pages = pdf_extract::extract_text_from_mem_by_pages(&bytes).expect("PDF lisible");
    eprintln!("PDF : {} pages", pages.len());
    assert!(
        pages.len() >= 5,
        "couverture, sommaire, présentation, chiffres, partenariats : {} pages",
        pages.len()
    );
    // pdf-extract spaces some glyphs apart ("2 0 2 5"): compare without whitespace.
    let flat = |s: &str| s.split_whitespace().collect::<String>();
    assert!(
        flat(&pages[0]).contains("franco-japonais"),
        "couverture : {}",
        pages[0]
    );
    assert!(
        flat(&pages[0]).contains("Éditiondefévrier2025"),
        "{:?}",
        pages[0]
    );
    assert!(
        flat(&pages[1]).contains("Sommaire"),
        "sommaire : {}",
        pages[1]
    );
    let all = flat(&pages.join(" "));
    let doc = site.html("repertoire/japon/index.html");
    let titles: Vec<String> = select(&doc, ".rep-rows li > a").iter().map(text).collect();
    assert_eq!(titles.len(), 11);
    for t in &titles {
        assert!(all.contains(&flat(t)), "« {t} » absent du PDF");
    }
    let last = pages.len();
    assert!(all.contains(&format!("Page2sur{last}")), "numéros de page");
    assert!(
        !flat(&pages[0]).contains("Page1sur"),
        "pas de numéro sur la couverture"
    );
}

//! Generates a large, valid, deterministic site in the content model, for
//! benchmarks and scale tests:
//!
//! `cargo run --release --example gencorpus -- OUT --articles 5000 --events 2000 --partnerships 15000`
//!
//! The same arguments (and `--seed`) always give the same bytes.

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

/// A small deterministic generator (SplitMix64): no dependency, same on every machine.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len())]
    }
    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }
}

const SUBJECTS: &[&str] = &[
    "Les collectivités partenaires",
    "La délégation française",
    "Le groupe-pays",
    "Cités Unies France",
    "Les élus locaux",
    "Le comité de pilotage",
    "La ville jumelée",
    "Les équipes techniques",
    "Le conseil régional",
    "L'association des maires",
];
const VERBS: &[&str] = &[
    "ont présenté",
    "poursuivent",
    "ont lancé",
    "accompagnent",
    "renforcent",
    "ont évalué",
    "préparent",
    "soutiennent",
];
const OBJECTS: &[&str] = &[
    "un programme d'accès à l'eau potable",
    "la formation des agents municipaux",
    "un projet de gestion des déchets",
    "les échanges scolaires et culturels",
    "la planification urbaine durable",
    "un plan d'adaptation au changement climatique",
    "la valorisation du patrimoine local",
    "l'appui à la gouvernance locale",
    "les circuits courts agricoles",
    "un fonds de solidarité pour la reconstruction",
];
const TAILS: &[&str] = &[
    "avec le soutien du ministère de l'Europe et des Affaires étrangères",
    "dans le cadre de la coopération décentralisée",
    "en lien avec les acteurs de la société civile",
    "pour les trois prochaines années",
    "grâce à un cofinancement de l'AFD",
    "au bénéfice de plusieurs milliers d'habitants",
];
const GROUPS: &[(&str, &str, &str, &str)] = &[
    ("madagascar", "Madagascar", "pays", "MG"),
    ("senegal", "Sénégal", "pays", "SN"),
    ("japon", "Japon", "pays", "JP"),
    ("liban", "Liban", "pays", "LB"),
    ("maroc", "Maroc", "pays", "MA"),
    ("tunisie", "Tunisie", "pays", "TN"),
    ("vietnam", "Vietnam", "pays", "VN"),
    ("armenie", "Arménie", "pays", "AM"),
    ("argentine", "Argentine", "pays", "AR"),
    ("palestine", "Palestine", "pays", "PS"),
    ("climat", "Climat", "thematique", ""),
    ("genre", "Genre", "thematique", ""),
];
const SECTIONS: &[&str] = &[
    "editorial",
    "informations",
    "geographique",
    "thematique",
    "appui-conseil",
    "crises",
    "reseau",
];
const THEMES: &[&str] = &[
    "gouvernance",
    "eau",
    "climat",
    "agriculture",
    "culture",
    "education",
    "economie",
    "sante",
];
const REGIONS: &[&str] = &[
    "Auvergne-Rhône-Alpes",
    "Bretagne",
    "Grand Est",
    "Hauts-de-France",
    "Île-de-France",
    "Normandie",
    "Nouvelle-Aquitaine",
    "Occitanie",
    "Pays de la Loire",
    "Provence-Alpes-Côte d'Azur",
];
const TYPES: &[&str] = &["commune", "epci", "departement", "region", "autre"];
const KINDS: &[&str] = &["jumelage", "cooperation", "amitie", "autre"];
const TOWNS: &[&str] = &[
    "Saint-Martin",
    "Villeneuve",
    "Beaumont",
    "Montreuil",
    "Fontaine",
    "Clairvaux",
    "Roche",
    "Bellevue",
    "Champagne",
    "Mirabel",
    "Valence",
    "Aubigny",
    "Lussac",
    "Pontcarré",
];

struct Args {
    out: PathBuf,
    articles: usize,
    events: usize,
    partnerships: usize,
    seed: u64,
    /// The short partnership bodies of the first benchmarks (a paragraph of
    /// three sentences), for comparison with earlier figures.
    short_bodies: bool,
}

fn parse_args() -> Result<Args, String> {
    let mut it = std::env::args().skip(1);
    let mut a = Args {
        out: PathBuf::new(),
        articles: 5000,
        events: 2000,
        partnerships: 15000,
        seed: 2025,
        short_bodies: false,
    };
    while let Some(x) = it.next() {
        let mut num = |name: &str| -> Result<u64, String> {
            it.next()
                .and_then(|v| v.parse().ok())
                .ok_or(format!("{name} attend un nombre"))
        };
        match x.as_str() {
            "--articles" => a.articles = num("--articles")? as usize,
            "--events" => a.events = num("--events")? as usize,
            "--partnerships" => a.partnerships = num("--partnerships")? as usize,
            "--seed" => a.seed = num("--seed")?,
            "--courts" | "--short-bodies" => a.short_bodies = true,
            o if !o.starts_with("--") && a.out.as_os_str().is_empty() => a.out = o.into(),
            o => return Err(format!("argument inconnu : {o}")),
        }
    }
    if a.out.as_os_str().is_empty() {
        return Err(
            "usage : gencorpus DOSSIER [--articles N] [--events N] [--partnerships N] [--seed S] [--courts]"
                .into(),
        );
    }
    Ok(a)
}

fn paragraph(r: &mut Rng, sentences: usize) -> String {
    let mut p = String::new();
    for i in 0..sentences {
        if i > 0 {
            p.push(' ');
        }
        let _ = write!(
            p,
            "{} {} {} {}.",
            r.pick(SUBJECTS),
            r.pick(VERBS),
            r.pick(OBJECTS),
            r.pick(TAILS)
        );
    }
    p
}

fn write(path: &Path, text: &str) {
    fs::create_dir_all(path.parent().expect("has parent")).expect("mkdir");
    fs::write(path, text).expect("write");
}

fn main() {
    let args = match parse_args() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(2);
        }
    };
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let content = args.out.join("content");
    if args.out.exists() {
        fs::remove_dir_all(&args.out).expect("clean output");
    }
    let mut r = Rng(args.seed);
    fs::create_dir_all(&content).expect("mkdir");
    fs::copy(root.join("content/site.yaml"), content.join("site.yaml")).expect("site.yaml");
    copy_dir(&root.join("themes"), &args.out.join("themes"));
    let image = root.join("content/lettres/2025-09/images/assises-antananarivo.jpg");
    write_groups(&content);
    write_letters(&mut r, &content, args.articles, &image);
    write_events(&mut r, &content, args.events);
    write_repertoire(&mut r, &content, args.partnerships, args.short_bodies);
    eprintln!(
        "Corpus écrit dans {} : {} articles, {} événements, {} partenariats.",
        args.out.display(),
        args.articles,
        args.events,
        args.partnerships
    );
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).expect("mkdir");
    let mut entries: Vec<_> = fs::read_dir(from).expect("read").flatten().collect();
    entries.sort_by_key(|e| e.file_name());
    for e in entries {
        let dest = to.join(e.file_name());
        if e.file_type().expect("type").is_dir() {
            copy_dir(&e.path(), &dest);
        } else {
            fs::copy(e.path(), dest).expect("copy");
        }
    }
}

fn write_groups(content: &Path) {
    for (i, (slug, name, kind, country)) in GROUPS.iter().enumerate() {
        let countries = if country.is_empty() {
            String::new()
        } else {
            format!("countries: [{country}]\n")
        };
        let gender = if i % 2 == 0 { "f" } else { "m" };
        write(
            &content.join(format!("groupes/{slug}.md")),
            &format!(
                "---\nname: \"{name}\"\nkind: {kind}\n{countries}president:\n  name: Camille Durand {i}\n  gender: {gender}\n  function: adjointe au maire chargée des relations internationales\n  collectivite: Ville {i}\n---\n\nLe groupe {name} réunit les collectivités engagées dans cette coopération.\n"
            ),
        );
    }
}

fn write_letters(r: &mut Rng, content: &Path, articles: usize, image: &Path) {
    let issues = (articles / 62).max(1);
    let per_issue = articles.div_ceil(issues);
    let mut written = 0;
    for n in 0..issues {
        let year = 2012 + (n / 6) as i32;
        let month = (n % 6) * 2 + 1;
        let id = format!("{year}-{month:02}");
        let dir = content.join(format!("lettres/{id}"));
        write(
            &dir.join("_index.md"),
            &format!(
                "---\ntitle: \"Numéro {n} ({id})\"\nnumber: {}\ndate: {id}-05\nperiod:\n  from: {id}-01\n  to: {year}-{:02}-28\npreheader: \"Les nouvelles de la coopération décentralisée\"\n---\n",
                n + 1,
                month + 1
            ),
        );
        if image.exists() {
            fs::create_dir_all(dir.join("images")).expect("mkdir");
            fs::copy(image, dir.join("images/photo.jpg")).expect("copy image");
        }
        for a in 0..per_issue.min(articles - written) {
            let section = SECTIONS[(a * SECTIONS.len()) / per_issue];
            let group = if r.chance(60) {
                format!("group: {}\n", r.pick(GROUPS).0)
            } else {
                String::new()
            };
            let img = if a % 20 == 3 && image.exists() {
                "image: images/photo.jpg\nimage_alt: \"Rencontre entre élus français et partenaires\"\n"
            } else {
                ""
            };
            let link = if a > 0 {
                format!(
                    "\nVoir aussi [l'article précédent](article-{:03}.md).\n",
                    a - 1
                )
            } else {
                String::new()
            };
            let body = format!(
                "{}\n\n- {}\n- {}\n- {}\n\n{}\n{link}",
                paragraph(r, 4),
                r.pick(OBJECTS),
                r.pick(OBJECTS),
                r.pick(OBJECTS),
                paragraph(r, 3)
            );
            write(
                &dir.join(format!("article-{a:03}.md")),
                &format!(
                    "---\ntitle: \"{} {}\"\nsection: {section}\n{group}themes: [{}]\nsummary: \"{}\"\nlink: https://cites-unies-france.org/article-{n}-{a}\nweight: {}\n{img}---\n\n{body}",
                    r.pick(SUBJECTS),
                    r.pick(OBJECTS),
                    r.pick(THEMES),
                    paragraph(r, 1),
                    a * 10
                ),
            );
            written += 1;
        }
    }
}

fn write_events(r: &mut Rng, content: &Path, events: usize) {
    for e in 0..events {
        // About 250 events a year, whatever the count: a larger corpus is a
        // longer history, not a denser agenda.
        let year = 2020 + (e / 250) as i32;
        let month = 1 + r.below(12);
        let day = 1 + r.below(27);
        let (start, end) = match e % 3 {
            0 => (format!("{year}-{month:02}-{day:02}"), String::new()),
            1 => (
                format!("{year}-{month:02}-{day:02}T14:00"),
                format!("end: {year}-{month:02}-{day:02}T16:00\n"),
            ),
            _ => (
                format!("{year}-{month:02}-{day:02}"),
                format!("end: {year}-{month:02}-{:02}\n", day + 1),
            ),
        };
        let format = r.pick(&["presentiel", "visio", "hybride"]);
        write(
            &content.join(format!("agenda/{year}/evenement-{e:05}.md")),
            &format!(
                "---\ntitle: \"Réunion {e} : {}\"\nstart: {start}\n{end}place: \"Paris\"\nformat: {format}\ngroup: {}\nmembers_only: {}\n---\n\n{}\n",
                r.pick(OBJECTS),
                r.pick(GROUPS).0,
                r.chance(20),
                paragraph(r, 2)
            ),
        );
    }
}

/// Countries beyond the groups', for larger répertoires (one directory per
/// 1,500 partnerships, so a larger corpus has more directories, not longer ones).
const MORE_COUNTRIES: &[(&str, &str, &str)] = &[
    ("benin", "Bénin", "BJ"),
    ("burkina-faso", "Burkina Faso", "BF"),
    ("mali", "Mali", "ML"),
    ("niger", "Niger", "NE"),
    ("cameroun", "Cameroun", "CM"),
    ("togo", "Togo", "TG"),
    ("haiti", "Haïti", "HT"),
    ("bresil", "Brésil", "BR"),
    ("chili", "Chili", "CL"),
    ("mexique", "Mexique", "MX"),
    ("colombie", "Colombie", "CO"),
    ("perou", "Pérou", "PE"),
    ("cambodge", "Cambodge", "KH"),
    ("laos", "Laos", "LA"),
    ("chine", "Chine", "CN"),
    ("inde", "Inde", "IN"),
    ("quebec", "Canada", "CA"),
    ("etats-unis", "États-Unis", "US"),
    ("pologne", "Pologne", "PL"),
    ("roumanie", "Roumanie", "RO"),
    ("ukraine", "Ukraine", "UA"),
    ("moldavie", "Moldavie", "MD"),
    ("georgie", "Géorgie", "GE"),
    ("jordanie", "Jordanie", "JO"),
    ("algerie", "Algérie", "DZ"),
    ("mauritanie", "Mauritanie", "MR"),
    ("cote-divoire", "Côte d'Ivoire", "CI"),
    ("guinee", "Guinée", "GN"),
    ("congo", "Congo", "CG"),
    ("gabon", "Gabon", "GA"),
];

fn write_repertoire(r: &mut Rng, content: &Path, partnerships: usize, short: bool) {
    let mut countries: Vec<(&str, &str, Option<&str>, &str)> = GROUPS
        .iter()
        .filter(|g| !g.3.is_empty())
        .map(|g| (g.0, g.1, Some(g.0), g.3))
        .chain(MORE_COUNTRIES.iter().map(|c| (c.0, c.1, None, c.2)))
        .collect();
    countries.truncate(partnerships.div_ceil(1500).clamp(1, countries.len()));
    for (slug, name, group, code) in &countries {
        let group = group.map(|g| format!("group: {g}\n")).unwrap_or_default();
        write(
            &content.join(format!("repertoire/{slug}/_index.md")),
            &format!(
                "---\ntitle: \"Répertoire des partenariats France – {name}\"\ncountry: {code}\n{group}edition: 2025-02\n---\n\n{}\n",
                paragraph(r, 3)
            ),
        );
    }
    for p in 0..partnerships {
        let (slug, _, _, _) = countries[p % countries.len()];
        let text = if short {
            short_partnership(r, p)
        } else {
            partnership(r, p)
        };
        write(
            &content.join(format!("repertoire/{slug}/partenariat-{p:05}.md")),
            &text,
        );
    }
}

/// The first benchmarks' partnership: one project, one paragraph.
fn short_partnership(r: &mut Rng, p: usize) -> String {
    let town = format!("{} {}", r.pick(TOWNS), p / 7);
    let who = identity(r, &town, p);
    let (t1, t2, project) = (r.pick(THEMES), r.pick(THEMES), r.pick(OBJECTS));
    let body = paragraph(r, 3);
    format!(
        "---\n{who}themes: [{t1}, {t2}]\nprojects:\n  - title: \"{project}\"\n    years: \"2019-2022\"\n    funding: [MEAE, AFD FICOL]\n---\n\n{body}\n"
    )
}

/// The keys both shapes of partnership share, from `french:` to `since:`
/// and the status, drawn in the same order for both.
fn identity(r: &mut Rng, town: &str, p: usize) -> String {
    let status = if r.chance(10) {
        "status: en-sommeil\n"
    } else {
        ""
    };
    let (ty, region, dep, pregion, kind) = (
        r.pick(TYPES),
        r.pick(REGIONS),
        r.below(95) + 1,
        r.below(20),
        r.pick(KINDS),
    );
    let since = 1960 + r.below(65);
    format!(
        "french:\n  name: \"{town}\"\n  type: {ty}\n  region: \"{region}\"\n  department: \"Département {dep}\"\npartner:\n  name: \"Commune partenaire {p}\"\n  type: commune\n  region: \"Région {pregion}\"\nkind: {kind}\nsince: {since}\n{status}"
    )
}

const FUNDERS: &[&str] = &[
    "MEAE",
    "AFD FICOL",
    "Fonds propres",
    "Union européenne",
    "Agence de l'eau",
    "Région",
    "CLAIR",
    "Fondation de France",
];
const ROLES: &[&str] = &[
    "Chargée de mission coopération",
    "Direction des relations internationales",
    "Élu délégué aux jumelages",
    "Comité de jumelage",
    "Responsable des projets",
];
const HEADINGS: &[&str] = &[
    "Historique",
    "Objectifs",
    "Actions menées",
    "Perspectives",
    "Acteurs associés",
];
const ACTIONS: &[&str] = &[
    "missions d'expertise technique des agents municipaux",
    "accueil de stagiaires et de jeunes volontaires",
    "construction de bornes-fontaines dans les quartiers périphériques",
    "formation des élus à la maîtrise d'ouvrage communale",
    "échanges entre établissements scolaires",
    "appui à l'état civil et à la fiscalité locale",
    "festival culturel croisé tous les deux ans",
    "plan communal de gestion des déchets ménagers",
];

/// A partnership shaped like a real entry of the printed répertoires (about
/// 3 KB): 2–5 paragraphs under headings, a list, links, 1–3 projects with
/// their funding and 1–2 contacts.
fn partnership(r: &mut Rng, p: usize) -> String {
    let town_name = r.pick(TOWNS);
    let town = format!("{town_name} {}", p / 7);
    let slug = town_name.to_lowercase().replace([' ', '\''], "-");
    let who = identity(r, &town, p);
    let (t1, t2) = (r.pick(THEMES), r.pick(THEMES));
    let themes = if t1 == t2 {
        t1.to_string()
    } else {
        format!("{t1}, {t2}")
    };
    let mut fm = format!("---\n{who}themes: [{themes}]\nprojects:\n");
    for _ in 0..1 + r.below(3) {
        let title = capitalise(OBJECTS[r.below(OBJECTS.len())]);
        let start = 2000 + r.below(24);
        let end = start + 1 + r.below(4);
        let (f1, f2) = (r.pick(FUNDERS), r.pick(FUNDERS));
        let funding = if f1 == f2 {
            f1.to_string()
        } else {
            format!("{f1}, {f2}")
        };
        let _ = write!(
            fm,
            "  - title: \"{title}\"\n    years: \"{start}-{end}\"\n    funding: [{funding}]\n"
        );
    }
    fm.push_str("contacts:\n");
    for c in 0..1 + r.below(2) {
        let role = r.pick(ROLES);
        let _ = write!(
            fm,
            "  - name: \"{role}\"\n    role: \"Suivi du partenariat\"\n    email: contact{c}@{slug}-{p}.example\n"
        );
    }
    fm.push_str("---\n\n");
    let sections = 2 + r.below(4);
    for (i, heading) in HEADINGS.iter().take(sections).enumerate() {
        let _ = writeln!(fm, "## {heading}\n");
        let sentences = 4 + r.below(3);
        let para = paragraph(r, sentences);
        let _ = writeln!(fm, "{para}\n");
        if i == 1 {
            for _ in 0..3 + r.below(3) {
                let action = r.pick(ACTIONS);
                let _ = writeln!(fm, "- {action} ;");
            }
            fm.push('\n');
        }
    }
    let _ = writeln!(
        fm,
        "Pour en savoir plus : [le site de la collectivité](https://www.{slug}-{p}.example/cooperation) et [la fiche de l'Atlas de la coopération décentralisée](https://pastel.diplomatie.gouv.fr/cncdext/dyn/public/atlas/ficheCollectivite.html?id={p})."
    );
    fm
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

//! The form fields of each kind of content file, derived from the key
//! schema of [`crate::model`]: every key a file may hold gets the widget
//! that writes a value the load stage accepts. What the schema does not say
//! (labels, required keys, choices, patterns) is stated here, next to the
//! cufpress messages the form repeats.

use crate::load::values::URL_HINT;
use crate::model::{self, SiteConfig};
use crate::schema::{Key, Shape};

use super::yaml::{Node, map, s};

/// What the forms offer from this site's own data.
pub struct Choices {
    /// `(id, title)` of `site.yaml` sections, in print order.
    pub sections: Vec<(String, String)>,
    /// `(id, label)` of `site.yaml` themes.
    pub themes: Vec<(String, String)>,
    /// `(slug, name)` of `groupes/`.
    pub groups: Vec<(String, String)>,
    /// `(slug, title)` of `programmes/`.
    pub programmes: Vec<(String, String)>,
}

/// The kinds of files the back-office edits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// `site.yaml`.
    Site,
    /// `groupes/<slug>.md`.
    Group,
    /// `lettres/<AAAA-MM>/_index.md`.
    Letter,
    /// `lettres/<AAAA-MM>/<slug>.md`.
    Article,
    /// `agenda/…/<slug>.md`.
    Event,
    /// `programmes/<slug>.md`.
    Programme,
    /// `repertoire/<pays>/_index.md`.
    Directory,
    /// `repertoire/<pays>/<slug>.md`.
    Partnership,
}

impl Kind {
    /// The keys of this kind, from the model.
    pub fn keys(self) -> &'static [Key] {
        match self {
            Kind::Site => model::SITE_KEYS,
            Kind::Group => model::GROUP_KEYS,
            Kind::Letter => model::LETTER_KEYS,
            Kind::Article => model::ARTICLE_KEYS,
            Kind::Event => model::EVENT_KEYS,
            Kind::Programme => model::PROGRAMME_KEYS,
            Kind::Directory => model::DIRECTORY_KEYS,
            Kind::Partnership => model::PARTNERSHIP_KEYS,
        }
    }

    /// Whether files of this kind have a Markdown body.
    pub fn has_body(self) -> bool {
        self != Kind::Site
    }

    /// The top-level keys the load stage requires (the fields of the
    /// model's structs without a default; checked by a unit test).
    pub fn required(self) -> &'static [&'static str] {
        match self {
            Kind::Site => &["title", "base_url", "letter_title", "sections", "themes"],
            Kind::Group => &["name", "kind"],
            Kind::Letter => &["title", "date", "period"],
            Kind::Article => &["title", "section"],
            // `start` may wait for its date in a programme: checked on save.
            Kind::Event => &["title"],
            Kind::Programme => &["title"],
            Kind::Directory => &["title"],
            Kind::Partnership => &["french", "partner"],
        }
    }
}

/// The message of a slug that is not one (as `cufpress check` words it).
pub const SLUG_MESSAGE: &str =
    "nom invalide : seuls les minuscules sans accent, les chiffres et le tiret sont permis";
/// The message of an image without its alternative text.
pub const IMAGE_ALT_MESSAGE: &str =
    "image sans texte alternatif : image_alt est obligatoire avec image";
/// The message of an event without a start outside a programme.
pub const START_MESSAGE: &str = "la clé obligatoire `start` manque";
/// The message of a bad date.
pub const DATE_MESSAGE: &str =
    "date invalide : attendu une date réelle au format AAAA-MM-JJ, par exemple 2025-09-10";
/// The message of a bad date or date-time.
pub const WHEN_MESSAGE: &str = "date invalide : attendu AAAA-MM-JJ (journée entière) ou AAAA-MM-JJTHH:MM (heure de Paris), par exemple 2025-10-14 ou 2025-10-14T14:00";

const SLUG_RE: &str = "^[a-z0-9-]+$";
const WHEN_RE: &str =
    "^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])(T([01][0-9]|2[0-3]):[0-5][0-9])?$";
const URL_RE: &str =
    "^(https?://[^\\s/?#@:\\\\][^\\s\\\\]*|mailto:\\S+|tel:\\S+|/(?!/)[^\\s\\\\]*)$";
const HTTPS_RE: &str = "^https://[^\\s/?#@:\\\\][^\\s\\\\]*$";
const EMAIL_RE: &str = "^[^\\s@<>\"'`\\\\:;,?&=()\\[\\]{}]+@[^\\s@<>\"'`\\\\:;,?&=()\\[\\]{}.][^\\s@<>\"'`\\\\:;,?&=()\\[\\]{}]*\\.[^\\s@<>\"'`\\\\:;,?&=()\\[\\]{}.]+$";
const COUNTRY_RE: &str = "^[A-Z]{2}$";
const MONTH_RE: &str = "^[0-9]{4}-(0[1-9]|1[0-2])$";
const MONTH_OR_DAY_RE: &str = "^[0-9]{4}-(0[1-9]|1[0-2])(-(0[1-9]|[12][0-9]|3[01]))?$";

fn pattern(re: &str, message: &str) -> Node {
    Node::List(vec![s(re), s(message)])
}

fn options(pairs: &[(String, String)]) -> Node {
    Node::List(
        pairs
            .iter()
            .map(|(value, label)| map([("label", s(label.clone())), ("value", s(value.clone()))]))
            .collect(),
    )
}

fn fixed(pairs: &[(&str, &str)]) -> Node {
    Node::List(
        pairs
            .iter()
            .map(|(value, label)| map([("label", s(*label)), ("value", s(*value))]))
            .collect(),
    )
}

fn string() -> Node {
    map([("widget", s("string"))])
}

fn with(mut base: Node, extra: impl IntoIterator<Item = (&'static str, Node)>) -> Node {
    for (k, v) in extra {
        base.set(k, v);
    }
    base
}

fn date() -> Node {
    map([
        ("widget", s("datetime")),
        ("format", s("YYYY-MM-DD")),
        ("date_format", s("YYYY-MM-DD")),
        ("time_format", Node::Bool(false)),
        ("picker_utc", Node::Bool(true)),
    ])
}

fn select(opts: Node, multiple: bool) -> Node {
    let mut n = map([("widget", s("select")), ("options", opts)]);
    if multiple {
        n.set("multiple", Node::Bool(true));
    }
    n
}

fn boolean() -> Node {
    map([("widget", s("boolean")), ("default", Node::Bool(false))])
}

fn integer() -> Node {
    map([("widget", s("number")), ("value_type", s("int"))])
}

fn list_of(field: Node) -> Node {
    map([("widget", s("list")), ("field", field)])
}

/// Label, widget and options of `key` (at `path`, e.g. `french.type`) in
/// files of `kind`.
fn describe(kind: Kind, path: &str, choices: &Choices) -> (&'static str, Node) {
    use Kind::*;
    let url = || {
        with(
            string(),
            [
                ("pattern", pattern(URL_RE, URL_HINT)),
                ("hint", s("https://… , mailto:… ou /page/ du site")),
            ],
        )
    };
    let email = || {
        with(
            string(),
            [(
                "pattern",
                pattern(
                    EMAIL_RE,
                    "adresse e-mail invalide : écrivez seulement l'adresse, par exemple contact@ville.fr",
                ),
            )],
        )
    };
    let themes = || select(options(&choices.themes), true);
    let group = || select(options(&choices.groups), false);
    let text = || map([("widget", s("text"))]);
    let when = |hint: &'static str| {
        with(
            string(),
            [
                ("pattern", pattern(WHEN_RE, WHEN_MESSAGE)),
                ("hint", s(hint)),
            ],
        )
    };
    let countries = || {
        list_of(with(
            string(),
            [
                ("label", s("Code pays")),
                ("name", s("code")),
                (
                    "pattern",
                    pattern(
                        COUNTRY_RE,
                        "code ISO à deux lettres majuscules, par exemple MG",
                    ),
                ),
            ],
        ))
    };
    match (kind, path) {
        (_, "title") => ("Titre", string()),
        (_, "draft") => ("Brouillon (absent du site publié)", boolean()),
        (Site, "base_url") => (
            "Adresse du site",
            with(
                string(),
                [(
                    "pattern",
                    pattern(
                        HTTPS_RE,
                        "base_url doit être une adresse absolue en https://, par exemple https://www.cites-unies-france.org",
                    ),
                )],
            ),
        ),
        (Site, "language") => ("Langue", with(string(), [("default", s("fr"))])),
        (Site, "letter_title") => ("Titre de La Lettre", string()),
        (Site, "address") => ("Adresse postale", string()),
        (Site, "phone") => ("Téléphone", string()),
        (Site, "email") => ("E-mail de contact", email()),
        (Site, "social") => ("Réseaux sociaux", map([("widget", s("list"))])),
        (Site, "social.name") => ("Nom", string()),
        (Site, "social.url") => ("Adresse", url()),
        (Site, "sections") => (
            "Rubriques de La Lettre (dans l'ordre d'impression)",
            map([("widget", s("list")), ("collapsed", Node::Bool(false))]),
        ),
        (Site, "sections.id") => (
            "Identifiant",
            with(
                string(),
                [
                    ("pattern", pattern(SLUG_RE, SLUG_MESSAGE)),
                    (
                        "hint",
                        s("minuscules sans accent, chiffres et tirets, par exemple appui-conseil"),
                    ),
                ],
            ),
        ),
        (Site, "sections.title") => ("Titre imprimé", string()),
        (Site, "themes") => ("Thèmes", map([("widget", s("hidden"))])),
        (Site, "mailing") => (
            "Envoi de l'e-mail",
            map([("widget", s("object")), ("collapsed", Node::Bool(true))]),
        ),
        (Site, "mailing.utm_source") => ("utm_source", string()),
        (Site, "mailing.utm_medium") => ("utm_medium", string()),
        (Site, "mailing.unsubscribe") => (
            "Balise de désinscription de l'outil d'envoi",
            with(
                string(),
                [(
                    "hint",
                    s("par exemple {{ unsubscribe }} (Brevo) ou *|UNSUB|* (Mailchimp)"),
                )],
            ),
        ),
        (Site, "mailing.unsubscribe_url") => ("Page de désinscription", url()),
        (Site, "mailing.unsubscribe_email") => ("Adresse de désinscription", email()),
        (Site, "mailing.full_text") => ("Texte intégral dans l'e-mail", boolean()),
        (Site, "logo") => (
            "Logo",
            map([("widget", s("object")), ("collapsed", Node::Bool(true))]),
        ),
        (Site, "logo.src") => ("Image du logo", map([("widget", s("image"))])),
        (Site, "logo.alt") => ("Texte alternatif du logo", string()),
        (Site, "supporters") => ("Soutiens (pied de l'e-mail)", map([("widget", s("list"))])),
        (Site, "supporters.name") => ("Nom", string()),
        (Site, "supporters.logo") => ("Logo", map([("widget", s("image"))])),
        (Site, "supporters.url") => ("Site", url()),
        (Site, "admin") => (
            "Back-office (dépôt où enregistrer)",
            map([("widget", s("object")), ("collapsed", Node::Bool(true))]),
        ),
        (Site, "admin.backend") => (
            "Hébergeur",
            select(
                fixed(&[
                    ("github", "GitHub"),
                    ("gitlab", "GitLab"),
                    ("git-gateway", "Git Gateway (Netlify)"),
                ]),
                false,
            ),
        ),
        (Site, "admin.repo") => (
            "Dépôt",
            with(
                string(),
                [(
                    "hint",
                    s("organisation/depot, par exemple cites-unies-france/site"),
                )],
            ),
        ),
        (Site, "admin.branch") => ("Branche publiée", with(string(), [("default", s("main"))])),
        (Site, "admin.editorial_workflow") => (
            "Relecture avant publication (demande de fusion)",
            map([("widget", s("boolean")), ("default", Node::Bool(true))]),
        ),
        (Site, "admin.auth_url") => ("Serveur de connexion (https://)", url()),
        (Site, "admin.app_id") => ("Identifiant d'application GitLab", string()),
        (Group, "name") => ("Nom", string()),
        (Group, "kind") => (
            "Type",
            select(
                fixed(&[
                    ("pays", "Groupe-pays"),
                    ("thematique", "Dynamique thématique"),
                    ("regionale", "Dynamique régionale"),
                ]),
                false,
            ),
        ),
        (Group | Directory, "countries") => ("Pays (codes ISO)", countries()),
        (Group, "president") => (
            "Présidence",
            map([("widget", s("object")), ("collapsed", Node::Bool(true))]),
        ),
        (Group, "president.name") => ("Nom", string()),
        (Group, "president.gender") => (
            "Titre",
            select(fixed(&[("f", "Présidente"), ("m", "Président")]), false),
        ),
        (Group, "president.function") => ("Fonction", string()),
        (Group, "president.collectivite") => (
            "Collectivité",
            with(
                string(),
                [(
                    "hint",
                    s("à omettre quand la fonction nomme déjà la collectivité"),
                )],
            ),
        ),
        (Letter, "number") => ("Numéro", integer()),
        (Letter, "date") => ("Date de parution", date()),
        (Letter, "period") => ("Période de l'agenda", map([("widget", s("object"))])),
        (Letter, "period.from") => ("Du", date()),
        (Letter, "period.to") => ("Au", date()),
        (Letter, "preheader") => ("Accroche (aperçu des messageries)", string()),
        (Letter, "subject") => ("Objet de l'e-mail", string()),
        (Article, "section") => ("Rubrique", select(options(&choices.sections), false)),
        (Article | Event | Directory, "group") => ("Groupe", group()),
        (Article | Event | Partnership, "themes") => ("Thèmes", themes()),
        (Article, "date") => ("Date", date()),
        (Article, "summary") => ("Résumé (une ou deux phrases)", text()),
        (Article, "pdf") => (
            "Édition PDF",
            map([("widget", s("object")), ("collapsed", Node::Bool(true))]),
        ),
        (Article, "pdf.saut_avant") => ("Commencer une nouvelle page dans le PDF", boolean()),
        (Article | Event, "link") => ("Pour plus d'informations (adresse)", url()),
        (Article, "image") => (
            "Image",
            with(
                map([("widget", s("image"))]),
                [("choose_url", Node::Bool(false))],
            ),
        ),
        (Article, "image_alt") => (
            "Texte alternatif de l'image",
            with(
                string(),
                [(
                    "hint",
                    s("obligatoire avec une image : ce que montre l'image"),
                )],
            ),
        ),
        (Article, "author") => ("Signature", string()),
        (Article, "weight") => ("Ordre dans la rubrique", integer()),
        (Event, "start") => (
            "Début",
            when(
                "AAAA-MM-JJ (journée entière) ou AAAA-MM-JJTHH:MM (heure de Paris) ; obligatoire sauf pour une séance de programme sans date",
            ),
        ),
        (Event, "end") => ("Fin", when("mêmes formes que le début, jamais avant lui")),
        (Event, "place") => ("Lieu", string()),
        (Event, "format") => (
            "Format",
            select(
                fixed(&[
                    ("presentiel", "Présentiel"),
                    ("visio", "Visio"),
                    ("hybride", "Hybride"),
                ]),
                false,
            ),
        ),
        (Event, "members_only") => ("Réservé aux adhérents de CUF", boolean()),
        (Event, "highlight") => ("Autres dates à retenir", boolean()),
        (Event, "programme") => ("Programme", select(options(&choices.programmes), false)),
        (Event, "mandatory") => ("Séance obligatoire du programme", boolean()),
        (Event | Programme, "audience") => ("Public", string()),
        (Event, "partners") => (
            "Co-organisateurs",
            list_of(with(string(), [("name", s("name")), ("label", s("Nom"))])),
        ),
        (Event, "subtitle") => ("Sous-titre", string()),
        (Programme | Directory, "edition") => (
            "Édition",
            if kind == Directory {
                with(
                    string(),
                    [(
                        "pattern",
                        pattern(MONTH_RE, "écrivez AAAA-MM, par exemple 2025-06"),
                    )],
                )
            } else {
                string()
            },
        ),
        (Programme, "completion") => (
            "Validation du parcours",
            map([("widget", s("object")), ("collapsed", Node::Bool(true))]),
        ),
        (Programme, "completion.min_sessions") => ("Nombre minimal de séances", integer()),
        (Programme, "completion.mandatory") => ("Nombre de séances obligatoires", integer()),
        (Programme | Partnership, "contacts") => ("Contacts", map([("widget", s("list"))])),
        (_, "contacts.name") => ("Nom", string()),
        (_, "contacts.role") => ("Fonction", string()),
        (_, "contacts.email") => ("E-mail", email()),
        (Programme, "partners") => ("Partenaires", map([("widget", s("list"))])),
        (Programme, "partners.name") => ("Nom", string()),
        (Programme, "partners.description") => ("Rôle", text()),
        (Programme, "timeline") => ("Calendrier", map([("widget", s("list"))])),
        (Programme, "timeline.date") => (
            "Date",
            with(
                string(),
                [(
                    "pattern",
                    pattern(
                        MONTH_OR_DAY_RE,
                        "écrivez AAAA-MM (un mois, par exemple 2026-02) ou AAAA-MM-JJ (un jour, par exemple 2026-03-10)",
                    ),
                )],
            ),
        ),
        (Programme, "timeline.label") => ("Étape", string()),
        (Directory, "country") => (
            "Pays (code ISO)",
            with(
                string(),
                [(
                    "pattern",
                    pattern(
                        COUNTRY_RE,
                        "code ISO à deux lettres majuscules, par exemple JP",
                    ),
                )],
            ),
        ),
        (Partnership, "french") => ("Collectivité française", map([("widget", s("object"))])),
        (Partnership, "french.name") | (Partnership, "partner.name") => ("Nom", string()),
        (Partnership, "french.type") => (
            "Type",
            select(
                fixed(&[
                    ("commune", "Commune"),
                    ("epci", "EPCI"),
                    ("departement", "Département"),
                    ("region", "Région"),
                    ("autre", "Autre"),
                ]),
                false,
            ),
        ),
        (Partnership, "french.region") | (Partnership, "partner.region") => ("Région", string()),
        (Partnership, "french.department") => ("Département", string()),
        (Partnership, "partner") => ("Collectivité partenaire", map([("widget", s("object"))])),
        (Partnership, "partner.type") => ("Type", string()),
        (Partnership, "partner.country") => (
            "Pays (code ISO, par défaut celui du répertoire)",
            with(
                string(),
                [(
                    "pattern",
                    pattern(
                        COUNTRY_RE,
                        "code ISO à deux lettres majuscules, par exemple JP",
                    ),
                )],
            ),
        ),
        (Partnership, "kind") => (
            "Nature",
            select(
                fixed(&[
                    ("jumelage", "Jumelage"),
                    ("cooperation", "Coopération"),
                    ("amitie", "Amitié"),
                    ("autre", "Autre"),
                ]),
                false,
            ),
        ),
        (Partnership, "since") => ("Depuis (année)", integer()),
        (Partnership, "status") => (
            "Statut",
            select(
                fixed(&[("active", "Actif"), ("en-sommeil", "En sommeil")]),
                false,
            ),
        ),
        (Partnership, "projects") => ("Projets", map([("widget", s("list"))])),
        (Partnership, "projects.title") => ("Titre", string()),
        (Partnership, "projects.years") => (
            "Années",
            with(string(), [("hint", s("par exemple 2019-2022"))]),
        ),
        (Partnership, "projects.funding") => (
            "Financements",
            list_of(with(
                string(),
                [("name", s("name")), ("label", s("Financeur"))],
            )),
        ),
        (Partnership, "website") => ("Site web", url()),
        _ => ("", string()),
    }
}

/// Whether `path` (`name` or `french.name`) must be filled in.
fn is_required(kind: Kind, path: &str) -> bool {
    match path.split_once('.') {
        None => kind.required().contains(&path),
        // Inside an object or list item: the keys the model's structs
        // require there.
        Some((_, leaf)) => matches!(
            (path, leaf),
            (_, "name")
                | ("period.from" | "period.to", _)
                | ("sections.id" | "sections.title", _)
                | ("president.gender", _)
                | ("french.type", _)
                | ("timeline.date" | "timeline.label", _)
                | ("projects.title", _)
                | ("social.url", _)
                | ("logo.src" | "logo.alt", _)
                | ("admin.backend", _)
        ),
    }
}

/// The field list of `keys` under `parent` (empty at the top). `optional`:
/// the keys are those of an optional object (`president`, `logo`), which
/// Decap would check even when it is left out: `cufpress check` does.
fn fields_of(
    kind: Kind,
    keys: &'static [Key],
    parent: &str,
    optional: bool,
    choices: &Choices,
) -> Vec<Node> {
    keys.iter()
        .map(|(name, shape)| {
            let path = if parent.is_empty() {
                (*name).to_string()
            } else {
                format!("{parent}.{name}")
            };
            let (label, mut widget) = describe(kind, &path, choices);
            let label = if label.is_empty() { *name } else { label };
            let mut field = map([("name", s(*name)), ("label", s(label))]);
            if let Node::Map(pairs) = &mut widget {
                for (k, v) in pairs.drain(..) {
                    field.set(&k, v);
                }
            }
            let required = !optional && is_required(kind, &path);
            match shape {
                Shape::Map(sub) => {
                    let sub = fields_of(kind, sub, &path, !required, choices);
                    field.set("fields", Node::List(sub));
                }
                // List items exist only once added: their keys are checked.
                Shape::List(sub) => {
                    field.set(
                        "fields",
                        Node::List(fields_of(kind, sub, &path, false, choices)),
                    );
                }
                _ => {}
            }
            let hidden = field.get("widget") == Some(&s("hidden"));
            if !hidden {
                field.set("required", Node::Bool(required));
            }
            field
        })
        .collect()
}

/// Every field of a file of `kind`, the Markdown body last.
pub fn fields(kind: Kind, choices: &Choices) -> Vec<Node> {
    let mut out = fields_of(kind, kind.keys(), "", false, choices);
    if kind.has_body() {
        out.push(map([
            ("name", s("body")),
            ("label", s("Texte")),
            ("widget", s("markdown")),
            // Raw HTML of a body never runs in the preview pane.
            ("sanitize_preview", Node::Bool(true)),
            ("required", Node::Bool(false)),
        ]));
    }
    out
}

/// The choices of `config` and the site's groups and programmes.
pub fn choices(site: &model::Site) -> Choices {
    let config: &SiteConfig = &site.config;
    let mut groups: Vec<(String, String)> = site
        .groups
        .iter()
        .map(|g| (g.slug.clone(), g.front.name.clone()))
        .collect();
    groups.sort();
    let mut programmes: Vec<(String, String)> = site
        .programmes
        .iter()
        .map(|p| (p.slug.clone(), p.front.title.clone()))
        .collect();
    programmes.sort();
    Choices {
        sections: config
            .sections
            .iter()
            .map(|s| (s.id.clone(), s.title.clone()))
            .collect(),
        themes: config
            .themes
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect(),
        groups,
        programmes,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn none() -> Choices {
        Choices {
            sections: vec![],
            themes: vec![],
            groups: vec![],
            programmes: vec![],
        }
    }

    const KINDS: [Kind; 8] = [
        Kind::Site,
        Kind::Group,
        Kind::Letter,
        Kind::Article,
        Kind::Event,
        Kind::Programme,
        Kind::Directory,
        Kind::Partnership,
    ];

    fn walk(kind: Kind, keys: &'static [Key], parent: &str, missing: &mut Vec<String>) {
        for (name, shape) in keys {
            let path = if parent.is_empty() {
                (*name).to_string()
            } else {
                format!("{parent}.{name}")
            };
            if describe(kind, &path, &none()).0.is_empty() {
                missing.push(format!("{kind:?} {path}"));
            }
            if let Shape::Map(sub) | Shape::List(sub) = shape {
                walk(kind, sub, &path, missing);
            }
        }
    }

    /// Every key of the model has a form field of its own: a key added to
    /// the schema without one fails here.
    #[test]
    fn every_key_of_the_model_has_a_widget() {
        let mut missing = Vec::new();
        for kind in KINDS {
            walk(kind, kind.keys(), "", &mut missing);
        }
        assert!(missing.is_empty(), "sans champ de formulaire : {missing:?}");
    }

    /// The required keys are the ones the model's structs need: a file
    /// with only them loads, a file missing any one of them does not.
    #[test]
    fn required_keys_are_the_models() {
        fn check<T: serde::de::DeserializeOwned>(kind: Kind, full: &str) {
            let v: yaml_serde::Value = yaml_serde::from_str(full).unwrap();
            let yaml_serde::Value::Mapping(m) = &v else {
                panic!()
            };
            assert!(yaml_serde::from_value::<T>(v.clone()).is_ok(), "{kind:?}");
            for k in m.keys() {
                let k = k.as_str().unwrap();
                let mut less = m.clone();
                less.remove(k);
                let loads = yaml_serde::from_value::<T>(yaml_serde::Value::Mapping(less)).is_ok();
                assert_eq!(
                    loads,
                    !kind.required().contains(&k),
                    "{kind:?}.{k}: required() disagrees with the model"
                );
            }
        }
        check::<model::SiteConfig>(
            Kind::Site,
            "title: a\nbase_url: https://x.org\nletter_title: b\nsections: []\nthemes: {}\nlanguage: fr\n",
        );
        check::<model::GroupFront>(Kind::Group, "name: a\nkind: pays\ncountries: [MG]\n");
        check::<model::LetterFront>(
            Kind::Letter,
            "title: a\ndate: 2025-09-10\nperiod: {from: 2025-09-10, to: 2025-10-31}\nnumber: 3\n",
        );
        check::<model::ArticleFront>(Kind::Article, "title: a\nsection: x\nauthor: b\n");
        check::<model::EventFront>(Kind::Event, "title: a\nstart: 2025-09-10\n");
        check::<model::ProgrammeFront>(Kind::Programme, "title: a\nedition: x\n");
        check::<model::DirectoryFront>(Kind::Directory, "title: a\ncountry: JP\n");
        check::<model::PartnershipFront>(
            Kind::Partnership,
            "french: {name: a, type: commune}\npartner: {name: b}\nsince: 2001\n",
        );
    }
}

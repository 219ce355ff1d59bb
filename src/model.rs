//! The site model: plain data written by the `load` stage and read by every
//! later stage. No I/O here, so tests can build a `Site` in memory.

use std::collections::BTreeMap;
use std::sync::Arc;

use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Deserializer};

use crate::schema::{Key, Shape};

/// A whole site, loaded and checked.
#[derive(Debug, Clone)]
pub struct Site {
    /// `content/site.yaml`.
    pub config: SiteConfig,
    /// Country groups and dynamics, by slug.
    pub groups: Vec<Page<GroupFront>>,
    /// Issues of the letter, oldest first.
    pub letters: Vec<Letter>,
    /// Events of the agenda (in path order).
    pub events: Vec<Page<EventFront>>,
    /// Programmes and cycles of events.
    pub programmes: Vec<Page<ProgrammeFront>>,
    /// Country directories of partnerships.
    pub directories: Vec<Directory>,
    /// Files copied as they are (images and other attachments), site-root-relative.
    pub assets: Vec<String>,
    /// Paths of the drafts left out of this build, so links to them can be explained.
    pub drafts: Vec<String>,
    /// Paths of the files that could not be loaded (already reported), so
    /// references to them are not reported a second time.
    pub failed: Vec<String>,
}

/// One issue of La Lettre: its `_index.md` and its articles.
#[derive(Debug, Clone)]
pub struct Letter {
    /// `AAAA-MM`, the folder name.
    pub id: String,
    /// The issue's own page.
    pub index: Page<LetterFront>,
    /// Its articles, in file-name order (ordering is a `resolve` concern).
    pub articles: Vec<Page<ArticleFront>>,
}

/// One country directory: its `_index.md` and its partnerships.
#[derive(Debug, Clone)]
pub struct Directory {
    /// The folder name, e.g. `japon`.
    pub slug: String,
    /// The directory's own page.
    pub index: Page<DirectoryFront>,
    /// Its partnerships, in file-name order.
    pub partnerships: Vec<Page<PartnershipFront>>,
}

/// A content file: where it comes from, its front matter and its body.
#[derive(Debug, Clone)]
pub struct Page<F> {
    /// Path relative to the site root, with `/` separators (`content/…`).
    pub path: String,
    /// File name without extension (for `_index.md`, the folder name).
    pub slug: String,
    /// The typed front matter. Shared: `serve` hands the same loaded page
    /// to every rebuild that did not touch its file (see `load::cache`).
    pub front: Arc<F>,
    /// The Markdown body, turned into HTML (shared, like `front`).
    pub body: Arc<Body>,
    /// Line (1-based) of each top-level front-matter key, for later diagnostics.
    pub key_lines: Arc<BTreeMap<String, u32>>,
    /// The whole source text, for excerpts in diagnostics.
    pub source: Arc<str>,
}

impl<F> Page<F> {
    /// Line of a top-level key, or 1 when absent.
    pub fn line_of(&self, key: &str) -> u32 {
        self.key_lines.get(key).copied().unwrap_or(1)
    }
}

/// A Markdown body rendered to HTML, with what it refers to.
#[derive(Debug, Clone, Default)]
pub struct Body {
    /// Sanitised HTML fragment, internal links already rewritten to URLs.
    pub html: String,
    /// The Markdown source (without front matter).
    pub markdown: String,
    /// Links to other content files, for `resolve` to check.
    pub links: Vec<Reference>,
    /// Images and attachments referenced from the body.
    pub images: Vec<Reference>,
}

/// A reference from a body to another file of `content/`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reference {
    /// Target path relative to the site root (`content/…`), normalised.
    pub target: String,
    /// As the writer wrote it.
    pub written: String,
    /// Where it is written (1-based).
    pub line: u32,
    /// Column (1-based).
    pub column: u32,
}

/// A calendar date written `AAAA-MM-JJ`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date(pub NaiveDate);

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
            .map(Date)
            .map_err(|_| {
                serde::de::Error::custom(format!(
                    "date invalide « {s} » : attendu une date réelle au format AAAA-MM-JJ, par exemple 2025-09-10"
                ))
            })
    }
}

/// A date or a Paris-time date-time: `AAAA-MM-JJ` or `AAAA-MM-JJTHH:MM`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum When {
    /// An all-day date.
    Day(NaiveDate),
    /// A local (Europe/Paris) date and time.
    At(NaiveDateTime),
}

impl When {
    /// The calendar day.
    pub fn date(&self) -> NaiveDate {
        match self {
            When::Day(d) => *d,
            When::At(dt) => dt.date(),
        }
    }

    /// Parses the two accepted forms.
    pub fn parse(s: &str) -> Option<When> {
        let s = s.trim();
        if let Ok(d) = NaiveDate::parse_from_str(s, "%Y-%m-%d") {
            return Some(When::Day(d));
        }
        ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"]
            .iter()
            .find_map(|f| NaiveDateTime::parse_from_str(s, f).ok())
            .map(When::At)
    }
}

impl<'de> Deserialize<'de> for When {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        When::parse(&s).ok_or_else(|| {
            serde::de::Error::custom(format!(
                "date invalide « {s} » : attendu AAAA-MM-JJ (journée entière) ou AAAA-MM-JJTHH:MM (heure de Paris), par exemple 2025-10-14 ou 2025-10-14T14:00"
            ))
        })
    }
}

/// `site.yaml`.
#[derive(Debug, Clone, Deserialize)]
pub struct SiteConfig {
    /// "Cités Unies France".
    pub title: String,
    /// Absolute `https://` URL of the published site.
    pub base_url: String,
    /// `lang` of every page.
    #[serde(default = "default_language")]
    pub language: String,
    /// "La Lettre de Cités Unies France".
    pub letter_title: String,
    /// Postal address.
    #[serde(default)]
    pub address: Option<String>,
    /// Phone number.
    #[serde(default)]
    pub phone: Option<String>,
    /// Contact e-mail address.
    #[serde(default)]
    pub email: Option<String>,
    /// Social networks.
    #[serde(default)]
    pub social: Vec<Social>,
    /// Sections of a letter, in print order.
    pub sections: Vec<SectionDef>,
    /// Controlled vocabulary of themes, `id: label`.
    pub themes: BTreeMap<String, String>,
    /// E-mail campaign settings.
    #[serde(default)]
    pub mailing: Option<Mailing>,
    /// The sender's logo, in the e-mail's and the site's header.
    #[serde(default)]
    pub logo: Option<Logo>,
    /// Logos of the supporters, in the e-mail's footer
    /// (« Dispositif soutenu par : »).
    #[serde(default)]
    pub supporters: Vec<Supporter>,
    /// The back-office in the browser (`public/admin/`): where it saves.
    #[serde(default)]
    pub admin: Option<AdminConfig>,
    /// Line of each top-level key in `site.yaml`, for diagnostics.
    #[serde(skip)]
    pub key_lines: BTreeMap<String, u32>,
}

impl SiteConfig {
    /// Line of `key` in `site.yaml` (1 when it is not written there).
    pub fn line_of(&self, key: &str) -> u32 {
        self.key_lines.get(key).copied().unwrap_or(1)
    }
}

/// `admin:` of `site.yaml`: the Git host the back-office saves to.
#[derive(Debug, Clone, Deserialize)]
pub struct AdminConfig {
    /// `github`, `gitlab` or `git-gateway`.
    pub backend: AdminBackend,
    /// `owner/name` of the content repository (GitHub, GitLab).
    #[serde(default)]
    pub repo: Option<String>,
    /// The branch the site is published from.
    #[serde(default = "default_branch")]
    pub branch: String,
    /// Each draft saved as a pull/merge request, published on merge.
    #[serde(default = "default_true")]
    pub editorial_workflow: bool,
    /// `https://` address of the OAuth server that signs writers in to
    /// GitHub (Decap's `base_url`), when it is not Netlify's.
    #[serde(default)]
    pub auth_url: Option<String>,
    /// GitLab application id, for GitLab's own sign-in (PKCE).
    #[serde(default)]
    pub app_id: Option<String>,
}

/// The Git hosts the back-office can save to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum AdminBackend {
    /// GitHub.
    Github,
    /// GitLab.
    Gitlab,
    /// Netlify's Git Gateway (or a compatible one).
    GitGateway,
}

impl AdminBackend {
    /// The name Decap CMS knows it by.
    pub fn decap_name(self) -> &'static str {
        match self {
            AdminBackend::Github => "github",
            AdminBackend::Gitlab => "gitlab",
            AdminBackend::GitGateway => "git-gateway",
        }
    }
}

fn default_branch() -> String {
    "main".into()
}

fn default_true() -> bool {
    true
}

/// An image of `content/` and its alternative text.
#[derive(Debug, Clone, Deserialize, serde::Serialize)]
pub struct Logo {
    /// Path of the image, relative to `content/` (`images/logo.png`).
    pub src: String,
    /// What the image says ("Cités Unies France").
    pub alt: String,
}

/// A supporter shown in the e-mail's footer.
#[derive(Debug, Clone, Deserialize, serde::Serialize)]
pub struct Supporter {
    /// Name, also the logo's alternative text.
    pub name: String,
    /// Its logo, relative to `content/`; the name alone without it.
    #[serde(default)]
    pub logo: Option<String>,
    /// Its web site.
    #[serde(default)]
    pub url: Option<String>,
}

fn default_language() -> String {
    "fr".into()
}

/// A social network link.
#[derive(Debug, Clone, Deserialize, serde::Serialize)]
pub struct Social {
    /// "LinkedIn".
    pub name: String,
    /// Profile URL.
    pub url: String,
}

/// A section of the letter.
#[derive(Debug, Clone, Deserialize, serde::Serialize)]
pub struct SectionDef {
    /// Identifier used by articles.
    pub id: String,
    /// Printed title.
    pub title: String,
}

/// Settings of the e-mail campaign.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Mailing {
    /// `utm_source`.
    #[serde(default)]
    pub utm_source: Option<String>,
    /// `utm_medium`.
    #[serde(default)]
    pub utm_medium: Option<String>,
    /// The mailing tool's unsubscribe merge tag, written verbatim.
    #[serde(default)]
    pub unsubscribe: Option<String>,
    /// `https://` address of a one-click unsubscribe page, for the
    /// `List-Unsubscribe` header of the `.eml`.
    #[serde(default)]
    pub unsubscribe_url: Option<String>,
    /// Address that unsubscribes whoever writes to it, for the same header.
    #[serde(default)]
    pub unsubscribe_email: Option<String>,
    /// Full article text in the e-mail (true) or teasers under their
    /// titles linked to their pages (false, the default).
    #[serde(default)]
    pub full_text: bool,
}

/// `groupes/<slug>.md`.
#[derive(Debug, Clone, Deserialize)]
pub struct GroupFront {
    /// Display name.
    pub name: String,
    /// Kind of group.
    pub kind: GroupKind,
    /// ISO 3166-1 alpha-2 codes.
    #[serde(default)]
    pub countries: Vec<String>,
    /// Who chairs it.
    #[serde(default)]
    pub president: Option<President>,
}

/// The three kinds of groups.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum GroupKind {
    /// A groupe-pays.
    Pays,
    /// A dynamique thématique.
    Thematique,
    /// A regional dynamic.
    Regionale,
}

/// The president of a group.
#[derive(Debug, Clone, Deserialize)]
pub struct President {
    /// Full name.
    pub name: String,
    /// `f` or `m`.
    pub gender: Gender,
    /// Function, e.g. "adjointe au maire …".
    #[serde(default)]
    pub function: Option<String>,
    /// Local authority, when the function does not name it.
    #[serde(default)]
    pub collectivite: Option<String>,
}

/// Grammatical gender of a title.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Gender {
    /// Présidente.
    F,
    /// Président.
    M,
}

/// `lettres/<AAAA-MM>/_index.md`.
#[derive(Debug, Clone, Deserialize)]
pub struct LetterFront {
    /// "Septembre & Octobre 2025".
    pub title: String,
    /// Issue number.
    #[serde(default)]
    pub number: Option<u32>,
    /// Publication date.
    pub date: Date,
    /// Window of the agenda section.
    pub period: Period,
    /// Teaser shown by mail clients.
    #[serde(default)]
    pub preheader: Option<String>,
    /// Subject of the e-mail, when the default does not suit.
    #[serde(default)]
    pub subject: Option<String>,
    /// Left out unless drafts are asked for.
    #[serde(default)]
    pub draft: bool,
}

/// A window of dates, both ends included.
#[derive(Debug, Clone, Copy, Deserialize)]
pub struct Period {
    /// First day.
    pub from: Date,
    /// Last day.
    pub to: Date,
}

/// `lettres/<AAAA-MM>/<slug>.md`.
#[derive(Debug, Clone, Deserialize)]
pub struct ArticleFront {
    /// Title.
    pub title: String,
    /// Section id.
    pub section: String,
    /// Group slug.
    #[serde(default)]
    pub group: Option<String>,
    /// Theme ids.
    #[serde(default)]
    pub themes: Vec<String>,
    /// Date of the news.
    #[serde(default)]
    pub date: Option<Date>,
    /// Teaser text.
    #[serde(default)]
    pub summary: Option<String>,
    /// "Pour plus d'informations" URL.
    #[serde(default)]
    pub link: Option<String>,
    /// Image path, relative to the issue folder.
    #[serde(default)]
    pub image: Option<String>,
    /// Its alternative text.
    #[serde(default)]
    pub image_alt: Option<String>,
    /// Signature.
    #[serde(default)]
    pub author: Option<String>,
    /// Order inside the section.
    #[serde(default)]
    pub weight: Option<i64>,
    /// Layout hints for the PDF edition.
    #[serde(default)]
    pub pdf: Option<PdfHints>,
    /// Left out unless drafts are asked for.
    #[serde(default)]
    pub draft: bool,
}

/// `pdf:` of an article: how the PDF edition lays it out.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct PdfHints {
    /// Start the article on a new page.
    #[serde(default)]
    pub saut_avant: bool,
}

/// `agenda/…/<slug>.md`.
#[derive(Debug, Clone, Deserialize)]
pub struct EventFront {
    /// Title.
    pub title: String,
    /// Start; may be absent only for a programme's session not yet dated.
    #[serde(default)]
    pub start: Option<When>,
    /// End, never before start.
    #[serde(default)]
    pub end: Option<When>,
    /// "Sénat, Paris".
    #[serde(default)]
    pub place: Option<String>,
    /// In person, online or both.
    #[serde(default)]
    pub format: Option<EventFormat>,
    /// Reserved to CUF members.
    #[serde(default)]
    pub members_only: bool,
    /// Group slug.
    #[serde(default)]
    pub group: Option<String>,
    /// URL.
    #[serde(default)]
    pub link: Option<String>,
    /// Theme ids.
    #[serde(default)]
    pub themes: Vec<String>,
    /// Listed under "Autres dates à retenir".
    #[serde(default)]
    pub highlight: bool,
    /// Programme slug.
    #[serde(default)]
    pub programme: Option<String>,
    /// A mandatory session of its programme.
    #[serde(default)]
    pub mandatory: bool,
    /// Narrower audience, e.g. `promotion`.
    #[serde(default)]
    pub audience: Option<String>,
    /// Co-organisers.
    #[serde(default)]
    pub partners: Vec<String>,
    /// Short line above the title.
    #[serde(default)]
    pub subtitle: Option<String>,
    /// Left out unless drafts are asked for.
    #[serde(default)]
    pub draft: bool,
}

/// How an event is attended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum EventFormat {
    /// In person.
    Presentiel,
    /// Online.
    Visio,
    /// Both.
    Hybride,
}

/// `programmes/<slug>.md`.
#[derive(Debug, Clone, Deserialize)]
pub struct ProgrammeFront {
    /// Title.
    pub title: String,
    /// "2026-2027".
    #[serde(default)]
    pub edition: Option<String>,
    /// Who it is for.
    #[serde(default)]
    pub audience: Option<String>,
    /// The rule to complete it.
    #[serde(default)]
    pub completion: Option<Completion>,
    /// Contacts.
    #[serde(default)]
    pub contacts: Vec<Contact>,
    /// Partners.
    #[serde(default)]
    pub partners: Vec<NamedPartner>,
    /// Milestones.
    #[serde(default)]
    pub timeline: Vec<Milestone>,
    /// Left out unless drafts are asked for.
    #[serde(default)]
    pub draft: bool,
}

/// The rule to complete a programme.
#[derive(Debug, Clone, Deserialize)]
pub struct Completion {
    /// Minimum number of sessions attended.
    #[serde(default)]
    pub min_sessions: Option<u32>,
    /// Number of mandatory sessions, when stated.
    #[serde(default)]
    pub mandatory: Option<u32>,
}

/// A person to contact.
#[derive(Debug, Clone, Deserialize, serde::Serialize)]
pub struct Contact {
    /// Name.
    pub name: String,
    /// Role.
    #[serde(default)]
    pub role: Option<String>,
    /// E-mail address.
    #[serde(default)]
    pub email: Option<String>,
}

/// A partner with a description.
#[derive(Debug, Clone, Deserialize, serde::Serialize)]
pub struct NamedPartner {
    /// Name.
    pub name: String,
    /// What it does in the programme.
    #[serde(default)]
    pub description: Option<String>,
}

/// A dated milestone.
#[derive(Debug, Clone, Deserialize, serde::Serialize)]
pub struct Milestone {
    /// `AAAA-MM` or `AAAA-MM-JJ`.
    pub date: String,
    /// What happens.
    pub label: String,
}

/// `repertoire/<pays>/_index.md`.
#[derive(Debug, Clone, Deserialize)]
pub struct DirectoryFront {
    /// Title.
    pub title: String,
    /// ISO code of the country.
    #[serde(default)]
    pub country: Option<String>,
    /// ISO codes, for a regional directory.
    #[serde(default)]
    pub countries: Vec<String>,
    /// Group slug.
    #[serde(default)]
    pub group: Option<String>,
    /// `AAAA-MM` of the edition.
    #[serde(default)]
    pub edition: Option<String>,
}

/// `repertoire/<pays>/<slug>.md`.
#[derive(Debug, Clone, Deserialize)]
pub struct PartnershipFront {
    /// The French local authority.
    pub french: FrenchAuthority,
    /// The foreign local authority.
    pub partner: ForeignAuthority,
    /// Kind of partnership.
    #[serde(default)]
    pub kind: Option<String>,
    /// Year it began.
    #[serde(default)]
    pub since: Option<i32>,
    /// `active` or `en-sommeil`.
    #[serde(default)]
    pub status: Option<String>,
    /// Theme ids.
    #[serde(default)]
    pub themes: Vec<String>,
    /// Projects.
    #[serde(default)]
    pub projects: Vec<Project>,
    /// Contacts.
    #[serde(default)]
    pub contacts: Vec<Contact>,
    /// Website.
    #[serde(default)]
    pub website: Option<String>,
    /// Left out unless drafts are asked for.
    #[serde(default)]
    pub draft: bool,
}

/// A French local authority.
#[derive(Debug, Clone, Deserialize)]
pub struct FrenchAuthority {
    /// Name.
    pub name: String,
    /// `commune`, `epci`, `departement`, `region` or `autre`.
    #[serde(rename = "type")]
    pub kind: String,
    /// Region.
    #[serde(default)]
    pub region: Option<String>,
    /// Department.
    #[serde(default)]
    pub department: Option<String>,
}

/// A foreign local authority.
#[derive(Debug, Clone, Deserialize)]
pub struct ForeignAuthority {
    /// Name.
    pub name: String,
    /// Its type, free text.
    #[serde(rename = "type", default)]
    pub kind: Option<String>,
    /// Region.
    #[serde(default)]
    pub region: Option<String>,
    /// ISO code; defaults to the directory's.
    #[serde(default)]
    pub country: Option<String>,
}

/// A project of a partnership.
#[derive(Debug, Clone, Deserialize, serde::Serialize)]
pub struct Project {
    /// Title.
    pub title: String,
    /// "2019-2022".
    #[serde(default, deserialize_with = "string_or_number")]
    pub years: Option<String>,
    /// Funders.
    #[serde(default)]
    pub funding: Vec<String>,
}

fn string_or_number<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Sn {
        S(String),
        N(i64),
    }
    Ok(Option::<Sn>::deserialize(d)?.map(|v| match v {
        Sn::S(s) => s,
        Sn::N(n) => n.to_string(),
    }))
}

// ---- the key schema of each file kind, for unknown-key and typo detection ----

const SOCIAL: &[Key] = &[("name", Shape::Leaf), ("url", Shape::Url)];
const SECTION: &[Key] = &[("id", Shape::Leaf), ("title", Shape::Leaf)];
const MAILING: &[Key] = &[
    ("utm_source", Shape::Leaf),
    ("utm_medium", Shape::Leaf),
    ("unsubscribe", Shape::MergeTagOrUrl),
    ("unsubscribe_url", Shape::Url),
    ("unsubscribe_email", Shape::Email),
    ("full_text", Shape::Leaf),
];
const LOGO: &[Key] = &[("src", Shape::Leaf), ("alt", Shape::Leaf)];
const SUPPORTER: &[Key] = &[
    ("name", Shape::Leaf),
    ("logo", Shape::Leaf),
    ("url", Shape::Url),
];
const ADMIN: &[Key] = &[
    ("backend", Shape::Leaf),
    ("repo", Shape::Leaf),
    ("branch", Shape::Leaf),
    ("editorial_workflow", Shape::Leaf),
    ("auth_url", Shape::Url),
    ("app_id", Shape::Leaf),
];
/// Keys of `site.yaml`.
pub const SITE_KEYS: &[Key] = &[
    ("title", Shape::Leaf),
    ("base_url", Shape::Leaf),
    ("language", Shape::Leaf),
    ("letter_title", Shape::Leaf),
    ("address", Shape::Leaf),
    ("phone", Shape::Leaf),
    ("email", Shape::Email),
    ("social", Shape::List(SOCIAL)),
    ("sections", Shape::List(SECTION)),
    ("themes", Shape::Free),
    ("mailing", Shape::Map(MAILING)),
    ("logo", Shape::Map(LOGO)),
    ("supporters", Shape::List(SUPPORTER)),
    ("admin", Shape::Map(ADMIN)),
];
const PRESIDENT: &[Key] = &[
    ("name", Shape::Leaf),
    ("gender", Shape::Leaf),
    ("function", Shape::Leaf),
    ("collectivite", Shape::Leaf),
];
/// Keys of a group.
pub const GROUP_KEYS: &[Key] = &[
    ("name", Shape::Leaf),
    ("kind", Shape::Leaf),
    ("countries", Shape::Leaf),
    ("president", Shape::Map(PRESIDENT)),
];
const PERIOD: &[Key] = &[("from", Shape::Leaf), ("to", Shape::Leaf)];
/// Keys of an issue.
pub const LETTER_KEYS: &[Key] = &[
    ("title", Shape::Leaf),
    ("number", Shape::Leaf),
    ("date", Shape::Leaf),
    ("period", Shape::Map(PERIOD)),
    ("preheader", Shape::Leaf),
    ("subject", Shape::Leaf),
    ("draft", Shape::Leaf),
];
/// Keys of an article.
pub const ARTICLE_KEYS: &[Key] = &[
    ("title", Shape::Leaf),
    ("section", Shape::Leaf),
    ("group", Shape::Leaf),
    ("themes", Shape::Leaf),
    ("date", Shape::Leaf),
    ("summary", Shape::Leaf),
    ("link", Shape::Url),
    ("image", Shape::Leaf),
    ("image_alt", Shape::Leaf),
    ("author", Shape::Leaf),
    ("weight", Shape::Leaf),
    ("pdf", Shape::Map(PDF_HINTS)),
    ("draft", Shape::Leaf),
];
const PDF_HINTS: &[Key] = &[("saut_avant", Shape::Leaf)];
/// Keys of an event.
pub const EVENT_KEYS: &[Key] = &[
    ("title", Shape::Leaf),
    ("start", Shape::Leaf),
    ("end", Shape::Leaf),
    ("place", Shape::Leaf),
    ("format", Shape::Leaf),
    ("members_only", Shape::Leaf),
    ("group", Shape::Leaf),
    ("link", Shape::Url),
    ("themes", Shape::Leaf),
    ("highlight", Shape::Leaf),
    ("programme", Shape::Leaf),
    ("mandatory", Shape::Leaf),
    ("audience", Shape::Leaf),
    ("partners", Shape::Leaf),
    ("subtitle", Shape::Leaf),
    ("draft", Shape::Leaf),
];
const CONTACT: &[Key] = &[
    ("name", Shape::Leaf),
    ("role", Shape::Leaf),
    ("email", Shape::Email),
];
const NAMED_PARTNER: &[Key] = &[("name", Shape::Leaf), ("description", Shape::Leaf)];
const MILESTONE: &[Key] = &[("date", Shape::Leaf), ("label", Shape::Leaf)];
const COMPLETION: &[Key] = &[("min_sessions", Shape::Leaf), ("mandatory", Shape::Leaf)];
/// Keys of a programme.
pub const PROGRAMME_KEYS: &[Key] = &[
    ("title", Shape::Leaf),
    ("edition", Shape::Leaf),
    ("audience", Shape::Leaf),
    ("completion", Shape::Map(COMPLETION)),
    ("contacts", Shape::List(CONTACT)),
    ("partners", Shape::List(NAMED_PARTNER)),
    ("timeline", Shape::List(MILESTONE)),
    ("draft", Shape::Leaf),
];
/// Keys of a directory.
pub const DIRECTORY_KEYS: &[Key] = &[
    ("title", Shape::Leaf),
    ("country", Shape::Leaf),
    ("countries", Shape::Leaf),
    ("group", Shape::Leaf),
    ("edition", Shape::Leaf),
];
const FRENCH: &[Key] = &[
    ("name", Shape::Leaf),
    ("type", Shape::Leaf),
    ("region", Shape::Leaf),
    ("department", Shape::Leaf),
];
const FOREIGN: &[Key] = &[
    ("name", Shape::Leaf),
    ("type", Shape::Leaf),
    ("region", Shape::Leaf),
    ("country", Shape::Leaf),
];
const PROJECT: &[Key] = &[
    ("title", Shape::Leaf),
    ("years", Shape::Leaf),
    ("funding", Shape::Leaf),
];
/// Keys of a partnership.
pub const PARTNERSHIP_KEYS: &[Key] = &[
    ("french", Shape::Map(FRENCH)),
    ("partner", Shape::Map(FOREIGN)),
    ("kind", Shape::Leaf),
    ("since", Shape::Leaf),
    ("status", Shape::Leaf),
    ("themes", Shape::Leaf),
    ("projects", Shape::List(PROJECT)),
    ("contacts", Shape::List(CONTACT)),
    ("website", Shape::Url),
    ("draft", Shape::Leaf),
];

//! What the spreadsheet looks like: its columns and their names, its
//! encoding and separator, and the spellings of the vocabularies that
//! people type in cells.

/// The columns of the spreadsheet (see docs/import-repertoire.md).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Col {
    File,
    French,
    FrenchType,
    Region,
    Department,
    Partner,
    PartnerType,
    PartnerRegion,
    PartnerCountry,
    Kind,
    Since,
    Status,
    Themes,
    Website,
    Description,
    Project(usize, ProjectField),
    Contact(usize, ContactField),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProjectField {
    Title,
    Years,
    Funding,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ContactField {
    Name,
    Role,
    Email,
}

pub const SIMPLE: &[(&str, Col)] = &[
    ("fichier", Col::File),
    ("collectivite", Col::French),
    ("type", Col::FrenchType),
    ("region", Col::Region),
    ("departement", Col::Department),
    ("partenaire", Col::Partner),
    ("type_partenaire", Col::PartnerType),
    ("region_partenaire", Col::PartnerRegion),
    ("pays_partenaire", Col::PartnerCountry),
    ("nature", Col::Kind),
    ("depuis", Col::Since),
    ("statut", Col::Status),
    ("themes", Col::Themes),
    ("site_web", Col::Website),
    ("description", Col::Description),
];
pub const REQUIRED: &[(&str, Col)] = &[
    ("collectivite", Col::French),
    ("type", Col::FrenchType),
    ("partenaire", Col::Partner),
];

/// Lower case, no accents, `_` between words: "Type partenaire" → "type_partenaire".
pub fn norm(s: &str) -> String {
    let mut out = String::new();
    for c in s.trim().chars() {
        let c = match c {
            'à' | 'â' | 'ä' | 'À' | 'Â' => 'a',
            'é' | 'è' | 'ê' | 'ë' | 'É' | 'È' | 'Ê' => 'e',
            'î' | 'ï' | 'Î' => 'i',
            'ô' | 'ö' | 'Ô' => 'o',
            'ù' | 'û' | 'ü' | 'Û' => 'u',
            'ç' | 'Ç' => 'c',
            c => c.to_ascii_lowercase(),
        };
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('_') {
            out.push('_');
        }
    }
    out.trim_end_matches('_').to_string()
}

pub fn parse_header(h: &str) -> Option<Col> {
    let n = norm(h);
    if let Some((_, c)) = SIMPLE.iter().find(|(name, _)| *name == n) {
        return Some(*c);
    }
    let numbered = |prefix: &str| -> Option<(usize, &str)> {
        let rest = n.strip_prefix(prefix)?;
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        let num = rest[..digits].parse().ok().filter(|&k| k >= 1)?;
        Some((num, rest[digits..].trim_start_matches('_')))
    };
    if let Some((k, field)) = numbered("projet") {
        let f = match field {
            "" | "titre" => ProjectField::Title,
            "annees" => ProjectField::Years,
            "financements" => ProjectField::Funding,
            _ => return None,
        };
        return Some(Col::Project(k, f));
    }
    let (k, field) = numbered("contact")?;
    let f = match field {
        "nom" => ContactField::Name,
        "fonction" => ContactField::Role,
        "courriel" => ContactField::Email,
        _ => return None,
    };
    Some(Col::Contact(k, f))
}

/// "A", "B", … "AA" as the spreadsheet names column `i` (0-based).
pub fn letter(mut i: usize) -> String {
    let mut s = Vec::new();
    loop {
        s.push(b'A' + (i % 26) as u8);
        if i < 26 {
            break;
        }
        i = i / 26 - 1;
    }
    s.reverse();
    String::from_utf8(s).unwrap_or_default()
}

/// The text of the file and the name of its encoding.
pub fn decode(bytes: &[u8]) -> (String, &'static str) {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return (String::from_utf8_lossy(rest).into_owned(), "UTF-8 avec BOM");
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => (s.to_string(), "UTF-8"),
        Err(_) => {
            let (text, _) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(bytes);
            (text.into_owned(), "Windows-1252")
        }
    }
}

/// The separator used by the header line: the most frequent of `;`, `,`, tab.
pub fn sniff(text: &str) -> u8 {
    let mut quoted = false;
    let mut counts = [0usize; 3];
    for c in text.chars() {
        match c {
            '"' => quoted = !quoted,
            '\n' if !quoted => break,
            ';' if !quoted => counts[0] += 1,
            ',' if !quoted => counts[1] += 1,
            '\t' if !quoted => counts[2] += 1,
            _ => {}
        }
    }
    let best = (0..3).max_by_key(|&i| (counts[i], 3 - i)).unwrap_or(0);
    [b';', b',', b'\t'][best]
}

/// Vocabularies with the spellings spreadsheets use.
pub fn french_type(v: &str) -> Option<&'static str> {
    Some(match norm(v).as_str() {
        "commune" | "ville" | "mairie" => "commune",
        "epci"
        | "intercommunalite"
        | "metropole"
        | "communaute_de_communes"
        | "communaute_d_agglomeration"
        | "communaute_urbaine" => "epci",
        "departement" | "conseil_departemental" => "departement",
        "region" | "conseil_regional" => "region",
        "autre" => "autre",
        _ => return None,
    })
}

pub fn kind(v: &str) -> Option<&'static str> {
    Some(match norm(v).as_str() {
        "jumelage" => "jumelage",
        "cooperation" | "cooperation_decentralisee" => "cooperation",
        "amitie" | "pacte_d_amitie" => "amitie",
        "autre" => "autre",
        _ => return None,
    })
}

pub fn status(v: &str) -> Option<&'static str> {
    Some(match norm(v).as_str() {
        "active" | "actif" | "en_cours" => "active",
        "en_sommeil" | "sommeil" | "inactif" | "inactive" => "en-sommeil",
        _ => return None,
    })
}

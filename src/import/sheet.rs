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
    for c in deunicode::deunicode(s.trim()).chars() {
        let c = c.to_ascii_lowercase();
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

/// Turns the byte offsets the CSV reader gives into the row numbers the
/// spreadsheet shows: a line break inside a quoted cell does not start a
/// row, `\r\n` (what Excel writes) is one line end, and an empty line is a
/// row of its own.
pub struct RowNumbers<'t> {
    text: &'t [u8],
    /// Everything before this offset has been counted.
    scanned: usize,
    /// Line ends before `scanned`.
    line_ends: u64,
    /// Line breaks inside the cells of the records already seen.
    in_cells: u64,
}

impl<'t> RowNumbers<'t> {
    /// Counts rows of `text`, which the reader reads from its start.
    pub fn new(text: &'t str) -> Self {
        RowNumbers {
            text: text.as_bytes(),
            scanned: 0,
            line_ends: 0,
            in_cells: 0,
        }
    }

    /// The row (1-based) of the record the reader placed at `byte`; records
    /// must be given in order, each with its cells once it is read.
    pub fn row<'r>(&mut self, byte: u64, cells: impl IntoIterator<Item = &'r str>) -> u64 {
        // The reader's offset is just after the previous record's line end,
        // which may be the `\r` of a `\r\n`, or before skipped empty lines.
        let mut start = (byte as usize).clamp(self.scanned, self.text.len());
        while matches!(self.text.get(start), Some(b'\r' | b'\n')) {
            start += 1;
        }
        self.line_ends += line_ends(&self.text[self.scanned..start], self.text.get(start));
        self.scanned = start;
        let row = self.line_ends + 1 - self.in_cells.min(self.line_ends);
        for c in cells {
            self.in_cells += line_ends(c.as_bytes(), None);
        }
        row
    }
}

/// Line ends in `bytes` (`\r\n`, `\n` or a lone `\r`); `next` is the byte
/// after them, to tell a final `\r` of a `\r\n` from a lone one.
fn line_ends(bytes: &[u8], next: Option<&u8>) -> u64 {
    let mut n = 0;
    for (i, b) in bytes.iter().enumerate() {
        let following = bytes
            .get(i + 1)
            .or(if i + 1 == bytes.len() { next } else { None });
        if *b == b'\n' || (*b == b'\r' && following != Some(&b'\n')) {
            n += 1;
        }
    }
    n
}

/// The first character a cell must not hold (control characters other
/// than line breaks and tabs, and non-characters such as U+FFFE).
pub fn forbidden_char(v: &str) -> Option<char> {
    v.chars().find(|&c| {
        (c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
            || matches!(c as u32, 0xFDD0..=0xFDEF)
            || (c as u32 & 0xFFFE) == 0xFFFE
    })
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

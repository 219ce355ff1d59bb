//! Which files of `content/` besides Markdown are published as they are:
//! the kinds of attachment a site serves (images, PDF, office documents,
//! audio and video, spreadsheets' CSV, calendars, text), never a file that
//! looks like a key or a secret, nor a kind the browser would run (HTML,
//! SVG, scripts). The list is the one in `docs/guide-redaction.md`.

/// Extensions published as they are (lower case), by kind, as the guide
/// lists them.
pub const KINDS: &[(&str, &[&str])] = &[
    ("images", &["jpg", "jpeg", "png", "gif", "webp", "avif"]),
    ("documents", &["pdf", "epub"]),
    (
        "bureautique",
        &[
            "doc", "docx", "odt", "rtf", "xls", "xlsx", "ods", "ppt", "pptx", "odp",
        ],
    ),
    (
        "audio et vidéo",
        &[
            "mp3", "m4a", "ogg", "oga", "opus", "wav", "mp4", "m4v", "webm", "ogv", "mov",
        ],
    ),
    ("données", &["csv", "ics", "txt", "zip"]),
];

/// Why an attachment is not published.
#[derive(Debug, PartialEq, Eq)]
pub enum Withheld {
    /// The name looks like a key, a password or a secret.
    Secret,
    /// A kind the browser runs (HTML, SVG, JavaScript…).
    Active(String),
    /// Not a kind of attachment the site serves.
    Unknown(String),
}

/// `Ok` when the file at `path` (relative to the site) is published as it
/// is; the reason otherwise.
pub fn classify(path: &str) -> Result<(), Withheld> {
    let name = path.rsplit('/').next().unwrap_or(path);
    let lower = name.to_ascii_lowercase();
    if looks_secret(&lower) {
        return Err(Withheld::Secret);
    }
    let ext = match lower.rsplit_once('.') {
        Some((stem, ext)) if !stem.is_empty() => ext,
        _ => "",
    };
    if KINDS.iter().any(|(_, exts)| exts.contains(&ext)) {
        return Ok(());
    }
    const ACTIVE: &[&str] = &[
        "html", "htm", "xhtml", "svg", "svgz", "js", "mjs", "xml", "xsl", "swf", "php", "exe",
        "bat", "cmd", "sh", "ps1", "jar", "wasm",
    ];
    if ACTIVE.contains(&ext) {
        return Err(Withheld::Active(ext.to_string()));
    }
    Err(Withheld::Unknown(ext.to_string()))
}

/// Keys, certificates, password stores and environment files.
fn looks_secret(lower: &str) -> bool {
    let stem = lower.split('.').next().unwrap_or(lower);
    const KEY_EXTS: &[&str] = &[
        ".pem",
        ".key",
        ".p12",
        ".pfx",
        ".jks",
        ".keystore",
        ".kdbx",
        ".gpg",
        ".asc",
        ".ppk",
        ".env",
        ".crt",
        ".der",
    ];
    let words: Vec<&str> = stem.split(['-', '_', ' ']).collect();
    stem.starts_with("id_rsa")
        || stem.starts_with("id_dsa")
        || stem.starts_with("id_ecdsa")
        || stem.starts_with("id_ed25519")
        || KEY_EXTS.iter().any(|e| lower.ends_with(e))
        || lower.contains(".env.")
        || words.iter().any(|w| {
            matches!(
                *w,
                "secret"
                    | "secrets"
                    | "password"
                    | "passwords"
                    | "credentials"
                    | "motdepasse"
                    | "token"
            )
        })
}

/// Every published extension, for messages: « jpg, jpeg, png, … ».
pub fn listed() -> String {
    KINDS
        .iter()
        .flat_map(|(_, exts)| exts.iter().copied())
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attachments_and_the_rest() {
        for ok in [
            "content/lettres/2025-09/images/a.JPG",
            "content/documents/rapport-2025.pdf",
            "content/documents/secretariat-general.pdf",
            "content/x/tableau.ods",
            "content/x/agenda.ics",
        ] {
            assert_eq!(classify(ok), Ok(()), "{ok}");
        }
        for secret in [
            "content/id_rsa",
            "content/id_ed25519.pub",
            "content/x/server.pem",
            "content/x/cle.key",
            "content/secret.env",
            "content/secrets.txt",
            "content/prod.env.local",
            "content/mots-de-passe_password.txt",
        ] {
            assert_eq!(classify(secret), Err(Withheld::Secret), "{secret}");
        }
        assert_eq!(
            classify("content/x/page.html"),
            Err(Withheld::Active("html".into()))
        );
        assert_eq!(
            classify("content/x/logo.svg"),
            Err(Withheld::Active("svg".into()))
        );
        assert_eq!(
            classify("content/x/notes.yaml"),
            Err(Withheld::Unknown("yaml".into()))
        );
        assert_eq!(
            classify("content/x/LISEZMOI"),
            Err(Withheld::Unknown(String::new()))
        );
    }
}

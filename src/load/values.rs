//! Checks of single values typed by writers, shared by every key of the
//! schema that holds one: addresses that cannot run code in a reader's
//! browser or mail client, e-mail addresses, the site's `base_url`, and the
//! characters (controls, non-characters) that must never reach an output.

/// What is wrong with a value, and what would be right (both in French).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// What is wrong.
    pub message: String,
    /// What would be right.
    pub suggestion: String,
}

fn problem(message: impl Into<String>, suggestion: impl Into<String>) -> Problem {
    Problem {
        message: message.into(),
        suggestion: suggestion.into(),
    }
}

/// True for characters no page, feed, calendar or e-mail may hold: C0 and C1
/// controls (but tab and line feed), DEL, and the Unicode non-characters
/// (U+FDD0–U+FDEF and the last two code points of every plane, such as
/// U+FFFE, which makes an XML file invalid).
pub fn is_forbidden_char(c: char) -> bool {
    let n = c as u32;
    (n < 0x20 && c != '\t' && c != '\n')
        || (0x7f..=0x9f).contains(&n)
        || (0xfdd0..=0xfdef).contains(&n)
        || (n & 0xfffe) == 0xfffe
}

/// The first forbidden character of `s` and its byte offset.
///
/// Scans bytes, decoding a character only where one could start: a
/// control, DEL, `C2 80`–`C2 9F` (the C1 controls), or the lead byte of
/// U+F000–U+FFFF and of the other planes (the non-characters). French
/// text — accents, non-breaking spaces, guillemets, typographic
/// apostrophes — is never decoded.
pub fn forbidden_char(s: &str) -> Option<(usize, char)> {
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        let suspect = match b[i] {
            b'\t' | b'\n' | 0x20..=0x7e => false,
            0x00..=0x1f | 0x7f => true,
            0xc2 => b.get(i + 1).is_some_and(|&n| n < 0xa0),
            0xef..=0xf4 => true,
            // Other lead bytes, and continuation bytes (never suspects:
            // a suspect is always at a character's first byte).
            _ => false,
        };
        if suspect {
            let c = s[i..].chars().next()?;
            if is_forbidden_char(c) {
                return Some((i, c));
            }
        }
        i += 1;
    }
    None
}

/// `s` without its forbidden characters (a copy only when there are some).
pub fn strip_forbidden(s: &str) -> std::borrow::Cow<'_, str> {
    if forbidden_char(s).is_none() {
        return std::borrow::Cow::Borrowed(s);
    }
    std::borrow::Cow::Owned(s.chars().filter(|c| !is_forbidden_char(*c)).collect())
}

/// The diagnostic text for a forbidden character found in a value or a body.
pub fn forbidden_char_problem(c: char) -> Problem {
    problem(
        format!(
            "caractère invisible interdit (U+{:04X}) : il rendrait la page, le flux ou l'e-mail illisible",
            c as u32
        ),
        "supprimez-le (il vient souvent d'un copier-coller depuis Word ou un PDF) : retapez le mot qui le contient",
    )
}

/// The error for the first forbidden character of `part`, a piece of
/// `source` starting after `offset` lines (a front matter, `site.yaml`),
/// found before the YAML parser sees it.
pub fn forbidden_in(
    file: &str,
    source: &str,
    part: &str,
    offset: u32,
) -> Option<crate::diagnostics::Diagnostic> {
    let (at, c) = forbidden_char(part)?;
    let before = &part[..at];
    let line = offset + before.matches('\n').count() as u32 + 1;
    let col = before.rsplit('\n').next().unwrap_or("").chars().count() as u32 + 1;
    let p = forbidden_char_problem(c);
    Some(
        crate::diagnostics::Diagnostic::error(file, line, col, p.message)
            .with_suggestion(p.suggestion)
            .with_source(source),
    )
}

/// What an address may look like (the hint of every refused address).
pub const URL_HINT: &str = "une adresse commence par https://, http://, mailto: ou tel:, ou par / pour une page du site (par exemple https://www.cites-unies-france.org/agenda/)";

/// Checks an address written in a URL key (`link`, `website`, `url`…):
/// `https:`, `http:`, `mailto:`, `tel:` and site-relative paths (`/…`)
/// only. Anything else — `javascript:`, `vbscript:`, `data:`, however
/// disguised by case, spaces, entities or control characters — is refused.
pub fn url_problem(value: &str) -> Option<Problem> {
    let v = value.trim_matches(' ');
    if v.is_empty() {
        return Some(problem("l'adresse est vide", URL_HINT));
    }
    if let Some(c) = v.chars().find(|c| c.is_whitespace() || c.is_control()) {
        return Some(problem(
            format!(
                "l'adresse « {} » contient un espace ou un caractère invisible (U+{:04X})",
                printable(v),
                c as u32
            ),
            "retirez les espaces de l'adresse (écrivez %20 pour un espace voulu) et retapez-la si elle vient d'un copier-coller",
        ));
    }
    if v.contains('\\') {
        return Some(problem(
            format!("l'adresse « {v} » contient une barre oblique inversée (\\)"),
            "écrivez / à la place de \\",
        ));
    }
    let lower = v.to_ascii_lowercase();
    for scheme in ["https://", "http://"] {
        if let Some(rest) = lower.strip_prefix(scheme) {
            if rest.is_empty() || rest.starts_with(['/', '?', '#', '@', ':']) {
                return Some(problem(
                    format!("l'adresse « {v} » n'a pas de nom de site après {scheme}"),
                    URL_HINT,
                ));
            }
            return None;
        }
    }
    for scheme in ["mailto:", "tel:"] {
        if let Some(rest) = lower.strip_prefix(scheme) {
            if rest.is_empty() {
                return Some(problem(
                    format!("l'adresse « {v} » est incomplète"),
                    URL_HINT,
                ));
            }
            return None;
        }
    }
    if v.starts_with('/') && !v.starts_with("//") {
        return None;
    }
    Some(refused(v, &lower))
}

/// The diagnostic of an address outside the allowed forms.
fn refused(v: &str, lower: &str) -> Problem {
    // What a browser would read: entities, escapes and invisible characters
    // dropped, so that `jav&#x09;ascript:` is named for what it is.
    let squeezed: String = lower
        .replace("&colon;", ":")
        .replace("&#58;", ":")
        .replace("&#x3a;", ":")
        .replace("%3a", ":")
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == ':')
        .collect();
    if let Some(scheme) = ["javascript:", "vbscript:", "data:", "file:"]
        .into_iter()
        .find(|s| squeezed.contains(s))
    {
        return problem(
            format!(
                "adresse dangereuse refusée : « {} » ({scheme} ferait exécuter ou ouvrir autre chose qu'une page)",
                printable(v)
            ),
            URL_HINT,
        );
    }
    if v.starts_with("//") {
        return problem(
            format!("l'adresse « {v} » ne précise pas https:"),
            format!("écrivez https:{v}"),
        );
    }
    if lower.starts_with("www.") {
        return problem(
            format!("l'adresse « {v} » ne commence pas par https://"),
            format!("écrivez https://{v}"),
        );
    }
    problem(
        format!(
            "adresse « {} » refusée : elle ne commence ni par https://, http://, mailto:, tel: ni par /",
            printable(v)
        ),
        URL_HINT,
    )
}

/// Checks an e-mail address written in an `email` key (published as a
/// `mailto:` link): one `@`, no spaces, no characters that would end the
/// link or add to it.
pub fn email_problem(value: &str) -> Option<Problem> {
    let v = value.trim_matches(' ');
    let hint = "écrivez seulement l'adresse, par exemple contact@ville.fr";
    if let Some(c) = v
        .chars()
        .find(|c| c.is_whitespace() || c.is_control() || "<>\"'`\\:;,?&=()[]{}".contains(*c))
    {
        return Some(problem(
            format!(
                "adresse e-mail « {} » invalide : le caractère « {} » n'y a pas sa place",
                printable(v),
                printable(&c.to_string())
            ),
            hint,
        ));
    }
    match v.split_once('@') {
        Some((user, domain))
            if !user.is_empty()
                && !domain.is_empty()
                && !domain.contains('@')
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.') =>
        {
            None
        }
        _ => Some(problem(
            format!("adresse e-mail « {} » invalide", printable(v)),
            hint,
        )),
    }
}

/// Checks the unsubscribe value of `mailing`: either the mailing tool's
/// merge tag (`{{ unsubscribe }}`, `*|UNSUB|*`, `[UNSUBSCRIBE]`,
/// `%unsubscribe%`), written as it is, or an address ([`url_problem`]).
pub fn merge_tag_or_url_problem(value: &str) -> Option<Problem> {
    let v = value.trim_matches(' ');
    let tag = (v.starts_with("{{") && v.ends_with("}}"))
        || (v.starts_with("*|") && v.ends_with("|*"))
        || (v.starts_with('[') && v.ends_with(']'))
        || (v.starts_with('%') && v.ends_with('%') && v.len() > 1);
    if !tag {
        return url_problem(v);
    }
    let inner = &v[1..v.len() - 1];
    let bad = inner
        .chars()
        .find(|c| c.is_control() || "<>\"'`&\\:".contains(*c));
    bad.map(|c| {
        problem(
            format!(
                "balise de désinscription « {} » invalide : le caractère « {} » n'y a pas sa place",
                printable(v),
                printable(&c.to_string())
            ),
            "recopiez la balise telle que votre outil d'envoi la donne, par exemple {{ unsubscribe }} (Brevo) ou *|UNSUB|* (Mailchimp)",
        )
    })
}

/// Checks `base_url` (of `site.yaml` or `--base-url`): an absolute `https://`
/// address with a host, without spaces, line breaks or characters that
/// would need escaping in HTML, XML or a calendar (`http://` only for the
/// loopback address of `serve`).
pub fn base_url_problem(value: &str) -> Option<Problem> {
    let example = "par exemple base_url: https://www.cites-unies-france.org";
    let v = value;
    if let Some(c) = v.chars().find(|c| c.is_whitespace() || c.is_control()) {
        return Some(problem(
            format!(
                "base_url contient un espace, un saut de ligne ou un caractère invisible (U+{:04X})",
                c as u32
            ),
            example,
        ));
    }
    if let Some(c) = v.chars().find(|c| "\"'<>`\\{}|^?#&;,".contains(*c)) {
        return Some(problem(
            format!(
                "base_url contient le caractère « {c} », qui n'a pas sa place dans l'adresse du site"
            ),
            example,
        ));
    }
    let Some(rest) = v
        .strip_prefix("https://")
        .or_else(|| v.strip_prefix("http://").filter(|r| is_loopback(r)))
    else {
        return Some(problem(
            format!(
                "base_url doit être une adresse absolue en https:// (« {} »)",
                printable(v)
            ),
            example,
        ));
    };
    if rest.is_empty() || rest.starts_with(['/', '@', ':', '.']) {
        return Some(problem(
            format!("base_url « {v} » n'a pas de nom de site après https://"),
            example,
        ));
    }
    None
}

/// True for the loopback host `serve` previews on (`127.0.0.1:1111/…`):
/// the one place a plain `http://` base is right.
fn is_loopback(rest: &str) -> bool {
    let host = rest.split(['/', ':']).next().unwrap_or("");
    host == "127.0.0.1" || host == "localhost" || rest.starts_with("[::1]")
}

/// `s` with invisible characters shown as `U+XXXX`, for messages.
fn printable(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars().take(200) {
        if c.is_control() || is_forbidden_char(c) || (c.is_whitespace() && c != ' ') {
            out.push_str(&format!("<U+{:04X}>", c as u32));
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn allowed_addresses() {
        for ok in [
            "https://www.cites-unies-france.org/agenda/",
            "http://example.org",
            "HTTPS://EXAMPLE.ORG",
            "mailto:a@b.fr",
            "tel:+33153418181",
            "/agenda/",
            "/lettres/2025-09/#sommaire",
        ] {
            assert_eq!(url_problem(ok), None, "{ok}");
        }
    }

    #[test]
    fn scripts_however_disguised_are_refused() {
        for bad in [
            "javascript:alert(1)",
            "JaVaScRiPt:alert(1)",
            " javascript:alert(1)",
            "java\tscript:alert(1)",
            "java\u{1}script:alert(1)",
            "javascript&colon;alert(1)",
            "jav&#x09;ascript:alert(1)",
            "vbscript:msgbox(1)",
            "data:text/html;base64,PHNjcmlwdD4=",
            "//evil.example/x",
            "/\\evil.example",
            "https://",
            "www.example.org",
            "../2025-07/a.md",
            "",
        ] {
            assert!(url_problem(bad).is_some(), "{bad:?} accepted");
        }
        let p = url_problem("JaVaScRiPt:alert(1)").unwrap();
        assert!(p.message.contains("dangereuse"), "{p:?}");
    }

    #[test]
    fn emails_merge_tags_and_base_urls() {
        assert_eq!(email_problem("coop-dec@cites-unies-france.org"), None);
        for bad in ["a\"@b.fr", "a@b.fr?body=x", "a b@c.fr", "ab.fr", "a@b"] {
            assert!(email_problem(bad).is_some(), "{bad}");
        }
        for ok in [
            "{{ unsubscribe }}",
            "*|UNSUB|*",
            "https://x.org/desinscription",
        ] {
            assert_eq!(merge_tag_or_url_problem(ok), None, "{ok}");
        }
        for bad in ["{{ unsubscribe\" onclick=\"x }}", "javascript:x", "x\"><b>"] {
            assert!(merge_tag_or_url_problem(bad).is_some(), "{bad}");
        }
        assert_eq!(base_url_problem("https://www.x.org/cuf"), None);
        for bad in [
            "https://www.x.org\r\nATTENDEE:x",
            "https://www.x.org/a b",
            "http://www.x.org",
            "www.x.org",
            "https://",
            "https://x.org/\"",
        ] {
            assert!(base_url_problem(bad).is_some(), "{bad:?}");
        }
    }

    #[test]
    fn forbidden_characters() {
        for c in [
            '\u{0}',
            '\u{1b}',
            '\u{7f}',
            '\u{85}',
            '\u{fffe}',
            '\u{ffff}',
            '\u{fdd0}',
            '\u{1fffe}',
        ] {
            assert!(is_forbidden_char(c), "{c:?}");
        }
        for c in ['\n', '\t', 'é', '\u{a0}', '\u{fffd}', '\u{2028}'] {
            assert!(!is_forbidden_char(c), "{c:?}");
        }
        assert_eq!(forbidden_char("Titre\u{fffe}"), Some((5, '\u{fffe}')));
        assert_eq!(forbidden_char("« Été » \u{a0}\u{85}"), Some((14, '\u{85}')));
        assert_eq!(
            forbidden_char("l’été\u{feff}\u{fdef}"),
            Some((12, '\u{fdef}'))
        );
        assert_eq!(forbidden_char("😀\u{10ffff}"), Some((4, '\u{10ffff}')));
        assert_eq!(forbidden_char("\u{9f}"), Some((0, '\u{9f}')));
        assert_eq!(forbidden_char("\u{a0}\u{ff}\u{fffd}\u{f0000}"), None);
        assert_eq!(strip_forbidden("a\u{1}b\u{ffff}"), "ab");
    }

    proptest::proptest! {
        /// The byte scan finds what decoding every character finds.
        #[test]
        fn forbidden_char_scan_matches_decoding(
            s in "[a-zé« »’\u{a0}\u{0}-\u{1f}\u{7f}-\u{a0}\u{fdc0}-\u{fdf0}\u{fff0}-\u{ffff}\u{1f600}\u{1fffe}\u{10fffd}-\u{10ffff}]{0,40}"
        ) {
            let slow = s.char_indices().find(|(_, c)| is_forbidden_char(*c));
            proptest::prop_assert_eq!(forbidden_char(&s), slow);
        }
    }
}

//! French typography for running text: no-break spaces before high
//! punctuation and inside guillemets, and ordinals as superscripts.
//!
//! It is applied to Markdown text nodes only, never to code, URLs or
//! attributes (the caller sees to that).

use std::borrow::Cow;

/// U+202F NARROW NO-BREAK SPACE, before `; ! ?` and inside `« »`.
pub const NNBSP: char = '\u{202F}';
/// U+00A0 NO-BREAK SPACE, before `:`.
pub const NBSP: char = '\u{00A0}';

/// The result of typesetting a piece of text.
#[derive(Debug, PartialEq, Eq)]
pub enum Typeset<'a> {
    /// Plain text, still to be escaped.
    Text(Cow<'a, str>),
    /// HTML (escaped text with `<sup>` ordinals).
    Html(String),
}

/// Applies the spacing rules and ordinals to `text`.
pub fn typeset(text: &str) -> Typeset<'_> {
    let spaced = spacing(text);
    match ordinals(&spaced) {
        Some(html) => Typeset::Html(html),
        None => Typeset::Text(spaced),
    }
}

fn is_space(c: char) -> bool {
    c == ' ' || c == NBSP || c == NNBSP || c == '\t'
}

/// True when the word around byte `i` looks like a URL or e-mail address,
/// where punctuation must be left alone.
fn in_url_like(text: &str, i: usize) -> bool {
    // After the whitespace character, which may be several bytes (U+202F).
    let start = text[..i]
        .char_indices()
        .rev()
        .find(|(_, c)| c.is_whitespace())
        .map_or(0, |(p, c)| p + c.len_utf8());
    let end = text[i..]
        .find(char::is_whitespace)
        .map_or(text.len(), |p| i + p);
    let word = &text[start..end];
    word.contains("://") || word.starts_with("www.") || word.contains('@')
}

/// A title or other one-line text from front matter, as plain text:
/// spacing rules, typographic apostrophes, and `3^e` written back as `3e`.
pub fn title_text(text: &str) -> String {
    let spaced = spacing(text);
    let mut out = String::with_capacity(spaced.len());
    let mut rest: &str = &spaced;
    while let Some(i) = rest.find('^') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        match after.strip_prefix('{').and_then(|a| a.split_once('}')) {
            Some((sup, tail)) => {
                out.push_str(sup);
                rest = tail;
            }
            None => rest = after,
        }
    }
    out.push_str(rest);
    out
}

/// A title as HTML: escaped, with the spacing rules and `<sup>` ordinals.
pub fn title_html(text: &str) -> String {
    match typeset(text) {
        Typeset::Html(h) => h,
        Typeset::Text(t) => {
            let mut out = String::with_capacity(t.len());
            crate::html::escape_into(&mut out, &t);
            out
        }
    }
}

/// Spacing rules and typographic apostrophes; borrows when nothing changes.
pub fn spacing(text: &str) -> Cow<'_, str> {
    let Some(mut at) = next_special(text.as_bytes(), 0) else {
        return Cow::Borrowed(text);
    };
    let mut out = String::with_capacity(text.len() + 8);
    // `text[..copied]` is in `out`; the runs between marks are copied whole.
    let mut copied = 0;
    loop {
        out.push_str(&text[copied..at]);
        copied = space_mark(text, at, &mut out);
        match next_special(text.as_bytes(), copied) {
            Some(next) => at = next,
            None => break,
        }
    }
    out.push_str(&text[copied..]);
    if out == text {
        Cow::Borrowed(text)
    } else {
        Cow::Owned(out)
    }
}

/// Byte offset of the next `; ! ? : ' « »` in `bytes`, from `from`.
fn next_special(bytes: &[u8], from: usize) -> Option<usize> {
    let rest = bytes.get(from..)?;
    rest.iter()
        .enumerate()
        .position(|(i, b)| match b {
            b';' | b'!' | b'?' | b':' | b'\'' => true,
            // « and » are C2 AB and C2 BB in UTF-8.
            0xC2 => matches!(rest.get(i + 1), Some(0xAB | 0xBB)),
            _ => false,
        })
        .map(|p| from + p)
}

/// Writes the mark at byte `at` of `text` (one of [`next_special`]'s) to
/// `out` with its spacing; returns the offset where copying resumes.
fn space_mark(text: &str, at: usize, out: &mut String) -> usize {
    let Some(c) = text[at..].chars().next() else {
        return at;
    };
    let mut next = at + c.len_utf8();
    match c {
        ';' | '!' | '?' | ':' if !in_url_like(text, at) => {
            let wanted = if c == ':' { NBSP } else { NNBSP };
            let trailing = out.len() - out.trim_end_matches(is_space).len();
            let prev = out.chars().next_back();
            if trailing > 0 {
                out.truncate(out.len() - trailing);
                out.push(wanted);
            } else if c != ':'
                && prev.is_some_and(|p| p.is_alphanumeric() || p == '»' || p == ')')
                // "?!" and "!!" keep one space before the first mark only.
                && !matches!(prev, Some('!' | '?'))
            {
                out.push(wanted);
            }
            out.push(c);
        }
        '«' => {
            out.push(c);
            let rest = &text[next..];
            let kept = rest.trim_start_matches(is_space);
            next += rest.len() - kept.len();
            if !kept.is_empty() {
                out.push(NNBSP);
            }
        }
        '\'' if out.chars().next_back().is_some_and(char::is_alphabetic)
            && text[next..].chars().next().is_some_and(char::is_alphabetic) =>
        {
            out.push('\u{2019}');
        }
        '»' => {
            let trimmed = out.trim_end_matches(is_space).len();
            let had_text = trimmed > 0;
            out.truncate(trimmed);
            if had_text {
                out.push(NNBSP);
            }
            out.push(c);
        }
        _ => out.push(c),
    }
    next
}

const SUFFIXES: &[(&str, &str)] = &[
    // Longest first; (as written, as printed).
    ("^{ème}", "e"),
    ("^{ère}", "re"),
    ("^{ers}", "ers"),
    ("^{er}", "er"),
    ("^{es}", "es"),
    ("^{re}", "re"),
    ("^{e}", "e"),
    ("^ème", "e"),
    ("^ère", "re"),
    ("^er", "er"),
    ("^es", "es"),
    ("^re", "re"),
    ("^e", "e"),
    ("ème", "e"),
    ("ère", "re"),
    ("ers", "ers"),
    ("res", "res"),
    ("er", "er"),
    ("es", "es"),
    ("re", "re"),
    ("e", "e"),
];

/// `3e`, `17e`, `3^e`, `1er`, `2^{ème}` → `3<sup>e</sup>` …; None when there is none.
fn ordinals(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = String::new();
    let mut last = 0;
    let mut i = 0;
    let mut found = false;
    while i < bytes.len() {
        let Some(d) = bytes[i..].iter().position(u8::is_ascii_digit) else {
            break;
        };
        i += d;
        if i > 0 && is_word_byte(bytes[i - 1]) {
            i += 1;
            continue;
        }
        let start = i;
        while i < bytes.len() && bytes[i].is_ascii_digit() {
            i += 1;
        }
        let rest = &text[i..];
        let hit = SUFFIXES.iter().find(|(written, _)| {
            rest.starts_with(written)
                && !rest[written.len()..]
                    .chars()
                    .next()
                    .is_some_and(|c| c.is_alphanumeric() || c == '_')
        });
        // "1er" is only "premier" with 1; "2e" etc. need a number > 1 for "e".
        let Some((written, printed)) = hit else {
            continue;
        };
        let number = &text[start..i];
        if (*printed == "er" || *printed == "re" || *printed == "ers" || *printed == "res")
            && number != "1"
        {
            continue;
        }
        if number.len() > 4 || (number.starts_with('0') && number.len() > 1) {
            continue;
        }
        found = true;
        crate::html::escape_into(&mut out, &text[last..start]);
        out.push_str(number);
        out.push_str("<sup>");
        out.push_str(printed);
        out.push_str("</sup>");
        i += written.len();
        last = i;
    }
    if !found {
        return None;
    }
    crate::html::escape_into(&mut out, &text[last..]);
    Some(out)
}

fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'.' || b == b',' || b >= 0x80
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> String {
        match typeset(s) {
            Typeset::Text(c) => c.into_owned(),
            Typeset::Html(h) => h,
        }
    }

    #[test]
    fn high_punctuation_gets_narrow_no_break_space() {
        assert_eq!(t("Pourquoi ?"), "Pourquoi\u{202F}?");
        assert_eq!(t("Attention!"), "Attention\u{202F}!");
        assert_eq!(t("a ; b"), "a\u{202F}; b");
        assert_eq!(t("Quoi ?!"), "Quoi\u{202F}?!");
    }

    #[test]
    fn a_multibyte_space_before_a_word_with_a_mark_is_no_panic() {
        // Found by tests/fuzz.rs: the word start was taken one byte after
        // a three-byte U+202F.
        assert_eq!(t("a\u{202f}group:x"), "a\u{202f}group:x");
        assert_eq!(t("\u{202f}b; c"), "\u{202f}b\u{202F}; c");
    }

    #[test]
    fn colon_gets_no_break_space_only_where_a_space_was() {
        assert_eq!(t("Contact : CUF"), "Contact\u{A0}: CUF");
        assert_eq!(t("de 14:00 à 16:00"), "de 14:00 à 16:00");
    }

    #[test]
    fn guillemets_get_inner_narrow_spaces() {
        assert_eq!(t("« Relais »"), "«\u{202F}Relais\u{202F}»");
        assert_eq!(t("«Relais»"), "«\u{202F}Relais\u{202F}»");
    }

    #[test]
    fn apostrophes_become_typographic_between_letters() {
        assert_eq!(
            t("l'AICT et aujourd'hui"),
            "l\u{2019}AICT et aujourd\u{2019}hui"
        );
        assert_eq!(t("'cité'"), "'cité'");
    }

    #[test]
    fn titles_as_text_and_html() {
        assert_eq!(
            title_text("Les 3^e Assises : bilan"),
            "Les 3e Assises\u{A0}: bilan"
        );
        assert_eq!(title_text("Le 1^{er} juillet"), "Le 1er juillet");
        assert_eq!(
            title_html("Les 3^e <Assises>"),
            "Les 3<sup>e</sup> &lt;Assises&gt;"
        );
    }

    #[test]
    fn urls_are_left_alone() {
        assert_eq!(
            t("voir https://x.org/a?b=c;d"),
            "voir https://x.org/a?b=c;d"
        );
        assert_eq!(t("écrire à a@b.fr!"), "écrire à a@b.fr!");
    }

    #[test]
    fn spacing_is_idempotent_and_takes_pasted_no_break_spaces() {
        for s in [
            "Tribune : plus de 50 élus ; « vraiment » ?",
            "Maroc\u{a0}: mission",
            "soirée\u{202f}; le 3 juillet ! Voir https://x.fr/?a=1;b",
        ] {
            let once = title_text(s);
            assert_eq!(title_text(&once), once, "{s}");
        }
        assert_eq!(t("Maroc\u{a0}: mission"), "Maroc\u{a0}: mission");
    }

    #[test]
    fn ordinals_become_superscripts() {
        assert_eq!(t("la 3e édition"), "la 3<sup>e</sup> édition");
        assert_eq!(t("la 17e"), "la 17<sup>e</sup>");
        assert_eq!(t("les 3^e Assises"), "les 3<sup>e</sup> Assises");
        assert_eq!(t("le 1er juillet"), "le 1<sup>er</sup> juillet");
        assert_eq!(t("le 1^{er} juillet"), "le 1<sup>er</sup> juillet");
        assert_eq!(t("12^{ème} appel"), "12<sup>e</sup> appel");
        assert_eq!(t("5es Assises"), "5<sup>es</sup> Assises");
    }

    #[test]
    fn non_ordinals_are_untouched() {
        assert_eq!(t("1e5 et 3eme et A3e et 2er"), "1e5 et 3eme et A3e et 2er");
        assert_eq!(t("1,5e"), "1,5e");
    }

    #[test]
    fn html_output_is_escaped() {
        assert_eq!(t("<b> 3e"), "&lt;b&gt; 3<sup>e</sup>");
    }
}

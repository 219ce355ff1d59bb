//! The one HTML escaper and the one character-reference decoder of the
//! project, shared by the typography of the load stage, the e-mail's
//! post-processing (Tera's autoescape), the feeds, the link check and the
//! `serve` error page.

use std::borrow::Cow;

/// The replacement of one byte, when it needs one. Tera's escaping, byte for
/// byte: `&`, `<`, `>`, `"` and `'` (as `&#39;`, also valid XML).
fn entity(b: u8) -> Option<&'static str> {
    match b {
        b'&' => Some("&amp;"),
        b'<' => Some("&lt;"),
        b'>' => Some("&gt;"),
        b'"' => Some("&quot;"),
        b'\'' => Some("&#39;"),
        _ => None,
    }
}

/// Writes `input` escaped for HTML or XML text and attribute values,
/// copying unescaped runs in one call each.
pub fn write_escaped(input: &str, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let bytes = input.as_bytes();
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        let Some(e) = entity(b) else { continue };
        if start < i {
            out.write_all(&bytes[start..i])?;
        }
        out.write_all(e.as_bytes())?;
        start = i + 1;
    }
    if start < bytes.len() {
        out.write_all(&bytes[start..])?;
    }
    Ok(())
}

/// Appends `input` escaped for HTML or XML to `out`.
pub fn escape_into(out: &mut String, input: &str) {
    let mut start = 0;
    for (i, b) in input.bytes().enumerate() {
        let Some(e) = entity(b) else { continue };
        out.push_str(&input[start..i]);
        out.push_str(e);
        start = i + 1;
    }
    out.push_str(&input[start..]);
}

/// `input` escaped for HTML or XML (borrowed when nothing needs escaping).
pub fn escape(input: &str) -> Cow<'_, str> {
    if !input.bytes().any(|b| entity(b).is_some()) {
        return Cow::Borrowed(input);
    }
    let mut out = String::with_capacity(input.len() + 16);
    escape_into(&mut out, input);
    Cow::Owned(out)
}

/// Decodes the character references an attribute value may hold: the five
/// of XML (`&amp;` …, `&apos;`) and numeric ones (`&#39;`, `&#x27;`).
/// Anything else is left as written.
pub fn decode_entities(s: &str) -> Cow<'_, str> {
    if !s.contains('&') {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let end = rest.find(';').filter(|&e| e <= 10);
        let decoded = end.and_then(|e| match &rest[1..e] {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            n if n.starts_with("#x") || n.starts_with("#X") => u32::from_str_radix(&n[2..], 16)
                .ok()
                .and_then(char::from_u32),
            n if n.starts_with('#') => n[1..].parse().ok().and_then(char::from_u32),
            _ => None,
        });
        match (decoded, end) {
            (Some(c), Some(e)) => {
                out.push(c);
                rest = &rest[e + 1..];
            }
            _ => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_like_tera() {
        let s = r#"<a href="x">Tom & 'Jerry'</a> é"#;
        let mut w = Vec::new();
        write_escaped(s, &mut w).unwrap();
        let expected = "&lt;a href=&quot;x&quot;&gt;Tom &amp; &#39;Jerry&#39;&lt;/a&gt; é";
        assert_eq!(String::from_utf8(w).unwrap(), expected);
        assert_eq!(escape(s), expected);
        assert!(matches!(escape("rien à échapper"), Cow::Borrowed(_)));
        let mut out = String::from("> ");
        escape_into(&mut out, s);
        assert_eq!(out, format!("> {expected}"));
    }

    #[test]
    fn decoding_undoes_escaping_and_numeric_references() {
        let s = r#"a&b <c> "d" 'e' é"#;
        assert_eq!(decode_entities(&escape(s)), s);
        assert_eq!(decode_entities("&#x27;&#39;&apos;&#233;"), "'''é");
        assert_eq!(decode_entities("&unknown; & &amp"), "&unknown; & &amp");
        assert_eq!(decode_entities("&#xD800;"), "&#xD800;");
    }
}

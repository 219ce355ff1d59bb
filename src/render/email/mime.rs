//! The `.eml` of an issue: one MIME `multipart/alternative` message (plain
//! text first, then HTML, both UTF-8 quoted-printable), built with lettre's
//! message builder. Its date, boundary and Message-ID derive from the issue,
//! so the same content always gives the same bytes; [`for_test_send`]
//! gives a test send its own Message-ID, date and recipient. The
//! `List-Unsubscribe` headers come from `mailing` in `site.yaml`.

use std::time::{Duration, SystemTime};

use chrono::TimeZone;
use lettre::message::header::{ContentTransferEncoding, ContentType, HeaderName, HeaderValue};
use lettre::message::{Mailbox, MultiPart, SinglePart};

use crate::diagnostics::Diagnostic;
use crate::model::Letter;
use crate::render::RenderContext;

/// The plain-text part's type: flowed lines (see `email::text`).
pub const TEXT_TYPE: &str = "text/plain; charset=utf-8; format=flowed; delsp=yes";

/// The message of `letter`, CRLF line endings, ready to send as it is.
pub fn message(
    ctx: &RenderContext<'_>,
    letter: &Letter,
    subject: &str,
    text: &str,
    html: &str,
) -> Result<Vec<u8>, Diagnostic> {
    let fail = |e: String| {
        Diagnostic::error(
            &letter.index.path,
            0,
            0,
            format!(
                "le message .eml du numéro {} n'a pas pu être écrit : {e}",
                letter.id
            ),
        )
    };
    let host = host(&ctx.base_url);
    let from = sender(ctx, &host).map_err(|e| {
        Diagnostic::error(
            "content/site.yaml",
            ctx.site.config.email.as_ref().map_or(0, |_| 1),
            0,
            format!("adresse d'expédition invalide pour l'e-mail : {e}"),
        )
        .with_suggestion("indiquez dans email une adresse de la forme nom@domaine.fr")
    })?;
    let text_type = ContentType::parse(TEXT_TYPE).map_err(|e| fail(e.to_string()))?;
    let body = MultiPart::alternative()
        .boundary(format!("=_cufpress_lettre-{}", letter.id))
        .singlepart(
            SinglePart::builder()
                .header(text_type)
                .header(ContentTransferEncoding::QuotedPrintable)
                .body(crlf(text)),
        )
        .singlepart(
            SinglePart::builder()
                .header(ContentType::TEXT_HTML)
                .header(ContentTransferEncoding::QuotedPrintable)
                .body(crlf(html)),
        );
    let mut builder = lettre::Message::builder()
        .from(from.clone())
        .to(from)
        .subject(subject)
        .date(date(letter))
        .message_id(Some(format!("<lettre-{}.cufpress@{host}>", letter.id)));
    for h in unsubscribe_headers(ctx) {
        builder = builder.raw_header(h);
    }
    let msg = builder.multipart(body).map_err(|e| fail(e.to_string()))?;
    Ok(msg.formatted())
}

/// `List-Unsubscribe` (RFC 2369) with the `mailing` address and page, and
/// `List-Unsubscribe-Post` (RFC 8058, one click) when the page is HTTPS.
pub fn unsubscribe_headers(ctx: &RenderContext<'_>) -> Vec<HeaderValue> {
    let Some(m) = ctx.site.config.mailing.as_ref() else {
        return Vec::new();
    };
    let url = m
        .unsubscribe_url
        .as_deref()
        .map(str::trim)
        .filter(|u| u.starts_with("https://") || u.starts_with("http://"));
    let mailto = m
        .unsubscribe_email
        .as_deref()
        .map(str::trim)
        .filter(|e| !e.is_empty())
        .map(|e| {
            let e = e.strip_prefix("mailto:").unwrap_or(e);
            format!("mailto:{e}?subject=unsubscribe")
        });
    let values: Vec<String> = url
        .map(str::to_string)
        .into_iter()
        .chain(mailto)
        .map(|v| format!("<{v}>"))
        .collect();
    if values.is_empty() {
        return Vec::new();
    }
    let mut headers = vec![HeaderValue::new(
        HeaderName::new_from_ascii_str("List-Unsubscribe"),
        values.join(", "),
    )];
    if url.is_some_and(|u| u.starts_with("https://")) {
        headers.push(HeaderValue::new(
            HeaderName::new_from_ascii_str("List-Unsubscribe-Post"),
            "List-Unsubscribe=One-Click".to_string(),
        ));
    }
    headers
}

/// The published `.eml` readied for one test send: its `To:` the tester,
/// a `Date:` of `now` and a `Message-ID` of its own (else a second test
/// could be dropped as a duplicate of the first); every other byte kept.
pub fn for_test_send(
    eml: &[u8],
    to: &str,
    now: chrono::DateTime<chrono::Utc>,
    host: &str,
) -> Vec<u8> {
    let end = eml
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .map_or(eml.len(), |i| i + 2);
    let (head, body) = eml.split_at(end);
    let replaced = ["to", "date", "message-id"];
    let mut out = Vec::with_capacity(eml.len() + 64);
    let mut keep = true;
    for line in head.split_inclusive(|&b| b == b'\n') {
        let folded = line.first().is_some_and(|b| *b == b' ' || *b == b'\t');
        if !folded {
            let name = line
                .split(|&b| b == b':')
                .next()
                .map(|n| String::from_utf8_lossy(n).to_ascii_lowercase())
                .unwrap_or_default();
            keep = !replaced.contains(&name.trim());
        }
        if keep {
            out.extend_from_slice(line);
        }
    }
    let id = format!(
        "<essai-{}.{}.cufpress@{host}>",
        now.format("%Y%m%d%H%M%S%f"),
        std::process::id()
    );
    for (name, value) in [
        ("To", to.to_string()),
        ("Date", now.to_rfc2822()),
        ("Message-ID", id),
    ] {
        out.extend_from_slice(format!("{name}: {value}\r\n").as_bytes());
    }
    out.extend_from_slice(body);
    out
}

/// `s` with CRLF line endings, as lettre writes a `String` body, but in
/// linear time: lettre inserts each `\r` in place, moving the rest of the
/// text every time (a quarter of the e-mail edition's instructions). Given
/// as bytes, lettre takes the body as it is.
fn crlf(s: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(s.len() + s.len() / 32);
    let mut prev = 0u8;
    for &b in s.as_bytes() {
        if b == b'\n' && prev != b'\r' {
            out.push(b'\r');
        }
        out.push(b);
        prev = b;
    }
    out
}

/// "Cités Unies France <coop-dec@…>", or `lettre@HOST` when site.yaml has no e-mail.
fn sender(ctx: &RenderContext<'_>, host: &str) -> Result<Mailbox, String> {
    let c = &ctx.site.config;
    let address = c
        .email
        .clone()
        .unwrap_or_else(|| format!("lettre@{}", host.trim_start_matches("www.")));
    let address = address
        .trim()
        .parse()
        .map_err(|e| format!("« {address} » ({e})"))?;
    Ok(Mailbox::new(Some(c.title.clone()), address))
}

/// The publication date at 08:00, Paris time.
fn date(letter: &Letter) -> SystemTime {
    let day = letter.index.front.date.0;
    let local = day.and_hms_opt(8, 0, 0).unwrap_or_default();
    let secs = chrono_tz::Europe::Paris
        .from_local_datetime(&local)
        .earliest()
        .map_or(0, |t| t.timestamp());
    SystemTime::UNIX_EPOCH + Duration::from_secs(secs.max(0) as u64)
}

/// `https://www.x.org/cuf` → `www.x.org`.
pub fn host(base_url: &str) -> String {
    let h = crate::urls::host(base_url);
    if h.is_empty() {
        "localhost".into()
    } else {
        h.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_test_send_gets_its_own_recipient_date_and_id() {
        let eml = b"From: A <a@b.fr>\r\nTo: A <a@b.fr>\r\nSubject: =?utf-8?b?eA==?=\r\n =?utf-8?b?eQ==?=\r\nDate: Wed, 10 Sep 2025 06:00:00 +0000\r\nMessage-ID: <lettre-2025-09.cufpress@x.org>\r\n\r\nTo: corps\r\n";
        let now = chrono::DateTime::parse_from_rfc3339("2026-12-02T01:02:03.5Z")
            .unwrap()
            .to_utc();
        let out = String::from_utf8(for_test_send(eml, "t@e.fr", now, "x.org")).unwrap();
        let (head, body) = out.split_once("\r\n\r\n").unwrap();
        assert_eq!(body, "To: corps\r\n");
        assert!(head.contains("Subject: =?utf-8?b?eA==?=\r\n =?utf-8?b?eQ==?="));
        assert!(head.contains("\r\nTo: t@e.fr"), "{head}");
        assert!(
            head.contains("Date: Wed, 2 Dec 2026 01:02:03 +0000"),
            "{head}"
        );
        assert!(
            !head.contains("lettre-2025-09") && !head.contains("2025"),
            "{head}"
        );
        assert_eq!(head.matches("Message-ID: <essai-20261202010203").count(), 1);
        assert_eq!(head.matches("To:").count(), 1);
    }

    #[test]
    fn line_endings_become_crlf_once() {
        assert_eq!(crlf("a\nb\r\nc\n\n"), b"a\r\nb\r\nc\r\n\r\n");
        assert_eq!(crlf("\né\rx"), "\r\né\rx".as_bytes());
    }
}

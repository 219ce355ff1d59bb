//! The `.eml` of an issue: one MIME `multipart/alternative` message (plain
//! text first, then HTML, both UTF-8 quoted-printable), built with lettre's
//! message builder. Its date, boundary and Message-ID derive from the issue,
//! so the same content always gives the same bytes.

use std::time::{Duration, SystemTime};

use chrono::TimeZone;
use lettre::message::header::{ContentTransferEncoding, ContentType};
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
    let msg = lettre::Message::builder()
        .from(from.clone())
        .to(from)
        .subject(subject)
        .date(date(letter))
        .message_id(Some(format!("<lettre-{}.cufpress@{host}>", letter.id)))
        .multipart(body)
        .map_err(|e| fail(e.to_string()))?;
    Ok(msg.formatted())
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
    let after = base_url.split_once("://").map_or(base_url, |(_, r)| r);
    let h = after.split(['/', ':', '?', '#']).next().unwrap_or("");
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
    fn line_endings_become_crlf_once() {
        assert_eq!(crlf("a\nb\r\nc\n\n"), b"a\r\nb\r\nc\r\n\r\n");
        assert_eq!(crlf("\né\rx"), "\r\né\rx".as_bytes());
    }
}

//! `cufpress envoyer-test AAAA-MM --to ADRESSE --smtp HÔTE:PORT`: builds the
//! site in memory and sends the issue's `.eml`, byte for byte, through an
//! SMTP server (lettre), for the team's test sends before a campaign.

use std::path::PathBuf;
use std::time::Duration;

use clap::Args;
use lettre::address::{Address, Envelope};
use lettre::{SmtpTransport, Transport};

use cufpress::diagnostics::Diagnostic;

/// Options of `envoyer-test`.
#[derive(Args)]
pub struct SendArgs {
    /// Numéro de la lettre à envoyer (AAAA-MM)
    #[arg(value_name = "AAAA-MM")]
    issue: String,
    /// Adresse du destinataire de l'envoi de test
    #[arg(long, value_name = "ADRESSE")]
    to: String,
    /// Serveur SMTP (sans chiffrement ni authentification), par exemple 127.0.0.1:1025
    #[arg(long, value_name = "HÔTE:PORT")]
    smtp: String,
    /// Dossier du site (qui contient content/ et themes/)
    #[arg(long, value_name = "DOSSIER", default_value = ".")]
    root: PathBuf,
    /// Inclure les brouillons (draft: true)
    #[arg(long)]
    drafts: bool,
}

/// Sends the message; returns the French confirmation, or what went wrong.
pub fn run(a: SendArgs) -> Result<String, Vec<Diagnostic>> {
    let cli = |m: String, hint: &str| {
        vec![Diagnostic::error("envoyer-test", 0, 0, m).with_suggestion(hint)]
    };
    let (host, port) = parse_smtp(&a.smtp).ok_or_else(|| {
        cli(
            format!("serveur SMTP « {} » invalide", a.smtp),
            "écrivez HÔTE:PORT, par exemple 127.0.0.1:1025",
        )
    })?;
    let to: Address = a.to.trim().parse().map_err(|_| {
        cli(
            format!("adresse de destination « {} » invalide", a.to),
            "écrivez une adresse de la forme nom@domaine.fr",
        )
    })?;
    let eml = message_bytes(&a)?;
    let from = from_address(&eml).ok_or_else(|| {
        cli(
            "le message n'a pas d'adresse d'expédition lisible".into(),
            "vérifiez email dans content/site.yaml",
        )
    })?;
    let envelope = Envelope::new(Some(from), vec![to.clone()])
        .map_err(|e| cli(format!("enveloppe invalide : {e}"), ""))?;
    let transport = SmtpTransport::builder_dangerous(&host)
        .port(port)
        .timeout(Some(Duration::from_secs(20)))
        .build();
    // The SMTP codec ends DATA with CRLF "." CRLF; the message's own last
    // CRLF is left to it, so the server stores exactly the .eml bytes.
    let payload = eml.strip_suffix(b"\r\n").unwrap_or(&eml);
    transport.send_raw(&envelope, payload).map_err(|e| {
        cli(
            format!("envoi impossible par {host}:{port} : {e}"),
            "vérifiez que le serveur SMTP est joignable et accepte les messages sans authentification",
        )
    })?;
    Ok(format!(
        "Lettre {} envoyée à {to} par {host}:{port} ({} octets).",
        a.issue,
        eml.len()
    ))
}

/// The issue's `.eml`, from a build done in memory.
fn message_bytes(a: &SendArgs) -> Result<Vec<u8>, Vec<Diagnostic>> {
    let opts = cufpress::Options {
        root: a.root.clone(),
        drafts: a.drafts,
        today: chrono::Local::now().date_naive(),
        search_index: false,
        ..cufpress::Options::default()
    };
    // Photos come from the image cache a build filled: a test send does
    // not encode them again.
    let inputs = cufpress::pipeline::Inputs::read(&a.root, true).map_err(|d| vec![d])?;
    let cache = opts.image_cache(true);
    let (generated, diags) = cufpress::pipeline::generate(&inputs, &opts, Some(&cache));
    let path = format!("lettres/{0}/lettre-{0}.eml", a.issue);
    let Some(generated) = generated else {
        return Err(diags
            .sorted()
            .into_iter()
            .filter(Diagnostic::is_error)
            .collect());
    };
    if let Some(o) = generated.outputs.iter().find(|o| o.path == path) {
        return Ok(o.bytes.clone());
    }
    let issues: Vec<String> = generated
        .outputs
        .iter()
        .filter_map(|o| o.path.strip_suffix(".eml"))
        .filter_map(|p| p.rsplit_once("lettre-").map(|(_, id)| format!("`{id}`")))
        .collect();
    Err(vec![
        Diagnostic::error(
            format!("content/lettres/{}", a.issue),
            0,
            0,
            format!("numéro de la lettre introuvable : « {} »", a.issue),
        )
        .with_suggestion(if issues.is_empty() {
            "aucun numéro publié : ajoutez content/lettres/AAAA-MM/_index.md".to_string()
        } else {
            format!("numéros disponibles : {}", issues.join(", "))
        }),
    ])
}

/// "HOST:PORT" (IPv6 as "[::1]:25").
fn parse_smtp(s: &str) -> Option<(String, u16)> {
    let (host, port) = s.trim().rsplit_once(':')?;
    let host = host.trim_start_matches('[').trim_end_matches(']');
    (!host.is_empty()).then_some(())?;
    Some((host.to_string(), port.parse().ok()?))
}

/// The address of the `From:` header of a message.
fn from_address(eml: &[u8]) -> Option<Address> {
    let text = String::from_utf8_lossy(eml);
    let head = text.split("\r\n\r\n").next()?;
    let unfolded = head.replace("\r\n ", " ").replace("\r\n\t", " ");
    let line = unfolded
        .split("\r\n")
        .find(|l| l.to_ascii_lowercase().starts_with("from:"))?;
    let inner = match (line.rfind('<'), line.rfind('>')) {
        (Some(a), Some(b)) if a < b => &line[a + 1..b],
        _ => line[5..].trim(),
    };
    inner.trim().parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn smtp_addresses() {
        assert_eq!(
            parse_smtp("127.0.0.1:2525"),
            Some(("127.0.0.1".into(), 2525))
        );
        assert_eq!(parse_smtp("[::1]:25"), Some(("::1".into(), 25)));
        assert_eq!(parse_smtp("localhost"), None);
        assert_eq!(parse_smtp(":25"), None);
    }

    #[test]
    fn from_header() {
        let eml = b"Subject: x\r\nFrom: =?utf-8?b?Q2l0w6lz?= <a@b.fr>\r\n\r\nFrom: c@d.fr\r\n";
        assert_eq!(from_address(eml).unwrap().to_string(), "a@b.fr");
    }
}

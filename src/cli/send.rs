//! `cufpress envoyer-test AAAA-MM --to ADRESSE --smtp HÔTE:PORT`: builds the
//! site in memory and sends the issue's `.eml`, byte for byte, through an
//! SMTP server (lettre), for the team's test sends before a campaign.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, ValueEnum};
use lettre::address::{Address, Envelope};
use lettre::transport::smtp::authentication::{Credentials, Mechanism};
use lettre::transport::smtp::client::{Certificate, Tls, TlsParameters};
use lettre::{SmtpTransport, Transport};

use cufpress::diagnostics::Diagnostic;
use cufpress::render::email::mime;

/// Where the password of the relay is read from (never from a file).
pub const PASSWORD_VAR: &str = "CUFPRESS_SMTP_MOT_DE_PASSE";

/// How the connection to the SMTP server is encrypted.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Encryption {
    /// STARTTLS, obligatoire (port 587, le défaut)
    Starttls,
    /// TLS dès la connexion (port 465, le défaut sur ce port)
    Tls,
    /// Aucun : seulement pour un serveur de test sur cette machine (127.0.0.1)
    Aucun,
}

/// Options of `envoyer-test`.
#[derive(Args)]
pub struct SendArgs {
    /// Numéro de la lettre à envoyer (AAAA-MM)
    #[arg(value_name = "AAAA-MM")]
    issue: String,
    /// Adresse du destinataire de l'envoi de test
    #[arg(long, value_name = "ADRESSE")]
    to: String,
    /// Serveur SMTP, par exemple smtp-relay.brevo.com:587
    #[arg(long, value_name = "HÔTE:PORT")]
    smtp: String,
    /// Chiffrement de la connexion (par défaut : tls sur le port 465, starttls sinon)
    #[arg(long, value_enum, value_name = "MODE")]
    chiffrement: Option<Encryption>,
    /// Identifiant de connexion au relais ; le mot de passe est lu dans la variable
    /// d'environnement CUFPRESS_SMTP_MOT_DE_PASSE, ou demandé au clavier
    #[arg(long, value_name = "IDENTIFIANT")]
    utilisateur: Option<String>,
    /// Certificat (PEM) d'une autorité à reconnaître en plus des autorités publiques,
    /// pour un serveur de test ; la vérification des certificats n'est jamais désactivée
    #[arg(long, value_name = "FICHIER")]
    ca: Option<PathBuf>,
    /// Délai d'attente des réponses du serveur, en secondes
    #[arg(long, value_name = "SECONDES", default_value_t = 20)]
    delai: u64,
    #[command(flatten)]
    site: super::SiteArgs,
}

fn cli(m: String, hint: &str) -> Vec<Diagnostic> {
    vec![Diagnostic::error("envoyer-test", 0, 0, m).with_suggestion(hint)]
}

/// Sends the message; returns the French confirmation, or what went wrong.
pub fn run(a: SendArgs) -> Result<String, Vec<Diagnostic>> {
    let (host, port) = parse_smtp(&a.smtp).ok_or_else(|| {
        cli(
            format!("serveur SMTP « {} » invalide", a.smtp),
            "écrivez HÔTE:PORT, par exemple smtp-relay.brevo.com:587",
        )
    })?;
    let to: Address = a.to.trim().parse().map_err(|_| {
        cli(
            format!("adresse de destination « {} » invalide", a.to),
            "écrivez une adresse de la forme nom@domaine.fr",
        )
    })?;
    let mode = a.chiffrement.unwrap_or(if port == 465 {
        Encryption::Tls
    } else {
        Encryption::Starttls
    });
    let transport = transport(&a, &host, port, mode)?;
    let eml = message_bytes(&a)?;
    let from = from_address(&eml).ok_or_else(|| {
        cli(
            "le message n'a pas d'adresse d'expédition lisible".into(),
            "vérifiez email dans content/site.yaml",
        )
    })?;
    let eml = mime::for_test_send(&eml, to.as_ref(), chrono::Utc::now(), from.domain());
    let envelope = Envelope::new(Some(from), vec![to.clone()])
        .map_err(|e| cli(format!("enveloppe invalide : {e}"), ""))?;
    // The SMTP codec ends DATA with CRLF "." CRLF; the message's own last
    // CRLF is left to it, so the server stores exactly these bytes.
    let payload = eml.strip_suffix(b"\r\n").unwrap_or(&eml);
    transport
        .send_raw(&envelope, payload)
        .map_err(|e| vec![send_error(&e, &host, port, mode, a.ca.is_some())])?;
    Ok(format!(
        "Lettre {} envoyée à {to} par {host}:{port} ({} octets).",
        a.issue,
        eml.len()
    ))
}

/// The SMTP transport the options ask for: TLS checked against the public
/// authorities (and `--ca`), authenticated when `--utilisateur` is given.
fn transport(
    a: &SendArgs,
    host: &str,
    port: u16,
    mode: Encryption,
) -> Result<SmtpTransport, Vec<Diagnostic>> {
    let local = ["127.0.0.1", "::1", "localhost"].contains(&host);
    if mode == Encryption::Aucun && !local {
        return Err(cli(
            format!(
                "envoi sans chiffrement refusé vers {host} : le message et le mot de passe passeraient en clair"
            ),
            "retirez --chiffrement aucun (STARTTLS sur le port 587, TLS sur le port 465)",
        ));
    }
    let mut b = SmtpTransport::builder_dangerous(host)
        .port(port)
        .timeout(Some(Duration::from_secs(a.delai.max(1))));
    if mode != Encryption::Aucun {
        let params = tls_parameters(host, a.ca.as_ref())?;
        b = b.tls(match mode {
            Encryption::Tls => Tls::Wrapper(params),
            _ => Tls::Required(params),
        });
    }
    if let Some(user) = &a.utilisateur {
        b = b
            .credentials(Credentials::new(user.clone(), password(user)?))
            .authentication(vec![Mechanism::Plain, Mechanism::Login]);
    }
    Ok(b.build())
}

/// TLS parameters for `host`: the public authorities, plus `ca` when given.
fn tls_parameters(host: &str, ca: Option<&PathBuf>) -> Result<TlsParameters, Vec<Diagnostic>> {
    let mut p = TlsParameters::builder(host.to_string());
    if let Some(path) = ca {
        let pem = std::fs::read(path).map_err(|e| {
            cli(
                format!(
                    "certificat {} illisible ({})",
                    path.display(),
                    io_reason(&e)
                ),
                "indiquez avec --ca le fichier .pem du certificat d'autorité du serveur de test",
            )
        })?;
        let cert = Certificate::from_pem(&pem).map_err(|_| {
            cli(
                format!("{} n'est pas un certificat PEM lisible", path.display()),
                "le fichier doit commencer par -----BEGIN CERTIFICATE-----",
            )
        })?;
        p = p.add_root_certificate(cert);
    }
    p.build_rustls().map_err(|_| {
        cli(
            format!("paramètres TLS invalides pour {host}"),
            "vérifiez le nom du serveur et le certificat donné à --ca",
        )
    })
}

/// The relay's password: from [`PASSWORD_VAR`], or typed without echo.
fn password(user: &str) -> Result<String, Vec<Diagnostic>> {
    if let Ok(p) = std::env::var(PASSWORD_VAR) {
        return Ok(p);
    }
    if !std::io::stdin().is_terminal() {
        return Err(cli(
            format!("mot de passe SMTP de « {user} » introuvable"),
            &format!(
                "définissez la variable d'environnement {PASSWORD_VAR}, ou lancez la commande dans un terminal pour le saisir"
            ),
        ));
    }
    rpassword::prompt_password(format!("Mot de passe SMTP de {user} : ")).map_err(|_| {
        cli(
            "le mot de passe n'a pas pu être lu au clavier".into(),
            &format!("définissez la variable d'environnement {PASSWORD_VAR}"),
        )
    })
}

/// What went wrong, in French, from lettre's error.
fn send_error(
    e: &lettre::transport::smtp::Error,
    host: &str,
    port: u16,
    mode: Encryption,
    ca: bool,
) -> Diagnostic {
    let server = format!("{host}:{port}");
    let io = io_kind(e);
    let code = e.status().map(|c| c.to_string());
    let reply = server_reply(e);
    let (message, hint) = if io == Some(std::io::ErrorKind::ConnectionRefused) {
        (
            format!("connexion refusée par {server} : aucun serveur SMTP n'écoute à cette adresse"),
            "vérifiez l'hôte et le port (587 pour STARTTLS, 465 pour TLS)".to_string(),
        )
    } else if e.is_timeout()
        || matches!(
            io,
            Some(std::io::ErrorKind::TimedOut | std::io::ErrorKind::WouldBlock)
        )
    {
        (
            format!("le serveur {server} ne répond pas (délai dépassé)"),
            "vérifiez l'hôte, le port et le mode de chiffrement (--chiffrement tls sur le port 465), ou augmentez --delai".to_string(),
        )
    } else if code.as_deref() == Some("535") || code.as_deref() == Some("534") {
        (
            format!("identifiant ou mot de passe refusé par {server}{reply}"),
            format!(
                "vérifiez --utilisateur et la variable {PASSWORD_VAR} (chez Brevo : la clé SMTP, pas le mot de passe du compte)"
            ),
        )
    } else if code.as_deref() == Some("530") && mode == Encryption::Aucun {
        (
            format!("{server} exige une connexion chiffrée{reply}"),
            "retirez --chiffrement aucun".to_string(),
        )
    } else if code.as_deref() == Some("530") {
        (
            format!("{server} exige une authentification{reply}"),
            "indiquez --utilisateur (le mot de passe dans la variable CUFPRESS_SMTP_MOT_DE_PASSE)"
                .to_string(),
        )
    } else if e.is_tls() || format!("{e:?}").contains("Certificate") {
        (
            format!(
                "la connexion chiffrée avec {server} a échoué : certificat non reconnu ou protocole refusé"
            ),
            if ca {
                "vérifiez que le certificat donné à --ca est celui de l'autorité du serveur"
                    .to_string()
            } else {
                "vérifiez le nom du serveur ; pour un serveur de test, donnez son certificat d'autorité avec --ca".to_string()
            },
        )
    } else if let Some(c) = code.filter(|c| c.starts_with('5')) {
        (
            format!("le serveur {server} a refusé le message (code {c}){reply}"),
            "vérifiez l'adresse d'expédition (email dans site.yaml) : le relais doit l'autoriser"
                .to_string(),
        )
    } else if e.is_transient() {
        (
            format!("le serveur {server} a refusé temporairement le message{reply}"),
            "réessayez dans quelques minutes".to_string(),
        )
    } else {
        (
            format!("envoi impossible par {server}"),
            "vérifiez l'hôte, le port, le chiffrement et votre connexion au réseau".to_string(),
        )
    };
    Diagnostic::error("envoyer-test", 0, 0, message).with_suggestion(hint)
}

/// A file error in French.
fn io_reason(e: &std::io::Error) -> &'static str {
    match e.kind() {
        std::io::ErrorKind::NotFound => "fichier introuvable",
        std::io::ErrorKind::PermissionDenied => "accès refusé",
        _ => "erreur de lecture",
    }
}

/// The kind of the I/O error under `e`, if any.
fn io_kind(e: &(dyn std::error::Error + 'static)) -> Option<std::io::ErrorKind> {
    let mut cur: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(err) = cur {
        if let Some(io) = err.downcast_ref::<std::io::Error>() {
            return Some(io.kind());
        }
        cur = err.source();
    }
    None
}

/// « (réponse du serveur : …) », the server's own words, when it replied.
fn server_reply(e: &lettre::transport::smtp::Error) -> String {
    if e.status().is_none() {
        return String::new();
    }
    let text = e.to_string();
    let said = text.rsplit_once(": ").map_or(text.as_str(), |(_, r)| r);
    format!(" (réponse du serveur : « {} »)", said.trim())
}

/// The issue's `.eml`, from a build done in memory.
fn message_bytes(a: &SendArgs) -> Result<Vec<u8>, Vec<Diagnostic>> {
    let opts = cufpress::Options {
        search_index: false,
        // The e-mail links its PDF; the PDF itself is not needed here.
        pdf: cufpress::render::pdf::Settings {
            mode: cufpress::render::pdf::Mode::Lazy,
            cache: None,
        },
        ..a.site.options()
    };
    // Photos come from the image cache a build filled: a test send does
    // not encode them again.
    let inputs = cufpress::pipeline::Inputs::read(a.site.root(), true).map_err(|d| vec![d])?;
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

//! Checks of the `admin:` keys of `site.yaml` (the back-office in the
//! browser), beyond what their types say: a repository for the hosts that
//! need one, written `owner/name`; a branch name Git accepts.

use crate::diagnostics::Diagnostic;
use crate::model::{AdminBackend, AdminConfig};
use crate::schema::KeyLocator;

/// Every mistake of `admin`, located in `text` (the `site.yaml` of `path`).
pub fn check(path: &str, text: &str, admin: &AdminConfig) -> Vec<Diagnostic> {
    let locator = KeyLocator::new(text, 0);
    let at = |key: &str| {
        locator
            .locate_path(&format!("admin.{key}"))
            .or_else(|| locator.locate_path("admin"))
            .map(|(line, col)| (line, value_column(text, line).unwrap_or(col)))
            .unwrap_or((1, 1))
    };
    let mut out = Vec::new();
    let mut push = |key: &str, message: String, suggestion: String| {
        let (line, col) = at(key);
        out.push(
            Diagnostic::error(path, line, col, message)
                .with_suggestion(suggestion)
                .with_source(text),
        );
    };
    let host = match admin.backend {
        AdminBackend::Github => Some("GitHub"),
        AdminBackend::Gitlab => Some("GitLab"),
        AdminBackend::GitGateway => None,
    };
    match (&admin.repo, host) {
        (None, Some(host)) => push(
            "backend",
            format!("`admin.repo` manque : le back-office doit savoir dans quel dépôt {host} enregistrer"),
            "ajoutez sous admin: une ligne repo: organisation/depot, par exemple repo: cites-unies-france/site".into(),
        ),
        (Some(repo), _) if !is_repo(repo, admin.backend) => push(
            "repo",
            format!("`admin.repo` : dépôt « {} » invalide", printable(repo)),
            if admin.backend == AdminBackend::Gitlab {
                "écrivez groupe/depot (ou groupe/sous-groupe/depot), sans https:// ni .git, par exemple cites-unies-france/site".into()
            } else {
                "écrivez organisation/depot, sans https:// ni .git, par exemple cites-unies-france/site".into()
            },
        ),
        _ => {}
    }
    if !is_branch(&admin.branch) {
        push(
            "branch",
            format!(
                "`admin.branch` : nom de branche « {} » invalide",
                printable(&admin.branch)
            ),
            "écrivez le nom de la branche publiée, sans espace, par exemple branch: main".into(),
        );
    }
    if let Some(url) = &admin.auth_url
        && !url.starts_with("https://")
    {
        push(
            "auth_url",
            format!("`admin.auth_url` : « {} » n'est pas une adresse https://", printable(url)),
            "écrivez l'adresse du serveur de connexion, par exemple auth_url: https://auth.cites-unies-france.org".into(),
        );
    }
    if let Some(id) = &admin.app_id {
        if admin.backend != AdminBackend::Gitlab {
            push(
                "app_id",
                "`admin.app_id` ne sert qu'avec backend: gitlab".into(),
                "retirez app_id, ou écrivez backend: gitlab".into(),
            );
        } else if id.is_empty() || !id.chars().all(|c| c.is_ascii_alphanumeric()) {
            push(
                "app_id",
                format!(
                    "`admin.app_id` : identifiant « {} » invalide",
                    printable(id)
                ),
                "recopiez l'identifiant de l'application GitLab (lettres et chiffres seulement)"
                    .into(),
            );
        }
    }
    out
}

/// `owner/name` (GitLab: groups and sub-groups allowed), no scheme, no `.git`.
fn is_repo(repo: &str, backend: AdminBackend) -> bool {
    let parts: Vec<&str> = repo.split('/').collect();
    let count_ok = match backend {
        AdminBackend::Gitlab => parts.len() >= 2,
        _ => parts.len() == 2,
    };
    count_ok
        && !repo.ends_with(".git")
        && parts.iter().all(|p| {
            !p.is_empty()
                && !p.starts_with('.')
                && p.chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        })
}

/// A branch name Git and the hosts accept, without surprises.
fn is_branch(b: &str) -> bool {
    !b.is_empty()
        && !b.starts_with(['-', '/', '.'])
        && !b.ends_with(['/', '.'])
        && !b.contains("..")
        && !b.contains("//")
        && !b.ends_with(".lock")
        && b.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '/'))
}

/// The column of the value after `key:` on 1-based `line` of `text`.
fn value_column(text: &str, line: u32) -> Option<u32> {
    let l = text.lines().nth(line.checked_sub(1)? as usize)?;
    let colon = l.find(':')?;
    let after = &l[colon + 1..];
    let value_at = colon + 1 + (after.len() - after.trim_start().len());
    (value_at < l.len()).then(|| l[..value_at].chars().count() as u32 + 1)
}

/// `s` with control characters shown as `U+XXXX`, for messages.
fn printable(s: &str) -> String {
    s.chars()
        .take(200)
        .map(|c| {
            if c.is_control() {
                format!("<U+{:04X}>", c as u32)
            } else {
                c.to_string()
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repositories_and_branches() {
        assert!(is_repo("cites-unies-france/site", AdminBackend::Github));
        assert!(!is_repo("cites-unies-france", AdminBackend::Github));
        assert!(!is_repo("https://github.com/a/b", AdminBackend::Github));
        assert!(!is_repo("a/b.git", AdminBackend::Github));
        assert!(is_repo("cuf/com/site", AdminBackend::Gitlab));
        assert!(!is_repo("cuf/com/site", AdminBackend::Github));
        assert!(is_branch("main"));
        assert!(is_branch("publication/site"));
        assert!(!is_branch("ma branche"));
        assert!(!is_branch("-x"));
        assert!(!is_branch("a..b"));
    }
}

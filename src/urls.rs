//! Where each content file is published: the one mapping from a path under
//! `content/` to its URL, shared by link checking and rendering.

/// The root-relative URL (`/lettres/2025-09/assises/`) of the page built from
/// `path` (`content/lettres/2025-09/assises.md`), or None when that file is
/// not a page.
pub fn page_url(path: &str) -> Option<String> {
    let rel = path.strip_prefix("content/")?;
    let stem = rel.strip_suffix(".md")?;
    let parts: Vec<&str> = stem.split('/').collect();
    match parts.as_slice() {
        ["lettres", id, "_index"] => Some(format!("/lettres/{id}/")),
        ["lettres", id, slug] => Some(format!("/lettres/{id}/{slug}/")),
        ["groupes", slug] => Some(format!("/groupes/{slug}/")),
        ["programmes", slug] => Some(format!("/programmes/{slug}/")),
        ["repertoire", pays, "_index"] => Some(format!("/repertoire/{pays}/")),
        ["repertoire", pays, slug] => Some(format!("/repertoire/{pays}/{slug}/")),
        ["agenda", .., slug] if *slug != "_index" => Some(format!("/agenda/{slug}/")),
        _ => None,
    }
}

/// The root-relative URL of an asset (`content/lettres/2025-09/images/a.jpg`
/// is published at `/lettres/2025-09/images/a.jpg`).
pub fn asset_url(path: &str) -> String {
    format!("/{}", path.strip_prefix("content/").unwrap_or(path))
}

/// Joins `relative` to the folder `dir` and normalises `.` and `..`.
/// Returns None when the result leaves `content/`.
pub fn join_in_content(dir: &str, relative: &str) -> Option<String> {
    let mut parts: Vec<&str> = dir.split('/').filter(|p| !p.is_empty()).collect();
    for part in relative.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            p => parts.push(p),
        }
    }
    (parts.first() == Some(&"content") && parts.len() > 1).then(|| parts.join("/"))
}

/// The path part of a base URL: `https://x.org/site/` → `/site` (no trailing slash).
pub fn base_path(base_url: &str) -> String {
    let after_scheme = base_url.split_once("://").map_or(base_url, |(_, r)| r);
    let path = after_scheme.find('/').map_or("", |i| &after_scheme[i..]);
    path.trim_end_matches('/').to_string()
}

/// Percent-encodes what must not appear raw in a URL query value.
pub fn encode_query(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// `%C3%A9` → `é`; invalid or incomplete sequences are kept as they are,
/// bytes that are not UTF-8 become U+FFFD. The one percent-decoder of the
/// project (links in Markdown, the link check, `serve`'s paths).
pub fn percent_decode(s: &str) -> String {
    percent_encoding::percent_decode_str(s)
        .decode_utf8_lossy()
        .into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_map_to_pretty_urls() {
        assert_eq!(
            page_url("content/lettres/2025-09/assises.md").as_deref(),
            Some("/lettres/2025-09/assises/")
        );
        assert_eq!(
            page_url("content/lettres/2025-09/_index.md").as_deref(),
            Some("/lettres/2025-09/")
        );
        assert_eq!(
            page_url("content/agenda/2025/09/cop30.md").as_deref(),
            Some("/agenda/cop30/")
        );
        assert_eq!(page_url("content/site.yaml"), None);
        assert_eq!(page_url("content/autre/x.md"), None);
    }

    #[test]
    fn joins_stay_inside_content() {
        assert_eq!(
            join_in_content("content/lettres/2025-09", "../2025-07/a.md").as_deref(),
            Some("content/lettres/2025-07/a.md")
        );
        assert_eq!(
            join_in_content("content/lettres/2025-09", "../../../x.md"),
            None
        );
        assert_eq!(join_in_content("content", "../etc/passwd"), None);
    }

    #[test]
    fn base_path_of_urls() {
        assert_eq!(base_path("https://x.org"), "");
        assert_eq!(base_path("https://x.org/"), "");
        assert_eq!(base_path("https://u.github.io/cuf/"), "/cuf");
    }
}

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

/// The origin of a URL: `https://x.org/cuf/a` → `https://x.org`.
pub fn origin(url: &str) -> &str {
    let after = url.find("://").map_or(0, |i| i + 3);
    match url[after..].find(['/', '?', '#']) {
        Some(i) => &url[..after + i],
        None => url,
    }
}

/// The host of a URL, without port: `https://www.x.org:8443/cuf` →
/// `www.x.org` (empty when there is none).
pub fn host(url: &str) -> &str {
    let after = url.split_once("://").map_or(url, |(_, r)| r);
    after.split(['/', ':', '?', '#']).next().unwrap_or("")
}

/// The authority of a URL, host and port: `http://127.0.0.1:8080/` →
/// `127.0.0.1:8080`.
pub fn authority(url: &str) -> &str {
    let after = url.split_once("://").map_or(url, |(_, r)| r);
    after.split(['/', '?', '#']).next().unwrap_or(after)
}

/// True when `url` starts with a scheme (`https:`, `mailto:`, `tel:` …).
pub fn has_scheme(url: &str) -> bool {
    match url.find(':') {
        Some(i) if i > 0 => {
            let scheme = &url[..i];
            scheme.starts_with(|c: char| c.is_ascii_alphabetic())
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
        }
        _ => false,
    }
}

/// `reference` resolved against the absolute URL `base` as a browser does
/// (RFC 3986, by the `url` crate: dot segments removed, non-ASCII
/// percent-encoded). A reference with a scheme is kept as written; one the
/// `url` crate cannot resolve too.
pub fn join(base: &str, reference: &str) -> String {
    let r = reference.trim();
    if has_scheme(r) {
        return r.to_string();
    }
    match url::Url::parse(base).and_then(|b| b.join(r)) {
        Ok(u) => u.into(),
        Err(_) => r.to_string(),
    }
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
    fn urls_join_like_a_browser() {
        let page = "https://x.org/cuf/lettres/2025-09/";
        assert_eq!(
            join(page, "assises/"),
            "https://x.org/cuf/lettres/2025-09/assises/"
        );
        assert_eq!(
            join(page, "../2025-07/"),
            "https://x.org/cuf/lettres/2025-07/"
        );
        assert_eq!(join(page, "/agenda/"), "https://x.org/agenda/");
        assert_eq!(join(page, "//autre.org/a"), "https://autre.org/a");
        assert_eq!(
            join(page, "#agenda"),
            "https://x.org/cuf/lettres/2025-09/#agenda"
        );
        assert_eq!(join(page, "?a=1"), "https://x.org/cuf/lettres/2025-09/?a=1");
        assert_eq!(join(page, ""), page);
        assert_eq!(
            join(page, "images/été.jpg"),
            "https://x.org/cuf/lettres/2025-09/images/%C3%A9t%C3%A9.jpg"
        );
        assert_eq!(join(page, "mailto:a@b.fr"), "mailto:a@b.fr");
        assert_eq!(join(page, " HTTPS://Autre.ORG/X "), "HTTPS://Autre.ORG/X");
        assert!(
            has_scheme("tel:+33")
                && !has_scheme("1:2")
                && !has_scheme("a/b:c")
                && !has_scheme(":x")
        );
        assert_eq!(origin("https://x.org/cuf/a"), "https://x.org");
        assert_eq!(origin("https://x.org"), "https://x.org");
        assert_eq!(host("https://www.x.org:8443/cuf"), "www.x.org");
        assert_eq!(host("https://x.org?q"), "x.org");
        assert_eq!(authority("http://127.0.0.1:8080/cuf"), "127.0.0.1:8080");
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

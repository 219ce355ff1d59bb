//! Content for Typst as data, never as markup: the sanitised HTML of a body
//! becomes a JSON tree (`{"t": "p", "c": [...]}`, text as plain strings)
//! that the templates walk with `render-nodes`. A `#`, `$`, `*` or `[` in
//! the text stays text: Typst never parses anything that came from content.
//!
//! The HTML is the load stage's (ammonia's serialisation of pulldown-cmark
//! output, typography already applied): well-formed, a known set of tags,
//! entities limited to the serialiser's. A small tokenizer suffices.

use serde_json::{Value, json};

/// Elements kept as they are (the templates know them); others are
/// replaced by their children.
const KNOWN: &[&str] = &[
    "p",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "strong",
    "b",
    "em",
    "i",
    "a",
    "ul",
    "ol",
    "li",
    "blockquote",
    "br",
    "code",
    "pre",
    "sup",
    "sub",
    "hr",
    "table",
    "tr",
    "td",
    "th",
    "del",
    "s",
];

/// Void elements: never closed.
const VOID: &[&str] = &["br", "hr", "img", "wbr", "input", "col", "source"];

#[derive(Debug)]
struct Node {
    tag: String,
    href: Option<String>,
    children: Vec<Value>,
}

/// Longest link target kept in a PDF, in bytes (browsers stop near 2,000).
pub const MAX_URL: usize = 2_000;

/// The JSON tree of an HTML fragment. `link` maps a link target to an
/// absolute URL (relative links of the site would not work in a PDF).
pub fn html_to_nodes(html: &str, link: &dyn Fn(&str) -> String) -> Value {
    let mut stack = vec![Node {
        tag: String::new(),
        href: None,
        children: Vec::new(),
    }];
    let mut rest = html;
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix('<') {
            let end = match after.find('>') {
                Some(e) => e,
                None => {
                    push_text(&mut stack, &decode(rest));
                    break;
                }
            };
            let tag_src = &after[..end];
            rest = &after[end + 1..];
            if tag_src.starts_with('!') || tag_src.starts_with('?') {
                continue;
            }
            if let Some(name) = tag_src.strip_prefix('/') {
                close(&mut stack, name.trim().to_ascii_lowercase().as_str());
                continue;
            }
            let (name, attrs) = split_tag(tag_src);
            if name == "br" {
                push_value(&mut stack, json!({"t": "br"}));
                continue;
            }
            if name == "hr" {
                push_value(&mut stack, json!({"t": "hr"}));
                continue;
            }
            if VOID.contains(&name.as_str()) {
                continue;
            }
            let href = (name == "a")
                .then(|| attr(attrs, "href"))
                .flatten()
                .map(|h| link(&decode(&h)))
                // Typst refuses very long URLs ("URL is too long") and no
                // PDF reader follows them: such a link prints as its text.
                .filter(|u| u.len() <= MAX_URL);
            stack.push(Node {
                tag: name,
                href,
                children: Vec::new(),
            });
        } else {
            let end = rest.find('<').unwrap_or(rest.len());
            let text = decode(&rest[..end]);
            push_text(&mut stack, &text);
            rest = &rest[end..];
        }
    }
    while stack.len() > 1 {
        pop(&mut stack);
    }
    Value::Array(stack.pop().map(|n| n.children).unwrap_or_default())
}

fn push_value(stack: &mut [Node], v: Value) {
    if let Some(top) = stack.last_mut() {
        top.children.push(v);
    }
}

fn push_text(stack: &mut [Node], text: &str) {
    if text.is_empty() {
        return;
    }
    let Some(top) = stack.last_mut() else { return };
    // Whitespace between blocks carries no meaning.
    let blocky = matches!(
        top.tag.as_str(),
        "" | "ul" | "ol" | "blockquote" | "table" | "tr" | "thead" | "tbody"
    );
    if blocky && text.trim().is_empty() {
        return;
    }
    match top.children.last_mut() {
        Some(Value::String(s)) => s.push_str(text),
        _ => top.children.push(Value::String(text.to_string())),
    }
}

fn pop(stack: &mut Vec<Node>) {
    let Some(n) = stack.pop() else { return };
    if !KNOWN.contains(&n.tag.as_str()) {
        for c in n.children {
            match c {
                Value::String(s) => push_text(stack, &s),
                other => push_value(stack, other),
            }
        }
        return;
    }
    let mut v = json!({"t": n.tag, "c": n.children});
    if let Some(h) = n.href {
        v["href"] = Value::String(h);
    }
    push_value(stack, v);
}

fn close(stack: &mut Vec<Node>, name: &str) {
    // Close up to the matching open element, if there is one.
    if let Some(pos) = stack.iter().rposition(|n| n.tag == name)
        && pos > 0
    {
        while stack.len() > pos {
            pop(stack);
        }
    }
}

fn split_tag(src: &str) -> (String, &str) {
    let src = src.trim_end_matches('/');
    let end = src.find(|c: char| c.is_whitespace()).unwrap_or(src.len());
    (src[..end].to_ascii_lowercase(), &src[end..])
}

/// The value of attribute `name` (double- or single-quoted).
fn attr(attrs: &str, name: &str) -> Option<String> {
    let mut rest = attrs;
    while let Some(i) = rest.find(name) {
        let before_ok = i == 0 || rest[..i].ends_with(|c: char| c.is_whitespace());
        let after = rest[i + name.len()..].trim_start();
        if before_ok && let Some(v) = after.strip_prefix('=') {
            let v = v.trim_start();
            let quote = v.chars().next()?;
            if quote == '"' || quote == '\'' {
                let body = &v[1..];
                return body.find(quote).map(|e| body[..e].to_string());
            }
            let e = v.find(|c: char| c.is_whitespace()).unwrap_or(v.len());
            return Some(v[..e].to_string());
        }
        rest = &rest[i + name.len()..];
    }
    None
}

/// Decodes the entities an HTML serialiser writes.
pub fn decode(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let Some(semi) = rest[..rest.len().min(12)].find(';') else {
            out.push('&');
            rest = &rest[1..];
            continue;
        };
        let name = &rest[1..semi];
        let ch = match name {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            "nbsp" => Some('\u{a0}'),
            _ => name
                .strip_prefix("#x")
                .or_else(|| name.strip_prefix("#X"))
                .and_then(|h| u32::from_str_radix(h, 16).ok())
                .or_else(|| name.strip_prefix('#').and_then(|d| d.parse().ok()))
                .and_then(char::from_u32),
        };
        match ch {
            Some(c) => {
                out.push(c);
                rest = &rest[semi + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Plain text of a title or label as the load stage typeset it in HTML
/// (`title_html`): tags dropped, entities decoded.
pub fn plain(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(i) = rest.find('<') {
        out.push_str(&rest[..i]);
        rest = match rest[i..].find('>') {
            Some(e) => &rest[i + e + 1..],
            None => "",
        };
    }
    out.push_str(rest);
    decode(&out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nodes(html: &str) -> Value {
        html_to_nodes(html, &|h| format!("https://x.org{h}"))
    }

    #[test]
    fn a_link_too_long_for_a_pdf_prints_as_text() {
        let long = format!("<p><a href=\"/{}\">lien</a></p>", "a".repeat(300_000));
        let v = nodes(&long);
        assert!(!v.to_string().contains("href"), "{}", &v.to_string()[..200]);
        assert!(v.to_string().contains("lien"));
    }

    #[test]
    fn paragraphs_emphasis_and_links_become_data() {
        let v = nodes(r#"<p>Un <strong>gras</strong> et <a href="/a/">lien</a>&nbsp;!</p>"#);
        assert_eq!(
            v,
            json!([{"t": "p", "c": ["Un ", {"t": "strong", "c": ["gras"]}, " et ",
                {"t": "a", "c": ["lien"], "href": "https://x.org/a/"}, "\u{a0}!"]}])
        );
    }

    #[test]
    fn typst_markup_in_content_stays_a_string() {
        let v = nodes("<p>#set page(width: 1cm) $x$ *a* _b_ @c &lt;d&gt; `e` [f] \\g</p>");
        assert_eq!(
            v[0]["c"][0],
            "#set page(width: 1cm) $x$ *a* _b_ @c <d> `e` [f] \\g"
        );
    }

    #[test]
    fn unknown_tags_keep_their_children_and_lists_nest() {
        let v = nodes("<div><ul>\n<li>un</li>\n<li><span>deux</span></li>\n</ul></div>");
        assert_eq!(
            v,
            json!([{"t": "ul", "c": [{"t": "li", "c": ["un"]}, {"t": "li", "c": ["deux"]}]}])
        );
    }

    #[test]
    fn entities_are_decoded() {
        assert_eq!(
            decode("a &amp; b &#8239;; &#x2019; &bogus c"),
            "a & b \u{202f}; \u{2019} &bogus c"
        );
        assert_eq!(plain("L’<em>eau</em> &amp; nous"), "L’eau & nous");
    }
}

//! A tiny deterministic YAML writer for the back-office configuration:
//! block mappings and sequences in the order given, every string
//! double-quoted with JSON escapes (valid YAML), so that nothing a writer
//! typed in `site.yaml` can change the structure of the file.

/// A YAML value.
#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    /// A string, always quoted.
    Str(String),
    /// `true` / `false`.
    Bool(bool),
    /// An integer.
    Int(i64),
    /// A mapping, keys in this order.
    Map(Vec<(String, Node)>),
    /// A sequence.
    List(Vec<Node>),
    /// A value written once with an anchor (`&name`)…
    Anchor(&'static str, Box<Node>),
    /// … and then referred to (`*name`): a site's hundreds of files of one
    /// kind share one field list.
    Alias(&'static str),
}

/// `Node::Str`.
pub fn s(v: impl Into<String>) -> Node {
    Node::Str(v.into())
}

/// A mapping from `(key, value)` pairs.
pub fn map<K: Into<String>>(pairs: impl IntoIterator<Item = (K, Node)>) -> Node {
    Node::Map(pairs.into_iter().map(|(k, v)| (k.into(), v)).collect())
}

impl Node {
    /// Adds `key: value` to a mapping (no-op on other nodes).
    pub fn set(&mut self, key: &str, value: Node) {
        if let Node::Map(pairs) = self {
            match pairs.iter_mut().find(|(k, _)| k == key) {
                Some((_, v)) => *v = value,
                None => pairs.push((key.to_string(), value)),
            }
        }
    }

    /// The value of `key` in a mapping.
    pub fn get(&self, key: &str) -> Option<&Node> {
        match self {
            Node::Map(pairs) => pairs.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }
}

/// The YAML text of `node` (a mapping at the top), ending with a newline.
pub fn to_string(node: &Node) -> String {
    let mut out = String::new();
    write_block(node, 0, &mut out);
    out
}

fn scalar(node: &Node) -> Option<String> {
    match node {
        Node::Str(v) => Some(quote(v)),
        Node::Bool(b) => Some(b.to_string()),
        Node::Int(i) => Some(i.to_string()),
        Node::Map(p) if p.is_empty() => Some("{}".into()),
        Node::List(l) if l.is_empty() => Some("[]".into()),
        Node::Alias(name) => Some(format!("*{name}")),
        Node::Anchor(name, inner) => scalar(inner).map(|t| format!("&{name} {t}")),
        _ => None,
    }
}

/// A double-quoted YAML string. JSON escapes are YAML escapes; `\u2028`
/// and `\u2029` are escaped too (line breaks for YAML 1.1 readers).
pub fn quote(v: &str) -> String {
    let json = serde_json::to_string(v).unwrap_or_else(|_| "\"\"".into());
    let mut out = String::with_capacity(json.len());
    for c in json.chars() {
        // Line separators (line breaks for YAML 1.1 readers) and the
        // characters no output may hold, escaped.
        if matches!(c, '\u{2028}' | '\u{2029}' | '\u{85}')
            || crate::load::values::is_forbidden_char(c)
        {
            out.push_str(&format!("\\u{:04X}", c as u32));
        } else {
            out.push(c);
        }
    }
    out
}

fn key(k: &str) -> String {
    if !k.is_empty()
        && k.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
    {
        k.to_string()
    } else {
        quote(k)
    }
}

fn write_block(node: &Node, indent: usize, out: &mut String) {
    let pad = " ".repeat(indent);
    match node {
        Node::Map(pairs) => {
            for (k, v) in pairs {
                match scalar(v) {
                    Some(text) => out.push_str(&format!("{pad}{}: {text}\n", key(k))),
                    None => {
                        let (anchor, v) = match v {
                            Node::Anchor(name, inner) => (format!(" &{name}"), &**inner),
                            v => (String::new(), v),
                        };
                        out.push_str(&format!("{pad}{}:{anchor}\n", key(k)));
                        let child = if matches!(v, Node::List(_)) {
                            indent
                        } else {
                            indent + 2
                        };
                        write_block(v, child, out);
                    }
                }
            }
        }
        Node::List(items) => {
            for item in items {
                match scalar(item) {
                    Some(text) => out.push_str(&format!("{pad}- {text}\n")),
                    None => {
                        // `- ` then the first line of the item, the rest indented.
                        let mut inner = String::new();
                        write_block(item, indent + 2, &mut inner);
                        let body = inner.trim_start_matches(' ');
                        out.push_str(&format!("{pad}- {body}"));
                    }
                }
            }
        }
        other => {
            if let Some(text) = scalar(other) {
                out.push_str(&format!("{pad}{text}\n"));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nested_blocks_parse_back() {
        let n = map([
            ("a", s("x: \"y\"\n<script>")),
            ("odd", s("a\u{2028}b\u{fffe}")),
            (
                "list",
                Node::List(vec![
                    map([("name", s("t")), ("n", Node::Int(3))]),
                    s("plain"),
                    Node::List(vec![s("deep")]),
                ]),
            ),
            (
                "m",
                map([("b", Node::Bool(true)), ("e", Node::List(vec![]))]),
            ),
            (
                "first",
                Node::Anchor("f", Box::new(Node::List(vec![s("x")]))),
            ),
            ("again", Node::Alias("f")),
        ]);
        let text = to_string(&n);
        let v: yaml_serde::Value = yaml_serde::from_str(&text).unwrap();
        assert_eq!(v["a"].as_str(), Some("x: \"y\"\n<script>"));
        assert_eq!(v["odd"].as_str(), Some("a\u{2028}b\u{fffe}"));
        assert!(!text.contains('\u{2028}') && !text.contains('\u{fffe}'));
        assert_eq!(v["list"][0]["n"].as_i64(), Some(3));
        assert_eq!(v["list"][1].as_str(), Some("plain"));
        assert_eq!(v["list"][2][0].as_str(), Some("deep"));
        assert_eq!(v["m"]["b"].as_bool(), Some(true));
        assert_eq!(v["again"][0].as_str(), Some("x"));
        assert!(text.contains("first: &f\n- \"x\"\nagain: *f\n"), "{text}");
    }
}

//! The key schema of front matter: which keys each kind of file may use, and
//! the check that reports every unknown key (with the closest valid one).

use std::cell::OnceCell;
use std::collections::BTreeMap;

use yaml_serde::Value;

use crate::diagnostics::{Diagnostic, suggestion_for};

/// A key and the shape of its value.
pub type Key = (&'static str, Shape);

/// What a key holds, as far as key checking goes.
#[derive(Debug, Clone, Copy)]
pub enum Shape {
    /// A scalar or a list of scalars: not looked into.
    Leaf,
    /// A mapping with these keys.
    Map(&'static [Key]),
    /// A list of mappings with these keys.
    List(&'static [Key]),
    /// A mapping with free keys (e.g. the `themes` vocabulary).
    Free,
}

/// Lines of the YAML text, to locate keys for diagnostics.
pub struct KeyLocator<'a> {
    yaml: &'a str,
    /// The lines, split when a key must be located (after a mistake).
    lines: OnceCell<Vec<&'a str>>,
    /// Added to line numbers: the front matter starts after the `---` line.
    offset: u32,
}

impl<'a> KeyLocator<'a> {
    /// `yaml` starts at line `offset + 1` of its file.
    pub fn new(yaml: &'a str, offset: u32) -> Self {
        KeyLocator {
            yaml,
            lines: OnceCell::new(),
            offset,
        }
    }

    fn lines(&self) -> &[&'a str] {
        self.lines.get_or_init(|| self.yaml.lines().collect())
    }

    /// Line and column (1-based, in the file) of `key` at the top level.
    pub fn top_level(&self) -> BTreeMap<String, u32> {
        let mut out = BTreeMap::new();
        let mut rest = self.yaml;
        let mut i = 0;
        while !rest.is_empty() {
            // `str::lines`, without its per-line searcher set-up.
            let (line, next) = match memchr::memchr(b'\n', rest.as_bytes()) {
                Some(e) => (
                    rest[..e].strip_suffix('\r').unwrap_or(&rest[..e]),
                    &rest[e + 1..],
                ),
                None => (rest, ""),
            };
            rest = next;
            i += 1;
            if line.starts_with([' ', '\t', '-', '#']) {
                continue;
            }
            if let Some(colon) = memchr::memchr(b':', line.as_bytes()) {
                let k = &line[..colon];
                let k = k.trim().trim_matches(['"', '\'']);
                if !k.is_empty() && !out.contains_key(k) {
                    out.insert(k.to_string(), i as u32 + self.offset);
                }
            }
        }
        out
    }

    /// Line and column (in the file) of a serde path such as `period.from`
    /// or `projects[1].title`: each segment searched after the previous one.
    pub fn locate_path(&self, path: &str) -> Option<(u32, u32)> {
        let mut from = 0;
        let mut found = None;
        for (depth, seg) in path.split('.').enumerate() {
            let (key, index) = match seg.split_once('[') {
                Some((k, rest)) => (k, rest.trim_end_matches(']').parse::<usize>().ok()),
                None => (seg, None),
            };
            if key.is_empty() {
                continue;
            }
            let (line, col) = self.find(key, from, depth > 0)?;
            from = line;
            found = Some((line, col));
            if let Some(n) = index {
                // Skip to the n-th list item below the key.
                let mut seen = 0;
                for (i, l) in self.lines().iter().enumerate().skip(line + 1) {
                    if l.trim_start().starts_with("- ") {
                        if seen == n {
                            from = i;
                            found = Some((i, 1));
                            break;
                        }
                        seen += 1;
                    }
                }
            }
        }
        found.map(|(l, c)| (l as u32 + 1 + self.offset, c))
    }

    /// Where `key` is written at or after 0-based line `from` (in the YAML).
    fn find(&self, key: &str, from: usize, nested: bool) -> Option<(usize, u32)> {
        for (i, line) in self.lines().iter().enumerate().skip(from) {
            let trimmed = line.trim_start_matches([' ', '\t', '-']);
            let indent = line.len() - trimmed.len();
            if !nested && indent > 0 {
                continue;
            }
            if trimmed.starts_with(key)
                && trimmed[key.len()..].trim_start().starts_with(':')
                && (nested || indent == 0)
            {
                return Some((i, indent as u32 + 1));
            }
            // Flow mappings: `president: {name: x, gendre: f}`.
            if nested {
                for pat in [
                    format!("{{{key}:"),
                    format!(", {key}:"),
                    format!("{{ {key}:"),
                ] {
                    if let Some(pos) = line.find(&pat) {
                        let col = line[..pos].chars().count() + pat.find(key).unwrap_or(0) + 1;
                        return Some((i, col as u32));
                    }
                }
            }
        }
        None
    }
}

/// Reports every key of `value` that `schema` does not know, recursively.
pub fn check_keys(
    value: &Value,
    schema: &'static [Key],
    file: &str,
    source: &str,
    locator: &KeyLocator<'_>,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    // Locating keys is costly and only needed for a diagnostic: most files
    // have none, so look for one first.
    if has_unknown_key(value, schema) {
        walk(value, schema, "", 0, false, file, source, locator, &mut out);
    }
    out
}

/// True when [`walk`] would report something: a key outside `schema`, or
/// one that is not a string (checked the slow way).
fn has_unknown_key(value: &Value, schema: &'static [Key]) -> bool {
    let Value::Mapping(map) = value else {
        return false;
    };
    map.iter().any(|(k, v)| {
        let Value::String(key) = k else { return true };
        let Some((_, shape)) = schema.iter().find(|(name, _)| *name == key) else {
            return true;
        };
        match (shape, v) {
            (Shape::Map(keys), v) => has_unknown_key(v, keys),
            (Shape::List(keys), Value::Sequence(items)) => {
                items.iter().any(|item| has_unknown_key(item, keys))
            }
            _ => false,
        }
    })
}

#[allow(clippy::too_many_arguments)]
fn walk(
    value: &Value,
    schema: &'static [Key],
    parent: &str,
    from_line: usize,
    nested: bool,
    file: &str,
    source: &str,
    locator: &KeyLocator<'_>,
    out: &mut Vec<Diagnostic>,
) {
    let Value::Mapping(map) = value else { return };
    for (k, v) in map {
        let key = match k {
            Value::String(s) => s.clone(),
            other => yaml_serde::to_string(other)
                .unwrap_or_default()
                .trim()
                .to_string(),
        };
        let located = locator.find(&key, from_line, nested);
        let (line, col) = located
            .map(|(i, c)| (i as u32 + 1 + locator.offset, c))
            .unwrap_or((locator.offset + 1, 0));
        let Some((_, shape)) = schema.iter().find(|(name, _)| *name == key) else {
            let full = if parent.is_empty() {
                key.clone()
            } else {
                format!("{parent}.{key}")
            };
            let names = schema.iter().map(|(n, _)| *n);
            out.push(
                Diagnostic::error(file, line, col, format!("`{full}` : clé inconnue"))
                    .with_suggestion(suggestion_for(&key, names))
                    .with_source(source),
            );
            continue;
        };
        let child_from = located.map(|(i, _)| i).unwrap_or(from_line);
        let path = if parent.is_empty() {
            key.clone()
        } else {
            format!("{parent}.{key}")
        };
        match (shape, v) {
            (Shape::Map(keys), v) => {
                walk(v, keys, &path, child_from, true, file, source, locator, out)
            }
            (Shape::List(keys), Value::Sequence(items)) => {
                for item in items {
                    walk(
                        item, keys, &path, child_from, true, file, source, locator, out,
                    );
                }
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const INNER: &[Key] = &[("name", Shape::Leaf), ("gender", Shape::Leaf)];
    const OUTER: &[Key] = &[("title", Shape::Leaf), ("president", Shape::Map(INNER))];

    fn run(yaml: &str) -> Vec<Diagnostic> {
        let v: Value = yaml_serde::from_str(yaml).unwrap();
        let loc = KeyLocator::new(yaml, 1);
        check_keys(&v, OUTER, "f.md", yaml, &loc)
    }

    #[test]
    fn reports_every_unknown_key_with_its_line() {
        let d = run("tittle: a\npresident:\n  name: x\n  gendre: f\nfoo: 1\n");
        assert_eq!(d.len(), 3, "{d:?}");
        assert_eq!(d[0].line, 2);
        assert_eq!(
            d[0].suggestion.as_deref(),
            Some("vouliez-vous dire `title` ?")
        );
        assert_eq!((d[1].line, d[1].column), (5, 3));
        assert!(d[1].message.contains("president.gendre"));
        assert_eq!(d[2].line, 6);
    }

    #[test]
    fn finds_keys_in_flow_mappings() {
        let d = run("title: a\npresident: {name: x, gendre: f}\n");
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].line, 3);
        assert!(d[0].column > 1);
    }
}

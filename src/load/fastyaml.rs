//! A fast reader for the plain YAML front matter is written in: block
//! mappings and lists, one-line scalars (plain or quoted) and one-line
//! `[a, b]` lists. It gives exactly the `Value` yaml_serde would, or
//! `None` as soon as the text uses anything else (anchors, tags, block or
//! multi-line scalars, comments after values, tabs, flow mappings, …) or
//! might be wrong: the caller then parses with yaml_serde, which also
//! words every error. libyaml costs ~80,000 instructions a file.

use yaml_serde::{Mapping, Number, Value};

/// Deepest nesting read here; deeper headers go to yaml_serde.
const MAX_DEPTH: usize = 24;

/// The value of `yaml`, or `None` when it must be parsed by yaml_serde.
pub fn parse(yaml: &str) -> Option<Value> {
    if !allowed_text(yaml.as_bytes()) {
        return None;
    }
    let mut lines = Vec::new();
    let mut start = 0;
    while start < yaml.len() {
        let end =
            memchr::memchr(b'\n', &yaml.as_bytes()[start..]).map_or(yaml.len(), |e| start + e);
        let line = &yaml[start..end];
        start = end + 1;
        let indent = line.bytes().take_while(|b| *b == b' ').count();
        let content = &line[indent..];
        if content.is_empty() || content.starts_with('#') {
            continue;
        }
        if indent == 0 && (content.starts_with("---") || content.starts_with("...")) {
            return None;
        }
        lines.push(Line { indent, content });
    }
    let mut r = Reader { lines, pos: 0 };
    match r.lines.first() {
        Some(first) if first.indent == 0 && key_line(first.content).is_some() => {}
        _ => return None,
    }
    let value = r.mapping(0, 0)?;
    (r.pos == r.lines.len()).then_some(value)
}

/// True when `bytes` (UTF-8) holds only characters libyaml takes as
/// printable, minus the ones with a meaning of their own: tab, carriage
/// return, NEL and the C1 controls (C2 80–9F), line and paragraph
/// separators (E2 80 A8–A9), BOM (EF BB BF) and U+FFFE–FFFF (EF BF BE–BF).
fn allowed_text(bytes: &[u8]) -> bool {
    let mut i = 0;
    while i < bytes.len() {
        // Fast path: 16 bytes of printable ASCII or newlines.
        if let Some(chunk) = bytes.get(i..i + 16)
            && chunk.iter().fold(true, |ok, b| {
                ok & (matches!(b, b' '..=b'~') | (*b == b'\n'))
            })
        {
            i += 16;
            continue;
        }
        let b = bytes[i];
        let bad = match b {
            b'\n' | b' '..=b'~' => false,
            0x00..=0x7F => true,
            0xC2 => matches!(bytes.get(i + 1), Some(0x80..=0x9F)),
            0xE2 => {
                bytes.get(i + 1) == Some(&0x80) && matches!(bytes.get(i + 2), Some(0xA8 | 0xA9))
            }
            0xEF => matches!(
                (bytes.get(i + 1), bytes.get(i + 2)),
                (Some(0xBB), Some(0xBF)) | (Some(0xBF), Some(0xBE | 0xBF))
            ),
            _ => false,
        };
        if bad {
            return false;
        }
        i += 1;
    }
    true
}

/// A line that is neither blank nor a comment.
struct Line<'a> {
    indent: usize,
    content: &'a str,
}

struct Reader<'a> {
    lines: Vec<Line<'a>>,
    pos: usize,
}

impl Reader<'_> {
    /// The indent of the next line, if any.
    fn next_indent(&self) -> Option<usize> {
        self.lines.get(self.pos).map(|l| l.indent)
    }

    /// True when the next line is a list item at `indent`.
    fn item_at(&self, indent: usize) -> bool {
        self.lines
            .get(self.pos)
            .is_some_and(|l| l.indent == indent && is_item(l.content))
    }

    /// How many lines from the current one are at `indent` before a line
    /// less indented: the keys of a mapping there, or a little more.
    fn keys_at(&self, indent: usize) -> usize {
        self.lines[self.pos..]
            .iter()
            .take_while(|l| l.indent >= indent)
            .filter(|l| l.indent == indent)
            .count()
    }

    /// A block mapping whose keys are at `indent`, from the current line.
    fn mapping(&mut self, indent: usize, depth: usize) -> Option<Value> {
        if depth > MAX_DEPTH {
            return None;
        }
        let mut map = Mapping::with_capacity(self.keys_at(indent));
        while let Some(line) = self.lines.get(self.pos) {
            if line.indent != indent || is_item(line.content) {
                break;
            }
            let (key, rest) = key_line(line.content)?;
            let key = match resolve_plain(key)? {
                Value::String(k) => Value::String(k),
                _ => return None,
            };
            self.pos += 1;
            let value = if rest.is_empty() {
                self.block_value(indent, depth)?
            } else {
                let v = inline_value(rest)?;
                // A more indented line would continue the scalar.
                if self.next_indent().is_some_and(|i| i > indent) {
                    return None;
                }
                v
            };
            if map.insert(key, value).is_some() {
                // A duplicate key: yaml_serde words the error.
                return None;
            }
        }
        Some(Value::Mapping(map))
    }

    /// The value of a `key:` written alone on its line at `indent`.
    fn block_value(&mut self, indent: usize, depth: usize) -> Option<Value> {
        if self.item_at(indent) {
            return self.sequence(indent, depth + 1);
        }
        match self.next_indent() {
            Some(i) if i > indent => {
                if self.item_at(i) {
                    self.sequence(i, depth + 1)
                } else {
                    self.mapping(i, depth + 1)
                }
            }
            _ => Some(Value::Null),
        }
    }

    /// A block list whose `- ` are at `indent`, from the current line.
    fn sequence(&mut self, indent: usize, depth: usize) -> Option<Value> {
        if depth > MAX_DEPTH {
            return None;
        }
        let mut items = Vec::new();
        while self.item_at(indent) {
            let line = &self.lines[self.pos];
            let after = line.content.get(2..)?;
            let item = after.trim_start_matches(' ');
            let column = indent + 2 + (after.len() - item.len());
            if item.is_empty() || is_item(item) || item.starts_with('#') {
                return None;
            }
            if key_line(item).is_some() {
                // `- key: value`: a mapping whose keys are at `column`.
                self.lines[self.pos] = Line {
                    indent: column,
                    content: item,
                };
                items.push(self.mapping(column, depth + 1)?);
            } else {
                self.pos += 1;
                items.push(inline_value(item)?);
                if self.next_indent().is_some_and(|i| i > indent) {
                    return None;
                }
            }
        }
        Some(Value::Sequence(items))
    }
}

/// `- …` (a list item); a lone `-` is left to yaml_serde.
fn is_item(content: &str) -> bool {
    content == "-" || content.starts_with("- ")
}

/// `key: rest` or `key:` with a simple key; `rest` has no leading spaces.
fn key_line(content: &str) -> Option<(&str, &str)> {
    let bytes = content.as_bytes();
    if !bytes.first()?.is_ascii_alphanumeric() && bytes[0] != b'_' {
        return None;
    }
    let end = bytes
        .iter()
        .position(|b| !(b.is_ascii_alphanumeric() || *b == b'_' || *b == b'-'))?;
    if bytes[end] != b':' || end > 1000 {
        return None;
    }
    let rest = &content[end + 1..];
    if rest.is_empty() {
        return Some((&content[..end], rest));
    }
    rest.starts_with(' ')
        .then(|| (&content[..end], rest.trim_start_matches(' ')))
}

/// A value written on the rest of a line: a scalar or a one-line `[…]`.
fn inline_value(text: &str) -> Option<Value> {
    let text = text.trim_end_matches(' ');
    match text.as_bytes().first()? {
        b'"' | b'\'' => match quoted(text)? {
            (s, "") => Some(Value::String(s)),
            _ => None,
        },
        b'[' => flow_sequence(text),
        _ => {
            if !plain_start(text, false) || text.ends_with(':') || cut_by_space(text) {
                return None;
            }
            resolve_plain(text)
        }
    }
}

/// True when `text` holds `: ` (a mapping inside a plain scalar) or ` #`
/// (a comment after it).
fn cut_by_space(text: &str) -> bool {
    let b = text.as_bytes();
    memchr::memchr_iter(b' ', b).any(|i| (i > 0 && b[i - 1] == b':') || b.get(i + 1) == Some(&b'#'))
}

/// True when a plain scalar may start `text` (no indicator character),
/// in a block (`flow` false) or inside `[…]`.
fn plain_start(text: &str, flow: bool) -> bool {
    let b = text.as_bytes();
    match b.first() {
        None => false,
        Some(b'-') => b.get(1).is_some_and(|n| *n != b' '),
        Some(b'?' | b':') => !flow && b.get(1).is_some_and(|n| *n != b' '),
        Some(c) => !b",[]{}#&*!|>'\"%@`".contains(c),
    }
}

/// A one-line quoted scalar at the start of `text`, and what follows it.
fn quoted(text: &str) -> Option<(String, &str)> {
    let quote = text.as_bytes()[0];
    // Sized by the scalar, not by the rest of the line: a one-line list
    // of many quoted items must not reserve the line once per item.
    let mut out = String::new();
    let mut rest = &text[1..];
    loop {
        let stop = if quote == b'"' {
            memchr::memchr2(b'"', b'\\', rest.as_bytes())?
        } else {
            memchr::memchr(quote, rest.as_bytes())?
        };
        out.push_str(&rest[..stop]);
        let after = &rest[stop + 1..];
        if quote == b'\'' {
            match after.strip_prefix('\'') {
                Some(more) => {
                    out.push('\'');
                    rest = more;
                }
                None => return Some((out, after)),
            }
        } else if rest.as_bytes()[stop] == b'"' {
            return Some((out, after));
        } else {
            // Only `\"` and `\\`; other escapes go to yaml_serde.
            let escaped = *after.as_bytes().first()?;
            if escaped != b'"' && escaped != b'\\' {
                return None;
            }
            out.push(escaped as char);
            rest = &after[1..];
        }
    }
}

/// `[a, "b", 3]` on one line, items being scalars.
fn flow_sequence(text: &str) -> Option<Value> {
    let mut rest = text.strip_prefix('[')?.trim_start_matches(' ');
    let mut items = Vec::new();
    if let Some(after) = rest.strip_prefix(']') {
        return after.is_empty().then_some(Value::Sequence(items));
    }
    loop {
        let (item, after) = if rest.starts_with(['"', '\'']) {
            let (s, after) = quoted(rest)?;
            (Value::String(s), after)
        } else {
            let end = rest.find([',', ']'])?;
            let plain = rest[..end].trim_end_matches(' ');
            if !plain_start(plain, true) || plain.contains([':', '#', '[', '{', '}']) {
                return None;
            }
            (resolve_plain(plain)?, &rest[end..])
        };
        items.push(item);
        let after = after.trim_start_matches(' ');
        if let Some(more) = after.strip_prefix(',') {
            rest = more.trim_start_matches(' ');
            if rest.starts_with([']', ',']) {
                return None;
            }
        } else {
            let tail = after.strip_prefix(']')?;
            return tail.is_empty().then_some(Value::Sequence(items));
        }
    }
}

/// What yaml_serde makes of an untagged plain scalar (its
/// `visit_untagged_scalar`); `None` for the 128-bit integers it alone handles.
fn resolve_plain(v: &str) -> Option<Value> {
    if v.is_empty() || matches!(v, "null" | "Null" | "NULL" | "~") {
        return Some(Value::Null);
    }
    match v {
        "true" | "True" | "TRUE" => return Some(Value::Bool(true)),
        "false" | "False" | "FALSE" => return Some(Value::Bool(false)),
        _ => {}
    }
    // Numbers start with a digit or a dot, after one sign at most.
    let unsigned = v.strip_prefix(['+', '-']).unwrap_or(v);
    if !unsigned.starts_with(|c: char| c.is_ascii_digit() || c == '.') {
        return Some(Value::String(v.to_owned()));
    }
    if let Some(n) = parse_unsigned_int(v, u64::from_str_radix) {
        return Some(Value::Number(Number::from(n)));
    }
    if let Some(n) = parse_negative_int(v, i64::from_str_radix) {
        return Some(Value::Number(Number::from(n)));
    }
    if parse_unsigned_int(v, u128::from_str_radix).is_some()
        || parse_negative_int(v, i128::from_str_radix).is_some()
    {
        return None;
    }
    if !digits_but_not_number(v)
        && let Some(f) = parse_f64(v)
    {
        return Some(Value::Number(Number::from(f)));
    }
    Some(Value::String(v.to_owned()))
}

// The four functions below are yaml_serde 0.10's (src/de.rs), verbatim
// but for style, so that scalars resolve exactly as it resolves them.

type FromStrRadix<T> = fn(&str, u32) -> Result<T, std::num::ParseIntError>;

fn parse_unsigned_int<T>(scalar: &str, from_str_radix: FromStrRadix<T>) -> Option<T> {
    let unpositive = scalar.strip_prefix('+').unwrap_or(scalar);
    for (prefix, radix) in [("0x", 16), ("0o", 8), ("0b", 2)] {
        if let Some(rest) = unpositive.strip_prefix(prefix) {
            if rest.starts_with(['+', '-']) {
                return None;
            }
            if let Ok(int) = from_str_radix(rest, radix) {
                return Some(int);
            }
        }
    }
    if unpositive.starts_with(['+', '-']) || digits_but_not_number(scalar) {
        return None;
    }
    from_str_radix(unpositive, 10).ok()
}

fn parse_negative_int<T>(scalar: &str, from_str_radix: FromStrRadix<T>) -> Option<T> {
    for (prefix, radix) in [("-0x", 16), ("-0o", 8), ("-0b", 2)] {
        if let Some(rest) = scalar.strip_prefix(prefix)
            && let Ok(int) = from_str_radix(&format!("-{rest}"), radix)
        {
            return Some(int);
        }
    }
    if digits_but_not_number(scalar) {
        return None;
    }
    from_str_radix(scalar, 10).ok()
}

fn parse_f64(scalar: &str) -> Option<f64> {
    let unpositive = match scalar.strip_prefix('+') {
        Some(u) if u.starts_with(['+', '-']) => return None,
        Some(u) => u,
        None => scalar,
    };
    if let ".inf" | ".Inf" | ".INF" = unpositive {
        return Some(f64::INFINITY);
    }
    if let "-.inf" | "-.Inf" | "-.INF" = scalar {
        return Some(f64::NEG_INFINITY);
    }
    if let ".nan" | ".NaN" | ".NAN" = scalar {
        return Some(f64::NAN.copysign(1.0));
    }
    unpositive.parse::<f64>().ok().filter(|f| f.is_finite())
}

fn digits_but_not_number(scalar: &str) -> bool {
    // Leading zero(s) followed by digits is a string in YAML 1.2.
    let scalar = scalar.strip_prefix(['-', '+']).unwrap_or(scalar);
    scalar.len() > 1 && scalar.starts_with('0') && scalar[1..].bytes().all(|b| b.is_ascii_digit())
}

#[cfg(test)]
mod tests;

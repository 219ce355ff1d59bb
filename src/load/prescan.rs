//! A pre-scan of the YAML front matter that finds the mistakes writers make
//! before the YAML parser sees them, and words each one in French at the
//! line and column where it is: tabs, invisible characters (non-breaking
//! spaces, zero-width spaces, …) in the structure, control characters, word
//! processors' quotes used as YAML quotes, quotes and brackets left open
//! (reported on the line that opens them), text after a closing quote, a
//! colon in an unquoted value, duplicate keys, a list where a value is
//! expected, nesting too deep to be a writer's. Linear in the text.
//!
//! Alongside the errors it gives a repaired text, the same number of lines,
//! in which each mistake is corrected as the hint says: parsing it lets the
//! checks of the other keys (and of the file's references) still run.

use std::collections::{BTreeMap, HashMap};

use crate::diagnostics::Diagnostic;

/// Deepest `[`/`{` nesting accepted; more is refused before the parser
/// (libyaml's cost grows with the square of the depth).
pub const MAX_FLOW_DEPTH: usize = 20;
/// Deepest indentation or list-in-list nesting accepted.
pub const MAX_BLOCK_DEPTH: usize = 40;

/// What the pre-scan found.
#[derive(Debug, Default)]
pub struct Prescan {
    /// The mistakes, in the order of the text.
    pub errors: Vec<Diagnostic>,
    /// The text with each mistake corrected (only when there are errors and
    /// the text can still be worth parsing); same line count as the input.
    pub repaired: Option<String>,
}

/// Scans `yaml`, which starts after `offset` lines of `source` in `file`.
pub fn prescan(file: &str, source: &str, yaml: &str, offset: u32) -> Prescan {
    let mut s = Scanner {
        file,
        source,
        offset,
        errors: Vec::new(),
        fixed: BTreeMap::new(),
        frames: Vec::new(),
        seqs: Vec::new(),
        last: Last::None,
        block: None,
        open: None,
        give_up: false,
        root: None,
    };
    let lines: Vec<&str> = yaml.split('\n').collect();
    for (i, line) in lines.iter().enumerate() {
        s.line(i, line);
        if s.give_up {
            return Prescan {
                errors: s.errors,
                repaired: None,
            };
        }
    }
    s.finish();
    if s.errors.is_empty() {
        return Prescan::default();
    }
    let repaired = lines
        .iter()
        .enumerate()
        .map(|(i, l)| s.fixed.get(&i).map_or(*l, String::as_str))
        .collect::<Vec<_>>()
        .join("\n");
    Prescan {
        errors: s.errors,
        repaired: Some(repaired),
    }
}

/// True for the characters a writer cannot see that are not a plain space.
pub fn invisible(c: char) -> bool {
    matches!(
        c,
        '\u{a0}'
            | '\u{ad}'
            | '\u{180e}'
            | '\u{2000}'..='\u{200f}'
            | '\u{2028}'..='\u{202f}'
            | '\u{205f}'..='\u{2064}'
            | '\u{3000}'
            | '\u{feff}'
    )
}

/// True for characters that have no place anywhere in a text file: control
/// characters (but tab and line feed), line and paragraph separators, the
/// byte-order mark inside a file, and non-characters such as U+FFFE.
pub fn forbidden(c: char) -> bool {
    let u = c as u32;
    (u < 0x20 && c != '\t' && c != '\n')
        || (0x7f..=0x9f).contains(&u)
        || matches!(c, '\u{2028}' | '\u{2029}' | '\u{feff}')
        || (0xfdd0..=0xfdef).contains(&u)
        || (u & 0xfffe) == 0xfffe
}

/// How a character is named to a writer.
pub fn char_name(c: char) -> String {
    match c {
        '\t' => "une tabulation".into(),
        '\u{a0}' => "une espace insécable (U+00A0)".into(),
        '\u{202f}' => "une espace fine insécable (U+202F)".into(),
        '\u{200b}' => "une espace de largeur nulle (U+200B)".into(),
        '\u{feff}' => "un caractère invisible « BOM » (U+FEFF)".into(),
        '\u{ad}' => "un trait d'union conditionnel invisible (U+00AD)".into(),
        '\u{2028}' | '\u{2029}' => format!("un saut de ligne invisible (U+{:04X})", c as u32),
        c if (c as u32) < 0x20 || (0x7f..=0x9f).contains(&(c as u32)) => {
            format!("un caractère de contrôle (U+{:04X})", c as u32)
        }
        c if invisible(c) => format!("une espace invisible (U+{:04X})", c as u32),
        c => format!("le caractère non valide U+{:04X}", c as u32),
    }
}

const OPENING_QUOTES: &[char] = &['“', '”', '„', '‘', '’', '‚', '«', '‹'];
const CLOSING_QUOTES: &[char] = &['”', '“', '’', '‘', '»', '›'];
/// Characters that cannot start an unquoted value.
const INDICATORS: &[char] = &['*', '&', '!', '%', '@', '`', ',', ']', '}', '?'];

/// Where a quoted scalar ends.
enum Close {
    /// At this byte (after the closing quote).
    At(usize),
    /// Not on this line.
    Open,
    /// At a mistake, reported.
    Bad,
}

/// The previous line that gave the structure.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Last {
    None,
    /// `key:` with nothing after it, the key at this column.
    KeyEmpty(usize),
    /// `key: value` or `- value`, at this column.
    Inline(usize),
}

/// A quote or a bracket still open at the end of a line.
struct Open {
    /// 0-based line and byte of the opening character.
    line: usize,
    at: usize,
    /// The text of the line that opens it.
    text: String,
    /// Column of the key the value belongs to.
    key_col: usize,
    /// `"` or `'` for a quote, else the bracket stack.
    quote: Option<u8>,
    stack: Vec<(u8, usize, usize)>,
    /// Inside the brackets, a quoted item not closed yet.
    inner_quote: Option<u8>,
    item_start: bool,
}

struct Scanner<'a> {
    file: &'a str,
    source: &'a str,
    offset: u32,
    errors: Vec<Diagnostic>,
    /// Corrected lines, by 0-based index.
    fixed: BTreeMap<usize, String>,
    /// The keys seen in each open mapping, by column.
    frames: Vec<(usize, HashMap<String, u32>)>,
    /// Columns of the open block lists.
    seqs: Vec<usize>,
    last: Last,
    /// Inside a `|` or `>` text: the column of its key.
    block: Option<usize>,
    open: Option<Open>,
    /// Set when going on would cost more than the text is worth.
    give_up: bool,
    /// Indentation and line of the first key: no line may be less indented.
    root: Option<(usize, usize)>,
}

/// 1-based column of byte `at` of `line`.
fn col(line: &str, at: usize) -> u32 {
    line[..at.min(line.len())].chars().count() as u32 + 1
}

/// `key:` at the start of `rest`: the byte of the colon.
fn key_colon(rest: &str) -> Option<usize> {
    let b = rest.as_bytes();
    if b.first().is_some_and(|c| b"\"'[{#-".contains(c)) {
        return None;
    }
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b':' => {
                let after = &rest[i + 1..];
                let next = after.chars().next();
                if next.is_none_or(|c| c == ' ' || c == '\t' || invisible(c)) {
                    return Some(i);
                }
            }
            b'#' if i > 0 && b[i - 1] == b' ' => return None,
            _ => {}
        }
        i += 1;
    }
    None
}

/// True when `line` looks like `key: …` at a column at most `max_col`.
fn starts_key_at_most(line: &str, max_col: usize) -> bool {
    let indent = line.len() - line.trim_start_matches(' ').len();
    let rest = &line[indent..];
    indent <= max_col
        && rest.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
        && key_colon(rest).is_some_and(|c| {
            rest[..c]
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
        })
}

/// `text` in double quotes, escaped for YAML.
fn dq(text: &str) -> String {
    format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
}

/// `text` as the hint shows it in quotes: double quotes unless it holds some.
fn quoted_hint(text: &str) -> String {
    if text.contains('"') {
        format!("'{}'", text.replace('\'', "''"))
    } else {
        format!("\"{text}\"")
    }
}

impl Scanner<'_> {
    fn error(&mut self, line: usize, column: u32, message: String, hint: String) {
        let line_no = line as u32 + 1 + self.offset;
        // One mistake per line: what follows the first is often its echo
        // (a tab corrected into spaces leaves a key indented).
        if self.errors.last().is_some_and(|d| d.line == line_no) {
            return;
        }
        let message = format!("syntaxe YAML : {message}");
        let d = Diagnostic::error(self.file, line as u32 + 1 + self.offset, column, message)
            .with_suggestion(hint)
            .with_source(self.source);
        self.errors.push(d);
    }

    /// Records the corrected form of line `i`.
    fn fix(&mut self, i: usize, text: String) {
        self.fixed.insert(i, text);
    }

    /// The current text of line `i` (corrected if it was).
    fn current<'l>(&'l self, i: usize, line: &'l str) -> &'l str {
        self.fixed.get(&i).map_or(line, String::as_str)
    }

    fn line(&mut self, i: usize, raw: &str) {
        if let Some(parent) = self.block {
            let indent = raw.len() - raw.trim_start_matches(' ').len();
            if raw.trim().is_empty() || indent > parent {
                // Inside a `|` or `>` text: only control characters matter.
                self.characters(i, raw, false);
                return;
            }
            self.block = None;
        }
        self.characters(i, raw, true);
        let line = self.current(i, raw).to_string();
        let indent = line.len() - line.trim_start_matches(' ').len();
        let blank = line.trim().is_empty();
        if let Some(open) = self.open.take() {
            if starts_key_at_most(&line, open.key_col) {
                self.unclosed(&open);
            } else {
                self.continue_open(i, &line, open);
                return;
            }
        }
        let rest = &line[indent..];
        if blank || rest.starts_with('#') {
            return;
        }
        if indent == 0 && (rest.starts_with("---") || rest.starts_with("...")) {
            let mark = &rest[..3];
            self.error(
                i,
                1,
                format!("ligne « {mark} » dans l'en-tête : un seul bloc de clés est permis"),
                "retirez cette ligne : l'en-tête se termine à la première ligne --- après les clés"
                    .into(),
            );
            self.fix(i, String::new());
            return;
        }
        match self.root {
            None => self.root = Some((indent, i)),
            Some((root, first)) if indent < root => {
                self.error(
                    i,
                    1,
                    format!(
                        "ligne moins décalée que la première ligne de l'en-tête (ligne {})",
                        first as u32 + 1 + self.offset
                    ),
                    "les clés du premier niveau s'écrivent en début de ligne, sans espace devant"
                        .into(),
                );
                self.give_up = true;
                return;
            }
            _ => {}
        }
        self.structure(i, &line, indent);
    }

    /// Control characters anywhere; tabs and invisible characters in the
    /// indentation. Corrects each into a plain space (two for a tab).
    fn characters(&mut self, i: usize, line: &str, indentation: bool) {
        let ascii_clean = line.bytes().all(|b| (b' '..=b'~').contains(&b));
        if ascii_clean {
            return;
        }
        let mut fixed = String::with_capacity(line.len());
        let mut in_indent = true;
        let mut reported = false;
        for (at, c) in line.char_indices() {
            let bad_indent = indentation && in_indent && (c == '\t' || invisible(c));
            if c != ' ' && !bad_indent {
                in_indent = false;
            }
            if forbidden(c) || bad_indent {
                if !reported {
                    reported = true;
                    let (what, hint) = if forbidden(c) {
                        (
                            format!("{} dans l'en-tête", char_name(c)),
                            "supprimez ce caractère invisible (souvent collé depuis un autre logiciel) : retapez la ligne au clavier".to_string(),
                        )
                    } else {
                        (
                            format!("{} dans l'indentation", char_name(c)),
                            "indentez avec des espaces ordinaires (deux par niveau), jamais de tabulation".to_string(),
                        )
                    };
                    self.error(i, col(line, at), what, hint);
                }
                // Two spaces for a tab: the indentation step writers use.
                fixed.push_str(if c == '\t' && bad_indent { "  " } else { " " });
            } else {
                fixed.push(c);
            }
        }
        if reported {
            self.fix(i, fixed);
        }
    }

    /// The structure of a line that is not inside a text, quote or bracket.
    fn structure(&mut self, i: usize, line: &str, indent: usize) {
        let mut at = indent;
        let mut dashes = 0;
        let first_dash = indent;
        // `- ` list items, possibly several on one line (`- - a`).
        while let Some(after) = line[at..].strip_prefix('-') {
            let next = after.chars().next();
            if !next.is_none_or(|c| c == ' ' || c == '\t' || invisible(c)) {
                break;
            }
            dashes += 1;
            if dashes > MAX_BLOCK_DEPTH {
                return self.too_deep(i, line, at);
            }
            if dashes == 1 && !self.item_allowed(at) {
                self.error(
                    i,
                    col(line, at),
                    "tiret de liste inattendu : la clé au-dessus a déjà une valeur".into(),
                    "pour une liste, écrivez la clé seule (themes:) puis un tiret par ligne en dessous, décalé de deux espaces ; pour un texte qui commence par un tiret, mettez-le entre guillemets".into(),
                );
                self.fix(i, format!("{}#{}", &line[..at], &line[at + 1..]));
                return;
            }
            self.frames.retain(|(c, _)| *c <= at);
            at += 1;
            let ws = line[at..].len() - line[at..].trim_start_matches([' ', '\t']).len();
            if line[at..at + ws].contains('\t') {
                let t = at + line[at..].find('\t').unwrap_or(0);
                self.error(
                    i,
                    col(line, t),
                    "tabulation après le tiret de liste".into(),
                    "séparez le tiret de la valeur par une espace ordinaire".into(),
                );
                self.fix(i, line.replace('\t', " "));
                return;
            }
            at += ws;
        }
        if self.frames.len() + self.seqs.len() > MAX_BLOCK_DEPTH {
            return self.too_deep(i, line, at);
        }
        let rest = &line[at..];
        if rest.is_empty() || rest.starts_with('#') {
            self.last = Last::KeyEmpty(at);
            return;
        }
        match key_colon(rest) {
            Some(_) if dashes == 0 && matches!(self.last, Last::Inline(k) if at > k) => {
                self.error(
                    i,
                    col(line, at),
                    "clé décalée sous une ligne qui a déjà sa valeur".into(),
                    "alignez cette clé sur celles du dessus (même nombre d'espaces en début de ligne)".into(),
                );
                self.fix(i, format!("{}#{rest}", &line[..at]));
            }
            Some(c) => self.key_line(i, line, at, c),
            None if dashes > 0 => self.value(i, line, at, first_dash, None),
            None => self.not_a_key(i, line, at),
        }
    }

    /// True when a list item may start at column `at` here.
    fn item_allowed(&mut self, at: usize) -> bool {
        while self.seqs.last().is_some_and(|s| *s > at) {
            self.seqs.pop();
        }
        if self.seqs.last() == Some(&at) {
            return true;
        }
        let ok = match self.last {
            Last::KeyEmpty(k) => k <= at,
            Last::Inline(k) => at > k,
            Last::None => true,
        };
        if ok {
            self.seqs.push(at);
        }
        ok
    }

    fn too_deep(&mut self, i: usize, line: &str, at: usize) {
        self.error(
            i,
            col(line, at),
            format!(
                "en-tête trop imbriqué (plus de {MAX_BLOCK_DEPTH} niveaux) : ce n'est pas un en-tête de page"
            ),
            "simplifiez l'en-tête : chaque clé sur sa ligne, une liste ou des clés imbriquées sur deux ou trois niveaux au plus".into(),
        );
        self.give_up = true;
    }

    /// `key: …` with the key at byte `at` and its colon at `at + c`.
    fn key_line(&mut self, i: usize, line: &str, at: usize, c: usize) {
        let key = &line[at..at + c];
        if let Some((k, ch)) = key
            .char_indices()
            .find(|(_, ch)| *ch == '\t' || invisible(*ch))
        {
            self.error(
                i,
                col(line, at + k),
                format!("{} dans le nom de la clé « {} »", char_name(ch), key.trim()),
                format!("retapez le nom de la clé au clavier : {}:", key.trim()),
            );
            return;
        }
        let key = key.trim_end();
        self.seqs.retain(|s| *s < at);
        self.frames.retain(|(fc, _)| *fc <= at);
        let line_no = i as u32 + 1 + self.offset;
        if self.frames.last().is_none_or(|(fc, _)| *fc != at) {
            self.frames.push((at, HashMap::new()));
        }
        let frame = &mut self.frames.last_mut().expect("pushed above").1;
        if let Some(first) = frame.get(key).copied() {
            self.error(
                i,
                col(line, at),
                format!("la clé `{key}` est écrite deux fois (déjà à la ligne {first})"),
                "gardez-en une seule : supprimez ou renommez l'une des deux lignes".into(),
            );
            self.fix(i, format!("{}#{}", &line[..at], &line[at..]));
            self.last = Last::Inline(at);
            return;
        }
        frame.insert(key.to_string(), line_no);
        let v = at + c + 1;
        let ws_end = v + line[v..].len() - line[v..].trim_start_matches([' ', '\t']).len();
        if let Some(t) = line[v..ws_end].find('\t') {
            self.error(
                i,
                col(line, v + t),
                "tabulation après le deux-points".into(),
                format!("une seule espace ordinaire après le deux-points : {key}: …"),
            );
            self.fix(i, format!("{} {}", &line[..v], &line[ws_end..]));
            self.last = Last::Inline(at);
            return;
        }
        let is_gap = |ch: char| ch == ' ' || ch == '\t' || invisible(ch);
        if let Some((k, ch)) = line[v..]
            .char_indices()
            .take_while(|(_, ch)| is_gap(*ch))
            .find(|(_, ch)| invisible(*ch))
        {
            self.error(
                i,
                col(line, v + k),
                format!("{} après « {key}: »", char_name(ch)),
                format!(
                    "une espace ordinaire après le deux-points : {key}: {}",
                    line[v..].trim_matches(is_gap)
                ),
            );
            let value = line[v..].trim_start_matches(is_gap);
            self.fix(i, format!("{}: {value}", &line[..at + c]));
            self.last = Last::Inline(at);
            return;
        }
        let rest = &line[ws_end..];
        if rest.is_empty() || rest.starts_with('#') {
            self.last = Last::KeyEmpty(at);
            return;
        }
        if rest.starts_with("- ") || rest == "-" {
            self.error(
                i,
                col(line, ws_end),
                format!("`{key}` : une liste à tirets ne commence pas sur la ligne de sa clé"),
                format!("écrivez « {key}: » seul sur sa ligne, puis chaque élément sur une ligne « - … » décalée de deux espaces ; ou, pour un texte, {key}: {}", quoted_hint(rest)),
            );
            self.fix(i, format!("{}{}", &line[..ws_end], dq(rest)));
            self.last = Last::Inline(at);
            return;
        }
        self.value(i, line, ws_end, at, Some(key));
    }

    /// A line in a mapping that is not `key: value`.
    fn not_a_key(&mut self, i: usize, line: &str, at: usize) {
        let rest = &line[at..];
        match self.last {
            // The continuation of a plain value on several lines.
            Last::Inline(k) if at > k => return,
            // A value written on the line below its key.
            Last::KeyEmpty(k) if at > k => {
                self.last = Last::Inline(k);
                return;
            }
            _ => {}
        }
        let word_colon = rest.find(':').filter(|c| {
            *c > 0
                && rest[..*c]
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'_')
        });
        let hint = match word_colon {
            Some(c) => format!(
                "ajoutez une espace après le deux-points : {}: {}",
                &rest[..c],
                &rest[c + 1..]
            ),
            None => "chaque ligne de l'en-tête est « clé: valeur » ; si ce texte est la suite de la valeur au-dessus, mettez toute la valeur sur une seule ligne, entre guillemets".into(),
        };
        self.error(
            i,
            col(line, at),
            "ligne sans « clé: valeur » dans l'en-tête".into(),
            hint,
        );
        let fixed = match word_colon {
            Some(c) => format!("{}{}: {}", &line[..at], &rest[..c], &rest[c + 1..]),
            None => format!("{}#{rest}", &line[..at]),
        };
        self.fix(i, fixed);
    }

    /// The value starting at byte `at` of `line`, for `key` (its column
    /// `key_col`), or a list item's value when `key` is `None`.
    fn value(&mut self, i: usize, line: &str, at: usize, key_col: usize, key: Option<&str>) {
        self.last = Last::Inline(key_col);
        let rest = &line[at..];
        let shown = key.map_or("- ".to_string(), |k| format!("{k}: "));
        let first = rest.chars().next().unwrap_or(' ');
        match first {
            '"' | '\'' => self.quoted_value(i, line, at, key_col, &shown),
            '[' | '{' => {
                let open = Open {
                    line: i,
                    at,
                    text: line.to_string(),
                    key_col,
                    quote: None,
                    stack: Vec::new(),
                    inner_quote: None,
                    item_start: true,
                };
                self.continue_open(i, line, open);
            }
            '|' | '>' => {
                let header = rest[1..]
                    .trim_start_matches(['+', '-', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
                if header.trim_start().is_empty()
                    || header.trim_start().starts_with('#') && header.starts_with(' ')
                {
                    self.block = Some(key_col);
                    self.last = Last::KeyEmpty(key_col);
                } else {
                    self.bad_start(i, line, at, first, &shown);
                }
            }
            '?' if !rest[1..].starts_with(|c: char| c != ' ' && c != '\t') => {
                self.bad_start(i, line, at, '?', &shown)
            }
            c if c != '?' && INDICATORS.contains(&c) => self.bad_start(i, line, at, c, &shown),
            c if OPENING_QUOTES.contains(&c) => self.curly(i, line, at, c, &shown),
            _ => self.plain(i, line, at, &shown),
        }
    }

    fn bad_start(&mut self, i: usize, line: &str, at: usize, c: char, shown: &str) {
        let value = line[at..].trim_end();
        let message = if c == '*' || c == '&' {
            format!(
                "une valeur ne peut pas commencer par « {c} » : les ancres et alias YAML (& et *) ne sont pas permis ici"
            )
        } else {
            format!("une valeur ne peut pas commencer par « {c} » sans guillemets")
        };
        self.error(
            i,
            col(line, at),
            message,
            format!(
                "mettez la valeur entre guillemets : {shown}{}",
                quoted_hint(value)
            ),
        );
        self.fix(i, format!("{}{}", &line[..at], dq(value)));
    }

    /// A value opened by a word processor's quote: “…”, « … », ‘…’.
    fn curly(&mut self, i: usize, line: &str, at: usize, c: char, shown: &str) {
        let value = strip_comment(&line[at..]).trim_end_matches(|ch: char| ch.is_whitespace());
        let last = value.chars().last().unwrap_or(c);
        let closed = value.chars().count() > 1 && CLOSING_QUOTES.contains(&last);
        if !closed {
            // An opening quote in a longer text: « Pacte » signé (a colon
            // there is reported as in any unquoted value).
            return self.plain(i, line, at, shown);
        }
        let inner_end = if closed {
            value.len() - last.len_utf8()
        } else {
            value.len()
        };
        let inner =
            value[c.len_utf8()..inner_end].trim_matches(|ch: char| ch == ' ' || invisible(ch));
        let french = c == '«' || c == '‹';
        let (what, hint) = if french {
            (
                "des guillemets « » entourent la valeur : YAML les garderait comme du texte",
                format!(
                    "écrivez {shown}{} ; pour afficher les guillemets « », entourez le tout de guillemets droits : {shown}\"{}\"",
                    quoted_hint(inner),
                    value
                ),
            )
        } else {
            (
                "guillemets de traitement de texte (“ ” ou ‘ ’) autour de la valeur : YAML ne les reconnaît pas",
                format!(
                    "utilisez des guillemets droits, tapés au clavier : {shown}{}",
                    quoted_hint(inner)
                ),
            )
        };
        self.error(i, col(line, at), what.into(), hint);
        self.fix(i, format!("{}{}", &line[..at], dq(inner)));
    }

    /// An unquoted value: a colon followed by a space cuts it.
    fn plain(&mut self, i: usize, line: &str, at: usize, shown: &str) {
        let value = strip_comment(&line[at..]);
        let trimmed = value.trim_end_matches(' ');
        if let Some((k, ch)) = trimmed
            .char_indices()
            .rev()
            .take_while(|(_, ch)| invisible(*ch) || *ch == '\t')
            .last()
        {
            self.error(
                i,
                col(line, at + k),
                format!("{} à la fin de la valeur", char_name(ch)),
                "supprimez ce caractère invisible à la fin de la ligne".into(),
            );
            let clean = trimmed.trim_end_matches(|c: char| invisible(c) || c == '\t' || c == ' ');
            self.fix(i, format!("{}{clean}", &line[..at]));
            return;
        }
        let colon = trimmed.match_indices(':').map(|(k, _)| k).find(|k| {
            trimmed[k + 1..]
                .chars()
                .next()
                .is_none_or(|c| c == ' ' || c == '\t' || invisible(c))
        });
        if let Some(k) = colon {
            self.error(
                i,
                col(line, at + k),
                "deux-points suivi d'une espace dans une valeur sans guillemets".into(),
                format!(
                    "mettez la valeur entre guillemets : {shown}{}",
                    quoted_hint(trimmed.trim_end())
                ),
            );
            self.fix(i, format!("{}{}", &line[..at], dq(trimmed.trim_end())));
        }
    }

    fn finish(&mut self) {
        if let Some(open) = self.open.take() {
            self.unclosed(&open);
        }
    }
}

/// `text` without a trailing ` # comment`.
fn strip_comment(text: &str) -> &str {
    match text.find(" #") {
        Some(k) => &text[..k],
        None => text,
    }
}

mod quotes;
#[cfg(test)]
mod tests;

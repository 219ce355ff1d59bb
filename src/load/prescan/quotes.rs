//! The pre-scan of quoted values and `[…]`/`{…}` lists: where they close,
//! what follows them, and the ones left open (reported where they open).

use super::*;

impl Scanner<'_> {
    /// `"…"` or `'…'` starting at byte `at`.
    pub(super) fn quoted_value(
        &mut self,
        i: usize,
        line: &str,
        at: usize,
        key_col: usize,
        shown: &str,
    ) {
        let q = line.as_bytes()[at];
        match self.close_quote(i, line, at + 1, q) {
            Close::At(end) => self.after_close(i, line, at, end, shown),
            Close::Bad => {}
            Close::Open => {
                self.open = Some(Open {
                    line: i,
                    at,
                    text: line.to_string(),
                    key_col,
                    quote: Some(q),
                    stack: Vec::new(),
                    inner_quote: None,
                    item_start: false,
                });
            }
        }
    }

    /// Where the quote `q` closing a scalar from byte `from` is. Reports
    /// unknown escapes.
    fn close_quote(&mut self, i: usize, line: &str, from: usize, q: u8) -> Close {
        let b = line.as_bytes();
        let mut k = from;
        while k < b.len() {
            if b[k] == q {
                if q == b'\'' && b.get(k + 1) == Some(&b'\'') {
                    k += 2;
                    continue;
                }
                return Close::At(k + 1);
            }
            if q == b'"' && b[k] == b'\\' {
                let next = line[k + 1..].chars().next();
                let hex = match next {
                    Some('x') => 2,
                    Some('u') => 4,
                    Some('U') => 8,
                    _ => 0,
                };
                let known = if hex > 0 {
                    line.len() >= k + 2 + hex
                        && line.as_bytes()[k + 2..k + 2 + hex]
                            .iter()
                            .all(u8::is_ascii_hexdigit)
                } else {
                    next.is_some_and(|c| "0abt\tnvfre \"/\\N_LP".contains(c))
                };
                if !known && next.is_some() {
                    let esc: String = next.into_iter().collect();
                    self.error(
                        i,
                        col(line, k),
                        format!("« \\{esc} » n'est pas permis entre guillemets doubles"),
                        "entourez la valeur de guillemets simples ' ' à la place, ou doublez la barre oblique inverse (\\\\)".into(),
                    );
                    let mut fixed = line.to_string();
                    fixed.replace_range(k..k + 1, " ");
                    self.fix(i, fixed);
                    return Close::Bad;
                }
                k += 1 + next.map_or(0, char::len_utf8);
                continue;
            }
            k += 1;
        }
        Close::Open
    }

    /// After a closing quote at `end`: only spaces and a comment may follow.
    fn after_close(&mut self, i: usize, line: &str, start: usize, end: usize, shown: &str) {
        let tail = &line[end..];
        let t = tail.trim_start_matches([' ', '\t']);
        if t.is_empty() || (t.starts_with('#') && t.len() < tail.len()) {
            return;
        }
        let value = strip_comment(&line[start..]).trim_end();
        let inner = &value[1..];
        let inner = inner.strip_suffix(&value[..1]).unwrap_or(inner);
        let q = &line[start..start + 1];
        let french = guillemets(inner, q);
        self.error(
            i,
            col(line, end + tail.len() - t.len()),
            format!("texte après le guillemet {q} qui ferme la valeur"),
            format!(
                "dans une valeur entre guillemets, écrivez les guillemets du texte « » : {shown}\"{french}\""
            ),
        );
        self.fix(i, format!("{}{}", &line[..start], dq(&french)));
    }

    /// Goes on with a quote or bracket left open on a previous line (or
    /// just opened at `open.at` on this one).
    pub(super) fn continue_open(&mut self, i: usize, line: &str, mut open: Open) {
        let from = if open.line == i { open.at } else { 0 };
        if let Some(q) = open.quote {
            let start = if open.line == i { from + 1 } else { 0 };
            if matches!(self.close_quote(i, line, start, q), Close::Open) {
                self.open = Some(open);
            }
            return;
        }
        let b = line.as_bytes();
        let mut k = from;
        while k < b.len() {
            if let Some(q) = open.inner_quote {
                match self.close_quote(i, line, k, q) {
                    Close::At(end) => {
                        open.inner_quote = None;
                        k = end;
                        continue;
                    }
                    Close::Open => {
                        self.open = Some(open);
                        return;
                    }
                    Close::Bad => return,
                }
            }
            let c = b[k];
            match c {
                b'[' | b'{' => {
                    open.stack.push((c, i, k));
                    if open.stack.len() > MAX_FLOW_DEPTH {
                        self.error(
                            i,
                            col(line, k),
                            format!("plus de {MAX_FLOW_DEPTH} crochets ou accolades imbriqués : ce n'est pas un en-tête de page"),
                            "une liste s'écrit [a, b, c], sans crochets dans les crochets".into(),
                        );
                        self.give_up = true;
                        return;
                    }
                    open.item_start = true;
                }
                b']' | b'}' => {
                    let want = if c == b']' { b'[' } else { b'{' };
                    match open.stack.pop() {
                        Some((o, _, _)) if o == want => {}
                        other => {
                            let opener = other.map_or(String::new(), |(o, l, _)| {
                                format!(
                                    " (la ligne {} ouvre « {} »)",
                                    l as u32 + 1 + self.offset,
                                    o as char
                                )
                            });
                            self.error(
                                i,
                                col(line, k),
                                format!("« {} » ne ferme rien ici{opener}", c as char),
                                "une liste s'écrit [a, b, c] et des clés {a: 1, b: 2} : chaque crochet ouvert est fermé par le même".into(),
                            );
                            let fixed = if open.line == i {
                                format!("{}~", &line[..open.at])
                            } else {
                                format!("#{line}")
                            };
                            self.fix(i, fixed);
                            return;
                        }
                    }
                    if open.stack.is_empty() {
                        let tail = line[k + 1..].trim_start_matches([' ', '\t']);
                        if !(tail.is_empty()
                            || tail.starts_with('#')
                                && k + 1 < line.len()
                                && line[k + 1..].starts_with([' ', '\t']))
                        {
                            self.error(
                                i,
                                col(line, k + 1 + line[k + 1..].len() - tail.len()),
                                "texte après le crochet qui ferme la liste".into(),
                                "une liste entre crochets se termine à la fin de la ligne : [a, b, c]".into(),
                            );
                            self.fix(i, line[..k + 1].to_string());
                        }
                        return;
                    }
                    open.item_start = false;
                }
                b',' => open.item_start = true,
                b':' if b.get(k + 1).is_none_or(|n| *n == b' ') => open.item_start = true,
                b'"' | b'\'' if open.item_start => {
                    open.inner_quote = Some(c);
                    open.item_start = false;
                }
                b'#' if k > 0 && b[k - 1] == b' ' => break,
                b' ' | b'\t' => {}
                _ => open.item_start = false,
            }
            k += 1;
        }
        self.open = Some(open);
    }

    /// A quote or bracket opened on `open.line` and never closed.
    pub(super) fn unclosed(&mut self, open: &Open) {
        let text = strip_comment(&open.text).trim_end();
        let (what, hint, fixed) = match open.quote {
            Some(q) => (
                format!("le guillemet {} ouvert ici n'est jamais fermé", q as char),
                format!(
                    "ajoutez le guillemet {} à la fin de la valeur, sur la même ligne",
                    q as char
                ),
                format!("{}{}", open.text.trim_end(), q as char),
            ),
            None => {
                let o = open.stack.first().map_or(b'[', |s| s.0);
                let close = if o == b'[' { ']' } else { '}' };
                let closers: String = open
                    .stack
                    .iter()
                    .rev()
                    .filter(|s| s.1 == open.line)
                    .map(|s| if s.0 == b'[' { ']' } else { '}' })
                    .collect();
                (
                    format!("le « {} » ouvert ici n'est jamais fermé", o as char),
                    format!(
                        "ajoutez « {close} » à la fin de la valeur, sur la même ligne : [a, b, c]"
                    ),
                    format!("{text}{closers}"),
                )
            }
        };
        self.error(open.line, col(&open.text, open.at), what, hint);
        self.fix(open.line, fixed);
        self.last = Last::Inline(open.key_col);
    }
}

/// `text` with its quotes `q` turned into French guillemets, « then ».
fn guillemets(text: &str, q: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for (n, part) in text.split(q).enumerate() {
        if n > 0 {
            out.push_str(if n % 2 == 1 { "« " } else { " »" });
        }
        out.push_str(part);
    }
    out
}

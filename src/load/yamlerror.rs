//! YAML and serde errors worded in French, by kind: never the parser's
//! own English text.

use crate::diagnostics::{Diagnostic, suggestion_for};

/// A serde_yaml error turned into a French diagnostic.
pub(super) fn yaml_error(
    file: &str,
    source: &str,
    offset: u32,
    e: &yaml_serde::Error,
    path: &str,
) -> Diagnostic {
    let raw = e.to_string();
    let msg = raw.split(" at line ").next().unwrap_or(&raw);
    let msg = msg.split(" at position ").next().unwrap_or(msg);
    let (line, col) = e
        .location()
        .map(|l| (l.line() as u32 + offset, l.column() as u32))
        .unwrap_or((0, 0));
    let (message, suggestion) = french_message(msg, path);
    let mut d = Diagnostic::error(file, line, col, message);
    if let Some(s) = suggestion {
        d = d.with_suggestion(s);
    }
    d.with_source(source)
}

/// Translates serde and libyaml messages into French, with a hint.
fn french_message(msg: &str, path: &str) -> (String, Option<String>) {
    let path = path.trim_start_matches('.');
    let at = |s: String| {
        if path.is_empty() || path == "?" {
            s
        } else {
            format!("`{path}` : {s}")
        }
    };
    // The path prefix serde_yaml adds ("president.gender: …") is redundant with ours.
    let msg = match msg.split_once(": ") {
        Some((p, rest)) if !p.contains(' ') && !p.is_empty() => rest,
        _ => msg,
    };
    if let Some(rest) = msg.strip_prefix("missing field `") {
        let field = rest.trim_end_matches('`');
        let full = if path.is_empty() || path == "?" || path == "." {
            field.to_string()
        } else {
            format!("{path}.{field}")
        };
        return (
            format!("la clé obligatoire `{full}` manque"),
            Some(format!("ajoutez une ligne `{field}: …`")),
        );
    }
    if let Some(rest) = msg.strip_prefix("unknown variant `") {
        let (value, expected) = rest.split_once('`').unwrap_or((rest, ""));
        let choices: Vec<&str> = expected
            .split('`')
            .enumerate()
            .filter(|(i, _)| i % 2 == 1)
            .map(|(_, s)| s)
            .collect();
        return (
            at(format!("valeur « {value} » non reconnue")),
            Some(suggestion_for(value, choices.iter().copied())),
        );
    }
    if let Some(rest) = msg.strip_prefix("invalid type: ") {
        let (found, expected) = rest.split_once(", expected ").unwrap_or((rest, "?"));
        return (
            at(format!(
                "type de valeur invalide : {} au lieu de {}",
                french_kind(found),
                french_kind(expected)
            )),
            None,
        );
    }
    if let Some(rest) = msg.strip_prefix("invalid value: ") {
        let (found, expected) = rest.split_once(", expected ").unwrap_or((rest, "?"));
        return (
            at(format!(
                "valeur invalide : {} au lieu de {}",
                french_kind(found),
                french_kind(expected)
            )),
            None,
        );
    }
    if msg.starts_with("duplicate entry") || msg.contains("duplicate key") {
        let key = msg.split('"').nth(1).unwrap_or("?");
        return (
            format!("la clé `{key}` est écrite deux fois"),
            Some("gardez-en une seule".into()),
        );
    }
    let syntax: &[(&str, &str, &str)] = &[
        (
            "mapping values are not allowed",
            "deux-points inattendu dans une valeur",
            "mettez la valeur entre guillemets, par exemple title: \"Réunion : bilan\"",
        ),
        (
            "did not find expected key",
            "clé attendue à cet endroit",
            "vérifiez l'indentation (des espaces, pas de tabulations) et les guillemets",
        ),
        (
            "found character that cannot start any plain scalar",
            "caractère interdit en début de valeur",
            "mettez la valeur entre guillemets",
        ),
        (
            "found a tab character",
            "tabulation dans l'indentation",
            "indentez avec des espaces",
        ),
        (
            "did not find expected",
            "structure YAML incomplète",
            "vérifiez les tirets des listes et les crochets ou accolades fermants",
        ),
        (
            "found unexpected end of stream",
            "fin de l'en-tête inattendue",
            "un guillemet, un crochet ou une accolade n'est pas fermé",
        ),
        (
            "found unknown escape character",
            "séquence d'échappement inconnue entre guillemets doubles",
            "utilisez des guillemets simples, ou doublez la barre oblique inverse",
        ),
        (
            "block sequence entries are not allowed",
            "liste à tirets mal placée",
            "passez à la ligne et indentez la liste sous sa clé",
        ),
        (
            "repetition limit exceeded",
            "trop de répétitions d'alias YAML (*…)",
            "écrivez les valeurs en entier plutôt que par des alias",
        ),
        (
            "recursion limit exceeded",
            "structure trop imbriquée",
            "simplifiez l'en-tête",
        ),
        (
            "unknown anchor",
            "ancre YAML inconnue (*…)",
            "retirez l'astérisque ou mettez la valeur entre guillemets",
        ),
        (
            "more than one document",
            "plusieurs documents YAML (lignes --- ou ...) dans ce fichier",
            "gardez un seul bloc de clés : retirez les lignes --- et ... en trop",
        ),
        (
            "control characters are not allowed",
            "caractère de contrôle invisible",
            "retapez la ligne au clavier",
        ),
        (
            "could not find expected ':'",
            "ligne sans « clé: valeur »",
            "chaque ligne de l'en-tête est « clé: valeur », avec une espace après le deux-points",
        ),
        (
            "cannot start any token",
            "caractère inattendu à cet endroit (souvent une tabulation)",
            "remplacez les tabulations par des espaces",
        ),
        (
            "YAML tag",
            "étiquette YAML (!…) non permise",
            "mettez la valeur entre guillemets",
        ),
        (
            "merg",
            "fusion de clés YAML (<<) non permise",
            "écrivez les clés en entier",
        ),
        (
            "failed to parse YAML number",
            "nombre illisible",
            "écrivez le nombre en chiffres, ou mettez la valeur entre guillemets",
        ),
    ];
    for (en, fr, hint) in syntax {
        if msg.contains(en) {
            return (format!("syntaxe YAML : {fr}"), Some((*hint).to_string()));
        }
    }
    if msg.starts_with("date invalide") || msg.contains('«') {
        // Our own messages say "… : attendu X": the expected form is the hint.
        if let Some((m, hint)) = msg.split_once(" : attendu ") {
            return (at(m.to_string()), Some(format!("attendu {hint}")));
        }
        return (at(msg.to_string()), None);
    }
    if let Some(rest) = msg.strip_prefix("invalid length ") {
        let n = rest.split(',').next().unwrap_or("?");
        return (
            at(format!("nombre d'éléments invalide ({n})")),
            Some("vérifiez la liste dans le guide de rédaction".into()),
        );
    }
    if msg.starts_with("unknown field `") {
        let key = msg.split('`').nth(1).unwrap_or("?");
        return (at(format!("`{key}` : clé inconnue")), None);
    }
    // Never the parser's own (English) words: a French message by kind.
    if msg.contains("scanning") || msg.contains("parsing") || msg.contains("found") {
        return (
            "syntaxe YAML invalide à cet endroit".into(),
            Some("vérifiez les guillemets, les crochets, les deux-points et l'indentation (des espaces, jamais de tabulation) de cette ligne et de celle du dessus".into()),
        );
    }
    (
        at("valeur invalide pour cette clé".into()),
        Some(
            "vérifiez la forme attendue dans le guide de rédaction (docs/guide-redaction.md)"
                .into(),
        ),
    )
}

/// "string \"x\"" → "le texte « x »", "a boolean" → "true ou false", …
fn french_kind(s: &str) -> String {
    let s = s.trim();
    if let Some(v) = s.strip_prefix("string ") {
        return format!("le texte « {} »", v.trim_matches('"'));
    }
    if let Some(v) = s.strip_prefix("integer ") {
        return format!("le nombre {}", v.trim_matches('`'));
    }
    if let Some(v) = s.strip_prefix("floating point ") {
        return format!("le nombre {}", v.trim_matches('`'));
    }
    if let Some(v) = s.strip_prefix("boolean ") {
        return format!("la valeur {}", v.trim_matches('`'));
    }
    let table: &[(&str, &str)] = &[
        ("a boolean", "true ou false"),
        ("a string", "un texte"),
        ("a sequence", "une liste ([a, b] ou lignes à tirets)"),
        ("sequence", "une liste"),
        ("a map", "des clés « clé: valeur »"),
        ("map", "des clés « clé: valeur »"),
        ("unit value", "une valeur vide"),
        ("u32", "un nombre entier positif"),
        ("i64", "un nombre entier"),
        ("i32", "un nombre entier"),
        ("a borrowed string", "un texte"),
        ("char", "un caractère"),
    ];
    for (en, fr) in table {
        if s == *en {
            return (*fr).to_string();
        }
    }
    if s.starts_with("struct ") || s.starts_with("a map") {
        return "des clés « clé: valeur »".into();
    }
    if s.starts_with("enum ") || s.starts_with("variant") {
        return "une des valeurs permises".into();
    }
    if s.starts_with("option") || s.starts_with("a string or") {
        return "un texte".into();
    }
    if s.contains("date") {
        return "une date".into();
    }
    if s.contains("integer") || s.contains("number") {
        return "un nombre".into();
    }
    "une autre forme de valeur".into()
}

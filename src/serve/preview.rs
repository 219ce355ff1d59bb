//! Pages of `serve` itself: the e-mail preview of an issue (its subject and
//! preheader as an inbox lists them, the HTML at 600 and 375 px side by
//! side, and its plain-text part, refreshed live) and
//! the error page showing the diagnostics as `check` prints them.

use super::Hub;
use crate::diagnostics::Diagnostic;

const STYLE: &str = "body{font:16px/1.5 system-ui,sans-serif;margin:1.5rem;color:#1a1a1a}\
h1{font-size:1.4rem}.cadres{display:flex;gap:1.5rem;align-items:flex-start;overflow-x:auto}\
figure{margin:0}figcaption{font-weight:600;margin-bottom:.3rem}\
iframe{border:1px solid #888;height:1400px;background:#fff}\
pre{white-space:pre-wrap;background:#f4f4f4;border:1px solid #ccc;padding:1rem;max-width:80ch;overflow:auto}\
.note{background:#fff4d6;border-left:4px solid #c90;padding:.8rem 1rem}\
.boite{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem;max-width:80ch}dt{font-weight:600}dd{margin:0}";

/// The page at `/__cufpress/apercu/<rest>`, or None (404).
pub(super) fn page(hub: &Hub, rest: &str) -> Option<String> {
    let id = rest.trim_end_matches('/');
    if id.is_empty() {
        return Some(index(hub));
    }
    if id.contains('/')
        || !hub
            .read()
            .outputs
            .contains_key(&format!("lettres/{id}/index.html"))
    {
        return None;
    }
    Some(issue(hub, id))
}

fn index(hub: &Hub) -> String {
    let mut ids: Vec<String> = hub
        .read()
        .outputs
        .keys()
        .filter_map(|k| {
            let id = k.strip_prefix("lettres/")?.strip_suffix("/index.html")?;
            (!id.contains('/')).then(|| id.to_string())
        })
        .collect();
    ids.sort_unstable_by(|a, b| b.cmp(a));
    let items: String = ids
        .iter()
        .map(|id| format!("<li><a href=\"/__cufpress/apercu/{id}/\">Numéro {id}</a></li>"))
        .collect();
    format!(
        "<!doctype html><html lang=\"fr\"><head><meta charset=\"utf-8\"><title>Aperçu des e-mails</title><style>{STYLE}</style></head>\
<body><h1>Aperçu des e-mails de La Lettre</h1><ul>{items}</ul></body></html>"
    )
}

fn issue(hub: &Hub, id: &str) -> String {
    let (html, txt, inbox) = {
        let s = hub.read();
        let page = s.outputs.get(&format!("lettres/{id}/email.html"));
        (
            page.is_some(),
            s.outputs
                .get(&format!("lettres/{id}/email.txt"))
                .map(|b| String::from_utf8_lossy(b).into_owned()),
            page.map(|b| inbox_line(&String::from_utf8_lossy(b))),
        )
    };
    let frames = if html {
        format!(
            "<div class=\"cadres\">\
<figure><figcaption>Ordinateur, 600 px</figcaption><iframe title=\"E-mail à 600 px\" src=\"/lettres/{id}/email.html\" width=\"600\"></iframe></figure>\
<figure><figcaption>Téléphone, 375 px</figcaption><iframe title=\"E-mail à 375 px\" src=\"/lettres/{id}/email.html\" width=\"375\"></iframe></figure></div>"
        )
    } else {
        format!(
            "<p class=\"note\" id=\"absent\">L'édition e-mail de ce numéro n'est pas encore produite : \
le fichier lettres/{id}/email.html n'existe pas. L'aperçu s'affichera dès qu'il existera.</p>"
        )
    };
    let text = match txt {
        Some(t) => format!("<pre id=\"texte\">{}</pre>", crate::html::escape(&t)),
        None => {
            "<p class=\"note\" id=\"texte-absent\">Pas encore de version texte (email.txt).</p>"
                .to_string()
        }
    };
    let script = format!(
        "<script>(()=>{{const s=new EventSource(\"/__cufpress/evenements\");s.addEventListener(\"reload\",async e=>{{let d={{}};try{{d=JSON.parse(e.data)}}catch(_){{}}\
const t=\"/lettres/{id}/email.txt\";if(!d.ok||!d.changed||document.getElementById(\"absent\")||document.getElementById(\"texte-absent\")){{s.close();location.reload();return}}\
if(d.changed.includes(t)){{const r=await fetch(t,{{cache:\"no-store\"}});if(r.ok)document.getElementById(\"texte\").textContent=await r.text()}}}})}})();</script>"
    );
    let inbox = inbox.unwrap_or_default();
    format!(
        "<!doctype html><html lang=\"fr\"><head><meta charset=\"utf-8\"><title>Aperçu de l'e-mail {id}</title><style>{STYLE}</style></head>\
<body data-apercu=\"{id}\"><h1>Aperçu de l'e-mail du numéro {id}</h1><p><a href=\"/lettres/{id}/\">Version web</a> · <a href=\"/__cufpress/apercu/\">Autres numéros</a></p>\
{inbox}{frames}<h2>Version texte</h2>{text}{script}</body></html>"
    )
}

/// The subject and the preheader of an `email.html`, as an inbox lists
/// them (both are already escaped in the page, and stay so here).
fn inbox_line(page: &str) -> String {
    let between = |from: &str, open: &str, close: &str| -> String {
        let Some(start) = page
            .find(from)
            .and_then(|i| page[i..].find(open).map(|j| i + j))
        else {
            return String::new();
        };
        let rest = &page[start..];
        let inner = rest.find('>').map_or("", |g| &rest[g + 1..]);
        inner[..inner.find(close).unwrap_or(inner.len())].to_string()
    };
    let subject = between("<title", "<title", "</title>");
    let preheader = between("<body", "<div", "</div>");
    // The invisible filler after the preheader (see `email::EmailView`).
    let cut = preheader
        .find(['\u{34f}', '\u{200c}'])
        .or_else(|| preheader.find("&#847;"))
        .unwrap_or(preheader.len());
    let preheader = preheader[..cut].replace("&nbsp;", " ");
    format!(
        "<dl class=\"boite\"><dt>Objet</dt><dd id=\"objet\">{subject}</dd>\
<dt>Texte d'aperçu</dt><dd id=\"preheader\">{}</dd></dl>",
        preheader.trim()
    )
}

/// The page shown instead of the site while it does not build.
pub(super) fn error_page(diags: &[Diagnostic]) -> String {
    let errors = diags.iter().filter(|d| d.is_error()).count();
    let items: String = diags
        .iter()
        .map(|d| {
            format!(
                "<pre class=\"diagnostic\">{}</pre>",
                crate::html::escape(&d.to_human())
            )
        })
        .collect();
    format!(
        "<!doctype html><html lang=\"fr\"><head><meta charset=\"utf-8\"><title>Erreur de construction</title><style>{STYLE}\
pre.diagnostic{{background:#fdecea;border-color:#c33}}</style></head><body><h1>Le site ne se construit pas</h1>\
<p id=\"resume\">{errors} erreur(s). Corrigez le contenu et enregistrez : la page se rechargera d'elle-même.</p>{items}</body></html>"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_inbox_line_shows_subject_and_preheader_without_filler() {
        let page = "<html><head><title>La Lettre n°\u{a0}112 – Sept. &amp; oct.</title></head>\
<body style=\"x\"><div style=\"display:none\">Fabrique &amp; réserve\u{34f}\u{200c}&nbsp;\u{34f}</div><div>corps</div></body></html>";
        let line = inbox_line(page);
        assert!(
            line.contains("<dd id=\"objet\">La Lettre n°\u{a0}112 – Sept. &amp; oct.</dd>"),
            "{line}"
        );
        assert!(
            line.contains("<dd id=\"preheader\">Fabrique &amp; réserve</dd>"),
            "{line}"
        );
    }

    #[test]
    fn error_page_escapes_diagnostics() {
        let d = Diagnostic::error("content/x.md", 2, 1, "balise <script> interdite");
        let page = error_page(&[d]);
        assert!(page.contains("content/x.md:2:1 : balise &lt;script&gt; interdite"));
        assert!(!page.contains("<script> interdite"));
    }
}

//! French typography applied once, at load, to every front-matter field
//! that is shown as text (titles, subtitles, places, summaries, names,
//! programme texts), so every output gets it: pages, feeds, calendars,
//! JSON-LD and both parts of the e-mail.
//!
//! Fields hold the plain-text form ([`typography::title_text`]: no-break
//! spaces as U+00A0 / U+202F characters, typographic apostrophes, `3^e`
//! written back as `3e`), right for attributes and plain text as they are;
//! HTML templates add the `<sup>` of ordinals with the `typo` filter.
//! URLs, e-mail addresses, ids and vocabulary values are left alone.

use crate::load::typography::title_text;
use crate::model::{
    ArticleFront, Contact, DirectoryFront, EventFront, GroupFront, LetterFront, NamedPartner,
    PartnershipFront, ProgrammeFront, Project,
};

/// A typed front matter whose shown texts get French typography.
pub trait Typeset {
    /// Applies the typography to the shown text fields, in place.
    fn typeset(&mut self);
}

fn text(s: &mut String) {
    let t = title_text(s);
    if t != *s {
        *s = t;
    }
}

fn opt(s: &mut Option<String>) {
    if let Some(s) = s {
        text(s);
    }
}

fn contacts(cs: &mut [Contact]) {
    for c in cs {
        text(&mut c.name);
        opt(&mut c.role);
    }
}

impl Typeset for GroupFront {
    fn typeset(&mut self) {
        text(&mut self.name);
        if let Some(p) = &mut self.president {
            text(&mut p.name);
            opt(&mut p.function);
            opt(&mut p.collectivite);
        }
    }
}

impl Typeset for LetterFront {
    fn typeset(&mut self) {
        text(&mut self.title);
        opt(&mut self.preheader);
    }
}

impl Typeset for ArticleFront {
    fn typeset(&mut self) {
        text(&mut self.title);
        opt(&mut self.summary);
        opt(&mut self.image_alt);
        opt(&mut self.author);
    }
}

impl Typeset for EventFront {
    fn typeset(&mut self) {
        text(&mut self.title);
        opt(&mut self.subtitle);
        opt(&mut self.place);
        self.partners.iter_mut().for_each(text);
    }
}

impl Typeset for ProgrammeFront {
    fn typeset(&mut self) {
        text(&mut self.title);
        opt(&mut self.audience);
        contacts(&mut self.contacts);
        for NamedPartner { name, description } in &mut self.partners {
            text(name);
            opt(description);
        }
        for m in &mut self.timeline {
            text(&mut m.label);
        }
    }
}

impl Typeset for DirectoryFront {
    fn typeset(&mut self) {
        text(&mut self.title);
    }
}

impl Typeset for PartnershipFront {
    fn typeset(&mut self) {
        // Types are checked against vocabularies: left as typed. Regions
        // are compared with the typographic apostrophe folded back.
        text(&mut self.french.name);
        opt(&mut self.french.region);
        text(&mut self.partner.name);
        opt(&mut self.partner.region);
        for Project { title, funding, .. } in &mut self.projects {
            text(title);
            funding.iter_mut().for_each(text);
        }
        contacts(&mut self.contacts);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn event_fields_get_typography_and_urls_do_not() {
        let mut e: EventFront = yaml_serde::from_str(
            "title: \"Les 9^es Assises : quel avenir ?\"\nsubtitle: \"« Relais » d'Afrique\"\n\
             place: \"Sénat ; salle Clemenceau\"\nlink: \"https://x.fr/a?b=c;d\"\n",
        )
        .unwrap();
        e.typeset();
        assert_eq!(e.title, "Les 9es Assises\u{A0}: quel avenir\u{202F}?");
        assert_eq!(
            e.subtitle.as_deref(),
            Some("«\u{202F}Relais\u{202F}» d\u{2019}Afrique")
        );
        assert_eq!(e.place.as_deref(), Some("Sénat\u{202F}; salle Clemenceau"));
        assert_eq!(e.link.as_deref(), Some("https://x.fr/a?b=c;d"));
        let again = e.title.clone();
        e.typeset();
        assert_eq!(e.title, again, "idempotent");
    }
}

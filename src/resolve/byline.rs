//! The group byline the letter prints before a group's news:
//! "Présidente du groupe-pays Mauritanie : Sarah Bouseksou, conseillère …".

use crate::model::{Gender, GroupFront, GroupKind};

/// The byline of a group, or None when it has no president.
pub fn byline(group: &GroupFront) -> Option<String> {
    let p = group.president.as_ref()?;
    let title = match p.gender {
        Gender::F => "Présidente",
        Gender::M => "Président",
    };
    let of = match group.kind {
        GroupKind::Pays => "du groupe-pays",
        GroupKind::Thematique => "de la dynamique thématique",
        GroupKind::Regionale => "de la dynamique",
    };
    let mut s = format!("{title} {of} {}\u{A0}: {}", group.name, p.name.trim());
    for part in [&p.function, &p.collectivite].into_iter().flatten() {
        let part = part.trim();
        if !part.is_empty() {
            s.push_str(", ");
            s.push_str(part);
        }
    }
    Some(s)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::President;

    fn group(kind: GroupKind, name: &str, gender: Gender, coll: Option<&str>) -> GroupFront {
        GroupFront {
            name: name.into(),
            kind,
            countries: vec![],
            president: Some(President {
                name: "Sarah Bouseksou".into(),
                gender,
                function: Some(
                    "conseillère municipale déléguée aux relations internationales".into(),
                ),
                collectivite: coll.map(Into::into),
            }),
        }
    }

    #[test]
    fn country_group_byline_as_printed() {
        let g = group(
            GroupKind::Pays,
            "Mauritanie",
            Gender::F,
            Some("Savigny-le-Temple"),
        );
        assert_eq!(
            byline(&g).unwrap(),
            "Présidente du groupe-pays Mauritanie\u{A0}: Sarah Bouseksou, conseillère municipale déléguée aux relations internationales, Savigny-le-Temple"
        );
    }

    #[test]
    fn dynamics_and_missing_collectivite() {
        let g = group(GroupKind::Thematique, "Climat", Gender::M, None);
        assert!(
            byline(&g)
                .unwrap()
                .starts_with("Président de la dynamique thématique Climat\u{A0}: ")
        );
        assert!(!byline(&g).unwrap().ends_with(", "));
        let g = group(GroupKind::Regionale, "DALC", Gender::F, None);
        assert!(
            byline(&g)
                .unwrap()
                .starts_with("Présidente de la dynamique DALC\u{A0}: ")
        );
    }

    #[test]
    fn no_president_no_byline() {
        let mut g = group(GroupKind::Pays, "X", Gender::F, None);
        g.president = None;
        assert_eq!(byline(&g), None);
    }
}

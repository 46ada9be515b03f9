//! Sample briefings: one realistic decision note (bilingual title, every section, grouped
//! excerpts, accents), hostile text planted in every field an article or a user controls, and a
//! long note for page-level checks. The articles quoted are invented for these tests.

use dossier_core::Lang;
use dossier_core::briefing::{
    BriefingDocument, Citation, CitedExcerpt, Contact, Decision, DocumentSection, Marking, Purpose,
    SectionKind,
};

/// Text that would break or inject into some output format if it were not escaped.
pub const HOSTILE: &str = "<script>alert(\"x\")</script> *not emphasis* _nor this_ [^1] [link](javascript:alert(1)) #\"typst\" #set page(fill: red) ]] $x$ \\ & ' </w:t> `tick` <!-- c -->";

pub fn wire(title: &str, outlet: &str, date: &str, url: &str) -> Citation {
    Citation {
        outlet: Some(outlet.into()),
        title: title.into(),
        authors: vec!["Jeanne Roy".into()],
        published: Some(date.into()),
        url: Some(url.into()),
        page: None,
    }
}

fn excerpt(group: Option<&str>, quote: &str, note: &str, citation: Citation) -> CitedExcerpt {
    CitedExcerpt {
        group: group.map(Into::into),
        quote: quote.into(),
        note: note.into(),
        citation,
    }
}

fn section(kind: SectionKind, text: &str, excerpts: Vec<CitedExcerpt>) -> DocumentSection {
    DocumentSection {
        kind,
        text: text.into(),
        excerpts,
    }
}

/// A decision note as an analyst would send it up, with every part filled.
pub fn decision_note() -> BriefingDocument {
    let talks = wire(
        "Sector deals negotiated one by one",
        "Maple Wire",
        "2025-03-14",
        "https://example.org/wire/sector-deals",
    );
    let mut report = wire(
        "Aluminum and the CUSMA joint review",
        "Trade Policy Quarterly",
        "2025-02-28",
        "https://example.org/reports/aluminum.pdf",
    );
    report.authors = vec!["Sam Park".into(), "Amélie Gagnon".into()];
    report.page = Some(12);
    let lumber = Citation {
        outlet: Some("La Presse canadienne".into()),
        title: "Bois d’œuvre : Ottawa maintient le cap".into(),
        authors: vec![],
        published: Some("2025-03-10".into()),
        url: Some("https://exemple.ca/économie/bois-d’œuvre".into()),
        page: None,
    };
    BriefingDocument {
        lang: Lang::En,
        marking: Marking::ProtectedA,
        addressee: Some("the Minister of International Trade".into()),
        file_number: Some("BN-2025-0143".into()),
        date: Some("2025-03-15".into()),
        title: "Canada–US steel and aluminum talks: state of play".into(),
        title_fr: Some(
            "Négociations Canada–États-Unis sur l’acier et l’aluminium : état de la situation"
                .into(),
        ),
        purpose: Purpose::Decision,
        deadline: Some("2025-03-20".into()),
        sections: vec![
            section(
                SectionKind::Summary,
                "- Talks now proceed **sector by sector**, starting with steel and aluminum.\n\
                 - A response on softwood lumber is *not* expected before the joint review.",
                vec![],
            ),
            section(
                SectionKind::Issue,
                "Whether Canada should accept a sector-by-sector sequence for the talks.",
                vec![],
            ),
            section(
                SectionKind::Background,
                "The CUSMA joint review begins in 2026. See the [review schedule](https://example.org/cusma-review).",
                vec![],
            ),
            section(
                SectionKind::CurrentStatus,
                "",
                vec![
                    excerpt(
                        Some("Steel"),
                        "Officials said on Tuesday that sector deals are being negotiated one by one, starting with steel and aluminum.",
                        "First public signal of a **sequenced** approach.",
                        talks.clone(),
                    ),
                    excerpt(
                        Some("Aluminum"),
                        "Smelters in Québec asked for relief from the 25% tariff.\n\nThey warned of layoffs at two plants.",
                        "",
                        report,
                    ),
                    excerpt(
                        Some("Forestry (softwood lumber)"),
                        "« Nous ne signerons pas n’importe quel accord », a déclaré la ministre.",
                        "The Minister's public line, in French.",
                        lumber,
                    ),
                ],
            ),
            section(
                SectionKind::Considerations,
                "Sequencing favours sectors where Canada's leverage is highest.\n\n### Risks\n\nLumber may be left for last.",
                vec![],
            ),
            section(
                SectionKind::Options,
                "1. Accept the sequence.\n2. Insist on a single package.\n3. Accept, with a deadline for lumber.",
                vec![],
            ),
            section(
                SectionKind::Recommendation,
                "Option 3: accept the sequence with a firm date for softwood lumber.",
                vec![],
            ),
            section(
                SectionKind::NextSteps,
                "- Confirm the steel timetable with USTR (owner: Trade Policy; due 20 March 2025)",
                vec![excerpt(
                    None,
                    "Steel producers welcomed the news.",
                    "",
                    talks,
                )],
            ),
        ],
        prepared_by: Contact {
            name: Some("Élise Côté".into()),
            title: Some("Senior Policy Analyst, Trade Policy Directorate".into()),
            phone: Some("613-555-0143".into()),
        },
        approved_by: Contact {
            name: Some("Marc Tremblay".into()),
            title: Some("Director General".into()),
            phone: None,
        },
        decision: Some(Decision {
            maker: Some("Minister".into()),
            outcome: None,
            decided_on: None,
            comments: None,
        }),
    }
}

/// The decision note with hostile text in every field that comes from an article or a user.
pub fn hostile_note() -> BriefingDocument {
    let mut doc = decision_note();
    doc.title = format!("Title {HOSTILE}");
    doc.title_fr = Some(format!("Titre {HOSTILE}"));
    doc.addressee = Some(format!("Addressee {HOSTILE}"));
    doc.file_number = Some(format!("File {HOSTILE}"));
    doc.prepared_by.name = Some(format!("Name {HOSTILE}"));
    for s in &mut doc.sections {
        s.text = format!(
            "{}\n\nText {HOSTILE}\n\n<div onclick=\"x\">raw block</div>",
            s.text
        );
        for e in &mut s.excerpts {
            e.quote = format!("Quote {HOSTILE}\u{0}\u{7}");
            e.note = format!("Note {HOSTILE}");
            e.citation.title = format!("Cited {HOSTILE}");
            e.citation.outlet = Some(format!("Outlet {HOSTILE}"));
            e.citation.url = Some("https://example.org/a b?q=\"<x>\"&r=1".into());
        }
    }
    doc.sections[3].excerpts[0].citation.url = Some("javascript:alert(1)".into());
    doc
}

/// A note long enough to run over several pages: `n` excerpts across the sectors.
pub fn long_note(n: usize) -> BriefingDocument {
    let mut doc = decision_note();
    let sectors = [
        "Aluminum",
        "Automotive",
        "Energy",
        "Forestry (softwood lumber)",
        "Steel",
    ];
    let excerpts = (0..n)
        .map(|i| {
            let sector = sectors[i * sectors.len() / n.max(1)];
            excerpt(
                Some(sector),
                &format!(
                    "Passage {i}: officials in Ottawa and Washington said the {sector} file would \
                     be settled before the joint review, a claim industry groups in Québec and \
                     Ontario treated with caution. Les négociateurs ont refusé de commenter."
                ),
                &format!("Why passage {i} matters: it dates the **{sector}** deal."),
                wire(
                    &format!("Wire story {i} on the {sector} talks"),
                    if i % 2 == 0 {
                        "Maple Wire"
                    } else {
                        "Le Devoir économique"
                    },
                    &format!("2025-03-{:02}", 1 + i % 28),
                    &format!("https://example.org/wire/{i}"),
                ),
            )
        })
        .collect();
    doc.sections[3].excerpts = excerpts;
    doc
}

/// A French decision note (invented text on the Canada–US steel and aluminum talks), typed as
/// an analyst types: plain spaces before ":" and inside « », a URL with a "?", code, and a quote
/// in English. Dated the first of a month, so the date reads "1er".
pub fn french_note() -> BriefingDocument {
    let communique = Citation {
        outlet: Some("Le Fil économique".into()),
        title: "Acier : Ottawa et Washington reprennent les pourparlers".into(),
        authors: vec!["Claire Bouchard".into(), "Luc Martel".into()],
        published: Some("2026-11-24".into()),
        url: Some("https://exemple.ca/fil/acier?edition=soir".into()),
        page: Some(3),
    };
    let brief = Citation {
        outlet: Some("Trade Policy Quarterly".into()),
        title: "Aluminum quotas after the joint review".into(),
        authors: vec!["Sam Park".into()],
        published: Some("2026-10-01".into()),
        url: Some("https://example.org/reports/quotas.pdf".into()),
        page: None,
    };
    BriefingDocument {
        lang: Lang::Fr,
        marking: Marking::Unclassified,
        addressee: Some("la ministre du Commerce international".into()),
        file_number: Some("NB-2026-0211".into()),
        date: Some("2026-12-01".into()),
        title: "Canada–US steel and aluminum talks: next round".into(),
        title_fr: Some(
            "Négociations Canada–États-Unis sur l’acier et l’aluminium : prochaine ronde".into(),
        ),
        purpose: Purpose::Decision,
        deadline: Some("2026-12-02".into()),
        sections: vec![
            section(
                SectionKind::Summary,
                "- Les pourparlers reprennent **secteur par secteur** : l’acier d’abord.\n\
                 - Les producteurs demandent « une exemption complète » des droits.",
                vec![],
            ),
            section(
                SectionKind::Issue,
                "Le Canada doit-il accepter un calendrier distinct pour l’aluminium ?",
                vec![],
            ),
            section(
                SectionKind::Background,
                "Le calendrier de l’examen conjoint est en ligne : https://exemple.ca/examen?annee=2026 ; \
                 le tableau des contingents porte le code `ACR-7 : v2`.",
                vec![],
            ),
            section(
                SectionKind::CurrentStatus,
                "",
                vec![
                    excerpt(
                        Some("Acier"),
                        "Les négociateurs se sont entendus sur un point : l’acier sera traité en premier.",
                        "Premier signe public d’une approche **séquentielle** !",
                        communique.clone(),
                    ),
                    excerpt(
                        Some("Aluminium"),
                        "Officials said: quotas would be reviewed every quarter.",
                        "Citation en anglais, laissée telle quelle.",
                        brief,
                    ),
                ],
            ),
            section(
                SectionKind::Considerations,
                "Un accord par secteur favorise ceux où le Canada a le plus de poids.",
                vec![],
            ),
            section(
                SectionKind::Options,
                "1. Accepter le calendrier.\n2. Exiger un accord global.",
                vec![],
            ),
            section(
                SectionKind::Recommendation,
                "Option 1 : accepter, avec une date ferme pour l’aluminium.",
                vec![],
            ),
            section(
                SectionKind::NextSteps,
                "- Confirmer le calendrier avec le USTR d’ici le 15 décembre.",
                vec![excerpt(
                    None,
                    "Les producteurs d’acier ont salué la nouvelle.",
                    "",
                    communique,
                )],
            ),
        ],
        prepared_by: Contact {
            name: Some("Élise Côté".into()),
            title: Some(
                "Analyste principale des politiques, Direction de la politique commerciale".into(),
            ),
            phone: Some("613-555-0143".into()),
        },
        approved_by: Contact {
            name: Some("Marc Tremblay".into()),
            title: Some("Directeur général".into()),
            phone: None,
        },
        decision: Some(Decision {
            maker: Some("la ministre".into()),
            outcome: None,
            decided_on: None,
            comments: None,
        }),
    }
}

/// The French note long enough to run over several pages.
pub fn long_french_note(n: usize) -> BriefingDocument {
    let mut doc = french_note();
    doc.sections[3].excerpts = (0..n)
        .map(|i| {
            excerpt(
                Some(if i < n / 2 { "Acier" } else { "Aluminium" }),
                &format!(
                    "Passage {i} : les fonctionnaires d’Ottawa et de Washington ont affirmé que le \
                     dossier serait réglé avant l’examen conjoint, une affirmation que les \
                     associations industrielles du Québec et de l’Ontario ont accueillie avec prudence."
                ),
                &format!("Pourquoi le passage {i} compte : il date l’accord."),
                wire(
                    &format!("Dépêche {i} sur les pourparlers"),
                    "Le Fil économique",
                    &format!("2026-11-{:02}", 1 + i % 28),
                    &format!("https://exemple.ca/fil/{i}"),
                ),
            )
        })
        .collect();
    // Dense with marks after a space: were those spaces breakable, some line would start
    // with ":" or "»", or end with "«".
    doc.sections[4].text = (0..80)
        .map(|k| format!("terme{k} : « cité{k} » ; suite{k} ?"))
        .collect::<Vec<_>>()
        .join(" ");
    doc
}

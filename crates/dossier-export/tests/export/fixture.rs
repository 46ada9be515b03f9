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

//! The sample workspace: six short wire-style articles on Canada–US tariff talks, in English and
//! French, with the excerpts, tags and follow-ups an analyst would have made of them — so a
//! first-time user can try every part of the app within a minute.
//!
//! The articles are fictional, written for Dossier (samples/*.txt); the people and most outlets
//! in them are invented. Everything is loaded through the ordinary [`Workspace`] methods, so the
//! sample exercises the same rules as an analyst's own work. Due dates are counted from `now`,
//! so the sample always has one overdue follow-up and the others still ahead.

use dossier_core::briefing::{
    BriefingPatch, Contact, Marking, NewBriefing, Purpose, SectionKind, SectionPatch,
};
use dossier_core::{ExcerptTarget, FollowUpStatus, NewFollowUp, NewSource, TagSpec};

use crate::Workspace;
use crate::error::{Result, StoreError};

struct Article {
    title: &'static str,
    outlet: &'static str,
    authors: &'static [&'static str],
    published: &'static str,
    lang: &'static str,
    url: &'static str,
    tags: &'static [&'static str],
    body: &'static str,
    /// (quote, note, tags)
    excerpts: &'static [(&'static str, &'static str, &'static [&'static str])],
}

const ARTICLES: &[Article] = &[
    Article {
        title: "Ottawa and Washington open sector-by-sector tariff talks",
        outlet: "Northern Wire",
        authors: &["Jeanne Roy"],
        published: "2025-03-11",
        lang: "en",
        url: "https://example.org/northern-wire/sector-talks",
        tags: &["actor/canada", "actor/united-states"],
        body: include_str!("../samples/01-sector-talks.en.txt"),
        excerpts: &[
            (
                "sector deals are being negotiated one by one, starting with steel and aluminum",
                "First public signal that the talks are sectoral, not a single package.",
                &["theme/sector-deals", "sector/steel", "sector/aluminum"],
            ),
            (
                "Washington wanted \"verifiable limits\" on Canadian exports before any duty is lifted",
                "Points to a quota rather than an exemption.",
                &["instrument/quota", "actor/united-states"],
            ),
            (
                "Every deal you close early is leverage you no longer have for the hard files — dairy, lumber and the auto rules.",
                "The strategic cost of going sector by sector.",
                &["theme/sector-deals", "sector/dairy", "sector/forestry"],
            ),
        ],
    },
    Article {
        title: "Acier : Ottawa propose un contingent tarifaire à Washington",
        outlet: "Le Fil économique",
        authors: &["Mathieu Gagnon"],
        published: "2025-03-18",
        lang: "fr",
        url: "https://example.org/fil-economique/contingent-acier",
        tags: &["sector/steel"],
        body: include_str!("../samples/02-contingent-acier.fr.txt"),
        excerpts: &[
            (
                "les exportations d'acier sous un plafond annuel fixé à partir de la moyenne des années 2022 à 2024 entreraient aux États-Unis sans droits de douane",
                "The shape of Canada's steel offer: a duty-free quota based on 2022–2024.",
                &["sector/steel", "instrument/quota", "instrument/tariff"],
            ),
            (
                "à condition qu'il soit propre au Canada et non global",
                "Industry will only back a Canada-specific quota.",
                &["sector/steel", "instrument/quota"],
            ),
            (
                "Ils craignent que l'aluminium soit traité plus tard",
                "Risk that aluminum loses leverage once steel is settled.",
                &["sector/aluminum", "theme/sector-deals"],
            ),
        ],
    },
    Article {
        title: "Softwood lumber duties loom over talks as B.C. mills cut shifts",
        outlet: "Maple Wire",
        authors: &["Tom Whitford"],
        published: "2025-04-02",
        lang: "en",
        url: "https://example.org/maple-wire/lumber-shifts",
        tags: &["sector/forestry"],
        body: include_str!("../samples/03-softwood-lumber.en.txt"),
        excerpts: &[
            (
                "anti-dumping and countervailing duties that together exceed 14 per cent, on top of any new tariff",
                "Combined duty level to cite in the briefing.",
                &["sector/forestry", "instrument/tariff"],
            ),
            (
                "Canadian officials have said only that \"every irritant is on the table,\" while U.S. officials describe lumber as a separate matter",
                "The two capitals disagree on whether lumber is in scope.",
                &["sector/forestry", "theme/sector-deals"],
            ),
        ],
    },
    Article {
        title: "Automakers press for rules-of-origin clarity before CUSMA review",
        outlet: "Great Lakes Trade Report",
        authors: &["Alicia Moreno", "Kevin Tran"],
        published: "2025-04-16",
        lang: "en",
        url: "https://example.org/great-lakes/rules-of-origin",
        tags: &["sector/automotive"],
        body: include_str!("../samples/04-autos-rules-of-origin.en.txt"),
        excerpts: &[
            (
                "a vehicle must contain 75 per cent North American content to cross the border duty-free",
                "The rule automakers want settled.",
                &["sector/automotive", "instrument/cusma-review"],
            ),
            (
                "autos are now the third sector under discussion, after steel and aluminum, with critical minerals expected to follow",
                "Answers which sectors are in the talks, and in what order.",
                &[
                    "theme/sector-deals",
                    "sector/automotive",
                    "sector/critical-minerals",
                ],
            ),
        ],
    },
    Article {
        title: "Produits laitiers : la gestion de l'offre n'est pas sur la table, répète Ottawa",
        outlet: "Le Courrier parlementaire",
        authors: &["Isabelle Fortin"],
        published: "2025-05-06",
        lang: "fr",
        url: "https://example.org/courrier/gestion-offre",
        tags: &["sector/dairy", "actor/canada"],
        body: include_str!("../samples/05-gestion-offre.fr.txt"),
        excerpts: &[
            (
                "Nous avons une loi qui interdit de céder de nouveaux accès au marché laitier, et nous la respecterons",
                "Ottawa's legal red line on dairy.",
                &["sector/dairy", "actor/canada"],
            ),
            (
                "si les États-Unis lient le dossier laitier à celui de l'automobile lors de l'examen conjoint de l'ACEUM",
                "Watch for a dairy–autos linkage at the review.",
                &[
                    "sector/dairy",
                    "sector/automotive",
                    "instrument/cusma-review",
                ],
            ),
        ],
    },
    Article {
        title: "CUSMA joint review: what the July 2026 date means for the tariff talks",
        outlet: "Northern Wire",
        authors: &["Jeanne Roy"],
        published: "2025-05-20",
        lang: "en",
        url: "https://example.org/northern-wire/joint-review-explainer",
        tags: &["instrument/cusma-review"],
        body: include_str!("../samples/06-joint-review-explainer.en.txt"),
        excerpts: &[
            (
                "The CUSMA joint review formally begins on July 1, 2026",
                "The date to put in every briefing.",
                &["instrument/cusma-review"],
            ),
            (
                "Officials in Ottawa increasingly treat the sector talks as a rehearsal for the review.",
                "Links the sector talks to the review.",
                &["theme/sector-deals", "instrument/cusma-review"],
            ),
            (
                "Rules of origin for autos, dairy market access, digital services, and energy",
                "The files expected to dominate the review.",
                &[
                    "instrument/cusma-review",
                    "sector/automotive",
                    "sector/dairy",
                    "sector/digital-services",
                    "sector/energy",
                ],
            ),
        ],
    },
];

/// A follow-up of the sample: the question, the (article, excerpt) pairs it concerns, its due
/// date in days from today, and how it ends.
struct Question {
    text: &'static str,
    about: &'static [(usize, usize)],
    due_in_days: Option<i64>,
    owner: Option<&'static str>,
    outcome: Outcome,
}

enum Outcome {
    Open,
    Answered(&'static str, &'static [(usize, usize)]),
    Dropped,
}

const QUESTIONS: &[Question] = &[
    Question {
        text: "Which strategic sectors are under discussion beyond steel and aluminum?",
        about: &[(0, 0)],
        due_in_days: Some(-20),
        owner: Some("J. Roy"),
        outcome: Outcome::Answered(
            "Autos are third, with critical minerals expected next because of EV batteries.",
            &[(3, 1)],
        ),
    },
    Question {
        text: "When does the CUSMA joint review formally start?",
        about: &[(3, 0)],
        due_in_days: None,
        owner: None,
        outcome: Outcome::Answered(
            "On July 1, 2026, six years after entry into force.",
            &[(5, 0)],
        ),
    },
    Question {
        text: "Will the steel quota be specific to Canada or global?",
        about: &[(1, 0), (1, 1)],
        due_in_days: Some(10),
        owner: Some("M. Gagnon"),
        outcome: Outcome::Open,
    },
    Question {
        text: "Is softwood lumber part of the sector talks or a separate track?",
        about: &[(2, 1)],
        due_in_days: Some(-3),
        owner: Some("Policy unit"),
        outcome: Outcome::Open,
    },
    Question {
        text: "Does Ottawa's dairy position hold if Washington links it to autos at the review?",
        about: &[(4, 0), (4, 1)],
        due_in_days: Some(21),
        owner: None,
        outcome: Outcome::Open,
    },
    Question {
        text: "Is a digital services tax concession on the table?",
        about: &[],
        due_in_days: None,
        owner: None,
        outcome: Outcome::Dropped,
    },
];

/// Fills `ws` with the sample articles, excerpts, tags and follow-ups. Meant for an empty
/// workspace: on one that already holds an article, it stops at that article as a duplicate.
pub fn load(ws: &mut Workspace, now: &str) -> Result<()> {
    let today = day_number(now)?;
    ws.add_tag(
        "theme/sector-deals",
        TagSpec {
            label: Some("Sector deals".into()),
            label_fr: Some("Ententes sectorielles".into()),
            add_aliases: vec!["sectoral".into(), "sectoriel".into()],
            remove_aliases: vec![],
            color: Some("#00796b".into()),
        },
        now,
    )?;

    let mut excerpt_ids: Vec<Vec<i64>> = Vec::new();
    for article in ARTICLES {
        let added = ws.add_source(
            NewSource {
                title: article.title.into(),
                outlet: Some(article.outlet.into()),
                authors: article.authors.iter().map(|a| (*a).into()).collect(),
                published: Some(article.published.into()),
                url: Some(article.url.into()),
                lang: Some(article.lang.into()),
                notes: String::new(),
                origin: None,
                tags: article.tags.iter().map(|t| (*t).into()).collect(),
                body: article.body.into(),
                marking: Default::default(),
            },
            now,
        )?;
        let mut ids = Vec::new();
        for (quote, note, tags) in article.excerpts {
            let tags: Vec<String> = tags.iter().map(|t| (*t).into()).collect();
            let target = ExcerptTarget::Quote {
                quote: (*quote).into(),
                occurrence: None,
            };
            ids.push(ws.add_excerpt(added.id, target, note, &tags, now)?.id);
        }
        excerpt_ids.push(ids);
    }

    let excerpt = |(article, index): (usize, usize)| -> Result<i64> {
        excerpt_ids
            .get(article)
            .and_then(|ids| ids.get(index))
            .copied()
            .ok_or_else(|| StoreError::invalid("the sample refers to an excerpt it does not have"))
    };
    for question in QUESTIONS {
        let followup = ws.add_followup(
            NewFollowUp {
                text: question.text.into(),
                excerpt_ids: question
                    .about
                    .iter()
                    .map(|&pair| excerpt(pair))
                    .collect::<Result<_>>()?,
                source_ids: vec![],
                tags: vec![],
                due: question.due_in_days.map(|d| date_of_day(today + d)),
                owner: question.owner.map(Into::into),
            },
            now,
        )?;
        match &question.outcome {
            Outcome::Open => {}
            Outcome::Answered(answer, supporting) => {
                let ids = supporting
                    .iter()
                    .map(|&pair| excerpt(pair))
                    .collect::<Result<Vec<_>>>()?;
                ws.answer_followup(followup.id, answer, &ids, now)?;
            }
            Outcome::Dropped => {
                ws.set_followup_status(followup.id, FollowUpStatus::Dropped, now)?;
            }
        }
    }

    // A draft note, as "New briefing from this search" would start one, with the header an
    // analyst fills first: the composer has something to show on a first tour.
    let draft = ws.draft_briefing_from_query(
        "#steel OR #aluminum",
        &NewBriefing {
            title: "Steel and aluminum: where the talks stand".into(),
            title_fr: Some("Acier et aluminium : où en sont les négociations".into()),
            marking: Marking::Unclassified,
            addressee: Some("the Deputy Minister".into()),
            purpose: Purpose::Information,
            date: Some(date_of_day(today)),
            prepared_by: Contact {
                name: Some("Sample Analyst".into()),
                title: Some("Policy Analyst, Trade Policy".into()),
                phone: None,
            },
            ..NewBriefing::default()
        },
        now,
    )?;
    let mut summary = SectionPatch::new(SectionKind::Summary);
    summary.text = Some(
        "Talks open with the metals, sector by sector; the tariff stays until a quota is agreed."
            .into(),
    );
    ws.edit_briefing(
        draft.id,
        &BriefingPatch {
            sections: vec![summary],
            ..BriefingPatch::default()
        },
        now,
    )?;
    Ok(())
}

/// Days since 1970-01-01 of the date at the start of an RFC 3339 time.
fn day_number(now: &str) -> Result<i64> {
    let bad = || StoreError::invalid(format!("\"{now}\" is not an RFC 3339 time"));
    let date = now.get(..10).ok_or_else(bad)?;
    let mut parts = date.split('-').map(|p| p.parse::<i64>());
    let (Some(Ok(y)), Some(Ok(m)), Some(Ok(d))) = (parts.next(), parts.next(), parts.next()) else {
        return Err(bad());
    };
    // Howard Hinnant's days_from_civil.
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * (m + if m > 2 { -3 } else { 9 }) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    Ok(era * 146_097 + doe - 719_468)
}

/// `YYYY-MM-DD` of a day number (Hinnant's civil_from_days).
fn date_of_day(days: i64) -> String {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn day_arithmetic_crosses_months_years_and_leap_days() {
        let day = day_number("2024-02-28T10:00:00Z").unwrap();
        assert_eq!(date_of_day(day), "2024-02-28");
        assert_eq!(date_of_day(day + 1), "2024-02-29");
        assert_eq!(date_of_day(day + 2), "2024-03-01");
        assert_eq!(
            date_of_day(day_number("2025-12-30T00:00:00Z").unwrap() + 3),
            "2026-01-02"
        );
        assert_eq!(day_number("1970-01-01T00:00:00Z").unwrap(), 0);
    }

    #[test]
    fn the_sample_loads_with_one_overdue_open_follow_up() {
        let dir = tempfile::tempdir().unwrap();
        let mut ws = Workspace::open(&dir.path().join("sample.sqlite")).unwrap();
        let now = "2026-11-26T12:00:00Z";

        load(&mut ws, now).unwrap();

        let sources = ws.list_sources().unwrap();
        assert_eq!(sources.len(), ARTICLES.len(), "every article is a source");
        assert!(
            sources.iter().any(|s| s.lang.as_deref() == Some("fr")),
            "the sample is bilingual"
        );
        let excerpts = ws.list_excerpts(&Default::default()).unwrap();
        assert_eq!(
            excerpts.len(),
            ARTICLES.iter().map(|a| a.excerpts.len()).sum::<usize>()
        );
        let followups = ws.list_followups(None).unwrap();
        let overdue: Vec<_> = followups
            .iter()
            .filter(|f| f.status == FollowUpStatus::Open)
            .filter(|f| f.due.as_deref().is_some_and(|d| d < "2026-11-26"))
            .collect();
        assert_eq!(overdue.len(), 1, "exactly one open follow-up is overdue");
        assert_eq!(
            followups
                .iter()
                .filter(|f| f.status == FollowUpStatus::Answered)
                .count(),
            2
        );
        assert!(
            followups
                .iter()
                .filter(|f| f.status == FollowUpStatus::Answered)
                .all(|f| !f.answer_excerpt_ids.is_empty()),
            "answers are linked to the excerpts that settled them"
        );
        let hits = ws
            .search("#acier", &crate::search::SearchOptions::default())
            .unwrap();
        assert!(
            hits.total > 0,
            "the sample is searchable by French tag names"
        );
    }
}

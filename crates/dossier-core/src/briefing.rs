//! Briefing notes: the structured fields a Government of Canada department expects (security
//! marking, addressee, file number, date, bilingual title, purpose line), the eight sections in
//! their fixed order, each holding Markdown text and an ordered list of excerpts, the
//! prepared-by / approved-by blocks and, for decision notes, the decision block — plus the
//! [`BriefingDocument`] that the exporters turn into bytes, and the one citation style.
//!
//! The decision a reader might question: a briefing item keeps working after its excerpt is
//! deleted. The store freezes a copy of the quote, note and citation into the item at that
//! moment, and the item says so ([`ItemStatus::Detached`]), rather than vanishing from a note the
//! analyst may already have circulated, or pointing at another passage. An item whose excerpt is
//! live always shows the excerpt's current quote, note and source metadata.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::{IsoDate, Lang};

/// Folds a keyword the way the CLI accepts it: any case, `-`, `_` or spaces between words.
fn keyword(s: &str) -> String {
    s.trim()
        .to_lowercase()
        .split(|c: char| c == '-' || c == '_' || c.is_whitespace())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The security marking printed at the top of every page, and carried by sources and excerpts.
/// Ordered from least to most sensitive, so `max` is the marking a note quoting both needs.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, TS,
)]
#[serde(rename_all = "snake_case")]
pub enum Marking {
    #[default]
    Unclassified,
    ProtectedA,
    ProtectedB,
}

impl Marking {
    pub const ALL: [Marking; 3] = [
        Marking::Unclassified,
        Marking::ProtectedA,
        Marking::ProtectedB,
    ];

    /// The JSON and database spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Marking::Unclassified => "unclassified",
            Marking::ProtectedA => "protected_a",
            Marking::ProtectedB => "protected_b",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Marking::Unclassified => "UNCLASSIFIED",
            Marking::ProtectedA => "PROTECTED A",
            Marking::ProtectedB => "PROTECTED B",
        }
    }

    pub fn label_fr(self) -> &'static str {
        match self {
            Marking::Unclassified => "NON CLASSIFIÉ",
            Marking::ProtectedA => "PROTÉGÉ A",
            Marking::ProtectedB => "PROTÉGÉ B",
        }
    }

    /// What the page header carries: both official languages, as federal notes mark them.
    pub fn header(self) -> String {
        self.header_in(Lang::En)
    }

    /// The bilingual header with the note's language first: "NON CLASSIFIÉ / UNCLASSIFIED" on
    /// a French note.
    pub fn header_in(self, lang: Lang) -> String {
        match lang {
            Lang::En => format!("{} / {}", self.label(), self.label_fr()),
            Lang::Fr => format!("{} / {}", self.label_fr(), self.label()),
        }
    }
}

impl fmt::Display for Marking {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

impl FromStr for Marking {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match keyword(s).as_str() {
            "unclassified" => Ok(Marking::Unclassified),
            "protected a" => Ok(Marking::ProtectedA),
            "protected b" => Ok(Marking::ProtectedB),
            _ => Err(format!(
                "\"{s}\" is not a security marking; use unclassified, protected-a or protected-b"
            )),
        }
    }
}

/// What the note asks of its reader: the purpose (action) line.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Purpose {
    Decision,
    #[default]
    Information,
    Signature,
}

impl Purpose {
    pub fn as_str(self) -> &'static str {
        match self {
            Purpose::Decision => "decision",
            Purpose::Information => "information",
            Purpose::Signature => "signature",
        }
    }

    /// "For decision", as the purpose line reads.
    pub fn label(self) -> &'static str {
        match self {
            Purpose::Decision => "For decision",
            Purpose::Information => "For information",
            Purpose::Signature => "For signature",
        }
    }

    /// The purpose line in `lang`: "Pour décision" in French.
    pub fn label_in(self, lang: Lang) -> &'static str {
        match (lang, self) {
            (Lang::En, _) => self.label(),
            (Lang::Fr, Purpose::Decision) => "Pour décision",
            (Lang::Fr, Purpose::Information) => "Pour information",
            (Lang::Fr, Purpose::Signature) => "Pour signature",
        }
    }

    /// What the deadline after the purpose line says, before the date: "Decision needed by"
    /// (then "20 March 2025"), "Décision requise d’ici le" (then "20 mars 2025").
    pub fn deadline_lead_in(self, lang: Lang) -> &'static str {
        match (lang, self) {
            (Lang::En, Purpose::Decision) => "Decision needed by",
            (Lang::En, Purpose::Signature) => "Signature needed by",
            (Lang::En, Purpose::Information) => "Needed by",
            (Lang::Fr, Purpose::Decision) => "Décision requise d’ici le",
            (Lang::Fr, Purpose::Signature) => "Signature requise d’ici le",
            // An information note asks for no act, so no "requise": the date alone.
            (Lang::Fr, Purpose::Information) => "Échéance\u{a0}:",
        }
    }
}

impl fmt::Display for Purpose {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Purpose {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match keyword(s).trim_start_matches("for ") {
            "decision" => Ok(Purpose::Decision),
            "information" | "info" => Ok(Purpose::Information),
            "signature" => Ok(Purpose::Signature),
            _ => Err(format!(
                "\"{s}\" is not a purpose; use decision, information or signature"
            )),
        }
    }
}

/// The sections of a note, in the order a department expects them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum SectionKind {
    Summary,
    Issue,
    Background,
    CurrentStatus,
    Considerations,
    Options,
    Recommendation,
    NextSteps,
}

impl SectionKind {
    pub const ALL: [SectionKind; 8] = [
        SectionKind::Summary,
        SectionKind::Issue,
        SectionKind::Background,
        SectionKind::CurrentStatus,
        SectionKind::Considerations,
        SectionKind::Options,
        SectionKind::Recommendation,
        SectionKind::NextSteps,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            SectionKind::Summary => "summary",
            SectionKind::Issue => "issue",
            SectionKind::Background => "background",
            SectionKind::CurrentStatus => "current_status",
            SectionKind::Considerations => "considerations",
            SectionKind::Options => "options",
            SectionKind::Recommendation => "recommendation",
            SectionKind::NextSteps => "next_steps",
        }
    }

    pub fn heading(self) -> &'static str {
        match self {
            SectionKind::Summary => "Summary",
            SectionKind::Issue => "Issue",
            SectionKind::Background => "Background",
            SectionKind::CurrentStatus => "Current Status",
            SectionKind::Considerations => "Considerations",
            SectionKind::Options => "Options",
            SectionKind::Recommendation => "Recommendation",
            SectionKind::NextSteps => "Next Steps",
        }
    }

    /// The heading in `lang`. The French ones are those of the Government of Canada's French
    /// briefing notes ("Enjeu" for the issue, as most departments head it).
    pub fn heading_in(self, lang: Lang) -> &'static str {
        match lang {
            Lang::En => self.heading(),
            Lang::Fr => match self {
                SectionKind::Summary => "Résumé",
                SectionKind::Issue => "Enjeu",
                SectionKind::Background => "Contexte",
                SectionKind::CurrentStatus => "Situation actuelle",
                SectionKind::Considerations => "Considérations",
                SectionKind::Options => "Options",
                SectionKind::Recommendation => "Recommandation",
                SectionKind::NextSteps => "Prochaines étapes",
            },
        }
    }

    /// 0-based place in [`SectionKind::ALL`].
    pub fn index(self) -> usize {
        SectionKind::ALL
            .iter()
            .position(|k| *k == self)
            .expect("every kind is in ALL")
    }
}

impl fmt::Display for SectionKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for SectionKind {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let k = keyword(s);
        SectionKind::ALL
            .into_iter()
            .find(|kind| keyword(kind.as_str()) == k)
            .ok_or_else(|| {
                format!(
                    "\"{s}\" is not a section; use one of {}",
                    SectionKind::ALL
                        .iter()
                        .map(|k| k.as_str().replace('_', "-"))
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            })
    }
}

/// A person in the prepared-by or approved-by block. Every part is optional.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct Contact {
    pub name: Option<String>,
    /// Their position: "Senior Policy Analyst, Trade Policy Directorate".
    pub title: Option<String>,
    pub phone: Option<String>,
}

impl Contact {
    pub fn is_empty(&self) -> bool {
        self.name.is_none() && self.title.is_none() && self.phone.is_none()
    }
}

/// Changes to a contact block; `None` leaves a part as it is, `Some("")` clears it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct ContactPatch {
    pub name: Option<String>,
    pub title: Option<String>,
    pub phone: Option<String>,
}

impl ContactPatch {
    pub fn is_empty(&self) -> bool {
        self.name.is_none() && self.title.is_none() && self.phone.is_none()
    }
}

/// What came back on a decision note, once the decision maker has ticked a box.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum DecisionOutcome {
    Approved,
    NotApproved,
    ApprovedWithChanges,
}

impl DecisionOutcome {
    pub const ALL: [DecisionOutcome; 3] = [
        DecisionOutcome::Approved,
        DecisionOutcome::NotApproved,
        DecisionOutcome::ApprovedWithChanges,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            DecisionOutcome::Approved => "approved",
            DecisionOutcome::NotApproved => "not_approved",
            DecisionOutcome::ApprovedWithChanges => "approved_with_changes",
        }
    }

    /// The box's caption in the decision block.
    pub fn label(self) -> &'static str {
        match self {
            DecisionOutcome::Approved => "Approved",
            DecisionOutcome::NotApproved => "Not approved",
            DecisionOutcome::ApprovedWithChanges => "Approved with changes",
        }
    }

    /// The caption in `lang`. The English captions are past participles (what was decided),
    /// so the French ones are too: "Approuvé", not "J’approuve".
    pub fn label_in(self, lang: Lang) -> &'static str {
        match lang {
            Lang::En => self.label(),
            Lang::Fr => match self {
                DecisionOutcome::Approved => "Approuvé",
                DecisionOutcome::NotApproved => "Non approuvé",
                DecisionOutcome::ApprovedWithChanges => "Approuvé avec modifications",
            },
        }
    }
}

impl FromStr for DecisionOutcome {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let k = keyword(s);
        DecisionOutcome::ALL
            .into_iter()
            .find(|o| keyword(o.as_str()) == k)
            .ok_or_else(|| {
                format!(
                    "\"{s}\" is not a decision; use approved, not-approved or approved-with-changes"
                )
            })
    }
}

/// The decision block of a decision note: who decides, and (once known) what they decided.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct Decision {
    /// Who signs: "Minister of International Trade".
    pub maker: Option<String>,
    pub outcome: Option<DecisionOutcome>,
    /// `YYYY-MM-DD`.
    pub decided_on: Option<String>,
    pub comments: Option<String>,
}

/// Changes to the decision block; `Some("")` clears a part.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct DecisionPatch {
    pub maker: Option<String>,
    /// `approved`, `not_approved`, `approved_with_changes`, or `""` to clear.
    pub outcome: Option<String>,
    pub decided_on: Option<String>,
    pub comments: Option<String>,
}

impl DecisionPatch {
    pub fn is_empty(&self) -> bool {
        self.maker.is_none()
            && self.outcome.is_none()
            && self.decided_on.is_none()
            && self.comments.is_none()
    }
}

/// Where a quote comes from, as far as it is known.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct Citation {
    pub outlet: Option<String>,
    pub title: String,
    pub authors: Vec<String>,
    /// `YYYY-MM-DD`.
    pub published: Option<String>,
    pub url: Option<String>,
    /// The page of a paged source (PDF), when the import recorded it.
    pub page: Option<u32>,
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

const MOIS: [&str; 12] = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
];

/// `2025-03-14` → `14 March 2025`, the form Canadian federal documents write dates in English.
/// Anything that is not a date is returned as it is.
pub fn long_date(iso: &str) -> String {
    long_date_in(iso, Lang::En)
}

/// [`long_date`] in `lang`: `14 mars 2025` and `1er décembre 2024` in French (the first of the
/// month is an ordinal in French, every other day a cardinal; months take no capital).
pub fn long_date_in(iso: &str, lang: Lang) -> String {
    match (iso.parse::<IsoDate>(), lang) {
        (Ok(d), Lang::En) => format!("{} {} {}", d.day, MONTHS[d.month as usize - 1], d.year),
        (Ok(d), Lang::Fr) if d.day == 1 => {
            format!("1er {} {}", MOIS[d.month as usize - 1], d.year)
        }
        (Ok(d), Lang::Fr) => format!("{} {} {}", d.day, MOIS[d.month as usize - 1], d.year),
        (Err(_), _) => iso.to_string(),
    }
}

fn join_names(names: &[String], lang: Lang) -> Option<String> {
    let and = match lang {
        Lang::En => "and",
        Lang::Fr => "et",
    };
    match names {
        [] => None,
        [one] => Some(one.clone()),
        [a, b] => Some(format!("{a} {and} {b}")),
        // No serial comma in either language's citation style.
        [a, b, c] => Some(format!("{a}, {b} {and} {c}")),
        // "et al." is Latin, and French bibliographies use it too.
        [first, ..] => Some(format!("{first} et al.")),
    }
}

impl Citation {
    /// The citation without its URL, in the one style every format uses:
    /// `Jeanne Roy and Sam Park, “Title,” Maple Wire, 14 March 2025, p. 3`.
    /// Exporters append the URL as a link, then a full stop.
    pub fn lead(&self, with_page: bool) -> String {
        self.lead_in(with_page, Lang::En)
    }

    /// [`Citation::lead`] in `lang`. In French: "et" between authors, the title in « » with
    /// non-breaking spaces (U+00A0) inside, the date in French:
    /// `Jeanne Roy et Sam Park, « Titre », Maple Wire, 14 mars 2025, p. 3`.
    pub fn lead_in(&self, with_page: bool, lang: Lang) -> String {
        let mut parts: Vec<String> = Vec::new();
        if let Some(names) = join_names(&self.authors, lang) {
            parts.push(names);
        }
        parts.push(match lang {
            Lang::En => format!("“{}”", self.title),
            Lang::Fr => format!("«\u{a0}{}\u{a0}»", self.title),
        });
        // A wire story credited to its agency names the agency as author and outlet both:
        // "The Canadian Press, “Title”, The Canadian Press" says it once too often.
        if let Some(outlet) = self
            .outlet
            .as_ref()
            .filter(|o| !self.outlet_is_author(o, lang))
        {
            parts.push(outlet.clone());
        }
        if let Some(date) = &self.published {
            parts.push(long_date_in(date, lang));
        }
        if let Some(page) = self.page.filter(|_| with_page) {
            // "p. 3" in both languages; the space is non-breaking in French typography.
            parts.push(match lang {
                Lang::En => format!("p. {page}"),
                Lang::Fr => format!("p.\u{a0}{page}"),
            });
        }
        parts.join(", ")
    }

    /// Whether the author list is the outlet itself, written alike but for case, a leading
    /// article ("The", "La", "Le", "Les", "L'") and punctuation.
    fn outlet_is_author(&self, outlet: &str, lang: Lang) -> bool {
        let Some(names) = join_names(&self.authors, lang) else {
            return false;
        };
        let outlet = crate::text::bare_name(outlet);
        !outlet.is_empty() && crate::text::bare_name(&names) == outlet
    }

    /// The whole citation as plain text, URL included.
    pub fn plain(&self, with_page: bool) -> String {
        self.plain_in(with_page, Lang::En)
    }

    /// [`Citation::plain`] in `lang`.
    pub fn plain_in(&self, with_page: bool, lang: Lang) -> String {
        match &self.url {
            Some(url) => format!("{}, {url}.", self.lead_in(with_page, lang)),
            None => format!("{}.", self.lead_in(with_page, lang)),
        }
    }

    /// The source this citation names, without the page: two quotes from one article share it.
    pub fn source_key(&self) -> Citation {
        Citation {
            page: None,
            ..self.clone()
        }
    }
}

/// Makes one line of plain text safe inside Markdown: it reads back as the same text, never as
/// emphasis, a link, HTML, a list or a heading. Line breaks become spaces (callers split
/// paragraphs themselves). Only characters that could mean something are escaped, so the file
/// stays readable.
pub fn escape_markdown(text: &str) -> String {
    let flat = crate::text::one_line(text);
    let mut out = String::with_capacity(flat.len() + 8);
    for c in flat.chars() {
        if matches!(
            c,
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '&' | '|' | '~' | '#' | '!' | '$'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    // At the start of a line, `-`, `+`, `=` or `1.` / `1)` would start a list or an underline.
    let first = out.chars().next();
    if matches!(first, Some('-' | '+' | '=')) {
        out.insert(0, '\\');
    } else if first.is_some_and(|c| c.is_ascii_digit()) {
        let digits = out.chars().take_while(char::is_ascii_digit).count();
        if matches!(out[digits..].chars().next(), Some('.' | ')')) {
            out.insert(digits, '\\');
        }
    }
    out
}

/// Whether an item still follows its excerpt.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(rename = "BriefingItemStatus")]
pub enum ItemStatus {
    /// The excerpt exists and its quote is anchored in its source.
    Live,
    /// The excerpt exists, but a re-import could not place its quote in the source's new text.
    Orphaned,
    /// The excerpt was deleted; the item shows the copy frozen at that moment.
    Detached,
}

/// An excerpt placed in a section, with what the note will print for it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct BriefingItem {
    /// The item's own id: it survives the excerpt's deletion.
    pub id: i64,
    /// Its global id (a UUIDv7): the same on every replica of a team workspace, unlike `id`.
    pub uid: String,
    /// `null` once the excerpt has been deleted.
    pub excerpt_id: Option<i64>,
    pub source_id: Option<i64>,
    /// A sub-heading the item sits under inside its section (a draft groups by sector).
    pub group: Option<String>,
    pub quote: String,
    /// The excerpt's note (Markdown): why the passage matters.
    pub note: String,
    pub citation: Citation,
    pub status: ItemStatus,
    /// The marking of what it quotes (the excerpt's, else its source's; frozen with the quote
    /// when the excerpt is deleted): the note must be marked at least this high.
    #[serde(default)]
    pub marking: Marking,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct BriefingSection {
    pub kind: SectionKind,
    /// Markdown.
    pub text: String,
    pub items: Vec<BriefingItem>,
}

impl BriefingSection {
    pub fn is_empty(&self) -> bool {
        self.text.trim().is_empty() && self.items.is_empty()
    }
}

/// A briefing note as stored and edited.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Briefing {
    pub id: i64,
    /// Its global id (a UUIDv7): the same on every replica of a team workspace, unlike `id`.
    pub uid: String,
    pub marking: Marking,
    /// "the Minister of International Trade": the header reads "MEMORANDUM TO" and this.
    pub addressee: Option<String>,
    /// File or BN number.
    pub file_number: Option<String>,
    /// `YYYY-MM-DD`.
    pub date: Option<String>,
    pub title: String,
    pub title_fr: Option<String>,
    /// The language the note is written in: every fixed word of its export follows it.
    pub lang: Lang,
    pub purpose: Purpose,
    /// `YYYY-MM-DD`: when the decision or signature is needed.
    pub deadline: Option<String>,
    /// All eight, in [`SectionKind::ALL`] order, empty ones included.
    pub sections: Vec<BriefingSection>,
    pub prepared_by: Contact,
    pub approved_by: Contact,
    /// Kept whatever the purpose; printed on decision notes only.
    pub decision: Decision,
    pub created_at: String,
    pub updated_at: String,
}

impl Briefing {
    pub fn section(&self, kind: SectionKind) -> &BriefingSection {
        &self.sections[kind.index()]
    }

    /// The highest marking among the items it quotes (unclassified when it quotes none).
    pub fn content_marking(&self) -> Marking {
        self.sections
            .iter()
            .flat_map(|s| &s.items)
            .map(|i| i.marking)
            .max()
            .unwrap_or_default()
    }

    /// The items marked above the note's own marking: what an export would leak.
    pub fn items_above(&self, level: Marking) -> Vec<(SectionKind, &BriefingItem)> {
        self.sections
            .iter()
            .flat_map(|s| s.items.iter().map(move |i| (s.kind, i)))
            .filter(|(_, i)| i.marking > level)
            .collect()
    }

    /// Items whose excerpt is gone or no longer anchored: worth a look before circulating.
    pub fn items_needing_attention(&self) -> impl Iterator<Item = (SectionKind, &BriefingItem)> {
        self.sections.iter().flat_map(|s| {
            s.items
                .iter()
                .filter(|i| i.status != ItemStatus::Live)
                .map(move |i| (s.kind, i))
        })
    }
}

/// A briefing as listed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct BriefingSummary {
    pub id: i64,
    /// Its global id (a UUIDv7): the same on every replica of a team workspace, unlike `id`.
    pub uid: String,
    pub title: String,
    pub title_fr: Option<String>,
    pub lang: Lang,
    pub marking: Marking,
    pub purpose: Purpose,
    pub date: Option<String>,
    pub deadline: Option<String>,
    pub item_count: i64,
    pub updated_at: String,
}

/// The fields a new briefing starts with; its sections start empty.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct NewBriefing {
    pub title: String,
    pub title_fr: Option<String>,
    pub lang: Lang,
    pub marking: Marking,
    pub addressee: Option<String>,
    pub file_number: Option<String>,
    pub date: Option<String>,
    pub purpose: Purpose,
    pub deadline: Option<String>,
    pub prepared_by: Contact,
    pub approved_by: Contact,
    pub decision: Decision,
}

/// Changes to one section. Applied in this order: text, removals, additions, order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct SectionPatch {
    pub section: SectionKind,
    /// New Markdown text for the section.
    pub text: Option<String>,
    /// Items to take out, by item id (the only way to name a detached item).
    #[serde(default)]
    pub remove_items: Vec<i64>,
    /// Items to take out, by excerpt id.
    #[serde(default)]
    pub remove_excerpts: Vec<i64>,
    /// Excerpts to append, in this order. An excerpt already in the section is refused.
    #[serde(default)]
    pub add_excerpts: Vec<i64>,
    /// Where `add_excerpts` go instead of the end: the 0-based position among the section's
    /// items once the removals are done (past the end means last). Undoing a removal is one
    /// patch: add the excerpt back at its old index.
    #[serde(default)]
    pub insert_at: Option<usize>,
    /// The sub-heading given to the added excerpts.
    #[serde(default)]
    pub group: Option<String>,
    /// A new order, by item id: these come first, in this order; the rest keep theirs after.
    #[serde(default)]
    pub order_items: Option<Vec<i64>>,
    /// The same by excerpt id, for the command line.
    #[serde(default)]
    pub order_excerpts: Option<Vec<i64>>,
}

impl SectionPatch {
    pub fn new(section: SectionKind) -> SectionPatch {
        SectionPatch {
            section,
            text: None,
            remove_items: Vec::new(),
            remove_excerpts: Vec::new(),
            add_excerpts: Vec::new(),
            insert_at: None,
            group: None,
            order_items: None,
            order_excerpts: None,
        }
    }
}

/// Changes to a briefing; `None` leaves a field as it is, `Some("")` clears an optional one.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct BriefingPatch {
    pub title: Option<String>,
    pub title_fr: Option<String>,
    pub lang: Option<Lang>,
    pub marking: Option<Marking>,
    pub addressee: Option<String>,
    pub file_number: Option<String>,
    pub date: Option<String>,
    pub purpose: Option<Purpose>,
    pub deadline: Option<String>,
    pub prepared_by: ContactPatch,
    pub approved_by: ContactPatch,
    pub decision: DecisionPatch,
    pub sections: Vec<SectionPatch>,
}

/// One quoted excerpt as the exporters print it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct CitedExcerpt {
    pub group: Option<String>,
    pub quote: String,
    /// Markdown.
    pub note: String,
    pub citation: Citation,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct DocumentSection {
    pub kind: SectionKind,
    /// Markdown.
    pub text: String,
    pub excerpts: Vec<CitedExcerpt>,
}

/// Everything an export needs and nothing else (no ids, no timestamps): the same document
/// always exports to the same bytes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct BriefingDocument {
    /// Every fixed word of the export (headings, purpose line, page numbers, dates, citations)
    /// is in this language.
    pub lang: Lang,
    pub marking: Marking,
    pub addressee: Option<String>,
    pub file_number: Option<String>,
    pub date: Option<String>,
    pub title: String,
    pub title_fr: Option<String>,
    pub purpose: Purpose,
    pub deadline: Option<String>,
    /// The sections with something in them, in order.
    pub sections: Vec<DocumentSection>,
    pub prepared_by: Contact,
    pub approved_by: Contact,
    /// Present on decision notes only.
    pub decision: Option<Decision>,
}

impl From<&Briefing> for BriefingDocument {
    fn from(b: &Briefing) -> Self {
        BriefingDocument {
            lang: b.lang,
            marking: b.marking,
            addressee: b.addressee.clone(),
            file_number: b.file_number.clone(),
            date: b.date.clone(),
            title: b.title.clone(),
            title_fr: b.title_fr.clone(),
            purpose: b.purpose,
            deadline: b.deadline.clone(),
            sections: b
                .sections
                .iter()
                .filter(|s| !s.is_empty())
                .map(|s| DocumentSection {
                    kind: s.kind,
                    text: s.text.clone(),
                    excerpts: s
                        .items
                        .iter()
                        .map(|i| CitedExcerpt {
                            group: i.group.clone(),
                            quote: i.quote.clone(),
                            note: i.note.clone(),
                            citation: i.citation.clone(),
                        })
                        .collect(),
                })
                .collect(),
            prepared_by: b.prepared_by.clone(),
            approved_by: b.approved_by.clone(),
            decision: (b.purpose == Purpose::Decision).then(|| b.decision.clone()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    #[rstest]
    #[case("unclassified", Marking::Unclassified)]
    #[case("UNCLASSIFIED", Marking::Unclassified)]
    #[case("protected-a", Marking::ProtectedA)]
    #[case("Protected A", Marking::ProtectedA)]
    #[case("protected_b", Marking::ProtectedB)]
    fn markings_parse_in_any_spelling(#[case] input: &str, #[case] want: Marking) {
        assert_eq!(input.parse::<Marking>(), Ok(want));
    }

    #[rstest]
    #[case("secret")]
    #[case("protected")]
    #[case("")]
    fn unknown_markings_are_refused(#[case] input: &str) {
        assert!(input.parse::<Marking>().is_err());
    }

    #[rstest]
    #[case("decision", Purpose::Decision)]
    #[case("For decision", Purpose::Decision)]
    #[case("info", Purpose::Information)]
    #[case("SIGNATURE", Purpose::Signature)]
    fn purposes_parse(#[case] input: &str, #[case] want: Purpose) {
        assert_eq!(input.parse::<Purpose>(), Ok(want));
    }

    #[rstest]
    #[case("current-status", SectionKind::CurrentStatus)]
    #[case("Current Status", SectionKind::CurrentStatus)]
    #[case("next_steps", SectionKind::NextSteps)]
    #[case("summary", SectionKind::Summary)]
    fn sections_parse_by_slug_or_heading(#[case] input: &str, #[case] want: SectionKind) {
        assert_eq!(input.parse::<SectionKind>(), Ok(want));
    }

    #[test]
    fn every_section_kind_round_trips_and_knows_its_place() {
        for (i, kind) in SectionKind::ALL.into_iter().enumerate() {
            assert_eq!(kind.index(), i);
            assert_eq!(kind.as_str().parse::<SectionKind>(), Ok(kind));
            assert_eq!(kind.heading().parse::<SectionKind>(), Ok(kind));
        }
    }

    fn citation() -> Citation {
        Citation {
            outlet: Some("Maple Wire".into()),
            title: "Sector deals negotiated one by one".into(),
            authors: vec!["Jeanne Roy".into(), "Sam Park".into()],
            published: Some("2025-03-14".into()),
            url: Some("https://example.org/talks".into()),
            page: Some(3),
        }
    }

    #[rstest]
    #[case::everything(
        citation(),
        true,
        "Jeanne Roy and Sam Park, “Sector deals negotiated one by one”, Maple Wire, 14 March 2025, p. 3, https://example.org/talks."
    )]
    #[case::page_left_out(
        citation(),
        false,
        "Jeanne Roy and Sam Park, “Sector deals negotiated one by one”, Maple Wire, 14 March 2025, https://example.org/talks."
    )]
    #[case::title_only(Citation { title: "Communiqué".into(), ..Default::default() }, true, "“Communiqué”.")]
    #[case::agency_once(
        Citation { outlet: Some("The Canadian Press".into()), title: "Quota talks resume".into(), authors: vec!["The Canadian Press".into()], published: Some("2026-01-05".into()), ..Default::default() },
        true,
        "The Canadian Press, “Quota talks resume”, 5 January 2026."
    )]
    #[case::agency_once_written_differently(
        Citation { outlet: Some("Canadian Press".into()), title: "T".into(), authors: vec!["THE CANADIAN PRESS.".into()], ..Default::default() },
        true,
        "THE CANADIAN PRESS., “T”."
    )]
    #[case::agency_once_in_french(
        Citation { outlet: Some("La Presse Canadienne".into()), title: "T".into(), authors: vec!["Presse canadienne".into()], ..Default::default() },
        true,
        "Presse canadienne, “T”."
    )]
    #[case::person_and_outlet_kept(
        Citation { outlet: Some("The Canadian Press".into()), title: "T".into(), authors: vec!["Jane Smith".into()], ..Default::default() },
        true,
        "Jane Smith, “T”, The Canadian Press."
    )]
    #[case::outlet_merely_containing_the_author_kept(
        Citation { outlet: Some("Reuters Breakingviews".into()), title: "T".into(), authors: vec!["Reuters".into()], ..Default::default() },
        true,
        "Reuters, “T”, Reuters Breakingviews."
    )]
    #[case::four_authors(Citation { title: "T".into(), authors: vec!["A".into(), "B".into(), "C".into(), "D".into()], ..Default::default() }, true, "A et al., “T”.")]
    fn citations_read_in_one_style(
        #[case] c: Citation,
        #[case] with_page: bool,
        #[case] want: &str,
    ) {
        assert_eq!(c.plain(with_page), want);
    }

    #[rstest]
    #[case::everything(
        citation(),
        true,
        "Jeanne Roy et Sam Park, «\u{a0}Sector deals negotiated one by one\u{a0}», Maple Wire, 14 mars 2025, p.\u{a0}3, https://example.org/talks."
    )]
    #[case::three_authors(
        Citation { title: "T".into(), authors: vec!["A".into(), "B".into(), "C".into()], published: Some("2026-12-01".into()), ..Default::default() },
        false,
        "A, B et C, «\u{a0}T\u{a0}», 1er décembre 2026."
    )]
    #[case::agency_once(
        Citation { outlet: Some("La Presse Canadienne".into()), title: "T".into(), authors: vec!["Presse canadienne".into()], ..Default::default() },
        true,
        "Presse canadienne, «\u{a0}T\u{a0}»."
    )]
    fn french_citations_use_guillemets_and_et(
        #[case] c: Citation,
        #[case] with_page: bool,
        #[case] want: &str,
    ) {
        assert_eq!(c.plain_in(with_page, Lang::Fr), want);
    }

    #[rstest]
    #[case("2026-12-02", "2 décembre 2026")]
    #[case("2026-12-01", "1er décembre 2026")]
    #[case("2025-08-15", "15 août 2025")]
    #[case("2025-02-01", "1er février 2025")]
    #[case("bientôt", "bientôt")]
    fn french_dates_are_written_out(#[case] iso: &str, #[case] want: &str) {
        assert_eq!(long_date_in(iso, Lang::Fr), want);
    }

    #[test]
    fn english_wording_is_the_default_and_french_differs_everywhere() {
        assert_eq!(long_date_in("2026-12-01", Lang::En), "1 December 2026");
        assert_eq!(
            Marking::ProtectedA.header_in(Lang::Fr),
            "PROTÉGÉ A / PROTECTED A"
        );
        assert_eq!(
            Marking::ProtectedA.header_in(Lang::En),
            Marking::ProtectedA.header()
        );
        for kind in SectionKind::ALL {
            assert_eq!(kind.heading_in(Lang::En), kind.heading());
        }
        let french: Vec<&str> = SectionKind::ALL
            .iter()
            .map(|k| k.heading_in(Lang::Fr))
            .collect();
        assert_eq!(
            french,
            [
                "Résumé",
                "Enjeu",
                "Contexte",
                "Situation actuelle",
                "Considérations",
                "Options",
                "Recommandation",
                "Prochaines étapes"
            ]
        );
        assert_eq!(Purpose::Decision.label_in(Lang::Fr), "Pour décision");
        assert_eq!(
            Purpose::Decision.label_in(Lang::En),
            Purpose::Decision.label()
        );
        assert_eq!(
            DecisionOutcome::NotApproved.label_in(Lang::Fr),
            "Non approuvé"
        );
    }

    #[rstest]
    #[case("2025-03-14", "14 March 2025")]
    #[case("2024-12-01", "1 December 2024")]
    #[case("soon", "soon")]
    fn dates_are_written_out(#[case] iso: &str, #[case] want: &str) {
        assert_eq!(long_date(iso), want);
    }
}

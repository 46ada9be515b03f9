//! `dossier briefing …` and `dossier export`: briefing notes from the command line. Exporting
//! itself (the format, the warnings, the whole-or-nothing write) is the service layer's.

use std::path::PathBuf;

use clap::{Args, Subcommand};
use dossier_api::briefings;
use dossier_core::Lang;
use dossier_core::briefing::{
    Briefing, BriefingPatch, BriefingSummary, Contact, ContactPatch, Decision, DecisionPatch,
    ItemStatus, Marking, NewBriefing, Purpose, SectionKind, SectionPatch, long_date,
};
use dossier_export::Format;
use dossier_store::Workspace;
use serde_json::json;

use crate::args::{parse_date, parse_date_or_empty};
use crate::print::{Out, one_line, or_dash};

fn parse_marking(s: &str) -> Result<Marking, String> {
    s.parse()
}

fn parse_purpose(s: &str) -> Result<Purpose, String> {
    s.parse()
}

fn parse_section(s: &str) -> Result<SectionKind, String> {
    s.parse()
}

fn parse_lang(s: &str) -> Result<Lang, String> {
    s.parse()
}

fn parse_format(s: &str) -> Result<Format, String> {
    s.parse()
}

/// The fields a new note starts with (`new` and `draft`).
#[derive(Debug, Args)]
pub struct NewFields {
    /// The title, in English
    #[arg(long)]
    pub title: String,
    /// The title in French
    #[arg(long = "title-fr", value_name = "TITLE")]
    pub title_fr: Option<String>,
    /// The language the note is written in, en or fr: every fixed word of its export follows
    /// it [default: DOSSIER_UI_LANG or the system's language]
    #[arg(long, value_parser = parse_lang, value_name = "LANG")]
    pub lang: Option<Lang>,
    /// unclassified, protected-a or protected-b [default: unclassified]
    #[arg(long, value_parser = parse_marking, value_name = "MARKING")]
    pub marking: Option<Marking>,
    /// decision, information or signature [default: information]
    #[arg(long, value_parser = parse_purpose, value_name = "PURPOSE")]
    pub purpose: Option<Purpose>,
    /// Who the note goes to: "the Minister of International Trade"
    #[arg(long)]
    pub addressee: Option<String>,
    /// File or BN number
    #[arg(long = "file-number", value_name = "NUMBER")]
    pub file_number: Option<String>,
    /// The note's date [default: today]
    #[arg(long, value_parser = parse_date, value_name = "YYYY-MM-DD")]
    pub date: Option<String>,
    /// When the decision or signature is needed
    #[arg(long, value_parser = parse_date, value_name = "YYYY-MM-DD")]
    pub deadline: Option<String>,
    #[command(flatten)]
    pub people: People,
}

/// The prepared-by, approved-by and decision-maker parts, shared by `new`, `draft` and `edit`.
#[derive(Debug, Args)]
pub struct People {
    /// Prepared by: name
    #[arg(long = "prepared-by", value_name = "NAME")]
    pub prepared_by: Option<String>,
    /// Prepared by: position
    #[arg(long = "prepared-title", value_name = "POSITION")]
    pub prepared_title: Option<String>,
    /// Prepared by: telephone
    #[arg(long = "prepared-phone", value_name = "PHONE")]
    pub prepared_phone: Option<String>,
    /// Approved by: name
    #[arg(long = "approved-by", value_name = "NAME")]
    pub approved_by: Option<String>,
    /// Approved by: position
    #[arg(long = "approved-title", value_name = "POSITION")]
    pub approved_title: Option<String>,
    /// Approved by: telephone
    #[arg(long = "approved-phone", value_name = "PHONE")]
    pub approved_phone: Option<String>,
    /// Who decides, on a decision note: "Minister"
    #[arg(long = "decision-maker", value_name = "WHO")]
    pub decision_maker: Option<String>,
}

impl NewFields {
    fn into_new(self, now: &str) -> NewBriefing {
        let p = self.people;
        NewBriefing {
            title: self.title,
            title_fr: self.title_fr,
            lang: self.lang.unwrap_or_else(Lang::from_env),
            marking: self.marking.unwrap_or_default(),
            addressee: self.addressee,
            file_number: self.file_number,
            // A note is dated the day it is written unless the analyst says otherwise.
            date: Some(self.date.unwrap_or_else(|| now.chars().take(10).collect())),
            purpose: self.purpose.unwrap_or_default(),
            deadline: self.deadline,
            prepared_by: Contact {
                name: p.prepared_by,
                title: p.prepared_title,
                phone: p.prepared_phone,
            },
            approved_by: Contact {
                name: p.approved_by,
                title: p.approved_title,
                phone: p.approved_phone,
            },
            decision: Decision {
                maker: p.decision_maker,
                ..Default::default()
            },
        }
    }
}

// Parsed once per process, like `Command`.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Subcommand)]
pub enum BriefingCmd {
    /// Start a briefing note with empty sections
    New {
        #[command(flatten)]
        fields: NewFields,
    },
    /// Draft a note from what a search query matches: Current Status groups the matching
    /// excerpts by sector, newest first; Next Steps lists the open follow-ups among them
    Draft {
        /// The search query (see `dossier search`), in quotes when it has several words
        #[arg(value_name = "QUERY", allow_hyphen_values = true)]
        query: String,
        #[command(flatten)]
        fields: NewFields,
    },
    /// Briefing notes, most recently changed first
    List,
    /// A note with its sections and excerpts
    Show { id: i64 },
    /// Change a note's fields, or one section's text and excerpts (an empty value clears a field)
    Edit {
        id: i64,
        #[command(flatten)]
        fields: EditFields,
        #[command(flatten)]
        section: SectionEdit,
    },
    /// Copy a note, sections and excerpts included
    Duplicate { id: i64 },
    /// Delete a note (its excerpts stay in the workspace)
    Delete { id: i64 },
}

#[derive(Debug, Args)]
pub struct EditFields {
    #[arg(long)]
    pub title: Option<String>,
    #[arg(long = "title-fr", value_name = "TITLE")]
    pub title_fr: Option<String>,
    /// en or fr
    #[arg(long, value_parser = parse_lang, value_name = "LANG")]
    pub lang: Option<Lang>,
    #[arg(long, value_parser = parse_marking, value_name = "MARKING")]
    pub marking: Option<Marking>,
    #[arg(long, value_parser = parse_purpose, value_name = "PURPOSE")]
    pub purpose: Option<Purpose>,
    #[arg(long)]
    pub addressee: Option<String>,
    #[arg(long = "file-number", value_name = "NUMBER")]
    pub file_number: Option<String>,
    #[arg(long, value_parser = parse_date_or_empty, value_name = "YYYY-MM-DD")]
    pub date: Option<String>,
    #[arg(long, value_parser = parse_date_or_empty, value_name = "YYYY-MM-DD")]
    pub deadline: Option<String>,
    #[command(flatten)]
    pub people: People,
    /// The decision that came back: approved, not-approved or approved-with-changes ("" clears)
    #[arg(long, value_name = "OUTCOME")]
    pub decision: Option<String>,
    /// When it was decided
    #[arg(long = "decided-on", value_parser = parse_date_or_empty, value_name = "YYYY-MM-DD")]
    pub decided_on: Option<String>,
    /// The decision maker's comments
    #[arg(long = "decision-comments", value_name = "TEXT")]
    pub decision_comments: Option<String>,
}

/// Changes to one section; every option here needs `--section`.
#[derive(Debug, Args)]
pub struct SectionEdit {
    /// The section to change: summary, issue, background, current-status, considerations,
    /// options, recommendation or next-steps
    #[arg(long, value_parser = parse_section, value_name = "SECTION")]
    pub section: Option<SectionKind>,
    /// The section's new text (Markdown); "" empties it
    #[arg(long, requires = "section", conflicts_with = "text_file")]
    pub text: Option<String>,
    /// Read the section's new text from a file (- for standard input)
    #[arg(long = "text-file", requires = "section", value_name = "FILE")]
    pub text_file: Option<PathBuf>,
    /// Append an excerpt to the section; repeat for several
    #[arg(long = "add", requires = "section", value_name = "EXCERPT_ID")]
    pub add: Vec<i64>,
    /// The sub-heading to put the added excerpts under (for example a sector)
    #[arg(long, requires = "add", value_name = "HEADING")]
    pub group: Option<String>,
    /// Take an excerpt out of the section; repeat for several
    #[arg(long = "remove", requires = "section", value_name = "EXCERPT_ID")]
    pub remove: Vec<i64>,
    /// Take an item out by its item id (the way to remove a detached one)
    #[arg(long = "remove-item", requires = "section", value_name = "ITEM_ID")]
    pub remove_item: Vec<i64>,
    /// Put these excerpts first, in this order: --order 12,7 (the others follow as they were)
    #[arg(
        long,
        requires = "section",
        value_delimiter = ',',
        value_name = "EXCERPT_IDS"
    )]
    pub order: Option<Vec<i64>>,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// The briefing to export
    pub briefing_id: i64,
    /// docx, pdf, html or md [default: from the file's extension]
    #[arg(long, short = 'f', value_parser = parse_format, value_name = "FORMAT")]
    pub format: Option<Format>,
    /// The file to write (replaced if it exists; never left half-written)
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: PathBuf,
    /// Export a copy marked MARKING, leaving out the items marked above it (a note marked
    /// below what it quotes is otherwise refused)
    #[arg(long, value_parser = parse_marking, value_name = "MARKING")]
    pub at: Option<Marking>,
}

pub fn run(ws: &mut Workspace, cmd: BriefingCmd, now: &str, out: &Out) -> anyhow::Result<()> {
    match cmd {
        BriefingCmd::New { fields } => {
            let b = briefings::create(ws, &fields.into_new(now))?;
            out.created(b.id, &b);
        }
        BriefingCmd::Draft { query, fields } => {
            let b = briefings::draft(ws, &query, &fields.into_new(now))?;
            out.created(b.id, &b);
        }
        BriefingCmd::List => {
            let list = briefings::list(ws)?;
            out.raw(&json!(list), &list_text(&list));
        }
        BriefingCmd::Show { id } => {
            let b = briefings::get(ws, id)?;
            out.raw(&json!(b), &show_text(&b));
        }
        BriefingCmd::Edit {
            id,
            fields,
            section,
        } => {
            let patch = patch(fields, section)?;
            let b = briefings::edit(ws, id, &patch)?;
            out.raw(&json!(b), &show_text(&b));
        }
        BriefingCmd::Duplicate { id } => {
            let b = briefings::duplicate(ws, id)?;
            out.created(b.id, &b);
        }
        BriefingCmd::Delete { id } => {
            let d = briefings::delete(ws, id)?;
            out.done(
                &json!({ "deleted": d }),
                &format!("deleted briefing {} (\"{}\")", d.id, d.title),
            );
        }
    }
    Ok(())
}

fn patch(f: EditFields, s: SectionEdit) -> anyhow::Result<BriefingPatch> {
    let p = f.people;
    let mut patch = BriefingPatch {
        title: f.title,
        title_fr: f.title_fr,
        lang: f.lang,
        marking: f.marking,
        addressee: f.addressee,
        file_number: f.file_number,
        date: f.date,
        purpose: f.purpose,
        deadline: f.deadline,
        prepared_by: ContactPatch {
            name: p.prepared_by,
            title: p.prepared_title,
            phone: p.prepared_phone,
        },
        approved_by: ContactPatch {
            name: p.approved_by,
            title: p.approved_title,
            phone: p.approved_phone,
        },
        decision: DecisionPatch {
            maker: p.decision_maker,
            outcome: f.decision,
            decided_on: f.decided_on,
            comments: f.decision_comments,
        },
        sections: Vec::new(),
    };
    if let Some(kind) = s.section {
        let text = match (s.text, s.text_file) {
            (Some(t), _) => Some(t),
            (None, Some(file)) => Some(crate::read::text_file(&file).or_else(|e| {
                // An empty file empties the section; anything else unreadable is an error.
                if std::fs::metadata(&file).is_ok_and(|m| m.len() == 0) {
                    Ok(String::new())
                } else {
                    Err(e)
                }
            })?),
            (None, None) => None,
        };
        let mut sp = SectionPatch::new(kind);
        sp.text = text;
        sp.add_excerpts = s.add;
        sp.group = s.group;
        sp.remove_excerpts = s.remove;
        sp.remove_items = s.remove_item;
        sp.order_excerpts = s.order;
        patch.sections.push(sp);
    }
    Ok(patch)
}

fn list_text(list: &[BriefingSummary]) -> String {
    if list.is_empty() {
        return "No briefings yet. Start one with: dossier briefing new --title \"…\", or draft one from a search: dossier briefing draft QUERY --title \"…\"\n".into();
    }
    list.iter()
        .map(|b| {
            format!(
                "{:>5}  {:<12}  {:<16}  {:<10}  {:>3} excerpt{}  {}\n",
                b.id,
                b.marking.label(),
                b.purpose.label(),
                or_dash(b.date.as_deref()),
                b.item_count,
                if b.item_count == 1 { " " } else { "s" },
                one_line(&b.title, 70)
            )
        })
        .collect()
}

fn contact(c: &Contact) -> String {
    let parts: Vec<&str> = [&c.name, &c.title, &c.phone]
        .into_iter()
        .filter_map(|p| p.as_deref())
        .collect();
    if parts.is_empty() {
        "—".into()
    } else {
        parts.join(", ")
    }
}

fn show_text(b: &Briefing) -> String {
    let mut s = format!(
        "Briefing {}: {}\nFrench:    {}\nLanguage:  {}\nMarking:   {}\nPurpose:   {}{}\nTo:        {}\nFile:      {}\nDate:      {}\nPrepared:  {}\nApproved:  {}\n",
        b.id,
        b.title,
        or_dash(b.title_fr.as_deref()),
        match b.lang {
            Lang::En => "English",
            Lang::Fr => "French",
        },
        b.marking.header(),
        b.purpose.label(),
        b.deadline
            .as_deref()
            .map(|d| format!(" (by {})", long_date(d)))
            .unwrap_or_default(),
        or_dash(b.addressee.as_deref()),
        or_dash(b.file_number.as_deref()),
        or_dash(b.date.as_deref()),
        contact(&b.prepared_by),
        contact(&b.approved_by),
    );
    if b.purpose == Purpose::Decision {
        s.push_str(&format!(
            "Decision:  {}; {}{}\n",
            or_dash(b.decision.maker.as_deref()),
            b.decision
                .outcome
                .map(|o| o.label().to_string())
                .unwrap_or_else(|| "not decided yet".into()),
            b.decision
                .decided_on
                .as_deref()
                .map(|d| format!(" on {d}"))
                .unwrap_or_default()
        ));
    }
    s.push_str(&format!("Updated:   {}\n", b.updated_at));
    let mut empty = Vec::new();
    for section in &b.sections {
        if section.is_empty() {
            empty.push(section.kind.heading());
            continue;
        }
        s.push_str(&format!("\n== {} ==\n", section.kind.heading()));
        if !section.text.is_empty() {
            s.push_str(&section.text);
            s.push('\n');
        }
        let mut group: Option<&str> = None;
        for item in &section.items {
            if item.group.is_some() && item.group.as_deref() != group {
                group = item.group.as_deref();
                s.push_str(&format!("  [{}]\n", group.unwrap_or_default()));
            }
            let what = match (item.status, item.excerpt_id) {
                (ItemStatus::Live, Some(e)) => format!("excerpt {e}"),
                (ItemStatus::Orphaned, Some(e)) => {
                    format!("excerpt {e} (ORPHANED: no longer found in its source)")
                }
                _ => "DETACHED: its excerpt was deleted; this is the copy kept".to_string(),
            };
            s.push_str(&format!(
                "  item {} · {}\n    “{}”\n    — {}\n",
                item.id,
                what,
                one_line(&item.quote, 100),
                one_line(&item.citation.plain(true), 100)
            ));
        }
    }
    if !empty.is_empty() {
        s.push_str(&format!("\nEmpty: {}\n", empty.join(", ")));
    }
    s
}

pub fn export(ws: &Workspace, args: ExportArgs, out: &Out) -> anyhow::Result<()> {
    let written = dossier_api::export::export_to_file(
        ws,
        args.briefing_id,
        &args.output,
        args.format,
        args.at,
    )?;
    for w in &written.warnings {
        eprintln!("warning: {w}");
    }
    out.raw(
        &json!({
            "briefing_id": written.briefing_id,
            "format": written.format,
            "path": written.path,
            "bytes": written.bytes,
            "warnings": written.warnings,
            "marking": written.marking,
            "left_out": written.left_out,
        }),
        &format!("{}\n", written.path),
    );
    Ok(())
}

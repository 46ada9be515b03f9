//! The command line, as clap parses it. Values with a fixed shape (ids, dates, statuses) are
//! checked here, so a malformed one is a usage error (exit 2) before the workspace is opened.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};
use dossier_core::briefing::Marking;
use dossier_core::{FollowUpStatus, IsoDate};

#[derive(Debug, Parser)]
#[command(
    name = "dossier",
    version,
    about = "Dossier: capture sources, excerpt and tag passages, track follow-up questions.",
    long_about = None,
    propagate_version = true,
    disable_help_subcommand = true
)]
pub struct Cli {
    /// Workspace file [default: $DOSSIER_DB, else ~/.local/share/dossier/workspace.sqlite]
    #[arg(long, global = true, value_name = "PATH")]
    pub db: Option<PathBuf>,
    /// Print machine-readable JSON
    #[arg(long, global = true)]
    pub json: bool,
    #[command(subcommand)]
    pub command: Command,
}

// Parsed once per process: the size of the largest variant costs nothing worth boxing for.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Captured documents
    #[command(subcommand)]
    Source(SourceCmd),
    /// Exact passages of a source, with notes and tags
    #[command(subcommand)]
    Excerpt(ExcerptCmd),
    /// The tag taxonomy
    #[command(subcommand)]
    Tag(TagCmd),
    /// Follow-up questions
    #[command(subcommand, alias = "followup")]
    Question(QuestionCmd),
    /// Search excerpts, sources and questions (see the README for the query language)
    Search(crate::search::SearchArgs),
    /// Briefing notes: new, draft, list, show, edit, duplicate, delete
    #[command(subcommand)]
    Briefing(crate::briefing::BriefingCmd),
    /// Export a briefing note to Word, PDF, HTML or Markdown
    Export(crate::briefing::ExportArgs),
    /// Import files, folders (recursively) and URLs: web pages, PDF, Word, Markdown, text
    Import(crate::import::ImportArgs),
    /// Copy the workspace safely while it is in use, or list its backups
    Backup(crate::backup::BackupArgs),
    /// Replace the workspace with a backup (checked first; the current one is kept aside)
    Restore(crate::backup::RestoreArgs),
    /// The whole workspace as one JSON file: export, or import into an empty or new workspace
    #[command(subcommand)]
    Archive(crate::archive::ArchiveCmd),
    /// Feed subscriptions: add, list, show, edit, remove, poll, import, export (OPML)
    #[command(subcommand)]
    Feed(crate::feeds::FeedCmd),
    /// Entries brought by feed polls: list, keep (capture as sources), dismiss
    #[command(subcommand)]
    Inbox(crate::feeds::InboxCmd),
    /// The browser connector: serve it headless, pair the extension, list and revoke tokens
    #[command(subcommand)]
    Connector(crate::connector::ConnectorCmd),
    /// A team workspace on PostgreSQL: init, join, status, grant, revoke
    #[command(subcommand)]
    Team(crate::team::TeamCmd),
    /// Push the changes made here to the team and pull the others' (once)
    Sync,
    /// Concurrent edits a sync kept aside: list them, resolve one
    #[command(subcommand)]
    Conflict(crate::team::ConflictCmd),
    /// Where the workspace is and what it holds
    Info,
    /// Print the completion script for a shell (bash, zsh, fish, elvish, powershell)
    #[command(hide = true)]
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the man page, dossier(1), in roff
    #[command(hide = true)]
    Man,
}

pub(crate) fn parse_date(s: &str) -> Result<String, String> {
    s.parse::<IsoDate>()
        .map(|d| d.to_string())
        .map_err(|e| e.to_string())
}

/// A date, or "" to clear it (for edits).
pub(crate) fn parse_date_or_empty(s: &str) -> Result<String, String> {
    if s.trim().is_empty() {
        Ok(String::new())
    } else {
        parse_date(s)
    }
}

fn parse_status(s: &str) -> Result<FollowUpStatus, String> {
    s.parse()
}

#[derive(Debug, Args)]
pub struct SourceMeta {
    /// Title [default: the first heading or line of the text]
    #[arg(long)]
    pub title: Option<String>,
    #[arg(long)]
    pub outlet: Option<String>,
    /// An author; repeat for several
    #[arg(long = "author", value_name = "NAME")]
    pub authors: Vec<String>,
    /// Publication date, YYYY-MM-DD
    #[arg(long, value_parser = parse_date_or_empty, value_name = "YYYY-MM-DD")]
    pub published: Option<String>,
    #[arg(long)]
    pub url: Option<String>,
    /// Language code: en, fr, …
    #[arg(long, value_name = "CODE")]
    pub lang: Option<String>,
    /// Free notes about the source
    #[arg(long)]
    pub notes: Option<String>,
    /// Security marking: unclassified, protected-a or protected-b [default: unclassified];
    /// its excerpts carry it unless marked themselves
    #[arg(long, value_parser = parse_marking, value_name = "MARKING")]
    pub marking: Option<Marking>,
}

pub fn parse_marking(s: &str) -> Result<Marking, String> {
    s.parse()
}

/// An excerpt's `--marking`: a marking, or `inherit` to follow its source's again.
fn parse_excerpt_marking(s: &str) -> Result<ExcerptMarking, String> {
    if s.trim().eq_ignore_ascii_case("inherit") {
        return Ok(ExcerptMarking::Inherit);
    }
    s.parse()
        .map(ExcerptMarking::Own)
        .map_err(|e: String| format!("{e}, or inherit"))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExcerptMarking {
    Own(Marking),
    Inherit,
}

#[derive(Debug, Subcommand)]
pub enum SourceCmd {
    /// Add a plain-text or Markdown file (or - for standard input)
    Add {
        /// A .txt or .md file, or - to read standard input
        file: PathBuf,
        #[command(flatten)]
        meta: SourceMeta,
        /// Tag the source; repeat for several
        #[arg(long = "tag", value_name = "TAG")]
        tags: Vec<String>,
    },
    /// List sources (without their text)
    List,
    /// Show a source with its text
    Show { id: i64 },
    /// Change a source's metadata or tags
    Edit {
        id: i64,
        #[command(flatten)]
        meta: SourceMeta,
        #[arg(long = "tag", value_name = "TAG")]
        tags: Vec<String>,
        #[arg(long = "untag", value_name = "TAG")]
        untag: Vec<String>,
    },
    /// Delete a source and its excerpts
    Delete { id: i64 },
    /// Take a source out of the story it shares with its copies (it stays out)
    Split { id: i64 },
    #[command(flatten)]
    Import(crate::import::SourceImportCmd),
    #[command(flatten)]
    Versions(crate::versions::VersionCmd),
}

#[derive(Debug, Subcommand)]
pub enum ExcerptCmd {
    /// Excerpt a passage: by exact quote, or by code-point range
    Add {
        source_id: i64,
        /// The exact text to excerpt
        #[arg(long, conflicts_with_all = ["start", "end"], required_unless_present_all = ["start", "end"])]
        quote: Option<String>,
        /// Which occurrence of the quote (1 = first), when it occurs more than once
        #[arg(long, requires = "quote", value_parser = clap::value_parser!(u32).range(1..))]
        occurrence: Option<u32>,
        /// Start offset, in characters (Unicode code points) of the source's text
        #[arg(long, requires = "end")]
        start: Option<usize>,
        /// End offset (exclusive)
        #[arg(long, requires = "start")]
        end: Option<usize>,
        /// Why the passage matters (Markdown)
        #[arg(long, default_value = "")]
        note: String,
        #[arg(long = "tag", value_name = "TAG")]
        tags: Vec<String>,
        /// A marking of its own (unclassified, protected-a, protected-b) [default: its
        /// source's]
        #[arg(long, value_parser = parse_marking, value_name = "MARKING")]
        marking: Option<Marking>,
    },
    /// List excerpts, in source order
    List {
        #[arg(long = "source", value_name = "ID")]
        source: Option<i64>,
        /// Only excerpts with this tag (or one under it)
        #[arg(long, value_name = "TAG")]
        tag: Option<String>,
    },
    Show {
        id: i64,
    },
    /// Change an excerpt's note, tags or marking
    Edit {
        id: i64,
        #[arg(long)]
        note: Option<String>,
        #[arg(long = "tag", value_name = "TAG")]
        tags: Vec<String>,
        #[arg(long = "untag", value_name = "TAG")]
        untag: Vec<String>,
        /// unclassified, protected-a, protected-b, or inherit (its source's again)
        #[arg(long, value_parser = parse_excerpt_marking, value_name = "MARKING")]
        marking: Option<ExcerptMarking>,
    },
    Delete {
        id: i64,
    },
    #[command(flatten)]
    Import(crate::import::ExcerptImportCmd),
    #[command(flatten)]
    Export(crate::archive::ExcerptExportCmd),
}

#[derive(Debug, Args)]
pub struct TagLooks {
    /// English label
    #[arg(long)]
    pub label: Option<String>,
    /// French label
    #[arg(long = "label-fr")]
    pub label_fr: Option<String>,
    /// Another name that finds this tag; repeat for several
    #[arg(long = "alias", value_name = "ALIAS")]
    pub aliases: Vec<String>,
    /// Highlight colour, #rrggbb
    #[arg(long)]
    pub color: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum TagCmd {
    /// Create a tag (and any missing parents)
    Add {
        path: String,
        #[command(flatten)]
        looks: TagLooks,
    },
    /// Change a tag's labels, aliases or colour
    Edit {
        tag: String,
        #[command(flatten)]
        looks: TagLooks,
        #[arg(long = "remove-alias", value_name = "ALIAS")]
        remove_aliases: Vec<String>,
    },
    /// Every tag with what it is attached to
    List,
    Show {
        tag: String,
    },
    /// Rename a tag and everything under it
    Rename {
        old: String,
        new: String,
    },
    /// Move every attachment of FROM onto INTO, then remove FROM
    Merge {
        from: String,
        into: String,
    },
    /// Delete a tag and the tags under it (what they tagged stays)
    Delete {
        tag: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum QuestionCmd {
    /// Record a follow-up question
    Add {
        text: String,
        /// An excerpt the question concerns; repeat for several
        #[arg(long = "excerpt", value_name = "ID")]
        excerpts: Vec<i64>,
        /// A source the question concerns; repeat for several
        #[arg(long = "source", value_name = "ID")]
        sources: Vec<i64>,
        #[arg(long = "tag", value_name = "TAG")]
        tags: Vec<String>,
        #[arg(long, value_parser = parse_date, value_name = "YYYY-MM-DD")]
        due: Option<String>,
        #[arg(long, value_name = "NAME")]
        owner: Option<String>,
    },
    /// Follow-ups, open first, by due date
    List {
        #[arg(long, value_parser = parse_status, value_name = "open|answered|dropped")]
        status: Option<FollowUpStatus>,
    },
    Show {
        id: i64,
    },
    /// Change the question, due date, owner, links or tags
    Edit {
        id: i64,
        #[arg(long)]
        text: Option<String>,
        /// YYYY-MM-DD, or "" to clear
        #[arg(long, value_parser = parse_date_or_empty, value_name = "YYYY-MM-DD")]
        due: Option<String>,
        #[arg(long, value_name = "NAME")]
        owner: Option<String>,
        #[arg(long = "excerpt", value_name = "ID")]
        excerpts: Vec<i64>,
        #[arg(long = "source", value_name = "ID")]
        sources: Vec<i64>,
        #[arg(long = "tag", value_name = "TAG")]
        tags: Vec<String>,
        #[arg(long = "untag", value_name = "TAG")]
        untag: Vec<String>,
    },
    /// Answer a question, citing the excerpts that settle it
    Answer {
        id: i64,
        text: String,
        #[arg(long = "excerpt", value_name = "ID")]
        excerpts: Vec<i64>,
    },
    /// Mark a question dropped
    Drop {
        id: i64,
    },
    /// Reopen an answered or dropped question
    Reopen {
        id: i64,
    },
    Delete {
        id: i64,
    },
}

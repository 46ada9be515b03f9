//! Dossier's workspace: one SQLite file holding sources, excerpts, tags and follow-ups.
//!
//! Each aggregate has a module of free functions taking `&Connection`, so that several compose
//! inside one transaction; [`Workspace`] owns the connection and wraps every multi-row write in
//! [`Workspace::with_tx`]. Callers pass `now` in: nothing here reads the clock, except the seed
//! migration's creation time.

pub mod archive;
pub mod atomic_file;
pub mod backup;
pub mod briefings;
pub mod connector;
mod db;
mod error;
pub mod excerpts;
pub mod feeds;
pub mod followups;
pub mod imports;
pub mod originals;
pub mod sample;
pub mod saved_searches;
pub mod search;
pub mod sources;
pub mod stories;
pub mod sync;
pub mod tags;
pub mod web_annotation;

/// What a new excerpt may come with beside its place, note and tags: a question asked about
/// it, and a marking of its own (none: its source's).
#[derive(Debug, Clone, Copy, Default)]
pub struct AlongWith<'a> {
    pub question: Option<&'a str>,
    pub marking: Option<dossier_core::briefing::Marking>,
}

/// A marking column's word; the CHECK constraints keep them to known words, so anything else is
/// a damaged file.
pub(crate) fn parse_marking(word: String) -> rusqlite::Result<dossier_core::briefing::Marking> {
    word.parse().map_err(|e: String| {
        rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, e.into())
    })
}

use std::path::{Path, PathBuf};

use dossier_core::briefing::{
    Briefing, BriefingDocument, BriefingPatch, BriefingSummary, NewBriefing, SectionKind,
};
use dossier_core::{
    Excerpt, ExcerptPatch, ExcerptTarget, FollowUp, FollowUpPatch, FollowUpStatus, NewFollowUp,
    NewSource, Source, SourcePatch, SourceSummary, Tag, TagSpec,
};
use rusqlite::{Connection, Transaction, TransactionBehavior};

pub use briefings::DeletedBriefing;
pub use db::{SCHEMA_VERSION, default_workspace_path, migrations};
pub use error::{Result, StoreError};
pub use excerpts::{DeletedExcerpt, ExcerptFilter};
pub use imports::{ImportedText, ReimportOutcome, Stored};
pub use originals::{NotKept, Original, OriginalStats, ReanchorSummary, SourceVersion};
pub use sources::{AddedSource, DeletedSource};
pub use tags::{MergedTag, RenamedTag};

/// An open workspace file.
pub struct Workspace {
    conn: Connection,
    path: PathBuf,
}

impl Drop for Workspace {
    /// SQLite's advice for connections that are closed: refresh the planner's statistics where
    /// they have drifted. Cheap when nothing changed; an error here has nothing to lose.
    fn drop(&mut self) {
        let _ = self.conn.execute_batch("PRAGMA optimize;");
    }
}

impl Workspace {
    /// Opens (or creates) the workspace at `path`, migrating it to this version's schema. An
    /// existing workspace is copied aside before any migration touches it.
    pub fn open(path: &Path) -> Result<Workspace> {
        let conn = db::open(path, |conn, found| {
            backup::before_migration(conn, path, found)
        })?;
        let mut ws = Workspace {
            conn,
            path: path.to_path_buf(),
        };
        // Sources from before stories (or from a copy of the file without its index) are
        // indexed once, in one transaction.
        if stories::needs_backfill(&ws.conn)? {
            ws.with_tx(|tx| stories::backfill(tx).map(|_| ()))?;
        }
        // A team workspace captures its changes with triggers made from the tables as they are
        // now (a migration may have added columns since they were made).
        if sync::state(&ws.conn)?.is_some() {
            ws.with_tx(|tx| {
                sync::install_capture(tx)?;
                sync::queue_new_tables(tx).map(|_| ())
            })?;
        }
        Ok(ws)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The connection, for reads and for the aggregate functions.
    pub fn conn(&self) -> &Connection {
        &self.conn
    }

    /// Runs `f` in one `BEGIN IMMEDIATE` transaction: all of it is written, or none.
    pub fn with_tx<T>(&mut self, f: impl FnOnce(&Transaction<'_>) -> Result<T>) -> Result<T> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let out = f(&tx)?;
        tx.commit()?;
        Ok(out)
    }

    pub fn list_sources(&self) -> Result<Vec<SourceSummary>> {
        sources::list(&self.conn)
    }

    pub fn get_source(&self, id: i64) -> Result<Source> {
        sources::get(&self.conn, id)
    }

    pub fn add_source(&mut self, new: NewSource, now: &str) -> Result<AddedSource> {
        self.with_tx(|tx| sources::add(tx, new, now))
    }

    pub fn edit_source(&mut self, id: i64, patch: SourcePatch, now: &str) -> Result<Source> {
        self.with_tx(|tx| {
            sources::edit(tx, id, patch, now)?;
            sources::get(tx, id)
        })
    }

    pub fn delete_source(&mut self, id: i64) -> Result<DeletedSource> {
        self.with_tx(|tx| sources::delete(tx, id))
    }

    pub fn add_excerpt(
        &mut self,
        source_id: i64,
        target: ExcerptTarget,
        note: &str,
        tags: &[String],
        now: &str,
    ) -> Result<Excerpt> {
        self.with_tx(|tx| {
            let id = excerpts::add(tx, source_id, &target, note, tags, now)?;
            excerpts::get(tx, id)
        })
    }

    /// Adds an excerpt and, when `question` has text, a follow-up about it: one user action,
    /// one transaction — a refused question leaves no excerpt behind, and the reverse.
    pub fn add_excerpt_with_question(
        &mut self,
        source_id: i64,
        target: ExcerptTarget,
        note: &str,
        tags: &[String],
        with: AlongWith<'_>,
        now: &str,
    ) -> Result<Excerpt> {
        let AlongWith { question, marking } = with;
        self.with_tx(|tx| {
            let id = excerpts::add(tx, source_id, &target, note, tags, now)?;
            if marking.is_some() {
                excerpts::set_marking(tx, id, marking)?;
            }
            if let Some(text) = question.filter(|q| !q.trim().is_empty()) {
                let new = NewFollowUp {
                    text: text.to_string(),
                    excerpt_ids: vec![id],
                    ..NewFollowUp::default()
                };
                followups::add(tx, &new, now)?;
            }
            excerpts::get(tx, id)
        })
    }

    pub fn get_excerpt(&self, id: i64) -> Result<Excerpt> {
        excerpts::get(&self.conn, id)
    }

    pub fn list_excerpts(&self, filter: &ExcerptFilter) -> Result<Vec<Excerpt>> {
        excerpts::list(&self.conn, filter)
    }

    pub fn edit_excerpt(&mut self, id: i64, patch: ExcerptPatch, now: &str) -> Result<Excerpt> {
        self.with_tx(|tx| {
            excerpts::edit(tx, id, &patch, now)?;
            excerpts::get(tx, id)
        })
    }

    /// Deletes an excerpt; the snapshot returned undoes it through [`Workspace::restore_excerpt`].
    pub fn delete_excerpt(&mut self, id: i64) -> Result<DeletedExcerpt> {
        self.with_tx(|tx| excerpts::delete(tx, id))
    }

    /// Undoes [`Workspace::delete_excerpt`] (see [`excerpts::restore`]).
    pub fn restore_excerpt(&mut self, deleted: &DeletedExcerpt, now: &str) -> Result<Excerpt> {
        self.with_tx(|tx| {
            let id = excerpts::restore(tx, deleted, now)?;
            excerpts::get(tx, id)
        })
    }

    pub fn list_tags(&self) -> Result<Vec<Tag>> {
        tags::list(&self.conn)
    }

    pub fn get_tag(&self, input: &str) -> Result<Tag> {
        tags::get(&self.conn, input)
    }

    pub fn add_tag(&mut self, path: &str, spec: TagSpec, now: &str) -> Result<Tag> {
        self.with_tx(|tx| {
            let path = tags::add(tx, path, &spec, now)?;
            tags::get(tx, &path)
        })
    }

    pub fn edit_tag(&mut self, input: &str, spec: TagSpec) -> Result<Tag> {
        self.with_tx(|tx| {
            let path = tags::edit(tx, input, &spec)?;
            tags::get(tx, &path)
        })
    }

    pub fn rename_tag(&mut self, old: &str, new: &str, now: &str) -> Result<RenamedTag> {
        self.with_tx(|tx| tags::rename(tx, old, new, now))
    }

    pub fn merge_tag(&mut self, from: &str, into: &str, now: &str) -> Result<MergedTag> {
        self.with_tx(|tx| tags::merge(tx, from, into, now))
    }

    pub fn delete_tag(&mut self, input: &str) -> Result<Vec<String>> {
        self.with_tx(|tx| tags::delete(tx, input))
    }

    pub fn add_followup(&mut self, new: NewFollowUp, now: &str) -> Result<FollowUp> {
        self.with_tx(|tx| {
            let id = followups::add(tx, &new, now)?;
            followups::get(tx, id)
        })
    }

    pub fn get_followup(&self, id: i64) -> Result<FollowUp> {
        followups::get(&self.conn, id)
    }

    pub fn list_followups(&self, status: Option<FollowUpStatus>) -> Result<Vec<FollowUp>> {
        followups::list(&self.conn, status)
    }

    pub fn edit_followup(&mut self, id: i64, patch: FollowUpPatch, now: &str) -> Result<FollowUp> {
        self.with_tx(|tx| {
            followups::edit(tx, id, &patch, now)?;
            followups::get(tx, id)
        })
    }

    pub fn answer_followup(
        &mut self,
        id: i64,
        answer: &str,
        excerpt_ids: &[i64],
        now: &str,
    ) -> Result<FollowUp> {
        self.with_tx(|tx| {
            followups::answer(tx, id, answer, excerpt_ids, now)?;
            followups::get(tx, id)
        })
    }

    pub fn set_followup_status(
        &mut self,
        id: i64,
        status: FollowUpStatus,
        now: &str,
    ) -> Result<FollowUp> {
        self.with_tx(|tx| {
            followups::set_status(tx, id, status, now)?;
            followups::get(tx, id)
        })
    }

    pub fn delete_followup(&mut self, id: i64) -> Result<()> {
        self.with_tx(|tx| followups::delete(tx, id))
    }

    /// Runs a search query (see the README for the language).
    pub fn search(
        &self,
        query: &str,
        opts: &search::SearchOptions,
    ) -> Result<dossier_core::query::SearchResults> {
        search::search(&self.conn, query, opts)
    }

    pub fn save_search(
        &mut self,
        name: &str,
        query: &str,
        now: &str,
    ) -> Result<dossier_core::query::SavedSearch> {
        self.with_tx(|tx| saved_searches::save(tx, name, query, false, now))
    }

    /// Saves a search that may be an alert; see [`saved_searches::save`].
    pub fn save_search_alert(
        &mut self,
        name: &str,
        query: &str,
        alert: bool,
        now: &str,
    ) -> Result<dossier_core::query::SavedSearch> {
        self.with_tx(|tx| saved_searches::save(tx, name, query, alert, now))
    }

    /// Every saved search with how many items it matches that it did not when last seen.
    pub fn saved_search_statuses(&self) -> Result<Vec<dossier_core::query::SavedSearchStatus>> {
        saved_searches::statuses(&self.conn)
    }

    /// Marks what the saved search matches now as seen; returns it with a count of 0.
    pub fn mark_search_seen(
        &mut self,
        name: &str,
    ) -> Result<dossier_core::query::SavedSearchStatus> {
        self.with_tx(|tx| {
            let search = saved_searches::get(tx, name)?;
            saved_searches::mark_seen(tx, &search)?;
            Ok(dossier_core::query::SavedSearchStatus {
                search,
                new_count: 0,
            })
        })
    }

    /// Takes a source out of its story for good.
    pub fn split_source(&mut self, id: i64, now: &str) -> Result<stories::SplitSource> {
        self.with_tx(|tx| stories::split(tx, id, now))
    }

    pub fn saved_searches(&self) -> Result<Vec<dossier_core::query::SavedSearch>> {
        saved_searches::list(&self.conn)
    }

    pub fn saved_search(&self, name: &str) -> Result<dossier_core::query::SavedSearch> {
        saved_searches::get(&self.conn, name)
    }

    pub fn delete_saved_search(&mut self, name: &str) -> Result<dossier_core::query::SavedSearch> {
        self.with_tx(|tx| saved_searches::delete(tx, name))
    }

    pub fn create_briefing(&mut self, new: &NewBriefing, now: &str) -> Result<Briefing> {
        self.with_tx(|tx| {
            let id = briefings::create(tx, new, now)?;
            briefings::get(tx, id)
        })
    }

    pub fn list_briefings(&self) -> Result<Vec<BriefingSummary>> {
        briefings::list(&self.conn)
    }

    pub fn get_briefing(&self, id: i64) -> Result<Briefing> {
        briefings::get(&self.conn, id)
    }

    /// Fields, section text and items in one transaction: a refused change changes nothing.
    pub fn edit_briefing(&mut self, id: i64, patch: &BriefingPatch, now: &str) -> Result<Briefing> {
        self.with_tx(|tx| {
            briefings::edit(tx, id, patch, now)?;
            briefings::get(tx, id)
        })
    }

    pub fn move_briefing_item(
        &mut self,
        id: i64,
        item_id: i64,
        to: SectionKind,
        position: usize,
        now: &str,
    ) -> Result<Briefing> {
        self.with_tx(|tx| {
            briefings::move_item(tx, id, item_id, to, position, now)?;
            briefings::get(tx, id)
        })
    }

    pub fn duplicate_briefing(&mut self, id: i64, now: &str) -> Result<Briefing> {
        self.with_tx(|tx| {
            let copy = briefings::duplicate(tx, id, now)?;
            briefings::get(tx, copy)
        })
    }

    pub fn delete_briefing(&mut self, id: i64) -> Result<DeletedBriefing> {
        self.with_tx(|tx| briefings::delete(tx, id))
    }

    /// The export input for a briefing.
    pub fn briefing_document(&self, id: i64) -> Result<BriefingDocument> {
        briefings::document(&self.conn, id)
    }

    /// A new briefing drafted from matching excerpts and follow-ups (see
    /// [`briefings::draft_from_hits`]).
    pub fn draft_briefing(
        &mut self,
        excerpt_ids: &[i64],
        followup_ids: &[i64],
        fields: &NewBriefing,
        now: &str,
    ) -> Result<Briefing> {
        self.with_tx(|tx| {
            let id = briefings::draft_from_hits(tx, excerpt_ids, followup_ids, fields, now)?;
            briefings::get(tx, id)
        })
    }

    /// A new briefing drafted from what a search query matches (see
    /// [`briefings::draft_from_query`]).
    pub fn draft_briefing_from_query(
        &mut self,
        query: &str,
        fields: &NewBriefing,
        now: &str,
    ) -> Result<Briefing> {
        self.with_tx(|tx| {
            let id = briefings::draft_from_query(tx, query, fields, now)?;
            briefings::get(tx, id)
        })
    }
}

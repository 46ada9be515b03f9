//! Feed subscriptions and their inbox: what the analyst set for each feed, its polling state,
//! and every entry ever seen with its triage status.
//!
//! The decision a reader might question: an entry is never deleted when it leaves the feed or
//! is dismissed — its row is what stops it from coming back. It is keyed per feed by its guid,
//! else its link, else a hash of its text (the caller computes the key); an entry whose link is
//! already a source's URL (or the address a source was imported from) is not taken at all.

use rusqlite::{Connection, OptionalExtension, params};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Result, StoreError};

/// A feed subscription, as both front doors print it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Feed {
    pub id: i64,
    /// Stable across workspaces (archives, sync).
    pub uid: String,
    pub url: String,
    pub title: String,
    pub tags: Vec<String>,
    /// Minutes between polls.
    pub every: u32,
    pub full_text: bool,
    /// The query whose matches are kept at poll, if any.
    pub auto: Option<String>,
    pub last_polled: Option<String>,
    /// Why the last poll failed; `null` when it succeeded.
    pub last_error: Option<String>,
    /// When the feed is due next (`null`: now).
    pub next_poll: Option<String>,
    /// Polls in a row that failed.
    pub failures: u32,
    /// Entries seen, of every status.
    pub entries: u32,
    /// Entries waiting in the inbox.
    pub new_entries: u32,
    #[serde(skip)]
    #[ts(skip)]
    pub etag: Option<String>,
    #[serde(skip)]
    #[ts(skip)]
    pub last_modified: Option<String>,
}

/// What a new feed is given; everything but the URL has a default.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct NewFeed {
    pub url: String,
    pub title: Option<String>,
    pub tags: Vec<String>,
    pub every: Option<u32>,
    pub full_text: bool,
    pub auto: Option<String>,
}

/// Changes to a feed; `None` leaves a field as it is. `auto: Some("")` removes the query.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct FeedPatch {
    pub url: Option<String>,
    pub title: Option<String>,
    pub tags: Option<Vec<String>>,
    pub every: Option<u32>,
    pub full_text: Option<bool>,
    pub auto: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum EntryStatus {
    New,
    Kept,
    Dismissed,
}

impl EntryStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            EntryStatus::New => "new",
            EntryStatus::Kept => "kept",
            EntryStatus::Dismissed => "dismissed",
        }
    }
}

impl std::str::FromStr for EntryStatus {
    type Err = String;
    fn from_str(s: &str) -> std::result::Result<Self, String> {
        match s.trim().to_ascii_lowercase().as_str() {
            "new" => Ok(EntryStatus::New),
            "kept" => Ok(EntryStatus::Kept),
            "dismissed" => Ok(EntryStatus::Dismissed),
            other => Err(format!(
                "\"{other}\" is not an inbox status (new, kept or dismissed)"
            )),
        }
    }
}

/// An inbox entry. `summary` is plain text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct FeedEntry {
    pub id: i64,
    /// Its global id (a UUIDv7): the same on every replica of a team workspace, unlike `id`.
    pub uid: String,
    pub feed_id: i64,
    /// The feed's title: the outlet the entry comes from.
    pub feed_title: String,
    pub title: String,
    pub link: Option<String>,
    /// RFC 3339, as the feed dated it.
    pub published: Option<String>,
    pub summary: String,
    pub status: EntryStatus,
    /// The source kept from it.
    pub source_id: Option<i64>,
    /// A source already carrying this entry's story (its article, or a copy of it from another
    /// outlet), when the entry is still new: the inbox says so before it is kept.
    pub copy_of: Option<i64>,
}

/// An entry read from a feed, ready to be stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewEntry {
    pub key: String,
    pub title: String,
    pub link: Option<String>,
    pub published: Option<String>,
    pub summary: String,
}

const FEED_COLUMNS: &str =
    "f.id, f.url, f.title, f.tags, f.every_minutes, f.full_text, f.auto_query,
    f.last_polled, f.last_error, f.next_poll, f.failures,
    (SELECT count(*) FROM feed_entry e WHERE e.feed_id = f.id),
    (SELECT count(*) FROM feed_entry e WHERE e.feed_id = f.id AND e.status = 'new'),
    f.etag, f.last_modified, f.uid";

fn feed_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Feed> {
    let tags: String = r.get(3)?;
    Ok(Feed {
        id: r.get(0)?,
        url: r.get(1)?,
        title: r.get(2)?,
        tags: serde_json::from_str(&tags).unwrap_or_default(),
        every: r.get(4)?,
        full_text: r.get(5)?,
        auto: r.get(6)?,
        last_polled: r.get(7)?,
        last_error: r.get(8)?,
        next_poll: r.get(9)?,
        failures: r.get(10)?,
        entries: r.get(11)?,
        new_entries: r.get(12)?,
        etag: r.get(13)?,
        last_modified: r.get(14)?,
        uid: r.get(15)?,
    })
}

fn check_every(every: u32) -> Result<u32> {
    if every == 0 || every > 60 * 24 * 365 {
        return Err(StoreError::invalid(format!(
            "a feed is polled every 1 to 525600 minutes, not {every}"
        )));
    }
    Ok(every)
}

fn check_auto(auto: Option<String>) -> Result<Option<String>> {
    match auto.map(|q| q.trim().to_string()).filter(|q| !q.is_empty()) {
        Some(q) => {
            dossier_core::query::parse(&q).map_err(StoreError::Query)?;
            Ok(Some(q))
        }
        None => Ok(None),
    }
}

fn check_tags(tags: &[String]) -> Result<String> {
    let mut paths = Vec::new();
    for tag in tags {
        let t = tag.trim().trim_start_matches('#');
        if t.is_empty() {
            continue;
        }
        let path = dossier_core::TagPath::parse(t)?.as_str().to_string();
        if !paths.contains(&path) {
            paths.push(path);
        }
    }
    Ok(serde_json::to_string(&paths).expect("strings serialize"))
}

fn url_taken(conn: &Connection, url: &str, except: i64) -> Result<()> {
    let existing: Option<i64> = conn
        .query_row(
            "SELECT id FROM feed WHERE url = ?1 AND id <> ?2",
            params![url, except],
            |r| r.get(0),
        )
        .optional()?;
    match existing {
        Some(id) => Err(StoreError::FeedExists {
            id,
            url: url.to_string(),
        }),
        None => Ok(()),
    }
}

/// Subscribes to a feed. The URL must be unique; the caller has checked its scheme.
pub fn add(conn: &Connection, new: NewFeed, now: &str) -> Result<Feed> {
    let url = new.url.trim().to_string();
    if url.is_empty() {
        return Err(StoreError::invalid("a feed needs an address"));
    }
    url_taken(conn, &url, 0)?;
    let every = check_every(new.every.unwrap_or(60))?;
    let auto = check_auto(new.auto)?;
    let tags = check_tags(&new.tags)?;
    let uid = crate::originals::new_uid(conn)?;
    conn.execute(
        "INSERT INTO feed (uid, url, title, tags, every_minutes, full_text, auto_query, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8)",
        params![
            uid,
            url,
            new.title.as_deref().map(str::trim).unwrap_or(""),
            tags,
            every,
            new.full_text,
            auto,
            now
        ],
    )?;
    get(conn, conn.last_insert_rowid())
}

pub fn get(conn: &Connection, id: i64) -> Result<Feed> {
    conn.query_row(
        &format!("SELECT {FEED_COLUMNS} FROM feed f WHERE f.id = ?1"),
        [id],
        feed_from_row,
    )
    .optional()?
    .ok_or(StoreError::FeedNotFound(id))
}

pub fn list(conn: &Connection) -> Result<Vec<Feed>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {FEED_COLUMNS} FROM feed f ORDER BY lower(f.title), f.id"
    ))?;
    let rows = stmt
        .query_map([], feed_from_row)?
        .collect::<Result<_, _>>()?;
    Ok(rows)
}

/// The feeds due at `now`: never polled, or whose next poll time has come.
pub fn due(conn: &Connection, now: &str) -> Result<Vec<i64>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id FROM feed WHERE next_poll IS NULL OR next_poll <= ?1 ORDER BY id",
    )?;
    let rows = stmt
        .query_map([now], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    Ok(rows)
}

pub fn edit(conn: &Connection, id: i64, patch: FeedPatch, now: &str) -> Result<Feed> {
    let mut feed = get(conn, id)?;
    if let Some(url) = patch.url {
        let url = url.trim().to_string();
        if url.is_empty() {
            return Err(StoreError::invalid("a feed needs an address"));
        }
        url_taken(conn, &url, id)?;
        if url != feed.url {
            // Another address: its validators and schedule belong to the old one.
            conn.execute(
                "UPDATE feed SET url = ?2, etag = NULL, last_modified = NULL, next_poll = NULL,
                 failures = 0, last_error = NULL WHERE id = ?1",
                params![id, url],
            )?;
        }
    }
    if let Some(title) = patch.title {
        feed.title = title.trim().to_string();
    }
    let tags = match patch.tags {
        Some(tags) => check_tags(&tags)?,
        None => serde_json::to_string(&feed.tags).expect("strings serialize"),
    };
    if let Some(every) = patch.every {
        feed.every = check_every(every)?;
    }
    if let Some(full_text) = patch.full_text {
        feed.full_text = full_text;
    }
    if let Some(auto) = patch.auto {
        feed.auto = check_auto(Some(auto))?;
    }
    conn.execute(
        "UPDATE feed SET title = ?2, tags = ?3, every_minutes = ?4, full_text = ?5, auto_query = ?6,
         updated_at = ?7 WHERE id = ?1",
        params![
            id,
            feed.title,
            tags,
            feed.every,
            feed.full_text,
            feed.auto,
            now
        ],
    )?;
    get(conn, id)
}

/// Unsubscribes. Its entries go with it; sources kept from them stay.
pub fn remove(conn: &Connection, id: i64) -> Result<Feed> {
    let feed = get(conn, id)?;
    conn.execute("DELETE FROM feed WHERE id = ?1", [id])?;
    Ok(feed)
}

/// The outcome of one poll, as it is recorded on the feed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PollRecord<'a> {
    /// Read: new validators, and the feed's own title (used when the analyst gave none).
    Read {
        etag: Option<&'a str>,
        last_modified: Option<&'a str>,
        title: Option<&'a str>,
    },
    /// 304: nothing changed.
    NotModified,
    Failed(&'a str),
}

/// Records a poll on the feed: when it happened, when the next is due, and what went wrong.
pub fn record_poll(
    conn: &Connection,
    id: i64,
    record: PollRecord<'_>,
    now: &str,
    next_poll: &str,
) -> Result<()> {
    match record {
        PollRecord::Read {
            etag,
            last_modified,
            title,
        } => {
            conn.execute(
                "UPDATE feed SET etag = ?2, last_modified = ?3, last_polled = ?4, next_poll = ?5,
                 last_error = NULL, failures = 0,
                 title = CASE WHEN title = '' THEN coalesce(?6, '') ELSE title END
                 WHERE id = ?1",
                params![id, etag, last_modified, now, next_poll, title],
            )?;
        }
        PollRecord::NotModified => {
            conn.execute(
                "UPDATE feed SET last_polled = ?2, next_poll = ?3, last_error = NULL, failures = 0
                 WHERE id = ?1",
                params![id, now, next_poll],
            )?;
        }
        PollRecord::Failed(reason) => {
            conn.execute(
                "UPDATE feed SET last_polled = ?2, next_poll = ?3, last_error = ?4,
                 failures = failures + 1 WHERE id = ?1",
                params![id, now, next_poll, reason],
            )?;
        }
    }
    Ok(())
}

/// Stores an entry unless it was seen before in this feed or its link is already a source.
/// Returns the new entry's id.
pub fn insert_entry(
    conn: &Connection,
    feed_id: i64,
    entry: &NewEntry,
    now: &str,
) -> Result<Option<i64>> {
    let seen: bool = conn
        .prepare_cached(
            "SELECT EXISTS (SELECT 1 FROM feed_entry WHERE feed_id = ?1 AND entry_key = ?2)",
        )?
        .query_row(params![feed_id, entry.key], |r| r.get(0))?;
    if seen {
        return Ok(None);
    }
    if let Some(link) = &entry.link
        && source_with_url(conn, link)?.is_some()
    {
        return Ok(None);
    }
    let uid = crate::originals::new_uid(conn)?;
    conn.prepare_cached(
        "INSERT INTO feed_entry (uid, feed_id, entry_key, title, link, published, summary, seen_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8)",
    )?
    .execute(params![
        uid,
        feed_id,
        entry.key,
        entry.title,
        entry.link,
        entry.published,
        entry.summary,
        now
    ])?;
    Ok(Some(conn.last_insert_rowid()))
}

/// The source whose URL (canonical, or the address it was imported from) is `url`.
pub fn source_with_url(conn: &Connection, url: &str) -> Result<Option<i64>> {
    Ok(conn
        .prepare_cached(
            "SELECT id FROM source WHERE url = ?1 UNION ALL SELECT id FROM source WHERE origin = ?1 LIMIT 1",
        )?
        .query_row([url], |r| r.get(0))
        .optional()?)
}

const ENTRY_COLUMNS: &str = "e.id, e.feed_id, f.title, e.title, e.link, e.published, e.summary,
    e.status, e.source_id, e.uid";

fn entry_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<FeedEntry> {
    let status: String = r.get(7)?;
    Ok(FeedEntry {
        id: r.get(0)?,
        uid: r.get(9)?,
        feed_id: r.get(1)?,
        feed_title: r.get(2)?,
        title: r.get(3)?,
        link: r.get(4)?,
        published: r.get(5)?,
        summary: r.get(6)?,
        status: status.parse().map_err(|e: String| {
            rusqlite::Error::FromSqlConversionFailure(7, rusqlite::types::Type::Text, e.into())
        })?,
        source_id: r.get(8)?,
        copy_of: None,
    })
}

pub fn get_entry(conn: &Connection, id: i64) -> Result<FeedEntry> {
    conn.query_row(
        &format!("SELECT {ENTRY_COLUMNS} FROM feed_entry e JOIN feed f ON f.id = e.feed_id WHERE e.id = ?1"),
        [id],
        entry_from_row,
    )
    .optional()?
    .ok_or(StoreError::EntryNotFound(id))
}

/// Inbox entries, newest first (by publication date, else when first seen).
pub fn entries(
    conn: &Connection,
    feed: Option<i64>,
    status: Option<EntryStatus>,
) -> Result<Vec<FeedEntry>> {
    if let Some(id) = feed {
        get(conn, id)?;
    }
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {ENTRY_COLUMNS} FROM feed_entry e JOIN feed f ON f.id = e.feed_id
         WHERE (?1 IS NULL OR e.feed_id = ?1) AND (?2 IS NULL OR e.status = ?2)
         ORDER BY coalesce(e.published, e.seen_at) DESC, e.id DESC"
    ))?;
    let rows = stmt
        .query_map(
            params![feed, status.map(EntryStatus::as_str)],
            entry_from_row,
        )?
        .collect::<Result<_, _>>()?;
    Ok(rows)
}

/// Sets an entry's status (and the source kept from it).
pub fn set_status(
    conn: &Connection,
    id: i64,
    status: EntryStatus,
    source_id: Option<i64>,
    now: &str,
) -> Result<FeedEntry> {
    get_entry(conn, id)?;
    conn.execute(
        "UPDATE feed_entry SET status = ?2, source_id = coalesce(?3, source_id), updated_at = ?4
         WHERE id = ?1",
        params![id, status.as_str(), source_id, now],
    )?;
    get_entry(conn, id)
}

/// Counts of new entries per feed, for the sidebar.
pub fn new_counts(conn: &Connection) -> Result<Vec<(i64, u32)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT feed_id, count(*) FROM feed_entry WHERE status = 'new' GROUP BY feed_id ORDER BY feed_id",
    )?;
    let rows = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<Result<_, _>>()?;
    Ok(rows)
}

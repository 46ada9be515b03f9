//! Feed subscriptions and polling. Every feed due is fetched and read first, outside any
//! transaction (on a few threads), then each feed's results are written in a transaction of
//! its own: the write lock is never held across the network, so `dossier feed poll` from cron
//! and the app's own timer can run together (the store's busy timeout covers the short writes),
//! and one feed's failure is recorded on that feed alone.

use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use dossier_core::SourceSummary;
use dossier_ingest::feed::{
    FeedFailure, FeedOptions, FeedResponse, ParsedFeed, Validators, fetch_feed, parse_feed,
};
use dossier_store::Workspace;
use dossier_store::feeds::{
    self, EntryStatus, Feed, FeedEntry, FeedPatch, NewEntry, NewFeed, PollRecord,
};
use dossier_store::imports::{self, ImportedText, Stored};
use serde::Serialize;
use ts_rs::TS;

use crate::CommandError;
use crate::import::ImportOptions;

/// One feed's part of a poll.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct FeedPolled {
    pub id: i64,
    pub new: u32,
    pub error: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, TS)]
pub struct PollReport {
    pub feeds: Vec<FeedPolled>,
    pub new: u32,
    pub auto_kept: u32,
}

pub fn add(ws: &mut Workspace, new: NewFeed, now: &str) -> Result<Feed, CommandError> {
    if !dossier_ingest::fetch::is_url(&new.url) {
        return Err(CommandError::new(
            "bad_url",
            format!(
                "{}: only http:// and https:// feeds can be followed",
                new.url.trim()
            ),
        ));
    }
    Ok(ws.with_tx(|tx| feeds::add(tx, new, now))?)
}

/// The feeds due for a poll at `now` (the app's poller asks before opening a write).
pub fn due(ws: &Workspace, now: &str) -> Result<Vec<i64>, CommandError> {
    Ok(feeds::due(ws.conn(), now)?)
}

pub fn list(ws: &Workspace) -> Result<Vec<Feed>, CommandError> {
    Ok(feeds::list(ws.conn())?)
}

fn plus_seconds(now: &str, seconds: i64) -> String {
    let format = time::format_description::well_known::Rfc3339;
    let out = time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]Z");
    time::OffsetDateTime::parse(now, &format)
        .map(|t| {
            (t + time::Duration::seconds(seconds))
                .to_offset(time::UtcOffset::UTC)
                .format(out)
                .unwrap_or_else(|_| now.to_string())
        })
        .unwrap_or_else(|_| now.to_string())
}

/// When a feed that failed `failures` times in a row is tried again: its interval doubled per
/// failure (at most a day), and never before the server's `Retry-After` (in seconds).
fn retry_delay(every: u32, failures: u32, retry_after: Option<&str>) -> i64 {
    let backoff = (i64::from(every) * 60) << failures.saturating_sub(1).min(10);
    let backoff = backoff.min(24 * 3600);
    let asked = retry_after
        .and_then(|r| r.trim().parse::<i64>().ok())
        .unwrap_or(0)
        .clamp(0, 7 * 24 * 3600);
    backoff.max(asked)
}

type Fetched = Result<Option<(ParsedFeed, Validators)>, FeedFailure>;

fn fetch_one(feed: &Feed, options: &FeedOptions) -> Fetched {
    let validators = Validators {
        etag: feed.etag.clone(),
        last_modified: feed.last_modified.clone(),
    };
    match fetch_feed(&feed.url, &validators, options)? {
        FeedResponse::NotModified => Ok(None),
        FeedResponse::Body {
            bytes,
            final_url,
            validators,
            ..
        } => parse_feed(&bytes, &final_url, options)
            .map(|parsed| Some((parsed, validators)))
            .map_err(|message| FeedFailure {
                message,
                retry_after: None,
            }),
    }
}

/// Polls the feeds named (all those due at `now` when none is, every feed with `all`).
///
/// Then what is kept automatically is captured: every new entry of a `full_text` feed (when
/// the feed also has an `auto` query, only those whose article matches it), and the new
/// entries of an `auto` feed whose title and summary match its query. Their articles are
/// fetched outside any transaction too; an entry whose article cannot be fetched stays in the
/// inbox. `auto_kept` counts them.
pub fn poll(
    ws: &mut Workspace,
    ids: &[i64],
    all: bool,
    options: &FeedOptions,
    import: &ImportOptions,
    now: &str,
) -> Result<PollReport, CommandError> {
    let chosen: Vec<Feed> = if !ids.is_empty() {
        ids.iter()
            .map(|&id| feeds::get(ws.conn(), id))
            .collect::<Result<_, _>>()?
    } else if all {
        feeds::list(ws.conn())?
    } else {
        feeds::due(ws.conn(), now)?
            .into_iter()
            .map(|id| feeds::get(ws.conn(), id))
            .collect::<Result<_, _>>()?
    };
    let results = in_parallel(&chosen, |feed| fetch_one(feed, options));
    let mut report = PollReport::default();
    let mut to_capture: Vec<Capture> = Vec::new();
    for (feed, fetched) in chosen.iter().zip(results) {
        let (new, error, capture) = ws.with_tx(|tx| match &fetched {
            Ok(None) => {
                let next = plus_seconds(now, i64::from(feed.every) * 60);
                feeds::record_poll(tx, feed.id, PollRecord::NotModified, now, &next)?;
                Ok((0, None, Vec::new()))
            }
            Ok(Some((parsed, validators))) => {
                let mut new = 0;
                let mut capture = Vec::new();
                for e in &parsed.entries {
                    let entry = NewEntry {
                        key: e.key.clone(),
                        title: e.title.clone(),
                        link: e.link.clone(),
                        published: e.published.clone(),
                        summary: e.summary.clone(),
                    };
                    let Some(entry_id) = feeds::insert_entry(tx, feed.id, &entry, now)? else {
                        continue;
                    };
                    new += 1;
                    if feed.full_text {
                        capture.push(Capture {
                            entry: entry_id,
                            tags: feed.tags.clone(),
                            outlet: feed.title.clone(),
                            must_match: feed.auto.clone(),
                        });
                    } else if let Some(query) = &feed.auto {
                        let text = format!("{}\n\n{}", entry.title, entry.summary);
                        if text_matches(tx, query, &entry.title, &text, &feed.tags, now)? {
                            capture.push(Capture {
                                entry: entry_id,
                                tags: feed.tags.clone(),
                                outlet: feed.title.clone(),
                                must_match: None,
                            });
                        }
                    }
                }
                let next = plus_seconds(now, i64::from(feed.every) * 60);
                feeds::record_poll(
                    tx,
                    feed.id,
                    PollRecord::Read {
                        etag: validators.etag.as_deref(),
                        last_modified: validators.last_modified.as_deref(),
                        title: parsed.title.as_deref(),
                    },
                    now,
                    &next,
                )?;
                Ok((new, None, capture))
            }
            Err(failure) => {
                let delay = retry_delay(
                    feed.every,
                    feed.failures + 1,
                    failure.retry_after.as_deref(),
                );
                let next = plus_seconds(now, delay);
                feeds::record_poll(
                    tx,
                    feed.id,
                    PollRecord::Failed(&failure.message),
                    now,
                    &next,
                )?;
                Ok((0, Some(failure.message.clone()), Vec::new()))
            }
        })?;
        report.new += new;
        report.feeds.push(FeedPolled {
            id: feed.id,
            new,
            error,
        });
        to_capture.extend(capture);
    }
    if !to_capture.is_empty() {
        for outcome in capture(ws, &to_capture, import, now)? {
            if matches!(outcome, Ok(Some(_))) {
                report.auto_kept += 1;
            }
        }
    }
    Ok(report)
}

/// Runs `f` on every item on at most 8 threads, keeping the order.
fn in_parallel<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<Option<R>>> = Mutex::new((0..items.len()).map(|_| None).collect());
    std::thread::scope(|s| {
        for _ in 0..items.len().clamp(1, 8) {
            s.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(item) = items.get(i) else { break };
                    let out = f(item);
                    results.lock().expect("no worker panics holding it")[i] = Some(out);
                }
            });
        }
    });
    results
        .into_inner()
        .expect("no worker panics holding it")
        .into_iter()
        .map(|r| r.expect("every item was done"))
        .collect()
}

/// Whether `text` matches `query` in the search language, as a source with these tags would:
/// the text is stored as a source inside a savepoint, searched for, and rolled back, so the
/// query means exactly what it means in the search box (words folded, the taxonomy's
/// other-language words, `#tags`).
fn text_matches(
    conn: &rusqlite::Connection,
    query: &str,
    title: &str,
    text: &str,
    tags: &[String],
    now: &str,
) -> dossier_store::Result<bool> {
    conn.execute_batch("SAVEPOINT feed_auto")?;
    let outcome = (|| {
        let added = dossier_store::sources::add(
            conn,
            dossier_core::NewSource {
                title: title.to_string(),
                tags: tags.to_vec(),
                body: text.to_string(),
                ..Default::default()
            },
            now,
        );
        let id = match added {
            Ok(a) => a.id,
            // The same text is a source already: nothing new to keep.
            Err(_) => return Ok(false),
        };
        source_matches(conn, query, id)
    })();
    conn.execute_batch("ROLLBACK TO feed_auto; RELEASE feed_auto")?;
    outcome
}

fn source_matches(
    conn: &rusqlite::Connection,
    query: &str,
    id: i64,
) -> dossier_store::Result<bool> {
    let items = dossier_store::search::matching_items(conn, &format!("({query}) source:{id}"))?;
    Ok(items
        .iter()
        .any(|&(kind, item)| kind == dossier_core::query::ItemKind::Source && item == id))
}

/// An inbox entry to capture as a source.
#[derive(Debug, Clone)]
struct Capture {
    entry: i64,
    tags: Vec<String>,
    /// The feed's title, the outlet when the article names none.
    outlet: String,
    /// Keep it only when the captured text matches this query.
    must_match: Option<String>,
}

/// One entry kept (`source` is what it became) or not (`error` says why).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct KeptEntry {
    pub id: i64,
    pub source: Option<SourceSummary>,
    pub error: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, TS)]
pub struct KeepReport {
    pub kept: Vec<KeptEntry>,
    /// Entries whose article could not be captured; they stay in the inbox.
    pub failed: u32,
}

/// What an entry is read into before it is stored: its article, its own text, or a source
/// that already has it.
enum Read {
    Text(Box<ImportedText>),
    Existing(i64),
}

fn read_entry(
    entry: &FeedEntry,
    c: &Capture,
    import: &ImportOptions,
    now: &str,
) -> Result<Read, String> {
    let mut options = import.clone();
    options.tags = c.tags.clone();
    let mut imported = match &entry.link {
        Some(link) => {
            let read = dossier_ingest::read_url_with(
                link,
                &options.limits,
                &options.fetch,
                now,
                &options.ocr,
            )
            .map_err(|e| e.to_string())?;
            crate::import::to_imported(read, &options)
        }
        // No article to fetch: the entry's own text is what there is.
        None => ImportedText {
            source: dossier_core::NewSource {
                title: entry.title.clone(),
                body: format!("{}\n\n{}", entry.title, entry.summary),
                tags: options.tags.clone(),
                marking: options.marking,
                ..Default::default()
            },
            pages: None,
            format: Some("text".into()),
            retrieved_at: None,
            ocr: None,
            original: None,
            not_kept: None,
            size_not_kept: None,
        },
    };
    let source = &mut imported.source;
    if source.outlet.as_deref().is_none_or(|o| o.trim().is_empty()) && !c.outlet.is_empty() {
        source.outlet = Some(c.outlet.clone());
    }
    if source.published.is_none() {
        source.published = entry
            .published
            .as_deref()
            .and_then(|p| p.get(..10))
            .map(str::to_string);
    }
    if source.title.trim().is_empty() {
        source.title = entry.title.clone();
    }
    Ok(Read::Text(Box::new(imported)))
}

/// Captures entries as sources: articles fetched on a few threads outside any transaction,
/// then each entry stored and marked kept in a transaction of its own. An entry already kept
/// gives its source again; one whose link is already a source's address is linked to it
/// without fetching.
fn capture(
    ws: &mut Workspace,
    items: &[Capture],
    import: &ImportOptions,
    now: &str,
) -> Result<Vec<Result<Option<SourceSummary>, String>>, CommandError> {
    let mut entries = Vec::with_capacity(items.len());
    for c in items {
        entries.push(feeds::get_entry(ws.conn(), c.entry)?);
    }
    let mut pre: Vec<Option<Read>> = Vec::with_capacity(items.len());
    for e in &entries {
        let known = match (&e.source_id, &e.link) {
            (Some(id), _) if e.status == EntryStatus::Kept => Some(*id),
            (_, Some(link)) => feeds::source_with_url(ws.conn(), link)?,
            _ => None,
        };
        pre.push(known.map(Read::Existing));
    }
    let work: Vec<(usize, &FeedEntry, &Capture)> = entries
        .iter()
        .zip(items)
        .enumerate()
        .filter(|(i, _)| pre[*i].is_none())
        .map(|(i, (e, c))| (i, e, c))
        .collect();
    let read = in_parallel(&work, |(_, e, c)| read_entry(e, c, import, now));
    let mut reads: Vec<Option<Result<Read, String>>> = pre.into_iter().map(|p| p.map(Ok)).collect();
    for ((i, _, _), r) in work.iter().zip(read) {
        reads[*i] = Some(r);
    }
    let mut out = Vec::with_capacity(items.len());
    for ((entry, c), read) in entries.iter().zip(items).zip(reads) {
        let read = read.expect("every entry was read");
        let outcome = match read {
            Err(e) => Err(e),
            Ok(read) => ws
                .with_tx(|tx| {
                    let id = match read {
                        Read::Existing(id) => id,
                        Read::Text(imported) => {
                            tx.execute_batch("SAVEPOINT feed_keep")?;
                            let stored = imports::store(tx, *imported, now);
                            let id = match stored {
                                Ok(Stored::Added(id) | Stored::AlreadyPresent(id)) => id,
                                Ok(Stored::Reimported(o)) => o.source_id,
                                Err(e) => {
                                    tx.execute_batch("ROLLBACK TO feed_keep; RELEASE feed_keep")?;
                                    return Err(e);
                                }
                            };
                            if let Some(query) = &c.must_match
                                && !source_matches(tx, query, id)?
                            {
                                tx.execute_batch("ROLLBACK TO feed_keep; RELEASE feed_keep")?;
                                return Ok(None);
                            }
                            tx.execute_batch("RELEASE feed_keep")?;
                            id
                        }
                    };
                    feeds::set_status(tx, entry.id, EntryStatus::Kept, Some(id), now)?;
                    Ok(Some(dossier_store::sources::summary(tx, id)?))
                })
                .map_err(|e| e.to_string()),
        };
        out.push(outcome);
    }
    Ok(out)
}

/// Keeps inbox entries: each one's article is captured through the importer (its full text,
/// with the feed's tags) and the entry is marked kept with its source. An entry whose article
/// cannot be fetched stays as it was, with the reason.
pub fn keep(
    ws: &mut Workspace,
    ids: &[i64],
    import: &ImportOptions,
    now: &str,
) -> Result<KeepReport, CommandError> {
    let mut items = Vec::with_capacity(ids.len());
    for &id in ids {
        let entry = feeds::get_entry(ws.conn(), id)?;
        let feed = feeds::get(ws.conn(), entry.feed_id)?;
        items.push(Capture {
            entry: id,
            tags: feed.tags,
            outlet: feed.title,
            must_match: None,
        });
    }
    let mut report = KeepReport::default();
    for (&id, outcome) in ids.iter().zip(capture(ws, &items, import, now)?) {
        match outcome {
            Ok(source) => report.kept.push(KeptEntry {
                id,
                source,
                error: None,
            }),
            Err(error) => {
                report.failed += 1;
                report.kept.push(KeptEntry {
                    id,
                    source: None,
                    error: Some(error),
                });
            }
        }
    }
    Ok(report)
}

/// Dismisses inbox entries (they never come back).
pub fn dismiss(ws: &mut Workspace, ids: &[i64], now: &str) -> Result<Vec<FeedEntry>, CommandError> {
    Ok(ws.with_tx(|tx| {
        ids.iter()
            .map(|&id| feeds::set_status(tx, id, EntryStatus::Dismissed, None, now))
            .collect::<Result<Vec<_>, _>>()
    })?)
}

/// New entries checked for a copy among the sources, newest first.
const COPY_CHECKS: usize = 1000;

/// Inbox entries, newest first; a new entry whose story is already a source says which (for
/// the 1,000 newest).
pub fn entries(
    ws: &Workspace,
    feed: Option<i64>,
    status: Option<EntryStatus>,
) -> Result<Vec<FeedEntry>, CommandError> {
    let mut list = feeds::entries(ws.conn(), feed, status)?;
    let has_sources: bool = ws
        .conn()
        .query_row("SELECT EXISTS (SELECT 1 FROM source)", [], |r| r.get(0))
        .map_err(dossier_store::StoreError::from)?;
    // The story check costs a shingling per entry: the newest entries are the ones looked at.
    for e in list
        .iter_mut()
        .filter(|e| e.status == EntryStatus::New)
        .take(COPY_CHECKS)
    {
        if !has_sources {
            break;
        }
        e.copy_of = match &e.link {
            Some(link) => feeds::source_with_url(ws.conn(), link)?,
            None => None,
        };
        if e.copy_of.is_none() {
            let text = format!("{}\n\n{}", e.title, e.summary);
            e.copy_of = dossier_store::stories::copies_of_text(ws.conn(), &text, 0)?
                .first()
                .map(|c| c.id);
        }
    }
    Ok(list)
}

pub fn get(ws: &Workspace, id: i64) -> Result<Feed, CommandError> {
    Ok(feeds::get(ws.conn(), id)?)
}

pub fn edit(
    ws: &mut Workspace,
    id: i64,
    patch: FeedPatch,
    now: &str,
) -> Result<Feed, CommandError> {
    if let Some(url) = &patch.url
        && !dossier_ingest::fetch::is_url(url)
    {
        return Err(CommandError::new(
            "bad_url",
            format!(
                "{}: only http:// and https:// feeds can be followed",
                url.trim()
            ),
        ));
    }
    Ok(ws.with_tx(|tx| feeds::edit(tx, id, patch, now))?)
}

/// Unsubscribes; the sources kept from the feed stay.
pub fn remove(ws: &mut Workspace, id: i64) -> Result<Feed, CommandError> {
    Ok(ws.with_tx(|tx| feeds::remove(tx, id))?)
}

/// New entries waiting in the inbox, in all feeds.
pub fn inbox_count(ws: &Workspace) -> Result<u32, CommandError> {
    Ok(feeds::new_counts(ws.conn())?.iter().map(|(_, n)| n).sum())
}

/// What an OPML import did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, TS)]
pub struct OpmlImport {
    pub added: Vec<Feed>,
    /// Addresses already followed, left as they are.
    pub already: Vec<String>,
}

/// Subscribes to every feed of an OPML list not followed yet, in one transaction.
pub fn import_opml(
    ws: &mut Workspace,
    bytes: &[u8],
    now: &str,
) -> Result<OpmlImport, CommandError> {
    let list =
        dossier_ingest::feed::parse_opml(bytes).map_err(|m| CommandError::new("bad_opml", m))?;
    Ok(ws.with_tx(|tx| {
        let mut report = OpmlImport::default();
        for f in list {
            let exists: bool = tx.query_row(
                "SELECT EXISTS (SELECT 1 FROM feed WHERE url = ?1)",
                [&f.url],
                |r| r.get(0),
            )?;
            if exists || report.added.iter().any(|a| a.url == f.url) {
                report.already.push(f.url);
                continue;
            }
            report.added.push(feeds::add(
                tx,
                NewFeed {
                    url: f.url,
                    title: f.title,
                    ..Default::default()
                },
                now,
            )?);
        }
        Ok(report)
    })?)
}

/// Every feed as an OPML 2.0 list.
pub fn export_opml(ws: &Workspace) -> Result<String, CommandError> {
    let list: Vec<(String, String)> = feeds::list(ws.conn())?
        .into_iter()
        .map(|f| (f.url, f.title))
        .collect();
    Ok(dossier_ingest::feed::write_opml(&list, "Dossier feeds"))
}

#[cfg(test)]
mod tests {
    #[test]
    fn failures_back_off_and_retry_after_is_honoured() {
        assert_eq!(super::retry_delay(60, 1, None), 3600);
        assert_eq!(super::retry_delay(60, 2, None), 7200);
        assert_eq!(super::retry_delay(60, 9, None), 24 * 3600, "at most a day");
        assert_eq!(super::retry_delay(1, 1, Some("300")), 300);
        assert_eq!(
            super::plus_seconds("2026-12-06T10:42:00Z", 3600),
            "2026-12-06T11:42:00Z"
        );
    }
}

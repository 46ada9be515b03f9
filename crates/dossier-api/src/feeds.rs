//! Feed subscriptions and polling. Every feed due is fetched and read first, outside any
//! transaction (on a few threads), then each feed's results are written in a transaction of
//! its own: the write lock is never held across the network, so `dossier feed poll` from cron
//! and the app's own timer can run together (the store's busy timeout covers the short writes),
//! and one feed's failure is recorded on that feed alone.

use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use dossier_ingest::feed::{
    FeedFailure, FeedOptions, FeedResponse, ParsedFeed, Validators, fetch_feed, parse_feed,
};
use dossier_store::Workspace;
use dossier_store::feeds::{self, Feed, NewEntry, NewFeed, PollRecord};
use serde::Serialize;
use ts_rs::TS;

use crate::CommandError;

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
pub fn poll(
    ws: &mut Workspace,
    ids: &[i64],
    all: bool,
    options: &FeedOptions,
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
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<Option<Fetched>>> = Mutex::new(vec![None; chosen.len()]);
    std::thread::scope(|s| {
        for _ in 0..chosen.len().clamp(1, 8) {
            s.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(feed) = chosen.get(i) else { break };
                    let fetched = fetch_one(feed, options);
                    results.lock().expect("no poller panics holding it")[i] = Some(fetched);
                }
            });
        }
    });
    let results = results.into_inner().expect("no poller panics holding it");
    let mut report = PollReport::default();
    for (feed, fetched) in chosen.iter().zip(results) {
        let fetched = fetched.expect("every feed was fetched");
        let (new, error) = ws.with_tx(|tx| match &fetched {
            Ok(None) => {
                let next = plus_seconds(now, i64::from(feed.every) * 60);
                feeds::record_poll(tx, feed.id, PollRecord::NotModified, now, &next)?;
                Ok((0, None))
            }
            Ok(Some((parsed, validators))) => {
                let mut new = 0;
                for e in &parsed.entries {
                    let entry = NewEntry {
                        key: e.key.clone(),
                        title: e.title.clone(),
                        link: e.link.clone(),
                        published: e.published.clone(),
                        summary: e.summary.clone(),
                    };
                    if feeds::insert_entry(tx, feed.id, &entry, now)?.is_some() {
                        new += 1;
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
                Ok((new, None))
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
                Ok((0, Some(failure.message.clone())))
            }
        })?;
        report.new += new;
        report.feeds.push(FeedPolled {
            id: feed.id,
            new,
            error,
        });
    }
    Ok(report)
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

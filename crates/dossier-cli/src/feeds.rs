//! `dossier feed …` (subscriptions, polling, OPML) and `dossier inbox …` (triage of the
//! entries polls bring): clap definitions and handlers kept together here.
//!
//! Output: with `--json`, one document; without, plain sentences ("last checked 10:42; the
//! server answered 503, trying again at 11:42"). The decision a reader might question: a poll
//! in which some feeds failed still exits 0 — a server answering 503 is the feed's state, not
//! the command's failure (cron would otherwise mail every outage); the errors are in the JSON and
//! in `feed list`. `inbox keep` exits 1 after printing when an article could not be captured,
//! as `import` does.

use std::path::PathBuf;
use std::time::Duration;

use clap::Subcommand;
use dossier_api::feeds as api;
use dossier_api::import::ImportOptions;
use dossier_ingest::feed::FeedOptions;
use dossier_store::Workspace;
use dossier_store::feeds::{EntryStatus, Feed, FeedEntry, FeedPatch, NewFeed};
use serde_json::json;

use crate::print::{Out, one_line};

#[derive(Debug, Subcommand)]
pub enum FeedCmd {
    /// Follow a feed (RSS, Atom or JSON Feed)
    Add {
        /// The feed's http(s) address
        url: String,
        #[arg(long)]
        title: Option<String>,
        /// Tag what is kept from the feed; repeat for several
        #[arg(long = "tag", value_name = "TAG")]
        tags: Vec<String>,
        /// Minutes between polls [default: 60]
        #[arg(long, value_name = "MINUTES", value_parser = clap::value_parser!(u32).range(1..=525_600))]
        every: Option<u32>,
        /// Capture every new entry's article as a source at once
        #[arg(long)]
        full_text: bool,
        /// Keep automatically the entries matching this query (search language)
        #[arg(long, value_name = "QUERY", allow_hyphen_values = true)]
        auto: Option<String>,
    },
    /// The feeds followed and the state of each
    List,
    /// One feed and its state
    Show { id: i64 },
    /// Change a feed's title, tags, interval, full text or automatic query
    Edit {
        id: i64,
        #[arg(long)]
        url: Option<String>,
        #[arg(long)]
        title: Option<String>,
        /// Replace the feed's tags; repeat for several (`--tag ''` removes them all)
        #[arg(long = "tag", value_name = "TAG")]
        tags: Vec<String>,
        #[arg(long, value_name = "MINUTES", value_parser = clap::value_parser!(u32).range(1..=525_600))]
        every: Option<u32>,
        #[arg(long, conflicts_with = "no_full_text")]
        full_text: bool,
        #[arg(long)]
        no_full_text: bool,
        #[arg(
            long,
            value_name = "QUERY",
            allow_hyphen_values = true,
            conflicts_with = "no_auto"
        )]
        auto: Option<String>,
        #[arg(long)]
        no_auto: bool,
    },
    /// Stop following a feed (what was kept from it stays)
    Remove { id: i64 },
    /// Poll now: the feeds named, else every feed due (`--all`: every feed)
    Poll {
        ids: Vec<i64>,
        #[arg(long, conflicts_with = "ids")]
        all: bool,
        /// Seconds allowed for fetching one feed or article
        #[arg(long, value_name = "SECONDS", default_value_t = 30, value_parser = clap::value_parser!(u64).range(1..=3600))]
        timeout: u64,
    },
    /// Follow every feed of an OPML file (those followed already are left as they are)
    Import { file: PathBuf },
    /// Write every feed followed to an OPML file
    Export { file: PathBuf },
}

#[derive(Debug, Subcommand)]
pub enum InboxCmd {
    /// Entries brought by polls, newest first
    List {
        #[arg(long = "feed", value_name = "ID")]
        feed: Option<i64>,
        /// new, kept or dismissed [default: every status]
        #[arg(long, value_parser = parse_status)]
        status: Option<EntryStatus>,
    },
    /// Capture entries' articles as sources (with their feed's tags)
    Keep {
        #[arg(required = true)]
        ids: Vec<i64>,
        /// Seconds allowed for fetching one article
        #[arg(long, value_name = "SECONDS", default_value_t = 30, value_parser = clap::value_parser!(u64).range(1..=3600))]
        timeout: u64,
    },
    /// Dismiss entries (they never come back)
    Dismiss {
        #[arg(required = true)]
        ids: Vec<i64>,
    },
}

fn parse_status(s: &str) -> Result<EntryStatus, String> {
    s.parse()
}

/// Whether the command writes (the automatic backup runs first).
pub fn writes(feed: Option<&FeedCmd>, inbox: Option<&InboxCmd>) -> bool {
    !matches!(
        (feed, inbox),
        (
            Some(FeedCmd::List | FeedCmd::Show { .. } | FeedCmd::Export { .. }),
            _
        ) | (_, Some(InboxCmd::List { .. }))
    )
}

fn import_options(timeout: u64) -> ImportOptions {
    let mut options = ImportOptions::default();
    options.fetch.timeout = Duration::from_secs(timeout);
    options
}

fn feed_json(f: &Feed) -> serde_json::Value {
    serde_json::to_value(f).expect("records serialize")
}

/// "10:42" when `at` is on the day of `now`, else "2026-12-05 10:42" (UTC, as stored).
fn when(at: &str, now: &str) -> String {
    let (day, time) = (at.get(..10).unwrap_or(at), at.get(11..16).unwrap_or(""));
    if now.get(..10) == Some(day) {
        time.to_string()
    } else {
        format!("{day} {time}")
    }
}

/// A feed's state in plain words.
pub fn state(f: &Feed, now: &str) -> String {
    let Some(polled) = &f.last_polled else {
        return "never checked yet; due now".into();
    };
    let mut out = format!("last checked {}", when(polled, now));
    match (&f.last_error, &f.next_poll) {
        (Some(error), Some(next)) => {
            out.push_str(&format!("; {error}, trying again at {}", when(next, now)))
        }
        (Some(error), None) => out.push_str(&format!("; {error}")),
        (None, Some(next)) => out.push_str(&format!("; next check at {}", when(next, now))),
        (None, None) => {}
    }
    out
}

fn feed_text(f: &Feed, now: &str) -> String {
    let mut out = format!(
        "{}  {}\n    {}\n    {}; {} entries, {} new; every {} min",
        f.id,
        if f.title.is_empty() {
            "(untitled)"
        } else {
            &f.title
        },
        f.url,
        state(f, now),
        f.entries,
        f.new_entries,
        f.every
    );
    if !f.tags.is_empty() {
        out.push_str(&format!("; tags {}", f.tags.join(", ")));
    }
    if f.full_text {
        out.push_str("; full text");
    }
    if let Some(q) = &f.auto {
        out.push_str(&format!("; keeps automatically: {q}"));
    }
    out.push('\n');
    out
}

fn entry_text(e: &FeedEntry) -> String {
    let status = match e.status {
        EntryStatus::New => "new",
        EntryStatus::Kept => "kept",
        EntryStatus::Dismissed => "dismissed",
    };
    let mut out = format!(
        "{}  [{status}] {}\n    {} · {}",
        e.id,
        one_line(&e.title, 120),
        if e.feed_title.is_empty() {
            "feed"
        } else {
            &e.feed_title
        },
        e.published.as_deref().unwrap_or("undated"),
    );
    if let Some(link) = &e.link {
        out.push_str(&format!(" · {link}"));
    }
    if let Some(id) = e.source_id {
        out.push_str(&format!("\n    kept as source {id}"));
    } else if let Some(id) = e.copy_of {
        out.push_str(&format!("\n    already a source: {id}"));
    }
    if !e.summary.is_empty() {
        out.push_str(&format!("\n    {}", one_line(&e.summary, 200)));
    }
    out.push('\n');
    out
}

pub fn feed(ws: &mut Workspace, cmd: FeedCmd, now: &str, out: &Out) -> anyhow::Result<()> {
    match cmd {
        FeedCmd::Add {
            url,
            title,
            tags,
            every,
            full_text,
            auto,
        } => {
            let f = api::add(
                ws,
                NewFeed {
                    url,
                    title,
                    tags,
                    every,
                    full_text,
                    auto,
                },
                now,
            )?;
            out.created(f.id, &feed_json(&f));
        }
        FeedCmd::List => {
            let list = api::list(ws)?;
            let text = if list.is_empty() {
                "No feeds. Follow one with: dossier feed add URL\n".to_string()
            } else {
                list.iter().map(|f| feed_text(f, now)).collect()
            };
            out.raw(&json!(list), &text);
        }
        FeedCmd::Show { id } => {
            let f = api::get(ws, id)?;
            out.raw(&feed_json(&f), &feed_text(&f, now));
        }
        FeedCmd::Edit {
            id,
            url,
            title,
            tags,
            every,
            full_text,
            no_full_text,
            auto,
            no_auto,
        } => {
            let patch = FeedPatch {
                url,
                title,
                tags: (!tags.is_empty()).then_some(tags),
                every,
                full_text: if full_text {
                    Some(true)
                } else if no_full_text {
                    Some(false)
                } else {
                    None
                },
                auto: if no_auto { Some(String::new()) } else { auto },
            };
            let f = api::edit(ws, id, patch, now)?;
            out.raw(&feed_json(&f), &feed_text(&f, now));
        }
        FeedCmd::Remove { id } => {
            let f = api::remove(ws, id)?;
            out.done(
                &json!({ "removed": f }),
                &format!(
                    "stopped following feed {} ({}); what was kept from it stays",
                    f.id,
                    if f.title.is_empty() { &f.url } else { &f.title }
                ),
            );
        }
        FeedCmd::Poll { ids, all, timeout } => {
            let mut options = FeedOptions::default();
            options.fetch.timeout = Duration::from_secs(timeout);
            let report = api::poll(ws, &ids, all, &options, &import_options(timeout), now)?;
            let mut text = String::new();
            if report.feeds.is_empty() {
                text.push_str("No feed is due.\n");
            }
            for p in &report.feeds {
                match &p.error {
                    Some(e) => text.push_str(&format!("feed {}: {e}\n", p.id)),
                    None => text.push_str(&format!("feed {}: {} new\n", p.id, p.new)),
                }
            }
            text.push_str(&format!(
                "{} new in the inbox, {} kept automatically\n",
                report.new, report.auto_kept
            ));
            out.raw(&json!(report), &text);
        }
        FeedCmd::Import { file } => {
            let bytes = dossier_ingest::feed::read_small_file(&file, 10 * 1024 * 1024)
                .map_err(|e| anyhow::anyhow!("cannot read {}: {e}", file.display()))?;
            let r = api::import_opml(ws, &bytes, now)?;
            out.raw(
                &json!(r),
                &format!(
                    "{} feed(s) added, {} followed already\n",
                    r.added.len(),
                    r.already.len()
                ),
            );
        }
        FeedCmd::Export { file } => {
            let opml = api::export_opml(ws)?;
            dossier_store::atomic_file::write_replacing(&file, opml.as_bytes())
                .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", file.display()))?;
            let n = api::list(ws)?.len();
            out.done(
                &json!({ "path": file, "feeds": n }),
                &format!("{n} feed(s) written to {}", file.display()),
            );
        }
    }
    Ok(())
}

pub fn inbox(ws: &mut Workspace, cmd: InboxCmd, now: &str, out: &Out) -> anyhow::Result<()> {
    match cmd {
        InboxCmd::List { feed, status } => {
            let list = api::entries(ws, feed, status)?;
            let text = if list.is_empty() {
                "The inbox is empty.\n".to_string()
            } else {
                list.iter().map(entry_text).collect()
            };
            out.raw(&json!(list), &text);
        }
        InboxCmd::Keep { ids, timeout } => {
            let report = api::keep(ws, &ids, &import_options(timeout), now)?;
            let mut text = String::new();
            for k in &report.kept {
                match (&k.source, &k.error) {
                    (Some(s), _) => text.push_str(&format!(
                        "entry {} kept as source {} (\"{}\")\n",
                        k.id,
                        s.id,
                        one_line(&s.title, 100)
                    )),
                    (None, Some(e)) => text.push_str(&format!("entry {} not kept: {e}\n", k.id)),
                    (None, None) => text.push_str(&format!("entry {} not kept\n", k.id)),
                }
            }
            out.raw(&json!(report), &text);
            if report.failed > 0 {
                std::process::exit(1);
            }
        }
        InboxCmd::Dismiss { ids } => {
            let list = api::dismiss(ws, &ids, now)?;
            let ids: Vec<String> = list.iter().map(|e| e.id.to_string()).collect();
            out.done(
                &json!({ "dismissed": list }),
                &format!("dismissed {}", ids.join(", ")),
            );
        }
    }
    Ok(())
}

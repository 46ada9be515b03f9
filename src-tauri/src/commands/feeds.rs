//! Feeds, the inbox and alerts in the app: thin adapters over `dossier_api::feeds` and
//! `dossier_api::search::alerts`, and the poller that runs while the app is open.
//!
//! The poller works on a connection of its own (as `dossier feed poll` from cron would) and
//! checks every minute which feeds are due; the network is never waited on while the window's
//! connection is held. After each poll the page hears `feeds-polled`, and each alert whose count
//! of new matches grew gets one desktop notification — at most one per alert per poll.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

use dossier_api::feeds::{self, KeepReport, PollReport};
use dossier_api::import::ImportOptions;
use dossier_core::Lang;
use dossier_core::query::SavedSearchStatus;
use dossier_ingest::feed::FeedOptions;
use dossier_store::Workspace;
use dossier_store::feeds::{EntryStatus, Feed, FeedEntry, FeedPatch, NewFeed};
use serde::Serialize;
use tauri::{AppHandle, Emitter, Manager};
use tauri_plugin_notification::NotificationExt;
use ts_rs::TS;

use super::{now, on_workspace};
use crate::workspace::WorkspaceState;
use dossier_api::CommandError;

/// The event the page hears after every poll, the timer's or the analyst's.
pub const FEEDS_POLLED_EVENT: &str = "feeds-polled";

/// How often the poller looks for feeds that are due.
const CHECK_EVERY: Duration = Duration::from_secs(60);

/// What the page hears after a poll: the report, and the counts for the sidebar.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct FeedsPolled {
    pub report: PollReport,
    /// New entries waiting in the inbox, in every feed.
    pub inbox: u32,
    /// Alerts with new matches.
    pub alerts: u32,
}

/// The counts the sidebar shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct SidebarCounts {
    pub inbox: u32,
    pub alerts: u32,
}

/// The count of new matches each alert had when the analyst was last told, so that one poll
/// gives at most one notification per alert and an old count never notifies again.
#[derive(Default)]
pub struct AlertMemory(Mutex<Option<HashMap<String, i64>>>);

fn counts(ws: &Workspace) -> Result<SidebarCounts, CommandError> {
    let alerts = dossier_api::search::alerts(ws)?
        .iter()
        .filter(|a| a.new_count > 0)
        .count() as u32;
    Ok(SidebarCounts {
        inbox: feeds::inbox_count(ws)?,
        alerts,
    })
}

/// The alerts whose count grew since the last call (the first call only remembers).
fn grown(memory: &AlertMemory, alerts: &[SavedSearchStatus]) -> Vec<(String, i64)> {
    let mut guard = memory.0.lock().unwrap_or_else(|e| e.into_inner());
    let first = guard.is_none();
    let known = guard.get_or_insert_with(HashMap::new);
    let mut out = Vec::new();
    for a in alerts {
        let before = known.insert(a.search.name.clone(), a.new_count);
        if !first && a.new_count > before.unwrap_or(0) {
            out.push((a.search.name.clone(), a.new_count));
        }
    }
    out
}

fn notify(app: &AppHandle, name: &str, count: i64) {
    let (title, body) = match crate::commands::language::current(app) {
        Lang::Fr => (
            format!("Alerte «\u{a0}{name}\u{a0}»"),
            format!("{count} nouveau(x) résultat(s) depuis votre dernière consultation"),
        ),
        _ => (
            format!("Alert \u{201c}{name}\u{201d}"),
            format!("{count} new match(es) since you last looked"),
        ),
    };
    if let Err(e) = app.notification().builder().title(title).body(body).show() {
        log::warn!("the notification for alert {name} could not be shown: {e}");
    }
}

/// Polls on `ws` (a connection of its own), then tells the page and notifies the alerts that
/// grew.
fn poll_and_tell(
    app: &AppHandle,
    ws: &mut Workspace,
    ids: &[i64],
    all: bool,
) -> Result<FeedsPolled, CommandError> {
    let report = feeds::poll(
        ws,
        ids,
        all,
        &FeedOptions::default(),
        &ImportOptions::default(),
        &now(),
    )?;
    let alerts = dossier_api::search::alerts(ws)?;
    for (name, count) in grown(&app.state::<AlertMemory>(), &alerts) {
        notify(app, &name, count);
    }
    let c = counts(ws)?;
    let polled = FeedsPolled {
        report,
        inbox: c.inbox,
        alerts: c.alerts,
    };
    let _ = app.emit(FEEDS_POLLED_EVENT, polled.clone());
    Ok(polled)
}

/// Polls the feeds that are due every minute while the app runs.
pub fn start_poller(app: &AppHandle) {
    let app = app.clone();
    std::thread::Builder::new()
        .name("feed-poller".into())
        .spawn(move || {
            // What the alerts count at start is known already: only growth is told.
            if let Ok(ws) = app.state::<WorkspaceState>().own_connection()
                && let Ok(alerts) = dossier_api::search::alerts(&ws)
            {
                grown(&app.state::<AlertMemory>(), &alerts);
            }
            loop {
                let state = app.state::<WorkspaceState>();
                if state.failure().is_none() {
                    let outcome = state.own_connection().and_then(|mut ws| {
                        let due = dossier_api::feeds::due(&ws, &now())?;
                        if due.is_empty() {
                            return Ok(());
                        }
                        poll_and_tell(&app, &mut ws, &[], false).map(drop)
                    });
                    if let Err(e) = outcome {
                        log::warn!("the feed poll failed: {}", e.message);
                    }
                }
                std::thread::sleep(CHECK_EVERY);
            }
        })
        .map(drop)
        .unwrap_or_else(|e| log::error!("feed polling is off: {e}"));
}

#[tauri::command(rename_all = "snake_case")]
pub async fn list_feeds(app: AppHandle) -> Result<Vec<Feed>, CommandError> {
    on_workspace(app, |state| state.with(|w| feeds::list(w))).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn add_feed(app: AppHandle, new: NewFeed) -> Result<Feed, CommandError> {
    on_workspace(app, move |state| state.with(|w| feeds::add(w, new, &now()))).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn edit_feed(app: AppHandle, id: i64, patch: FeedPatch) -> Result<Feed, CommandError> {
    on_workspace(app, move |state| {
        state.with(|w| feeds::edit(w, id, patch, &now()))
    })
    .await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn remove_feed(app: AppHandle, id: i64) -> Result<Feed, CommandError> {
    on_workspace(app, move |state| state.with(|w| feeds::remove(w, id))).await
}

/// Polls now: the feeds named, or every feed when none is.
#[tauri::command(rename_all = "snake_case")]
pub async fn poll_feeds(app: AppHandle, ids: Vec<i64>) -> Result<FeedsPolled, CommandError> {
    let handle = app.clone();
    on_workspace(app, move |state| {
        let mut ws = state.own_connection()?;
        poll_and_tell(&handle, &mut ws, &ids, ids.is_empty())
    })
    .await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn list_inbox(
    app: AppHandle,
    feed: Option<i64>,
    status: Option<EntryStatus>,
) -> Result<Vec<FeedEntry>, CommandError> {
    on_workspace(app, move |state| {
        state.with(|w| feeds::entries(w, feed, status))
    })
    .await
}

/// Captures entries' articles as sources. Fetched on a connection of its own, so the window
/// keeps working while the pages come in.
#[tauri::command(rename_all = "snake_case")]
pub async fn keep_entries(app: AppHandle, ids: Vec<i64>) -> Result<KeepReport, CommandError> {
    on_workspace(app, move |state| {
        let mut ws = state.own_connection()?;
        feeds::keep(&mut ws, &ids, &ImportOptions::default(), &now())
    })
    .await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn dismiss_entries(
    app: AppHandle,
    ids: Vec<i64>,
) -> Result<Vec<FeedEntry>, CommandError> {
    on_workspace(app, move |state| {
        state.with(|w| feeds::dismiss(w, &ids, &now()))
    })
    .await
}

/// The saved searches that are alerts, with their counts of new matches.
#[tauri::command(rename_all = "snake_case")]
pub async fn list_alerts(app: AppHandle) -> Result<Vec<SavedSearchStatus>, CommandError> {
    on_workspace(app, |state| state.with(|w| dossier_api::search::alerts(w))).await
}

/// Marks what a saved search matches now as seen (the analyst opened its results).
#[tauri::command(rename_all = "snake_case")]
pub async fn mark_search_seen(
    app: AppHandle,
    name: String,
) -> Result<SavedSearchStatus, CommandError> {
    on_workspace(app, move |state| {
        state.with(|w| dossier_api::search::mark_seen(w, &name))
    })
    .await
}

/// The inbox's and the alerts' counts, for the sidebar.
#[tauri::command(rename_all = "snake_case")]
pub async fn sidebar_counts(app: AppHandle) -> Result<SidebarCounts, CommandError> {
    on_workspace(app, |state| state.with(|w| counts(w))).await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn status(name: &str, new_count: i64) -> SavedSearchStatus {
        SavedSearchStatus {
            search: dossier_core::query::SavedSearch {
                id: 1,
                uid: "0190c0de-0000-7000-8000-000000000001".into(),
                name: name.into(),
                query: "steel".into(),
                alert: true,
                created_at: String::new(),
                updated_at: String::new(),
            },
            new_count,
        }
    }

    #[test]
    fn an_alert_is_told_once_per_growth() {
        let memory = AlertMemory::default();
        assert!(
            grown(&memory, &[status("steel", 3)]).is_empty(),
            "start only remembers"
        );
        assert!(grown(&memory, &[status("steel", 3)]).is_empty());
        assert_eq!(
            grown(&memory, &[status("steel", 5)]),
            [("steel".to_string(), 5)]
        );
        assert!(
            grown(&memory, &[status("steel", 5)]).is_empty(),
            "not twice"
        );
        assert!(grown(&memory, &[status("steel", 0)]).is_empty(), "seen");
        assert_eq!(
            grown(&memory, &[status("steel", 1), status("dairy", 2)]).len(),
            2
        );
    }
}

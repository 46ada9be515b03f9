//! Background sync of a team workspace: every minute, a few seconds after each local change,
//! and at once after File → Open; backing off (doubling, up to ten minutes) while the server
//! cannot be reached. After each attempt the page hears a `team-synced` event, so the status
//! bar follows and the views reload when a pull brought changes.
//!
//! The decision a reader may question: local changes are noticed by reading the count of
//! waiting changes every couple of seconds on the syncer's own connection, rather than by
//! every writing command nudging the syncer. One cheap indexed count catches every writer —
//! the window, the connector, an import, the CLI on the same file — and no command can forget.
//! The syncer works on a connection of its own, so the window's commands never wait on the
//! network; SQLite's busy timeout covers the short transactions a pull writes.

use std::path::PathBuf;
use std::sync::mpsc::{self, RecvTimeoutError, Sender};
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

use dossier_api::CommandError;
use dossier_api::team::{self, Status};
use dossier_store::Workspace;
use serde::Serialize;
use tauri::{AppHandle, Emitter, Manager};
use ts_rs::TS;

use crate::workspace::WorkspaceState;

/// The event the page hears after each sync attempt, in the background or from Sync now.
pub const TEAM_SYNCED: &str = "team-synced";

/// How often a team workspace syncs when nothing else asks for it.
const EVERY: Duration = Duration::from_secs(60);
/// The longest wait between attempts while the server cannot be reached.
const MAX_BACKOFF: Duration = Duration::from_secs(10 * 60);
/// How long after a local change the sync waits, so a burst of edits goes in one push.
const DEBOUNCE: Duration = Duration::from_secs(3);
/// How often the syncer looks for local changes and for another workspace opened.
const TICK: Duration = Duration::from_secs(2);

/// What one attempt gave: the team's state after it, what it pushed and pulled, or why it
/// failed (the changes then stay queued).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct TeamSynced {
    pub status: Option<Status>,
    pub report: Option<dossier_api::team::SyncReport>,
    pub error: Option<CommandError>,
}

/// Shared by the background syncer and Sync now.
#[derive(Default)]
pub struct TeamSync {
    /// One sync at a time per window, whoever started it.
    running: Mutex<()>,
    /// Tells the background loop that Sync now ran (its schedule starts over).
    wake: Mutex<Option<Sender<Wake>>>,
}

enum Wake {
    Synced { ok: bool },
}

/// When the next attempt is due: the regular interval, the backoff while offline, and the
/// debounce after a local change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Schedule {
    interval: Duration,
    next: Instant,
}

impl Schedule {
    /// A first attempt soon after start.
    pub fn new(now: Instant) -> Schedule {
        Schedule {
            interval: EVERY,
            next: now + Duration::from_secs(1),
        }
    }

    pub fn due(&self, now: Instant) -> bool {
        now >= self.next
    }

    /// After an attempt: the regular interval when it worked, twice the last wait (up to
    /// [`MAX_BACKOFF`]) when it did not.
    pub fn attempted(&mut self, now: Instant, ok: bool) {
        self.interval = if ok {
            EVERY
        } else {
            (self.interval * 2).min(MAX_BACKOFF)
        };
        self.next = now + self.interval;
    }

    /// A local change: sync soon, unless the server is known to be away (the backoff holds;
    /// the change waits for the next attempt).
    pub fn changed(&mut self, now: Instant) {
        if self.interval == EVERY {
            // Each further change pushes it back: a burst of edits goes in one push.
            self.next = now + DEBOUNCE;
        }
    }

    /// Another workspace was opened: sync it now, with a fresh interval.
    pub fn switched(&mut self, now: Instant) {
        self.interval = EVERY;
        self.next = now;
    }

    pub fn interval(&self) -> Duration {
        self.interval
    }
}

/// Syncs the open workspace once on a connection of its own and answers what happened (the
/// answer is the page's news: no event, so the page does not hear it twice). A workspace that
/// is not a team's is an error (`not_a_team`).
pub fn sync_once(app: &AppHandle, state: &WorkspaceState) -> Result<TeamSynced, CommandError> {
    let mut ws = state.own_connection()?;
    let shared = app.state::<TeamSync>();
    let outcome = {
        let _one = shared
            .running
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        attempt(&mut ws)?
    };
    if let Some(wake) = &*shared.wake.lock().unwrap_or_else(PoisonError::into_inner) {
        let _ = wake.send(Wake::Synced {
            ok: outcome.error.is_none(),
        });
    }
    Ok(outcome)
}

/// One sync; only "not a team" is an error, a failed sync is an outcome.
fn attempt(ws: &mut Workspace) -> Result<TeamSynced, CommandError> {
    if team::status_if_team(ws)?.is_none() {
        return Err(CommandError::new(
            "not_a_team",
            "this workspace does not belong to a team",
        ));
    }
    let (report, error) = match team::sync_now(ws) {
        Ok(report) => (Some(report), None),
        Err(error) => (None, Some(error)),
    };
    Ok(TeamSynced {
        status: team::status_if_team(ws).ok().flatten(),
        report,
        error,
    })
}

fn tell(app: &AppHandle, outcome: &TeamSynced) {
    if let Err(e) = app.emit(TEAM_SYNCED, outcome) {
        log::warn!("cannot tell the window about the sync: {e}");
    }
}

/// Starts the background syncer for the app's lifetime.
pub fn start(app: &AppHandle) {
    let (tx, rx) = mpsc::channel();
    *app.state::<TeamSync>()
        .wake
        .lock()
        .unwrap_or_else(PoisonError::into_inner) = Some(tx);
    let app = app.clone();
    std::thread::Builder::new()
        .name("team-sync".into())
        .spawn(move || run(&app, &rx))
        .map(drop)
        .unwrap_or_else(|e| log::error!("background sync is off: {e}"));
}

fn run(app: &AppHandle, wake: &mpsc::Receiver<Wake>) {
    let state = app.state::<WorkspaceState>();
    let shared = app.state::<TeamSync>();
    let mut schedule = Schedule::new(Instant::now());
    let mut open: Option<(PathBuf, Workspace)> = None;
    let mut last_pending: Option<u64> = None;
    loop {
        match wake.recv_timeout(TICK) {
            Ok(Wake::Synced { ok }) => schedule.attempted(Instant::now(), ok),
            Err(RecvTimeoutError::Timeout) => {}
            Err(RecvTimeoutError::Disconnected) => return,
        }
        // Follow File → Open: the connection is the open workspace's, or none.
        let path = state.path().ok();
        if path.as_ref() != open.as_ref().map(|(p, _)| p) {
            open = state
                .own_connection()
                .ok()
                .map(|w| (w.path().to_path_buf(), w));
            last_pending = None;
            schedule.switched(Instant::now());
        }
        let Some((_, ws)) = open.as_mut() else {
            continue;
        };
        let Ok(Some(status)) = team::status_if_team(ws) else {
            continue;
        };
        if last_pending.is_some_and(|before| status.pending > before) {
            schedule.changed(Instant::now());
        }
        last_pending = Some(status.pending);
        if !schedule.due(Instant::now()) {
            continue;
        }
        // A fresh connection for each attempt: a restore replaces the file under the same
        // path, and the old connection would go on syncing the file that was replaced.
        if let Ok(fresh) = state.own_connection() {
            *ws = fresh;
        }
        let outcome = {
            let _one = shared
                .running
                .lock()
                .unwrap_or_else(PoisonError::into_inner);
            attempt(ws)
        };
        let Ok(outcome) = outcome else {
            continue;
        };
        schedule.attempted(Instant::now(), outcome.error.is_none());
        if let Some(error) = &outcome.error {
            log::info!(
                "team sync failed, next attempt in {} s: {}",
                schedule.interval().as_secs(),
                error.message
            );
        }
        last_pending = outcome.status.as_ref().map(|s| s.pending);
        tell(app, &outcome);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unreachable_server_doubles_the_wait_up_to_ten_minutes_and_success_resets_it() {
        let t = Instant::now();
        let mut s = Schedule::new(t);
        let mut waits = Vec::new();
        for _ in 0..6 {
            s.attempted(t, false);
            waits.push(s.interval().as_secs());
        }
        assert_eq!(waits, vec![120, 240, 480, 600, 600, 600]);
        s.attempted(t, true);
        assert_eq!(s.interval(), EVERY, "back online: every minute again");
    }

    #[test]
    fn a_local_change_syncs_a_few_seconds_later_but_not_while_offline() {
        let t = Instant::now();
        let mut s = Schedule::new(t);
        s.attempted(t, true);
        s.changed(t);
        assert!(!s.due(t + Duration::from_secs(1)), "debounced");
        assert!(s.due(t + DEBOUNCE), "soon after the change");

        s.attempted(t, false);
        s.changed(t);
        assert!(
            !s.due(t + Duration::from_secs(60)),
            "the backoff holds while the server is away"
        );
    }

    #[test]
    fn opening_another_workspace_syncs_it_at_once() {
        let t = Instant::now();
        let mut s = Schedule::new(t);
        s.attempted(t, false);
        s.switched(t);
        assert!(s.due(t));
        assert_eq!(s.interval(), EVERY);
    }
}

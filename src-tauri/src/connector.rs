//! The browser connector, run by the app: the same server as `dossier connector serve`
//! (`dossier-connector`), on a thread of its own with its own connection to the workspace the
//! app opened at start. A pairing request from the extension is sent to the window as the
//! `connector-pairing` event, which shows "Firefox wants to save to Dossier — Allow / Deny".
//!
//! `DOSSIER_CONNECTOR=off` leaves it stopped (the desktop end-to-end tests set it, so that a
//! window under test never answers the browser test's extension).
//!
//! It follows the window's workspace: before every request it asks which file the window has
//! open ([`WorkspaceState::open_path`]) and moves there when the analyst opened another one
//! (File → Open, New, the sample, a restored backup), so saves land in the workspace on screen
//! and ping names it. Tokens live in each workspace: an extension paired with another one is
//! asked to pair again, and the prompt shows in the window that holds the request.

use std::sync::Mutex;
use std::sync::atomic::AtomicBool;

use dossier_api::connector::PairingRequest;
use serde::Serialize;
use tauri::{AppHandle, Emitter, Manager};
use ts_rs::TS;

use crate::workspace::WorkspaceState;

/// Where the connector listens, or why it does not.
#[derive(Debug, Clone, Default, Serialize, TS)]
pub struct ConnectorStatus {
    /// The port on 127.0.0.1; `None` when it is not running.
    pub port: Option<u16>,
    /// The workspace file it saves to.
    pub workspace: Option<String>,
    /// Why it is not running.
    pub error: Option<String>,
}

#[derive(Default)]
pub struct ConnectorState(pub Mutex<ConnectorStatus>);

/// Where the connector listens, and the workspace it saves to now (the window's).
pub fn status(app: &AppHandle) -> ConnectorStatus {
    let mut status = app
        .state::<ConnectorState>()
        .0
        .lock()
        .map(|s| s.clone())
        .unwrap_or_default();
    if status.port.is_some() {
        status.workspace = app
            .state::<WorkspaceState>()
            .open_path()
            .map(|p| p.display().to_string());
    }
    status
}

/// Starts the connector's thread; a failure (ports taken, no workspace) is kept as its status.
pub fn start(app: &AppHandle) {
    let status = run(app).unwrap_or_else(|error| {
        log::warn!("the browser connector is not running: {error}");
        ConnectorStatus {
            error: Some(error),
            ..ConnectorStatus::default()
        }
    });
    if let Ok(mut slot) = app.state::<ConnectorState>().0.lock() {
        *slot = status;
    }
}

fn run(app: &AppHandle) -> Result<ConnectorStatus, String> {
    if std::env::var("DOSSIER_CONNECTOR").is_ok_and(|v| v == "off") {
        return Err("turned off (DOSSIER_CONNECTOR=off)".to_owned());
    }
    let ws = app
        .state::<WorkspaceState>()
        .own_connection()
        .map_err(|e| e.message)?;
    let workspace = ws.path().display().to_string();
    let (server, port) = dossier_connector::bind(None)?;
    let events = app.clone();
    std::thread::Builder::new()
        .name("connector".into())
        .spawn(move || {
            let mut connector = dossier_connector::Connector::new(ws, port);
            let window = events.clone();
            connector.follow = Some(Box::new(move || {
                window
                    .state::<WorkspaceState>()
                    .open_path()
                    .ok_or_else(|| "the window's workspace could not be opened".to_owned())
            }));
            connector.on_pairing = Some(Box::new(move |request: &PairingRequest| {
                let _ = events.emit("connector-pairing", request.clone());
            }));
            // Runs as long as the app: the thread ends with the process.
            let stop = std::sync::Arc::new(AtomicBool::new(false));
            dossier_connector::serve(&server, connector, &stop);
        })
        .map_err(|e| format!("its thread could not start: {e}"))?;
    log::info!("the browser connector listens on 127.0.0.1:{port}");
    Ok(ConnectorStatus {
        port: Some(port),
        workspace: Some(workspace),
        error: None,
    })
}

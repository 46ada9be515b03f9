//! Saving the window's size and position as soon as they settle, not only when the app exits.
//!
//! tauri-plugin-window-state writes its file on a clean exit; an app that is killed (a session
//! logout, a crash, a test harness ending it) would forget the window. Writing half a second
//! after the last move or resize costs one small file write per drag.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use tauri::{AppHandle, Manager, WindowEvent};
use tauri_plugin_window_state::{AppHandleExt, StateFlags};

/// What is remembered: size, position and maximized, never visibility (see main.rs).
pub const FLAGS: StateFlags = StateFlags::SIZE
    .union(StateFlags::POSITION)
    .union(StateFlags::MAXIMIZED);

const SETTLE: Duration = Duration::from_millis(500);

pub fn save_when_settled(app: &AppHandle) {
    let Some(window) = app.get_webview_window("main") else {
        return;
    };
    let generation = Arc::new(AtomicU64::new(0));
    let app = app.clone();
    window.on_window_event(move |event| {
        if !matches!(event, WindowEvent::Resized(_) | WindowEvent::Moved(_)) {
            return;
        }
        let mine = generation.fetch_add(1, Ordering::SeqCst) + 1;
        let generation = generation.clone();
        let app = app.clone();
        std::thread::spawn(move || {
            std::thread::sleep(SETTLE);
            if generation.load(Ordering::SeqCst) == mine
                && let Err(e) = app.save_window_state(FLAGS)
            {
                log::warn!("cannot remember the window's size: {e}");
            }
        });
    });
}

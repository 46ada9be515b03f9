//! Drives the real Dossier window: tauri-driver starts WebKitWebDriver, which starts the app
//! binary with the environment given here, so each test gets its own workspace file.
//!
//! Missing tools fail the test with what to install, never skip it: a desktop test that passes
//! because nothing ran would hide a broken window.

pub mod browser;
pub mod desktop;
pub mod webdriver;
pub mod workspace;

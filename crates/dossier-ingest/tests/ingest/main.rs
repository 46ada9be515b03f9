//! Ingest tests: documents generated here or written by the team (never real news), read the
//! way the app and CLI read them; URLs fetched from a small HTTP server on 127.0.0.1. Storing
//! what was read is tested with the service layer (crates/dossier-api/tests).

mod authors;
mod bad_input;
mod docx;
mod feeds;
mod fetch;
mod html;
mod ocr;
mod pdf;
mod server;
mod text;

use dossier_ingest::{Document, Hint, Limits, extract};

pub const NOW: &str = "2026-11-26T09:00:00Z";

pub fn read(bytes: &[u8], name: &str) -> Document {
    extract(bytes, &Hint::named(name), &Limits::default())
        .unwrap_or_else(|e| panic!("{name} should import: {e}"))
}

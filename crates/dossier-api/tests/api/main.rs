//! Service-layer tests: the use cases both front doors call, on real workspace files in a temp
//! dir; URL imports against a small HTTP server on 127.0.0.1 (the ingest tests' own).

mod feed_server;
mod feeds;
mod fetch;
mod import;
#[path = "../../../dossier-ingest/tests/ingest/server.rs"]
mod server;
mod versions;

pub const NOW: &str = "2026-11-26T09:00:00Z";

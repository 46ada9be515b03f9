//! The use cases both front doors call: the `dossier` CLI parses arguments and prints, the
//! desktop app deserializes IPC arguments and serializes answers, and everything in between —
//! every use case (sources and their versions, excerpts, tags, follow-ups, search, briefings, backups, imports,
//! export to a file, reading a text file, counting a workspace), the clock, and the one error
//! shape — lives here once. A front door that needs a workspace operation calls this crate,
//! never the store's `Workspace` methods (a test in the CLI's suite holds both doors to it).
//!
//! The decision a reader might question: this crate sits above ingest, store and export and
//! nothing below it depends on it, so ingest stays "bytes in, a document out" and the store
//! never learns where its input came from. Functions take `&Workspace`/`&mut Workspace` and
//! return [`CommandError`], which both doors already know how to show.

pub mod archive;
pub mod backups;
pub mod briefings;
pub mod clock;
pub mod connector;
mod error;
pub mod excerpts;
pub mod export;
pub mod feeds;
pub mod followups;
pub mod import;
pub mod info;
pub mod search;
pub mod sources;
pub mod tags;
pub mod team;
pub mod text_file;
pub mod versions;
pub mod workspace;

pub use clock::now;
pub use error::CommandError;

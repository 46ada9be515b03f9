//! The use cases both front doors call: the `dossier` CLI parses arguments and prints, the
//! desktop app deserializes IPC arguments and serializes answers, and everything in between —
//! importing a batch, exporting a note to a file, reading a text file, counting a workspace,
//! the clock, and the one error shape — lives here once.
//!
//! The decision a reader might question: this crate sits above ingest, store and export and
//! nothing below it depends on it, so ingest stays "bytes in, a document out" and the store
//! never learns where its input came from. Functions take `&Workspace`/`&mut Workspace` and
//! return [`CommandError`], which both doors already know how to show.

pub mod clock;
mod error;
pub mod export;
pub mod import;
pub mod info;
pub mod text_file;

pub use clock::now;
pub use error::CommandError;

//! Dossier's domain, free of I/O: the records the store keeps and the CLI and app show, tag paths,
//! the normalization every captured text goes through, accent folding, and text anchoring.
//!
//! The one decision a reader might question: offsets are counted in Unicode code points of the
//! stored (NFC, `\n`) body, not in bytes or UTF-16 units. Code points are what both SQLite's
//! `substr` and a human-facing "character" count agree on; the UI converts from UTF-16 at its edge.

pub mod anchor;
pub mod briefing;
pub mod date;
pub mod fold;
pub mod lang;
pub mod model;
pub mod neardup;
pub mod query;
pub mod reanchor;
pub mod snippet;
pub mod sync;
pub mod tag_path;
pub mod text;

pub use anchor::{Anchor, AnchorError};
pub use date::{DateError, IsoDate};
pub use fold::fold;
pub use lang::Lang;
pub use model::*;
pub use tag_path::{TagPath, TagPathError};

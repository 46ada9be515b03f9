//! A team workspace: each analyst keeps a full SQLite replica and works offline; a PostgreSQL
//! server holds the team's ordered log of changes. Syncing pushes the changes made here (captured
//! by the store in the same transaction as the change) and pulls the others' in the server's order.

pub mod engine;
pub mod memory;
pub mod password;
pub mod pg;
pub mod remote;
#[cfg(feature = "testing")]
pub mod testing;
mod tls;
pub mod url;

pub use dossier_core::sync::{Change, Op};
pub use engine::{SyncError, SyncReport, sync_once};
pub use pg::{Member, PgRemote, PgServer, TeamInfo};
/// The PostgreSQL client this crate speaks through (for tests and administration).
pub use postgres;
pub use remote::{Remote, RemoteError};
pub use url::{SslMode, TeamUrl};

//! The team's log as a replica sees it.

use crate::Change;

/// Why the server could not be used. `Unreachable` leaves every change queued.
#[derive(Debug, thiserror::Error)]
pub enum RemoteError {
    #[error("the team server cannot be reached: {0}")]
    Unreachable(String),
    #[error("the team server refused: {0}")]
    Refused(String),
    #[error("{0}")]
    Other(String),
}

/// The team's ordered log of changes.
pub trait Remote {
    /// The PostgreSQL role this connection acts as (the author of what it pushes).
    fn role(&self) -> &str;

    /// Appends `changes` to the log in the order given, as one transaction; a change whose
    /// `change_uid` is already in the log is not added again. Returns each change's position
    /// (`seq`) in the log, in the order given.
    fn push(&mut self, changes: &[Change]) -> Result<Vec<i64>, RemoteError>;

    /// Changes after position `after`, in log order, with `seq`, `author` and `at` set: about
    /// `limit` of them, never splitting a transaction (`tx_uid`) across two calls. Empty when
    /// there is nothing newer.
    fn pull(&mut self, after: i64, limit: usize) -> Result<Vec<Change>, RemoteError>;
}

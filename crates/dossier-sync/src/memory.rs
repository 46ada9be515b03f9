//! A team log kept in memory: the same contract as the PostgreSQL server, for tests of the
//! merge rules that need many replicas and many orders quickly. The PostgreSQL tests exercise the
//! real server.

use std::sync::{Arc, Mutex};

use crate::{Change, Remote, RemoteError};

#[derive(Clone, Default)]
pub struct MemoryLog {
    log: Arc<Mutex<Vec<Change>>>,
}

impl MemoryLog {
    pub fn new() -> MemoryLog {
        MemoryLog::default()
    }

    /// A connection acting as `role`.
    pub fn connect(&self, role: &str) -> MemoryRemote {
        MemoryRemote {
            log: self.clone(),
            role: role.to_string(),
        }
    }

    pub fn len(&self) -> usize {
        self.log.lock().expect("log lock").len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Every change in the log (for tests that deliver one twice).
    pub fn all(&self) -> Vec<Change> {
        self.log.lock().expect("log lock").clone()
    }
}

pub struct MemoryRemote {
    log: MemoryLog,
    role: String,
}

impl Remote for MemoryRemote {
    fn role(&self) -> &str {
        &self.role
    }

    fn push(&mut self, changes: &[Change]) -> Result<Vec<i64>, RemoteError> {
        let mut log = self.log.log.lock().expect("log lock");
        let at = crate::engine::now();
        let mut seqs = Vec::with_capacity(changes.len());
        for c in changes {
            if let Some(existing) = log.iter().find(|x| x.change_uid == c.change_uid) {
                seqs.push(existing.seq.expect("logged"));
                continue;
            }
            let seq = log.len() as i64 + 1;
            let mut c = c.clone();
            c.seq = Some(seq);
            c.author = Some(self.role.clone());
            c.at = Some(at.clone());
            log.push(c);
            seqs.push(seq);
        }
        Ok(seqs)
    }

    fn pull(&mut self, after: i64, limit: usize) -> Result<Vec<Change>, RemoteError> {
        let log = self.log.log.lock().expect("log lock");
        let start = after.max(0) as usize;
        let mut end = (start + limit).min(log.len());
        while end < log.len() && end > start && log[end].tx_uid == log[end - 1].tx_uid {
            end += 1;
        }
        Ok(log[start.min(log.len())..end].to_vec())
    }
}

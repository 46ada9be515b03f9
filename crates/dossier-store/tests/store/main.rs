//! Store tests against real workspace files in a temp dir, one module per aggregate.

mod archive;
mod backup;
mod briefings;
mod excerpts;
mod feeds;
mod followups;
mod imports;
mod open;
mod originals;
mod props;
mod search;
mod sources;
mod stories;
mod tags;

use dossier_core::NewSource;
use dossier_store::Workspace;
use tempfile::TempDir;

pub const NOW: &str = "2026-11-26T09:00:00Z";
pub const LATER: &str = "2026-11-27T10:30:00Z";

pub fn workspace() -> (TempDir, Workspace) {
    let dir = tempfile::tempdir().expect("temp dir");
    let ws = Workspace::open(&dir.path().join("ws.sqlite")).expect("a new workspace opens");
    (dir, ws)
}

pub fn source(title: &str, body: &str) -> NewSource {
    NewSource {
        title: title.into(),
        body: body.into(),
        ..Default::default()
    }
}

/// Everything a user could see, for "the database is unchanged" checks.
pub fn dump(ws: &Workspace) -> String {
    let mut out = String::new();
    for table in [
        "source",
        "excerpt",
        "tag",
        "tag_alias",
        "excerpt_tag",
        "source_tag",
        "followup",
        "followup_excerpt",
        "followup_source",
        "followup_tag",
    ] {
        let mut stmt = ws
            .conn()
            .prepare(&format!("SELECT * FROM {table} ORDER BY 1, 2"))
            .unwrap();
        let cols = stmt.column_count();
        let rows = stmt
            .query_map([], |r| {
                let mut line = Vec::new();
                for i in 0..cols {
                    line.push(format!("{:?}", r.get_ref(i)?));
                }
                Ok(line.join("|"))
            })
            .unwrap();
        out.push_str(table);
        out.push('\n');
        for row in rows {
            out.push_str(&row.unwrap());
            out.push('\n');
        }
    }
    out
}

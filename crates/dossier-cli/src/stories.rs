//! `dossier source split`: take a source out of the story it shares with its copies.

use dossier_api::sources;
use dossier_store::Workspace;
use serde_json::json;

use crate::print::Out;

pub fn split(ws: &mut Workspace, id: i64, out: &Out) -> anyhow::Result<()> {
    let s = sources::split(ws, id)?;
    let text = match s.story {
        Some(story) => format!("source {id} taken out of story {story}; it stays on its own"),
        None => format!("source {id} had no copies; it stays on its own"),
    };
    out.done(&json!(s), &text);
    Ok(())
}

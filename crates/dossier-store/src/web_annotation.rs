//! Excerpts as W3C Web Annotations (<https://www.w3.org/TR/annotation-model/>), for tools that
//! read that standard (Hypothesis, annotation stores, digital-humanities pipelines).
//!
//! One `AnnotationCollection` whose first page holds every excerpt as an `Annotation`:
//!
//! - `id` `urn:x-dossier:excerpt:ID`; `created` and `modified` are the excerpt's times;
//! - `body`: the note as a `TextualBody` (`format` `text/markdown`, `purpose` `commenting`) when
//!   there is one, then one `TextualBody` per tag path with `purpose` `tagging`; `motivation` is
//!   `commenting` with a note, else `highlighting`;
//! - `target`: `source` is the source's URL when it has one, else `urn:x-dossier:source:ID`;
//!   `selector` is a `TextQuoteSelector` (`exact`, `prefix`, `suffix`) and a
//!   `TextPositionSelector` (`start`, `end`).
//!
//! The decision a reader might question: positions count code points of the text as Dossier
//! stored it (normalized to NFC, `\n` line endings), which is what the model asks for, but a
//! web page at the source URL may render a different text; the quote selector, with its
//! context, is the one to trust, and the position selector is left out for an orphaned excerpt,
//! whose offsets describe a text the source no longer has.

use std::collections::HashMap;

use dossier_core::Excerpt;
use serde_json::{Value, json};

use crate::Workspace;
use crate::error::Result;
use crate::excerpts::ExcerptFilter;

/// The JSON-LD context every annotation names.
pub const CONTEXT: &str = "http://www.w3.org/ns/anno.jsonld";

/// The IRI an excerpt's annotation is known by.
pub fn excerpt_iri(id: i64) -> String {
    format!("urn:x-dossier:excerpt:{id}")
}

/// The IRI of a source without a URL.
pub fn source_iri(id: i64) -> String {
    format!("urn:x-dossier:source:{id}")
}

/// One excerpt as an annotation; `source` is the target's IRI.
pub fn annotation(e: &Excerpt, source: &str) -> Value {
    let mut body = Vec::new();
    if !e.note.trim().is_empty() {
        body.push(json!({
            "type": "TextualBody", "value": e.note, "format": "text/markdown",
            "purpose": "commenting",
        }));
    }
    for tag in &e.tags {
        body.push(json!({ "type": "TextualBody", "value": tag, "purpose": "tagging" }));
    }
    let mut selector = vec![json!({
        "type": "TextQuoteSelector", "exact": e.quote, "prefix": e.prefix, "suffix": e.suffix,
    })];
    if !e.orphaned {
        selector.push(json!({ "type": "TextPositionSelector", "start": e.start, "end": e.end }));
    }
    let mut a = json!({
        "@context": CONTEXT,
        "id": excerpt_iri(e.id),
        "type": "Annotation",
        "motivation": if e.note.trim().is_empty() { "highlighting" } else { "commenting" },
        "created": e.created_at,
        "modified": e.updated_at,
        "target": { "source": source, "selector": selector },
    });
    if !body.is_empty() {
        a["body"] = Value::Array(body);
    }
    a
}

/// Every excerpt (or one source's) as an annotation collection.
pub fn collection(ws: &Workspace, source_id: Option<i64>) -> Result<Value> {
    let excerpts = ws.list_excerpts(&ExcerptFilter {
        source_id,
        tag: None,
    })?;
    let mut iris: HashMap<i64, String> = HashMap::new();
    let mut items = Vec::with_capacity(excerpts.len());
    for e in &excerpts {
        let iri = match iris.entry(e.source_id) {
            std::collections::hash_map::Entry::Occupied(o) => o.into_mut(),
            std::collections::hash_map::Entry::Vacant(v) => {
                let url = crate::sources::summary(ws.conn(), e.source_id)?.url;
                v.insert(
                    url.filter(|u| !u.trim().is_empty())
                        .unwrap_or_else(|| source_iri(e.source_id)),
                )
            }
        };
        items.push(annotation(e, iri));
    }
    let id = match source_id {
        Some(s) => format!("urn:x-dossier:source:{s}:excerpts"),
        None => "urn:x-dossier:excerpts".into(),
    };
    Ok(json!({
        "@context": CONTEXT,
        "id": id,
        "type": "AnnotationCollection",
        "label": match source_id {
            Some(s) => format!("Dossier excerpts of source {s}"),
            None => "Dossier excerpts".into(),
        },
        "total": items.len(),
        "first": {
            "id": format!("{id}:page:1"),
            "type": "AnnotationPage",
            "startIndex": 0,
            "items": items,
        },
    }))
}

//! A source's versions: list them, read one's original bytes (or write them to a file), and
//! compare two versions' texts word by word, with what the later one did to the excerpts.
//!
//! The decision a reader might question: the comparison is of the *texts* Dossier extracted,
//! never of the originals' bytes — a PDF's bytes change wholesale when one word does, and the
//! text is what the excerpts point into. Words are compared with `similar` (Myers), given a
//! deadline so a pathological pair of long texts answers with a coarser diff instead of hanging.
//!
//! An HTML original is shown inside the app, never in a browser: [`original_page`] hands it
//! back with a Content-Security-Policy that forbids every load but inline styles and `data:`
//! images as its first element, and with its refreshes and `<base>` taken out. The page is
//! also shown in a script-less sandboxed frame; the two guards do not rely on each other.

use std::path::{Path, PathBuf};
use std::time::Duration;

use dossier_store::{ReanchorSummary, SourceVersion, Workspace, atomic_file};
use serde::{Deserialize, Serialize};
use similar::{ChangeTag, TextDiff};
use ts_rs::TS;

use crate::CommandError;

/// Every version of a source, oldest first.
pub fn source_versions(ws: &Workspace, id: i64) -> Result<Vec<SourceVersion>, CommandError> {
    Ok(ws.source_versions(id)?)
}

/// An original's bytes, as read when the version was captured.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceOriginal {
    pub version: u32,
    pub format: Option<String>,
    /// A file extension for it (without the dot): `html`, `pdf`, `docx`, `md`, `txt`, or `bin`.
    pub extension: &'static str,
    pub sha256: String,
    pub bytes: Vec<u8>,
}

/// The extension a file of this recorded format is saved with.
pub fn extension_for(format: Option<&str>) -> &'static str {
    match format {
        Some("html") => "html",
        Some("pdf") => "pdf",
        Some("docx") => "docx",
        Some("markdown") => "md",
        Some("text") => "txt",
        _ => "bin",
    }
}

/// A scan's extension from its first bytes, so the system's viewer recognises it.
fn image_extension(bytes: &[u8]) -> &'static str {
    if bytes.starts_with(b"\x89PNG") {
        "png"
    } else if bytes.starts_with(b"\xff\xd8\xff") {
        "jpg"
    } else if bytes.starts_with(b"II*\0") || bytes.starts_with(b"MM\0*") {
        "tif"
    } else {
        "bin"
    }
}

/// The original of version `version` of a source (the latest when `None`).
pub fn source_original(
    ws: &Workspace,
    id: i64,
    version: Option<u32>,
) -> Result<SourceOriginal, CommandError> {
    let o = ws.source_original(id, version)?;
    Ok(SourceOriginal {
        version: o.version,
        extension: match o.format.as_deref() {
            Some("image") => image_extension(&o.bytes),
            other => extension_for(other),
        },
        format: o.format,
        sha256: o.sha256,
        bytes: o.bytes,
    })
}

/// What [`save_original`] wrote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct SavedOriginal {
    pub source_id: i64,
    pub version: u32,
    pub format: Option<String>,
    pub extension: String,
    pub sha256: String,
    pub path: String,
    pub bytes: u64,
}

/// Writes an original to `path`, whole or not at all. An existing file is refused unless
/// `replace` (the CLI's `--force`); then it is replaced in one rename. Nothing is written when
/// the version or its original is missing.
pub fn save_original(
    ws: &Workspace,
    id: i64,
    version: Option<u32>,
    path: &Path,
    replace: bool,
) -> Result<SavedOriginal, CommandError> {
    if path.file_name().is_none() || path.is_dir() {
        return Err(CommandError::new(
            "invalid",
            format!("{} is a folder; give a file name", path.display()),
        ));
    }
    let exists = || {
        CommandError::new(
            "exists",
            format!(
                "{} already exists; choose another name, or pass --force to replace it",
                path.display()
            ),
        )
    };
    // Checked before reading the original, so a refusal costs nothing; write_new checks again.
    if !replace && path.exists() {
        return Err(exists());
    }
    let original = source_original(ws, id, version)?;
    let written = if replace {
        atomic_file::write_replacing(path, &original.bytes)
    } else {
        atomic_file::write_new(path, &original.bytes)
    };
    written.map_err(|e| match e.kind() {
        std::io::ErrorKind::AlreadyExists => exists(),
        _ => CommandError::io(format_args!("cannot write {}", path.display()), &e),
    })?;
    let shown: PathBuf = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    Ok(SavedOriginal {
        source_id: id,
        version: original.version,
        format: original.format,
        extension: original.extension.to_owned(),
        sha256: original.sha256,
        path: shown.display().to_string(),
        bytes: original.bytes.len() as u64,
    })
}

/// An HTML original, made inert to be shown inside the app.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct OriginalPage {
    pub source_id: i64,
    pub version: u32,
    /// The page with [`PAGE_POLICY`] first and its refreshes and `<base>` removed.
    pub html: String,
}

/// What a shown original may load: its inline styles and `data:` images, nothing from the
/// network or the disk — no script, frame, form target, font, stylesheet or image URL.
pub const PAGE_POLICY: &str =
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'none'";

/// The HTML original of version `version` of a source (the latest when `None`), inert.
pub fn original_page(
    ws: &Workspace,
    id: i64,
    version: Option<u32>,
) -> Result<OriginalPage, CommandError> {
    let original = source_original(ws, id, version)?;
    if original.format.as_deref() != Some("html") {
        return Err(CommandError::new(
            "invalid",
            format!(
                "version {} of source {id} is not a web page; open it in the system's viewer instead",
                original.version
            ),
        ));
    }
    let html = dossier_ingest::text::decode(&original.bytes, None, "the original")?;
    Ok(OriginalPage {
        source_id: id,
        version: original.version,
        html: inert_html(&html),
    })
}

/// `html` with [`PAGE_POLICY`] as its first element (after a doctype, so the page keeps its
/// rendering mode), and without what acts before or beside any policy: `<meta http-equiv>`
/// (a refresh navigates the frame; a page's own policy or cookie has no business in the app),
/// `<base>` (it points relative links elsewhere), every `<link>` (prefetches and DNS lookups are
/// outside what a policy stops, and stylesheets are blocked anyway) and nested `srcdoc` pages.
///
/// The page is parsed as a browser would (html5ever, through dom_query) and serialised again,
/// rather than edited as text: a tag hidden from a text scan inside a comment, a script or an
/// odd quote would still be a tag to WebKit.
pub fn inert_html(html: &str) -> String {
    let doc = dom_query::Document::from(html.trim_start_matches('\u{feff}'));
    doc.select("meta[http-equiv], base, link").remove();
    doc.select("[srcdoc]").remove_attr("srcdoc");
    let body = doc.html().to_string();
    let policy = format!("<meta http-equiv=\"Content-Security-Policy\" content=\"{PAGE_POLICY}\">");
    let doctype_end = body
        .get(..9)
        .filter(|head| head.eq_ignore_ascii_case("<!doctype"))
        .and_then(|_| body.find('>'))
        .map(|at| at + 1);
    match doctype_end {
        Some(end) => format!("{}{policy}{}", &body[..end], &body[end..]),
        None => format!("{policy}{body}"),
    }
}

/// Writes the original of a version that is not a web page to `folder` as
/// `source-ID-vN.ext`, replacing an earlier copy, for the system's viewer to open. A web
/// page is refused: in a browser its scripts and trackers would run (see [`original_page`]).
pub fn cache_original(
    ws: &Workspace,
    id: i64,
    version: u32,
    folder: &Path,
) -> Result<SavedOriginal, CommandError> {
    let original = source_original(ws, id, Some(version))?;
    if original.format.as_deref() == Some("html") {
        return Err(CommandError::new(
            "invalid",
            "a web page's original is shown inside Dossier, where its scripts cannot run",
        ));
    }
    std::fs::create_dir_all(folder)
        .map_err(|e| CommandError::io(format_args!("cannot create {}", folder.display()), &e))?;
    let path = folder.join(format!("source-{id}-v{version}.{}", original.extension));
    atomic_file::write_replacing(&path, &original.bytes)
        .map_err(|e| CommandError::io(format_args!("cannot write {}", path.display()), &e))?;
    Ok(SavedOriginal {
        source_id: id,
        version: original.version,
        format: original.format,
        extension: original.extension.to_owned(),
        sha256: original.sha256,
        path: path.display().to_string(),
        bytes: original.bytes.len() as u64,
    })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum DiffKind {
    Equal,
    Insert,
    Delete,
}

/// A run of text the two versions share, or that the later one added or removed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct DiffOp {
    pub kind: DiffKind,
    pub text: String,
}

/// An excerpt the later version's re-import moved or orphaned, as it is now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ChangedExcerpt {
    pub id: i64,
    /// `moved` or `orphaned`: what the re-import did.
    pub change: String,
    pub quote: String,
    /// Whether it is orphaned now (it may have been reattached since).
    pub orphaned: bool,
}

/// Two versions of a source, compared word by word.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct VersionComparison {
    pub source_id: i64,
    pub from: u32,
    pub to: u32,
    pub ops: Vec<DiffOp>,
    pub words_inserted: usize,
    pub words_deleted: usize,
    /// What the `to` version's re-import did to the excerpts (`None` for version 1).
    pub reanchor: Option<ReanchorSummary>,
    /// The excerpts it moved or orphaned that still exist.
    pub excerpts: Vec<ChangedExcerpt>,
}

/// How long a word diff may search for the smallest answer before settling for a coarser one.
const DIFF_DEADLINE: Duration = Duration::from_secs(3);

/// The word-level difference from `old` to `new`: runs of equal, deleted and inserted text
/// (whitespace travels with the words around it), and how many words each side changed.
pub fn diff_words(old: &str, new: &str) -> (Vec<DiffOp>, usize, usize) {
    let diff = TextDiff::configure()
        .timeout(DIFF_DEADLINE)
        .diff_words(old, new);
    let mut ops: Vec<DiffOp> = Vec::new();
    let (mut inserted, mut deleted) = (0, 0);
    for change in diff.iter_all_changes() {
        let kind = match change.tag() {
            ChangeTag::Equal => DiffKind::Equal,
            ChangeTag::Insert => DiffKind::Insert,
            ChangeTag::Delete => DiffKind::Delete,
        };
        let token = change.value();
        if !token.trim().is_empty() {
            match kind {
                DiffKind::Insert => inserted += 1,
                DiffKind::Delete => deleted += 1,
                DiffKind::Equal => {}
            }
        }
        match ops.last_mut() {
            Some(last) if last.kind == kind => last.text.push_str(token),
            _ => ops.push(DiffOp {
                kind,
                text: token.to_owned(),
            }),
        }
    }
    (join_changes(ops), inserted, deleted)
}

/// Folds changes separated only by whitespace into one deletion and one insertion: "remains
/// off" → "is now on" reads as one replacement, not four fragments. The whitespace is in both
/// texts, so it goes on both sides, where it stands in each; the ops still rebuild both texts.
fn join_changes(ops: Vec<DiffOp>) -> Vec<DiffOp> {
    let mut out: Vec<DiffOp> = Vec::with_capacity(ops.len());
    let (mut del, mut ins) = (String::new(), String::new());
    let flush = |out: &mut Vec<DiffOp>, del: &mut String, ins: &mut String| {
        for (kind, text) in [(DiffKind::Delete, del), (DiffKind::Insert, ins)] {
            if !text.is_empty() {
                out.push(DiffOp {
                    kind,
                    text: std::mem::take(text),
                });
            }
        }
    };
    let mut ops = ops.into_iter().peekable();
    while let Some(op) = ops.next() {
        match op.kind {
            DiffKind::Delete => del.push_str(&op.text),
            DiffKind::Insert => ins.push_str(&op.text),
            DiffKind::Equal => {
                let in_change = !del.is_empty() || !ins.is_empty();
                let change_follows = ops.peek().is_some_and(|next| next.kind != DiffKind::Equal);
                if in_change && change_follows && op.text.trim().is_empty() {
                    del.push_str(&op.text);
                    ins.push_str(&op.text);
                } else {
                    flush(&mut out, &mut del, &mut ins);
                    out.push(op);
                }
            }
        }
    }
    flush(&mut out, &mut del, &mut ins);
    out
}

/// Compares version `from` with version `to` of a source; by default the two latest.
pub fn compare_versions(
    ws: &Workspace,
    id: i64,
    from: Option<u32>,
    to: Option<u32>,
) -> Result<VersionComparison, CommandError> {
    let (to_version, to_body) = ws.source_version(id, to)?;
    let from = match from {
        Some(n) => n,
        None if to_version.number > 1 => to_version.number - 1,
        None => {
            return Err(CommandError::new(
                "invalid",
                format!(
                    "source {id} has only version {}: there is nothing to compare it with",
                    to_version.number
                ),
            ));
        }
    };
    let (from_version, from_body) = ws.source_version(id, Some(from))?;
    let (ops, words_inserted, words_deleted) = diff_words(&from_body, &to_body);
    let reanchor = to_version.reanchor.clone();
    let mut excerpts = Vec::new();
    if let Some(r) = &reanchor {
        let changed = r
            .moved_ids
            .iter()
            .map(|&id| (id, "moved"))
            .chain(r.orphaned_ids.iter().map(|&id| (id, "orphaned")));
        for (excerpt_id, change) in changed {
            // Deleted since: nothing to show.
            if let Ok(e) = ws.get_excerpt(excerpt_id) {
                excerpts.push(ChangedExcerpt {
                    id: e.id,
                    change: change.to_owned(),
                    quote: e.quote,
                    orphaned: e.orphaned,
                });
            }
        }
    }
    Ok(VersionComparison {
        source_id: id,
        from: from_version.number,
        to: to_version.number,
        ops,
        words_inserted,
        words_deleted,
        reanchor,
        excerpts,
    })
}

#[cfg(test)]
mod tests {
    use super::{DiffKind, PAGE_POLICY, diff_words, inert_html};

    #[test]
    fn a_page_is_made_inert_with_its_policy_first() {
        let page = "<!DOCTYPE html><html><head><base href=\"https://example.org/\">\
            <META HTTP-EQUIV=\"refresh\" content=\"0;url=https://example.org/away\">\
            <link rel=dns-prefetch href=\"//tracker.example\">\
            <meta charset=utf-8><title>T</title></head><body><p title=\"a > b\">Quota text</p>\
            <iframe srcdoc=\"<meta http-equiv=refresh content=0;url=https://example.org/in>\"></iframe>\
            </body></html>";
        let inert = inert_html(page);
        let policy =
            format!("<meta http-equiv=\"Content-Security-Policy\" content=\"{PAGE_POLICY}\">");
        assert!(
            inert
                .to_ascii_lowercase()
                .starts_with(&format!("<!doctype html>{}", policy.to_ascii_lowercase())),
            "the policy comes first, after the doctype: {inert}"
        );
        let lower = inert.to_ascii_lowercase();
        assert!(!lower.contains("<base"), "no base: {inert}");
        assert!(
            !lower.contains("refresh"),
            "no refresh, nested or not: {inert}"
        );
        assert!(!lower.contains("tracker"), "no link: {inert}");
        assert!(
            lower.contains("<meta charset=\"utf-8\">"),
            "other metas stay: {inert}"
        );
        assert!(inert.contains("Quota text</p>"), "the text stays: {inert}");
    }

    /// Tags a text scan would miss or invent: inside a comment, inside script text, after an
    /// attribute-name quote. The parser sees them as WebKit would.
    #[test]
    fn tags_hidden_from_a_text_scan_are_still_found() {
        let tricks = [
            "<p '> <meta http-equiv=refresh content=\"0;url=https://example.org/a\"> '>x</p>",
            "<script> <a b=' </script><meta http-equiv=refresh content=\"0;url=https://example.org/b\"> '</script>",
            "<!-- > <a b=' --> <base href=\"https://example.org/c/\"> '>",
            "<svg><meta http-equiv=refresh content=\"0;url=https://example.org/d\"></svg>",
        ];
        for page in tricks {
            let inert = inert_html(page).to_ascii_lowercase();
            assert!(
                inert.starts_with("<meta http-equiv=\"content-security-policy\""),
                "{inert}"
            );
            assert!(!inert.contains("refresh"), "{page} → {inert}");
            assert!(!inert.contains("<base"), "{page} → {inert}");
        }
    }

    #[test]
    fn a_changed_word_is_one_deletion_and_one_insertion() {
        let (ops, ins, del) =
            diff_words("Steel quotas stay in place.", "Steel quotas end in place.");
        assert_eq!((ins, del), (1, 1));
        let changed: Vec<_> = ops
            .iter()
            .filter(|o| o.kind != DiffKind::Equal)
            .map(|o| (o.kind, o.text.as_str()))
            .collect();
        assert_eq!(
            changed,
            [(DiffKind::Delete, "stay"), (DiffKind::Insert, "end")]
        );
        let rebuilt_new: String = ops
            .iter()
            .filter(|o| o.kind != DiffKind::Delete)
            .map(|o| o.text.as_str())
            .collect();
        assert_eq!(
            rebuilt_new, "Steel quotas end in place.",
            "the ops rebuild the text"
        );
    }
}

//! Exporting a briefing note to a file: the format (named, or told from the file's extension),
//! the bytes, the warnings an analyst must see (an orphaned or deleted excerpt still quoted),
//! the suggested file name, and the write — whole or not at all.
//!
//! The decision a reader might question: an export replaces an existing file without asking.
//! The analyst named the path (or picked it in a save dialog, which asks), and a note is
//! re-exported after every round of edits; what must never happen is a half-written file, so
//! the bytes go through the store's atomic write.

use std::path::{Path, PathBuf};

use dossier_core::briefing::{Briefing, BriefingDocument, ItemStatus, Marking};
use dossier_export::Format;
use dossier_store::Workspace;
use serde::Serialize;
use ts_rs::TS;

use crate::CommandError;

/// A briefing note rendered in one format, not yet written anywhere.
#[derive(Debug, Clone)]
pub struct Rendered {
    pub briefing_id: i64,
    pub title: String,
    pub format: Format,
    pub bytes: Vec<u8>,
    /// Items the analyst should check before circulating the note.
    pub warnings: Vec<String>,
    /// The marking the file carries.
    pub marking: Marking,
    /// What `--at` left out, because it is marked above the level asked for.
    pub left_out: Vec<LeftOut>,
}

/// An item an export at a lower marking left out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct LeftOut {
    pub item_id: i64,
    pub excerpt_id: Option<i64>,
    pub section: dossier_core::briefing::SectionKind,
    pub marking: Marking,
}

/// A file an export wrote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ExportedFile {
    pub briefing_id: i64,
    /// `docx`, `pdf`, `html` or `md`.
    pub format: String,
    pub path: String,
    pub bytes: usize,
    pub warnings: Vec<String>,
    /// The marking printed on it.
    pub marking: Marking,
    /// The items an export at a lower marking (`--at`) left out; empty otherwise.
    pub left_out: Vec<LeftOut>,
}

/// The format `given`, or the one `path`'s extension names.
pub fn format_for(path: &Path, given: Option<Format>) -> Result<Format, CommandError> {
    if let Some(format) = given {
        return Ok(format);
    }
    path.extension()
        .and_then(|e| e.to_str())
        .and_then(|e| e.parse::<Format>().ok())
        .ok_or_else(|| {
            CommandError::new(
                "invalid",
                format!(
                    "cannot tell the format from {}; add --format docx, pdf, html or md",
                    path.display()
                ),
            )
        })
}

/// What an analyst should check before circulating `briefing`, one sentence per item.
pub fn warnings(briefing: &Briefing) -> Vec<String> {
    briefing
        .items_needing_attention()
        .map(|(kind, item)| match item.status {
            ItemStatus::Orphaned => format!(
                "{}: excerpt {} is no longer found in its source's text; check the quote",
                kind.heading(),
                item.excerpt_id.unwrap_or_default()
            ),
            _ => format!(
                "{}: item {} quotes a deleted excerpt (the copy kept when it was deleted is exported)",
                kind.heading(),
                item.id
            ),
        })
        .collect()
}

/// "Current status: excerpt 12 (PROTECTED B)", for the items above `level`.
fn name_items(briefing: &Briefing, level: Marking) -> Vec<String> {
    briefing
        .items_above(level)
        .into_iter()
        .map(|(kind, item)| {
            let what = match item.excerpt_id {
                Some(e) => format!("excerpt {e}"),
                None => format!("item {} (a deleted excerpt)", item.id),
            };
            format!("{}: {what} ({})", kind.heading(), item.marking.label())
        })
        .collect()
}

/// Refuses a note marked below what it quotes: exporting it would put protected text under a
/// lower marking. The message names the items and both ways out.
pub fn check_marking(briefing: &Briefing) -> Result<(), CommandError> {
    let content = briefing.content_marking();
    if content <= briefing.marking {
        return Ok(());
    }
    let items = name_items(briefing, briefing.marking);
    let mut error = CommandError::new(
        "marking_too_low",
        format!(
            "briefing {} is marked {} but quotes {} material ({}); nothing was exported — raise its \
             marking (dossier briefing edit {} --marking {}), take those items out, or export a copy \
             without them with --at {}",
            briefing.id,
            briefing.marking.label(),
            content.label(),
            items.join("; "),
            briefing.id,
            content.as_str().replace('_', "-"),
            briefing.marking.as_str().replace('_', "-"),
        ),
    );
    *error.params = [
        ("id", briefing.id.to_string()),
        ("marking", briefing.marking.as_str().to_owned()),
        ("content", content.as_str().to_owned()),
        ("items", items.join("; ")),
        ("count", items.len().to_string()),
        (
            "excerpts",
            briefing
                .items_above(briefing.marking)
                .iter()
                .filter_map(|(_, i)| i.excerpt_id)
                .map(|e| e.to_string())
                .collect::<Vec<_>>()
                .join(", "),
        ),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v))
    .collect();
    Err(error)
}

/// Renders briefing `id` in `format`. With `at`, a copy marked `at` without the items marked
/// above it; without, the note as it is, refused when it is marked below what it quotes.
pub fn render(
    ws: &Workspace,
    id: i64,
    format: Format,
    at: Option<Marking>,
) -> Result<Rendered, CommandError> {
    let mut briefing = ws.get_briefing(id)?;
    let mut warnings = warnings(&briefing);
    let mut left_out = Vec::new();
    match at {
        None => check_marking(&briefing)?,
        Some(level) => {
            for (kind, item) in briefing.items_above(level) {
                left_out.push(LeftOut {
                    item_id: item.id,
                    excerpt_id: item.excerpt_id,
                    section: kind,
                    marking: item.marking,
                });
            }
            let named = name_items(&briefing, level);
            if !named.is_empty() {
                warnings.push(format!(
                    "left out, being marked above {}: {}",
                    level.label(),
                    named.join("; ")
                ));
            }
            if briefing.marking > level {
                warnings.push(format!(
                    "the note itself is marked {}; its own text was kept — read it before \
                     circulating the copy as {}",
                    briefing.marking.label(),
                    level.label()
                ));
            }
            for section in &mut briefing.sections {
                section.items.retain(|i| i.marking <= level);
            }
            briefing.marking = level;
        }
    }
    let bytes = dossier_export::export(&BriefingDocument::from(&briefing), format)?;
    Ok(Rendered {
        briefing_id: briefing.id,
        warnings,
        marking: briefing.marking,
        left_out,
        title: briefing.title,
        format,
        bytes,
    })
}

impl Rendered {
    /// The name a save dialog suggests: the title's words and the format's extension.
    pub fn file_name(&self) -> String {
        format!("{}.{}", file_stem(&self.title), self.format.extension())
    }

    /// Writes the note at `path`, replacing a file already there, whole or not at all.
    pub fn write(&self, path: &Path) -> Result<ExportedFile, CommandError> {
        if path.file_name().is_none() || path.is_dir() {
            return Err(CommandError::new(
                "invalid",
                format!("{} is a folder; give a file name", path.display()),
            ));
        }
        let dir = match path.parent().filter(|d| !d.as_os_str().is_empty()) {
            Some(d) => d.to_path_buf(),
            None => PathBuf::from("."),
        };
        if !dir.is_dir() {
            return Err(CommandError::new(
                "io",
                format!(
                    "cannot write {}: the folder {} does not exist",
                    path.display(),
                    dir.display()
                ),
            ));
        }
        dossier_store::atomic_file::write_replacing(path, &self.bytes)
            .map_err(|e| CommandError::io(format!("cannot write {}", path.display()), &e))?;
        let written = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
        Ok(ExportedFile {
            briefing_id: self.briefing_id,
            format: self.format.extension().to_owned(),
            path: written.display().to_string(),
            bytes: self.bytes.len(),
            warnings: self.warnings.clone(),
            marking: self.marking,
            left_out: self.left_out.clone(),
        })
    }
}

/// `dossier export`: briefing `id` to `path`, in `format` or the one the extension names (at
/// `at`, see [`render`]).
pub fn export_to_file(
    ws: &Workspace,
    id: i64,
    path: &Path,
    format: Option<Format>,
    at: Option<Marking>,
) -> Result<ExportedFile, CommandError> {
    let format = format_for(path, format)?;
    render(ws, id, format, at)?.write(path)
}

/// A file name from a title: the words, without characters file systems refuse.
pub fn file_stem(title: &str) -> String {
    let cleaned: String = title
        .chars()
        .map(|c| {
            if c.is_control() || matches!(c, '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|') {
                ' '
            } else {
                c
            }
        })
        .collect();
    let mut stem = String::new();
    for word in cleaned.split_whitespace() {
        if stem.chars().count() + word.chars().count() > 80 {
            break;
        }
        if !stem.is_empty() {
            stem.push(' ');
        }
        stem.push_str(word);
    }
    let stem = stem.trim_matches('.').trim().to_string();
    if stem.is_empty() {
        "Briefing note".to_string()
    } else {
        stem
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_title_becomes_a_file_name_without_what_file_systems_refuse() {
        assert_eq!(
            file_stem("Steel: the 25 % tariff / CUSMA?"),
            "Steel the 25 % tariff CUSMA"
        );
        assert_eq!(file_stem("Acier — décision"), "Acier — décision");
        assert_eq!(file_stem("  ..  "), "Briefing note");
        assert!(file_stem(&"mot ".repeat(100)).chars().count() <= 80);
    }

    #[test]
    fn the_format_comes_from_the_flag_or_the_extension() {
        assert_eq!(format_for(Path::new("n.docx"), None).unwrap(), Format::Docx);
        assert_eq!(
            format_for(Path::new("n.md"), None).unwrap(),
            Format::Markdown
        );
        assert_eq!(
            format_for(Path::new("n.txt"), Some(Format::Pdf)).unwrap(),
            Format::Pdf
        );
        let error = format_for(Path::new("note"), None).unwrap_err();
        assert!(error.message.contains("--format"), "{}", error.message);
    }

    fn note(dir: &Path) -> (Workspace, i64) {
        let mut ws = Workspace::open(&dir.join("ws.sqlite")).unwrap();
        let new = dossier_core::briefing::NewBriefing {
            title: "Acier : la suite".into(),
            ..Default::default()
        };
        let id = ws.create_briefing(&new, "2026-11-26T10:00:00Z").unwrap().id;
        (ws, id)
    }

    #[test]
    fn an_export_replaces_the_old_file_whole_and_leaves_nothing_beside_it() {
        let dir = tempfile::tempdir().unwrap();
        let (ws, id) = note(dir.path());
        let out = dir.path().join("out");
        std::fs::create_dir(&out).unwrap();
        let target = out.join("note.md");
        std::fs::write(&target, "old").unwrap();
        let written = export_to_file(&ws, id, &target, None, None).unwrap();
        let text = std::fs::read_to_string(&target).unwrap();
        assert!(text.contains("Acier"), "{text}");
        assert_eq!(written.bytes, text.len());
        let names: Vec<_> = std::fs::read_dir(&out)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, vec![std::ffi::OsString::from("note.md")]);
    }

    #[test]
    fn an_export_to_a_missing_folder_is_refused_in_plain_words() {
        let dir = tempfile::tempdir().unwrap();
        let (ws, id) = note(dir.path());
        let target = dir.path().join("absent").join("note.md");
        let error = export_to_file(&ws, id, &target, None, None).unwrap_err();
        assert_eq!(error.code, "io");
        assert!(error.message.contains("note.md"), "{}", error.message);
        assert!(!target.exists());
    }

    /// A note marked below what it quotes is refused and nothing is written; `--at` writes a
    /// copy at that marking without the protected item, and says so.
    #[test]
    fn a_protected_quote_never_leaks_into_a_note_marked_below_it() {
        use dossier_core::briefing::{BriefingPatch, SectionKind, SectionPatch};
        use dossier_core::{ExcerptTarget, NewSource};

        let dir = tempfile::tempdir().unwrap();
        let (mut ws, id) = note(dir.path());
        let now = "2026-11-26T10:00:00Z";
        let mut excerpt_of = |title: &str, body: &str, marking| {
            let source = ws
                .add_source(
                    NewSource {
                        title: title.into(),
                        body: body.into(),
                        marking,
                        ..Default::default()
                    },
                    now,
                )
                .unwrap()
                .id;
            let quote = body.split('.').next().unwrap().to_owned();
            ws.add_excerpt(
                source,
                ExcerptTarget::Quote {
                    quote,
                    occurrence: None,
                },
                "",
                &[],
                now,
            )
            .unwrap()
            .id
        };
        let open = excerpt_of(
            "Public",
            "Steel quotas were announced today.",
            Marking::Unclassified,
        );
        let secret = excerpt_of(
            "Cabinet",
            "The fallback position is a ten per cent quota. More follows.",
            Marking::ProtectedB,
        );
        let mut section = SectionPatch::new(SectionKind::CurrentStatus);
        section.add_excerpts = vec![open, secret];
        ws.edit_briefing(
            id,
            &BriefingPatch {
                sections: vec![section],
                ..Default::default()
            },
            now,
        )
        .unwrap();

        let target = dir.path().join("note.md");
        let refused = export_to_file(&ws, id, &target, None, None).unwrap_err();
        assert_eq!(refused.code, "marking_too_low");
        assert!(
            refused.message.contains(&format!("excerpt {secret}")),
            "{}",
            refused.message
        );
        assert!(
            refused.message.contains("PROTECTED B"),
            "{}",
            refused.message
        );
        assert!(!target.exists(), "a refused export writes nothing");

        let written = export_to_file(&ws, id, &target, None, Some(Marking::Unclassified)).unwrap();
        let text = std::fs::read_to_string(&target).unwrap();
        assert!(text.contains("Steel quotas were announced today"), "{text}");
        assert!(!text.contains("fallback position"), "{text}");
        assert_eq!(written.marking, Marking::Unclassified);
        assert_eq!(
            written
                .left_out
                .iter()
                .map(|l| l.excerpt_id)
                .collect::<Vec<_>>(),
            vec![Some(secret)]
        );
        assert!(
            written.warnings.iter().any(|w| w.contains("left out")),
            "{:?}",
            written.warnings
        );

        // Raised to the content's marking, the whole note exports.
        ws.edit_briefing(
            id,
            &BriefingPatch {
                marking: Some(Marking::ProtectedB),
                ..Default::default()
            },
            now,
        )
        .unwrap();
        let whole = export_to_file(&ws, id, &target, None, None).unwrap();
        assert!(whole.left_out.is_empty());
        assert!(
            std::fs::read_to_string(&target)
                .unwrap()
                .contains("fallback position")
        );
    }
}

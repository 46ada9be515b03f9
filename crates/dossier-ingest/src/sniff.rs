//! Telling formats apart by content: magic bytes first, then a look at decoded text.
//!
//! Known binary formats are named in the refusal ("a PNG image"), because "unsupported file"
//! leaves the analyst guessing; anything else with NUL bytes or many control characters is
//! "binary data". The HTML test follows the WHATWG MIME sniffing rules for `text/html`.

use std::io::Cursor;

use crate::error::{IngestError, Result};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Pdf,
    Docx,
    /// PNG, JPEG or TIFF: read by OCR.
    Image,
    Text,
}

const MAGIC: &[(&[u8], &str)] = &[
    (b"\x89PNG", "a damaged PNG image"),
    (b"GIF8", "a GIF image (save it as PNG to read it by OCR)"),
    (b"%!PS", "a PostScript file"),
    (b"{\\rtf", "an RTF document (save it as .docx)"),
    (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
        "an old-style Office file (.doc or .xls; save it as .docx)",
    ),
    (b"\x7fELF", "a program"),
    (b"MZ", "a Windows program"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"Rar!", "a RAR archive"),
    (b"7z\xbc\xaf", "a 7-Zip archive"),
    (b"SQLite format 3\0", "an SQLite database"),
    (b"RIFF", "an audio or video file"),
    (b"ID3", "an MP3 file"),
    (b"OggS", "an audio file"),
    (b"fLaC", "an audio file"),
];

pub(crate) fn sniff(bytes: &[u8], name: &str) -> Result<Kind> {
    let unsupported = |what: &str| IngestError::Unsupported {
        name: name.to_string(),
        what: what.to_string(),
    };
    // The PDF header may follow some junk, within the first kilobyte (PDF 1.7, 7.5.2 note).
    let head = &bytes[..bytes.len().min(1024)];
    if head.windows(5).any(|w| w == b"%PDF-") {
        return Ok(Kind::Pdf);
    }
    if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06") {
        return zip_kind(bytes, name);
    }
    const IMAGES: &[&[u8]] = &[b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"II*\0", b"MM\0*"];
    if IMAGES.iter().any(|m| bytes.starts_with(m)) {
        return Ok(Kind::Image);
    }
    if bytes.len() > 8 && &bytes[4..8] == b"ftyp" {
        return Err(unsupported("a video or image file"));
    }
    if let Some((_, what)) = MAGIC.iter().find(|(m, _)| bytes.starts_with(m)) {
        return Err(unsupported(what));
    }
    let utf16 = bytes.starts_with(b"\xff\xfe") || bytes.starts_with(b"\xfe\xff");
    if !utf16 && bytes[..bytes.len().min(8192)].contains(&0) {
        return Err(unsupported("binary data"));
    }
    Ok(Kind::Text)
}

fn zip_kind(bytes: &[u8], name: &str) -> Result<Kind> {
    let archive =
        zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| IngestError::BrokenDocx {
            name: name.to_string(),
            reason: format!("its ZIP structure is broken ({e})"),
        })?;
    let names: Vec<&str> = archive.file_names().collect();
    let has = |prefix: &str| names.iter().any(|n| n.starts_with(prefix));
    if has("word/document.xml") {
        return Ok(Kind::Docx);
    }
    let what = if has("xl/") {
        "an Excel workbook"
    } else if has("ppt/") {
        "a PowerPoint presentation"
    } else if names.contains(&"mimetype") && has("content.xml") {
        "an OpenDocument file (save it as .docx)"
    } else if has("META-INF/container.xml") {
        "an EPUB book"
    } else {
        "a ZIP archive"
    };
    Err(IngestError::Unsupported {
        name: name.to_string(),
        what: what.into(),
    })
}

/// WHATWG MIME sniffing's HTML patterns, tested on the first non-blank characters.
pub(crate) fn looks_like_html(text: &str) -> bool {
    const TAGS: &[&str] = &[
        "<!doctype html",
        "<html",
        "<head",
        "<script",
        "<iframe",
        "<h1",
        "<div",
        "<font",
        "<table",
        "<a",
        "<style",
        "<title",
        "<b",
        "<body",
        "<br",
        "<p",
        "<!--",
        "<article",
        "<meta",
        "<section",
        "<main",
    ];
    let start = text.trim_start_matches(['\u{feff}', ' ', '\t', '\n', '\r', '\x0c']);
    let head: String = start
        .chars()
        .take(16)
        .collect::<String>()
        .to_ascii_lowercase();
    // `<?xml … ?>` may precede XHTML.
    let head = if head.starts_with("<?xml") {
        let after = start.find("?>").map_or("", |i| &start[i + 2..]);
        after
            .trim_start()
            .chars()
            .take(16)
            .collect::<String>()
            .to_ascii_lowercase()
    } else {
        head
    };
    TAGS.iter().any(|tag| {
        head.strip_prefix(tag)
            .and_then(|rest| rest.chars().next())
            .is_some_and(|c| {
                c == ' '
                    || c == '>'
                    || c == '\t'
                    || c == '\n'
                    || c == '\r'
                    || (*tag == "<!--" && c != '\0')
            })
    })
}

#[cfg(test)]
mod tests {
    use super::looks_like_html;
    use rstest::rstest;

    #[rstest]
    #[case("<!DOCTYPE html><html>", true)]
    #[case("\n  <html lang=\"fr\">", true)]
    #[case("<p>Short note</p>", true)]
    #[case("<?xml version=\"1.0\"?>\n<html xmlns=\"x\">", true)]
    #[case("<abbr>not sniffed</abbr>", false)]
    #[case("Tariffs <b>rose</b> today", false)]
    #[case("# Heading\n\nText", false)]
    fn html_is_sniffed_from_the_opening_tag(#[case] text: &str, #[case] html: bool) {
        assert_eq!(looks_like_html(text), html, "{text}");
    }
}

//! Word (.docx): the paragraphs of `word/document.xml` in order (table cells included, each cell
//! paragraph its own), headings as paragraphs of their own, tabs and line breaks kept; title,
//! authors and language from `docProps/core.xml`.
//!
//! Read with zip + quick-xml rather than a DOCX library: only text is needed, and a streaming
//! read keeps a large report cheap. Text in deleted revisions (`w:delText`) and field codes
//! (`w:instrText`) is skipped, inserted revisions are kept — what Word shows with changes
//! accepted. The decision a reader might question: a heading gets no marker (no `#`) in the
//! text, so that quotes stay the document's own words; it is still its own paragraph.

use std::io::{Cursor, Read};

use quick_xml::Reader;
use quick_xml::events::Event;

use crate::error::{IngestError, Result};
use crate::html::split_names;
use crate::{Document, Format, Limits, clean, primary_lang};

pub(crate) fn extract(bytes: &[u8], name: &str, limits: &Limits) -> Result<Document> {
    let broken = |reason: String| IngestError::BrokenDocx {
        name: name.to_string(),
        reason,
    };
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|e| broken(format!("its ZIP structure is broken ({e})")))?;
    let document = read_member(&mut archive, "word/document.xml", limits)
        .map_err(&broken)?
        .ok_or_else(|| broken("it has no word/document.xml".into()))?;
    let (paragraphs, first_heading) = paragraphs(&document).map_err(&broken)?;
    let mut doc = Document::new(
        crate::document::normalize_text(&paragraphs.join("\n\n")),
        Format::Docx,
    );
    if let Ok(Some(core)) = read_member(&mut archive, "docProps/core.xml", limits) {
        let props = core_properties(&core);
        doc.title = clean(props.title);
        doc.authors = props.creator.map(|c| split_names(&c)).unwrap_or_default();
        doc.lang = props.language.and_then(|l| primary_lang(&l));
    }
    if doc.title.is_none() {
        doc.title = clean(first_heading);
    }
    Ok(doc)
}

/// A member of the archive as text, refused past the size limit (a ZIP bomb unpacks to
/// gigabytes from a few kilobytes).
fn read_member(
    archive: &mut zip::ZipArchive<Cursor<&[u8]>>,
    member: &str,
    limits: &Limits,
) -> std::result::Result<Option<String>, String> {
    let file = match archive.by_name(member) {
        Ok(f) => f,
        Err(zip::result::ZipError::FileNotFound) => return Ok(None),
        Err(e) => return Err(format!("{member} cannot be read ({e})")),
    };
    let mut xml = Vec::new();
    file.take(limits.max_bytes + 1)
        .read_to_end(&mut xml)
        .map_err(|e| format!("{member} cannot be unpacked ({e})"))?;
    if xml.len() as u64 > limits.max_bytes {
        return Err(format!(
            "its text unpacks to more than the import limit of {} MB",
            limits.max_bytes / 1024 / 1024
        ));
    }
    String::from_utf8(xml)
        .map(Some)
        .map_err(|_| format!("{member} is not UTF-8 XML"))
}

fn is_heading_style(style: &str) -> bool {
    let s = style.to_ascii_lowercase();
    // Style ids are localized: Heading1, Titre1, Überschrift1 …; Title and Titre are the title.
    s.starts_with("heading")
        || s.starts_with("titre")
        || s == "title"
        || s.starts_with("berschrift")
}

/// The non-empty paragraphs, and the text of the first heading-styled one.
fn paragraphs(xml: &str) -> std::result::Result<(Vec<String>, Option<String>), String> {
    let mut reader = Reader::from_str(xml);
    let mut out = Vec::new();
    let mut first_heading = None;
    let mut current = String::new();
    let mut style: Option<String> = None;
    let mut in_text = false;
    loop {
        let event = reader
            .read_event()
            .map_err(|e| format!("its text is not well-formed XML ({e})"))?;
        match event {
            Event::Start(e) => match e.name().as_ref() {
                b"w:t" => in_text = true,
                b"w:p" => {
                    current.clear();
                    style = None;
                }
                _ => {}
            },
            Event::Empty(e) => match e.name().as_ref() {
                b"w:pStyle" => {
                    style = e
                        .try_get_attribute("w:val")
                        .ok()
                        .flatten()
                        .map(|a| String::from_utf8_lossy(&a.value).into_owned());
                }
                b"w:tab" => current.push('\t'),
                b"w:br" | b"w:cr" => current.push('\n'),
                _ => {}
            },
            Event::Text(t) if in_text => {
                let text = t
                    .decode()
                    .map_err(|e| format!("its text cannot be decoded ({e})"))?;
                let text = quick_xml::escape::unescape(&text)
                    .map_err(|e| format!("its text has a bad escape ({e})"))?;
                current.push_str(&text);
            }
            Event::GeneralRef(r) if in_text => {
                let name = r
                    .decode()
                    .map_err(|e| format!("its text cannot be decoded ({e})"))?;
                let entity = format!("&{name};");
                if let Ok(ch) = quick_xml::escape::unescape(&entity) {
                    current.push_str(&ch);
                }
            }
            Event::End(e) => match e.name().as_ref() {
                b"w:t" => in_text = false,
                b"w:p" => {
                    let para = current.trim().to_string();
                    if !para.is_empty() {
                        if first_heading.is_none() && style.as_deref().is_some_and(is_heading_style)
                        {
                            first_heading = Some(para.clone());
                        }
                        out.push(para);
                    }
                    current.clear();
                }
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
    }
    Ok((out, first_heading))
}

#[derive(Default)]
struct CoreProperties {
    title: Option<String>,
    creator: Option<String>,
    language: Option<String>,
}

fn core_properties(xml: &str) -> CoreProperties {
    let mut reader = Reader::from_str(xml);
    let mut props = CoreProperties::default();
    let mut field: Option<&'static str> = None;
    let mut value = String::new();
    while let Ok(event) = reader.read_event() {
        match event {
            Event::Start(e) => {
                field = match e.name().as_ref() {
                    b"dc:title" => Some("title"),
                    b"dc:creator" => Some("creator"),
                    b"dc:language" => Some("language"),
                    _ => None,
                };
                value.clear();
            }
            Event::Text(t) if field.is_some() => {
                if let Ok(text) = t.decode() {
                    value.push_str(&quick_xml::escape::unescape(&text).unwrap_or(text.clone()));
                }
            }
            Event::GeneralRef(r) if field.is_some() => {
                if let Ok(name) = r.decode()
                    && let Ok(ch) = quick_xml::escape::unescape(&format!("&{name};"))
                {
                    value.push_str(&ch);
                }
            }
            Event::End(_) => {
                let v = Some(value.trim().to_string()).filter(|v| !v.is_empty());
                match field.take() {
                    Some("title") => props.title = v,
                    Some("creator") => props.creator = v,
                    Some("language") => props.language = v,
                    _ => {}
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    props
}

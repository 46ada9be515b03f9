//! Plain text and Markdown: decoding whatever encoding the file is in, and Markdown front matter.
//!
//! Encoding: a byte-order mark decides (UTF-8, UTF-16 LE/BE); else valid UTF-8 is UTF-8; else
//! the charset a web server or the page itself declared; else chardetng guesses (it tells
//! Windows-1252 from other legacy encodings). The decision a reader might question: a guessed
//! encoding is accepted without asking — a wrong guess shows as odd accents the analyst sees at
//! once, while refusing every non-UTF-8 file would send them to a text editor for each one.
//! Text that decodes to many control characters is refused as binary.

use chardetng::{EncodingDetector, Iso2022JpDetection, Utf8Detection};
use encoding_rs::{Encoding, UTF_8};
use yaml_rust2::{Yaml, YamlLoader};

use crate::error::{IngestError, Result};
use crate::{Document, Format, Hint, clean, iso_date, primary_lang};

/// True when there are no letters or digits at all.
pub(crate) fn is_blank_text(text: &str) -> bool {
    !text.chars().any(char::is_alphanumeric)
}

fn charset_of(content_type: &str) -> Option<&'static Encoding> {
    let lower = content_type.to_ascii_lowercase();
    let at = lower.find("charset=")?;
    let label = lower[at + 8..]
        .split(';')
        .next()?
        .trim()
        .trim_matches(['"', '\'']);
    Encoding::for_label(label.as_bytes())
}

/// `<meta charset="…">` or `<meta http-equiv="Content-Type" content="…; charset=…">` in the
/// first kilobytes of an HTML page, read as ASCII (the HTML spec's prescan, simplified).
fn meta_charset(bytes: &[u8]) -> Option<&'static Encoding> {
    let head = &bytes[..bytes.len().min(4096)];
    let ascii: String = head
        .iter()
        .map(|&b| if b.is_ascii() { b as char } else { ' ' })
        .collect::<String>()
        .to_ascii_lowercase();
    let at = ascii.find("charset=")?;
    let rest = ascii[at + 8..].trim_start_matches(['"', '\'', ' ']);
    let label: String = rest
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | ':' | '.'))
        .collect();
    Encoding::for_label(label.as_bytes())
}

/// Decodes bytes to a `String`, whatever their encoding.
pub fn decode(bytes: &[u8], content_type: Option<&str>, name: &str) -> Result<String> {
    let encoding = if let Some((enc, _)) = Encoding::for_bom(bytes) {
        enc
    } else if std::str::from_utf8(bytes).is_ok() {
        UTF_8
    } else if let Some(enc) = content_type
        .and_then(charset_of)
        .or_else(|| meta_charset(bytes))
    {
        enc
    } else {
        let mut detector = EncodingDetector::new(Iso2022JpDetection::Deny);
        detector.feed(bytes, true);
        detector.guess(None, Utf8Detection::Allow)
    };
    // `decode` strips a BOM matching the encoding; a UTF-8 declared page that is not UTF-8
    // still decodes, with U+FFFD where bytes were invalid.
    let (text, _, _) = encoding.decode(bytes);
    let controls = text
        .chars()
        .filter(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t' | '\x0c'))
        .count();
    if controls * 20 > text.chars().count().max(1) {
        return Err(IngestError::Unsupported {
            name: name.to_string(),
            what: "binary data".into(),
        });
    }
    Ok(text.into_owned())
}

/// Reads a text or Markdown file's bytes as `source add` does: any encoding, refused when
/// binary; returns the text as it was written (front matter included).
pub fn decode_text_file(bytes: &[u8], name: &str) -> Result<String> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(IngestError::Empty {
            name: name.to_string(),
        });
    }
    let utf16 = bytes.starts_with(b"\xff\xfe") || bytes.starts_with(b"\xfe\xff");
    if !utf16 && bytes[..bytes.len().min(8192)].contains(&0) {
        return Err(IngestError::Unsupported {
            name: name.to_string(),
            what: "binary data".into(),
        });
    }
    decode(bytes, None, name)
}

/// A text or Markdown document from its decoded text.
pub(crate) fn extract(decoded: &str, hint: &Hint) -> Document {
    let normalized = crate::document::normalize_text(decoded);
    let named_md = hint.name.as_deref().is_some_and(|n| {
        let n = n.to_ascii_lowercase();
        n.ends_with(".md") || n.ends_with(".markdown")
    });
    let typed_md = hint
        .content_type
        .as_deref()
        .is_some_and(|t| t.to_ascii_lowercase().starts_with("text/markdown"));
    match front_matter(&normalized) {
        Some((meta, body)) => {
            let mut doc = Document::new(body.to_string(), Format::Markdown);
            apply_front_matter(&mut doc, &meta);
            doc
        }
        None => {
            let format = if named_md || typed_md {
                Format::Markdown
            } else {
                Format::Text
            };
            Document::new(normalized, format)
        }
    }
}

/// YAML front matter: a first line `---`, a mapping, a closing `---` or `...` line. Returns the
/// mapping and the text after it (blank lines after the block dropped).
fn front_matter(text: &str) -> Option<(yaml_rust2::yaml::Hash, &str)> {
    let rest = text.strip_prefix("---\n")?;
    let mut offset = 0;
    for line in rest.split_inclusive('\n') {
        let bare = line.trim_end();
        if bare == "---" || bare == "..." {
            let yaml = &rest[..offset];
            let body = rest[offset + line.len()..].trim_start_matches('\n');
            let docs = YamlLoader::load_from_str(yaml).ok()?;
            let hash = docs.into_iter().next()?.into_hash()?;
            return Some((hash, body));
        }
        offset += line.len();
    }
    None
}

fn yaml_string(value: &Yaml) -> Option<String> {
    match value {
        Yaml::String(s) | Yaml::Real(s) => Some(s.clone()),
        Yaml::Integer(i) => Some(i.to_string()),
        _ => None,
    }
}

fn yaml_strings(value: &Yaml) -> Vec<String> {
    match value {
        Yaml::Array(items) => items.iter().filter_map(yaml_string).collect(),
        other => yaml_string(other)
            .map(|s| crate::html::split_names(&s))
            .unwrap_or_default(),
    }
}

fn apply_front_matter(doc: &mut Document, meta: &yaml_rust2::yaml::Hash) {
    for (key, value) in meta {
        let Some(key) = key.as_str() else { continue };
        match key.to_ascii_lowercase().as_str() {
            "title" => doc.title = clean(yaml_string(value)),
            "author" | "authors" | "byline" => doc.authors = yaml_strings(value),
            "date" | "published" | "publication_date" | "pubdate" => {
                doc.published = yaml_string(value).and_then(|d| iso_date(&d))
            }
            "outlet" | "source" | "publisher" | "site" | "site_name" => {
                doc.outlet = clean(yaml_string(value))
            }
            "url" | "link" | "canonical_url" | "canonical" => doc.url = clean(yaml_string(value)),
            "lang" | "language" => doc.lang = yaml_string(value).and_then(|l| primary_lang(&l)),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn front_matter_fills_metadata_and_leaves_the_body() {
        let md = "---\ntitle: \"Steel talks\"\nauthors: [Jeanne Roy, Paul Tremblay]\ndate: 2025-03-14\n\
                  outlet: Maple Wire\nlang: fr-CA\nurl: https://example.org/a\n---\n\n# Steel talks\n\nBody.";
        let doc = extract(md, &Hint::default());
        assert_eq!(doc.format, Format::Markdown);
        assert_eq!(doc.title.as_deref(), Some("Steel talks"));
        assert_eq!(doc.authors, ["Jeanne Roy", "Paul Tremblay"]);
        assert_eq!(doc.published.as_deref(), Some("2025-03-14"));
        assert_eq!(doc.outlet.as_deref(), Some("Maple Wire"));
        assert_eq!(doc.lang.as_deref(), Some("fr"));
        assert_eq!(doc.url.as_deref(), Some("https://example.org/a"));
        assert_eq!(doc.text, "# Steel talks\n\nBody.");
    }

    #[test]
    fn a_rule_that_is_not_front_matter_stays_text() {
        let text = "---\nnot: [valid yaml\n---\nBody";
        let doc = extract(text, &Hint::default());
        assert_eq!(doc.text, text);
        assert_eq!(doc.format, Format::Text);
    }

    #[test]
    fn declared_charset_wins_over_guessing() {
        let bytes = b"caf\xe9";
        assert_eq!(
            decode(bytes, Some("text/plain; charset=ISO-8859-1"), "x").unwrap(),
            "café"
        );
    }
}

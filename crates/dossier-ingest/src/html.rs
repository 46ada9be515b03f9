//! Web pages: the article's main text by dom_smoothie (a port of Mozilla's Readability), with
//! paragraph breaks and headings kept (`TextMode::Formatted`), and metadata from meta tags,
//! OpenGraph and JSON-LD, plus the canonical link and the page's declared language.
//!
//! Whitespace in HTML carries no meaning, so here (unlike plain text) lines are trimmed and runs
//! of blank lines collapse to one. The decision a reader might question: a byline paragraph
//! near the top ("By Jeanne Roy") is removed from the text only when it says nothing but the
//! authors already recorded — matched whole, never a sentence that merely names them.

use dom_query::Document as Dom;
use dom_smoothie::{Config, Readability, TextMode};

use crate::error::{IngestError, Result};
use crate::{Document, Format, Hint, clean, iso_date, primary_lang};

/// Deeper than this, a page is refused: real articles nest a few dozen levels, and the article
/// extractor's time grows with the square of the depth (8,000 levels took seconds), so a
/// hostile page could otherwise stall a whole import.
const MAX_DEPTH: usize = 1_000;

/// Elements that never hold others, or whose end tag may be left out (the parser closes them
/// itself): neither makes the page deeper.
const FLAT: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
    "wbr", "p", "li", "dt", "dd", "tr", "td", "th", "thead", "tbody", "tfoot", "option",
    "optgroup", "rb", "rt", "rp", "colgroup", "caption", "html", "head", "body",
];

/// Elements whose content is text up to their own end tag.
const RAW: &[&str] = &["script", "style", "textarea", "title", "xmp", "noscript"];

/// Where `</name` starts in `bytes`, in any case.
fn find_end_tag(bytes: &[u8], name: &[u8]) -> Option<usize> {
    let mut from = 0;
    while let Some(offset) = bytes[from..].windows(2).position(|w| w == b"</") {
        let at = from + offset;
        let candidate = &bytes[at + 2..];
        if candidate.len() >= name.len() && candidate[..name.len()].eq_ignore_ascii_case(name) {
            return Some(at);
        }
        from = at + 2;
    }
    None
}

/// How deep the page's elements nest, from the tags alone and before anything is parsed: the
/// parser's own time grows with the square of the depth too. An upper bound in sloppy markup
/// (an unclosed `<div>` counts as open), exact in well-formed markup.
fn depth(html: &str) -> usize {
    let bytes = html.as_bytes();
    let (mut level, mut deepest, mut i) = (0usize, 0usize, 0usize);
    while let Some(offset) = bytes[i..].iter().position(|&b| b == b'<') {
        i += offset + 1;
        let closing = bytes.get(i) == Some(&b'/');
        let name_start = if closing { i + 1 } else { i };
        let name_len = bytes[name_start..]
            .iter()
            .take_while(|b| b.is_ascii_alphanumeric())
            .count();
        if name_len == 0 {
            if bytes[i..].starts_with(b"!--") {
                match bytes[i..].windows(3).position(|w| w == b"-->") {
                    Some(end) => i += end + 3,
                    None => break,
                }
            }
            continue; // a comment, a doctype, or a lone "<" in text
        }
        let name = html[name_start..name_start + name_len].to_ascii_lowercase();
        let Some(end) = bytes[name_start..].iter().position(|&b| b == b'>') else {
            break;
        };
        let tag_end = name_start + end;
        i = tag_end + 1;
        if FLAT.contains(&name.as_str()) {
            continue;
        }
        if closing {
            level = level.saturating_sub(1);
        } else if bytes[..tag_end].last() != Some(&b'/') {
            if RAW.contains(&name.as_str()) {
                match find_end_tag(&bytes[i..], name.as_bytes()) {
                    Some(at) => i += at,
                    None => break,
                }
                continue;
            }
            level += 1;
            deepest = deepest.max(level);
        }
    }
    deepest
}

pub(crate) fn extract(html: &str, hint: &Hint, name: &str) -> Result<Document> {
    let levels = depth(html);
    if levels > MAX_DEPTH {
        return Err(IngestError::BrokenHtml {
            name: name.to_string(),
            reason: format!(
                "its elements are nested {levels} levels deep, more than the {MAX_DEPTH} Dossier reads; \
                 save the article's text and import that instead"
            ),
        });
    }
    let dom = Dom::from(html);
    let canonical = attr(&dom, "link[rel~=\"canonical\"]", "href")
        .or_else(|| attr(&dom, "meta[property=\"og:url\"]", "content"))
        .filter(|u| u.starts_with("http://") || u.starts_with("https://"));
    let declared_lang = attr(&dom, "html", "lang").and_then(|l| primary_lang(&l));
    let meta_authors: Vec<String> = dom
        .select(
            "meta[name=\"author\"], meta[property=\"article:author\"], meta[name=\"dc.creator\"]",
        )
        .iter()
        .filter_map(|m| m.attr("content").map(|c| c.to_string()))
        .filter(|c| !c.starts_with("http"))
        .flat_map(|c| split_names(&c))
        .collect();
    let site_meta = attr(&dom, "meta[property=\"og:site_name\"]", "content");
    let title_meta = attr(&dom, "meta[property=\"og:title\"]", "content").or_else(|| {
        dom.select("title")
            .nodes()
            .first()
            .map(|t| t.text().trim().to_string())
    });
    let visible = crate::byline::visible(&dom, title_meta.as_deref(), site_meta.as_deref());
    let date_meta = attr(&dom, "meta[name=\"date\"]", "content")
        .or_else(|| attr(&dom, "meta[name=\"dc.date\"]", "content"))
        .or_else(|| attr(&dom, "time[datetime]", "datetime"));

    // Relative links are resolved against the page's URL only when it is absolute.
    let page_url = hint
        .url
        .as_deref()
        .filter(|u| u.starts_with("http://") || u.starts_with("https://"));
    let cfg = Config {
        text_mode: TextMode::Formatted,
        ..Default::default()
    };
    let mut readability = Readability::with_document(dom, page_url, Some(cfg)).map_err(|e| {
        IngestError::BrokenHtml {
            name: name.to_string(),
            reason: e.to_string(),
        }
    })?;
    let article = readability.parse().map_err(|e| IngestError::BrokenHtml {
        name: name.to_string(),
        reason: match e {
            dom_smoothie::ReadabilityError::GrabFailed => {
                "no article text could be found in it".to_string()
            }
            other => other.to_string(),
        },
    })?;

    // The byline shown under the headline first, then the article's JSON-LD (or its first
    // author meta tag, which the extractor falls back to), then every author meta tag; see
    // `byline` for why a person beats an agency's credit.
    let outlet = clean(article.site_name.clone()).or_else(|| site_meta.clone());
    let sources = [
        visible
            .as_ref()
            .map(|v| v.names.clone())
            .unwrap_or_default(),
        article
            .byline
            .as_deref()
            .map(|b| crate::byline::names(b, outlet.as_deref()))
            .unwrap_or_default(),
        meta_authors,
    ];
    let authors = crate::byline::choose(&sources, outlet.as_deref());
    let mut text = tidy(&article.text_content);
    for byline in [visible.map(|v| v.text), article.byline.clone()]
        .into_iter()
        .flatten()
    {
        text = drop_byline(&text, &byline, &authors);
    }
    if let Some(judge) = crate::consensus::second_opinion(html) {
        text = crate::consensus::agree(&text, &judge);
    }
    // A page whose "article" is a menu item or two (a login wall, an index page) has no article.
    if text.split_whitespace().count() < 5 {
        return Err(IngestError::NoText {
            name: name.to_string(),
            hint: " (no article could be found in the page)".into(),
        });
    }
    let mut doc = Document::new(crate::document::normalize_text(&text), Format::Html);
    doc.title = clean(Some(article.title.to_string()));
    doc.authors = authors;
    doc.published = article
        .published_time
        .as_deref()
        .and_then(iso_date)
        .or_else(|| date_meta.as_deref().and_then(iso_date));
    doc.outlet = clean(article.site_name.clone());
    doc.lang = declared_lang.or_else(|| article.lang.as_deref().and_then(primary_lang));
    doc.url = canonical.or_else(|| clean(article.url.clone()));
    Ok(doc)
}

fn attr(dom: &Dom, selector: &str, name: &str) -> Option<String> {
    dom.select(selector)
        .iter()
        .find_map(|n| n.attr(name).map(|v| v.trim().to_string()))
        .filter(|v| !v.is_empty())
}

/// Names from a byline: "By Jeanne Roy and Paul Tremblay", "Par : Jeanne Roy et Luc Côté",
/// "Jeanne Roy, Paul Tremblay", "Jeanne Roy avec AFP".
pub(crate) fn split_names(byline: &str) -> Vec<String> {
    let flat = byline.split_whitespace().collect::<Vec<_>>().join(" ");
    let without_by = crate::byline::after_by(&flat).unwrap_or(&flat);
    without_by
        .split([',', ';', '|', '&', '/', '·', '•'])
        .flat_map(|part| {
            [" and ", " et ", " with ", " avec "]
                .iter()
                .fold(vec![part], |parts, sep| {
                    parts.into_iter().flat_map(|p| p.split(sep)).collect()
                })
        })
        .map(|n| n.trim().trim_end_matches('.').trim().to_string())
        .filter(|n| !n.is_empty() && n.chars().count() <= 80)
        .collect()
}

/// Trims lines and keeps at most one blank line between paragraphs.
fn tidy(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut blank_run = 0;
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() {
            blank_run += 1;
            continue;
        }
        if !out.is_empty() {
            out.push_str(if blank_run > 0 { "\n\n" } else { "\n" });
        }
        blank_run = 0;
        out.push_str(line);
    }
    out
}

/// Removes the byline paragraph when, among the first few, one says exactly the byline or
/// "By"/"Par" and the authors, and nothing else.
fn drop_byline(text: &str, byline: &str, authors: &[String]) -> String {
    let squash = |s: &str| {
        s.split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .to_lowercase()
    };
    let byline = squash(byline);
    let names = squash(&authors.join(" and "));
    let is_byline = |p: &str| {
        let p = squash(p);
        let bare = crate::byline::after_by(&p).unwrap_or(&p);
        !p.is_empty() && (p == byline || bare == byline || (!names.is_empty() && bare == names))
    };
    let paragraphs: Vec<&str> = text.split("\n\n").collect();
    let Some(at) = paragraphs.iter().take(4).position(|p| is_byline(p)) else {
        return text.to_string();
    };
    paragraphs
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != at)
        .map(|(_, p)| *p)
        .collect::<Vec<_>>()
        .join("\n\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    #[rstest]
    #[case("By Jeanne Roy and Paul Tremblay", &["Jeanne Roy", "Paul Tremblay"])]
    #[case("Par Jeanne Roy et Luc Côté", &["Jeanne Roy", "Luc Côté"])]
    #[case("Jeanne Roy, Paul Tremblay", &["Jeanne Roy", "Paul Tremblay"])]
    #[case("  ", &[])]
    fn bylines_split_into_names(#[case] byline: &str, #[case] names: &[&str]) {
        assert_eq!(split_names(byline), names);
    }

    #[test]
    fn only_a_paragraph_that_is_the_byline_is_dropped() {
        let authors = vec!["Jeanne Roy".to_string()];
        let text = "Title\n\nBy Jeanne Roy\n\nJeanne Roy said steel talks resumed.";
        assert_eq!(
            drop_byline(text, "By Jeanne Roy", &authors),
            "Title\n\nJeanne Roy said steel talks resumed."
        );
        let no_byline = "Title\n\nJeanne Roy said steel talks resumed.";
        assert_eq!(drop_byline(no_byline, "By Jeanne Roy", &authors), no_byline);
    }

    fn nested(levels: usize) -> String {
        format!(
            "<!DOCTYPE html><html><head><title>T</title></head><body>{}<p>{}</p>{}</body></html>",
            "<div>".repeat(levels),
            "Quota talks resumed in Ottawa with officials from both sides. ".repeat(12),
            "</div>".repeat(levels)
        )
    }

    #[rstest]
    #[case::flat("<p>one<p>two<br><img src=x><hr>", 0)]
    #[case::nested("<div><section><div></div></section></div><div></div>", 3)]
    #[case::self_closed("<div><svg><path d='M0'/><path/></svg></div>", 2)]
    #[case::script_text("<div><script>if (a < b) { x = '<div><div><div>'; }</script></div>", 1)]
    #[case::any_case("<DIV><Div></dIV></div>", 2)]
    #[case::comments("<!-- <div><div> --><div></div><!---->", 1)]
    #[case::lone_angle("a < b and c > d <div>", 1)]
    fn depth_is_counted_from_the_tags(#[case] html: &str, #[case] expected: usize) {
        assert_eq!(depth(html), expected, "{html}");
    }

    #[test]
    fn a_page_nested_past_the_limit_is_refused_before_it_is_parsed() {
        let hint = Hint::default();
        let fine = extract(&nested(200), &hint, "fine.html").unwrap();
        assert!(
            fine.text.contains("Quota talks resumed in Ottawa"),
            "{}",
            fine.text
        );
        let error = extract(&nested(MAX_DEPTH + 1), &hint, "deep.html").unwrap_err();
        let message = error.to_string();
        assert!(
            message.contains("deep.html") && message.contains("nested 1001 levels deep"),
            "{message}"
        );
        assert_eq!(error.code(), "broken_file");
    }
}

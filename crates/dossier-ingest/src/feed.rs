//! Feeds: fetching one politely (conditional GET, gzip, the shared time, size and redirect
//! rules of [`crate::fetch`]), reading it (RSS 2.0, RSS 1.0/RDF, Atom, JSON Feed through
//! feed-rs) into plain-text entries, and OPML subscription lists in and out.
//!
//! The decisions a reader might question: a feed with one entry linking to a non-web address
//! (`javascript:`, `file:`, …) or with more entries than [`FeedOptions::max_entries`] is refused
//! as a whole, like a malformed one — taking the rest would hide a hostile or broken feed behind
//! a partial success. Summaries are turned into plain text here, so no entry HTML ever leaves
//! this module.

use std::io::Read as _;
use std::time::Duration;

use sha2::{Digest, Sha256};

use crate::fetch::{FetchOptions, agent, is_url};

/// Limits for one feed poll.
#[derive(Debug, Clone)]
pub struct FeedOptions {
    pub fetch: FetchOptions,
    /// A feed listing more entries than this is refused.
    pub max_entries: usize,
    /// Summaries are cut to this many characters.
    pub max_summary_chars: usize,
}

/// A feed document is refused past this size (decompressed).
pub const DEFAULT_FEED_MAX_BYTES: u64 = 10 * 1024 * 1024;
pub const DEFAULT_MAX_ENTRIES: usize = 1000;

impl Default for FeedOptions {
    fn default() -> Self {
        FeedOptions {
            fetch: FetchOptions {
                timeout: Duration::from_secs(30),
                max_bytes: DEFAULT_FEED_MAX_BYTES,
                max_redirects: 5,
            },
            max_entries: DEFAULT_MAX_ENTRIES,
            max_summary_chars: 1200,
        }
    }
}

/// The validators of the last answer, sent back for a conditional GET.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Validators {
    pub etag: Option<String>,
    pub last_modified: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FeedResponse {
    /// 304: the feed has not changed since the validators.
    NotModified,
    Body {
        bytes: Vec<u8>,
        final_url: String,
        content_type: Option<String>,
        validators: Validators,
    },
}

/// Why a poll failed, in plain words, and what the server asked for (`Retry-After`, raw).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedFailure {
    pub message: String,
    pub retry_after: Option<String>,
}

impl FeedFailure {
    fn new(message: impl Into<String>) -> FeedFailure {
        FeedFailure {
            message: message.into(),
            retry_after: None,
        }
    }
}

/// Fetches a feed, conditionally when validators are known.
pub fn fetch_feed(
    url: &str,
    validators: &Validators,
    options: &FeedOptions,
) -> Result<FeedResponse, FeedFailure> {
    let url = url.trim();
    if !is_url(url) {
        return Err(FeedFailure::new(
            "only http:// and https:// feeds can be followed",
        ));
    }
    let fetch = &options.fetch;
    let mut request = agent(fetch).get(url).header(
        "Accept",
        "application/rss+xml, application/atom+xml, application/feed+json, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5",
    );
    if let Some(etag) = &validators.etag {
        request = request.header("If-None-Match", etag);
    }
    if let Some(lm) = &validators.last_modified {
        request = request.header("If-Modified-Since", lm);
    }
    let timeout = || {
        format!(
            "the server gave no complete answer within {} s",
            fetch.timeout.as_secs_f32()
        )
    };
    let mut response = request.call().map_err(|e| {
        FeedFailure::new(match e {
            ureq::Error::Timeout(_) => timeout(),
            ureq::Error::TooManyRedirects => {
                format!(
                    "the address redirects more than {} times",
                    fetch.max_redirects
                )
            }
            ureq::Error::HostNotFound => "the server's name was not found".into(),
            ureq::Error::ConnectionFailed => "the server could not be reached".into(),
            // The resolver's failure comes as an I/O error.
            ureq::Error::Io(e) if e.to_string().contains("lookup address") => {
                "the server's name was not found".into()
            }
            ureq::Error::Io(e) if e.kind() == std::io::ErrorKind::ConnectionRefused => {
                "the server refused the connection".into()
            }
            other => format!("the feed could not be fetched: {other}"),
        })
    })?;
    let status = response.status();
    let header = |name: &str| {
        response
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty())
    };
    if status.as_u16() == 304 {
        return Ok(FeedResponse::NotModified);
    }
    if !status.is_success() {
        let reason = status.canonical_reason().unwrap_or("error");
        return Err(FeedFailure {
            message: format!("the server answered {} {reason}", status.as_u16()),
            retry_after: header("retry-after").filter(|_| matches!(status.as_u16(), 429 | 503)),
        });
    }
    let validators = Validators {
        etag: header("etag"),
        last_modified: header("last-modified"),
    };
    let content_type = header("content-type");
    let final_url = ureq::ResponseExt::get_uri(&response).to_string();
    let too_large = || {
        format!(
            "the feed is larger than the {} MB a feed may be",
            fetch.max_bytes / 1024 / 1024
        )
    };
    if header("content-encoding").is_none()
        && header("content-length")
            .and_then(|v| v.parse::<u64>().ok())
            .is_some_and(|s| s > fetch.max_bytes)
    {
        return Err(FeedFailure::new(too_large()));
    }
    // The limit counts decompressed bytes: a small gzip that inflates past it stops there.
    let bytes = response
        .body_mut()
        .with_config()
        .limit(fetch.max_bytes)
        .read_to_vec()
        .map_err(|e| {
            FeedFailure::new(match e {
                ureq::Error::BodyExceedsLimit(_) => too_large(),
                ureq::Error::Timeout(_) => timeout(),
                other => format!("the feed could not be read: {other}"),
            })
        })?;
    Ok(FeedResponse::Body {
        bytes,
        final_url,
        content_type,
        validators,
    })
}

/// A feed as read: its own title and its entries, in the feed's order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedFeed {
    pub title: Option<String>,
    pub entries: Vec<ParsedEntry>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedEntry {
    /// The guid, else the link, else a hash of the title and summary.
    pub key: String,
    pub title: String,
    pub link: Option<String>,
    /// RFC 3339 in UTC.
    pub published: Option<String>,
    /// Plain text.
    pub summary: String,
}

fn looks_like_html(bytes: &[u8]) -> bool {
    let head: String = String::from_utf8_lossy(&bytes[..bytes.len().min(512)])
        .trim_start_matches('\u{feff}')
        .trim_start()
        .chars()
        .take(64)
        .collect::<String>()
        .to_ascii_lowercase();
    head.starts_with("<!doctype html") || head.starts_with("<html")
}

/// Text from HTML (or text that may hold some), on one line per paragraph-ish run.
pub fn plain_text(html: &str) -> String {
    let text = if html.contains('<') || html.contains('&') {
        let doc = dom_query::Document::fragment(html);
        doc.select("script, style, iframe, object, embed").remove();
        doc.root().text().to_string()
    } else {
        html.to_string()
    };
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn cut(text: String, max: usize) -> String {
    if text.chars().count() <= max {
        return text;
    }
    let mut out: String = text.chars().take(max).collect();
    if let Some(space) = out.rfind(' ').filter(|&i| i > max / 2) {
        out.truncate(space);
    }
    out.push('…');
    out
}

fn text_of(t: &feed_rs::model::Text) -> String {
    if t.content_type.essence().to_string().contains("html") || t.content.contains('<') {
        plain_text(&t.content)
    } else {
        t.content.split_whitespace().collect::<Vec<_>>().join(" ")
    }
}

/// Reads a feed document into entries. Every failure is a sentence about the feed.
pub fn parse_feed(
    bytes: &[u8],
    base_url: &str,
    options: &FeedOptions,
) -> Result<ParsedFeed, String> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err("the server sent an empty answer, not a feed".into());
    }
    if looks_like_html(bytes) {
        return Err(
            "the address gives a web page (HTML), not a feed; look on the page for its RSS or Atom link"
                .into(),
        );
    }
    let parser = feed_rs::parser::Builder::new()
        .base_uri(Some(base_url))
        // An entry without a guid gets none: the link or a hash of the text stands in for it,
        // and feed-rs's random ids would make it new at every poll.
        .id_generator(|_, _, _| String::new())
        .build();
    let parsed = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| parser.parse(bytes)))
        .map_err(|_| "the feed's reader stopped on damaged content".to_string())?
        .map_err(|e| {
            format!("the feed could not be read ({e}): it is not valid RSS, Atom or JSON Feed")
        })?;
    if parsed.entries.len() > options.max_entries {
        return Err(format!(
            "the feed lists {} entries, more than the {} Dossier takes from one feed; nothing was taken",
            parsed.entries.len(),
            options.max_entries
        ));
    }
    let mut entries = Vec::with_capacity(parsed.entries.len());
    for (n, e) in parsed.entries.into_iter().enumerate() {
        let link = e
            .links
            .iter()
            .find(|l| l.rel.as_deref().is_none_or(|r| r == "alternate"))
            .or(e.links.first())
            .map(|l| l.href.trim().to_string())
            .filter(|h| !h.is_empty());
        let title = e.title.as_ref().map(text_of).unwrap_or_default();
        if let Some(link) = &link
            && !is_url(link)
        {
            let scheme = link.split(':').next().unwrap_or("").to_ascii_lowercase();
            return Err(format!(
                "entry {} (\"{}\") links to a {scheme}: address, which Dossier never opens; nothing was taken from this feed",
                n + 1,
                cut(title, 60)
            ));
        }
        let summary = e
            .summary
            .as_ref()
            .map(text_of)
            .filter(|s| !s.is_empty())
            .or_else(|| {
                e.content
                    .as_ref()
                    .and_then(|c| c.body.as_deref())
                    .map(plain_text)
            })
            .unwrap_or_default();
        let summary = cut(summary, options.max_summary_chars);
        let title = if title.is_empty() {
            cut(summary.clone(), 80)
        } else {
            cut(title, 500)
        };
        let title = if title.is_empty() {
            link.clone().unwrap_or_else(|| "Untitled".into())
        } else {
            title
        };
        let key = if !e.id.trim().is_empty() {
            e.id.trim().to_string()
        } else if let Some(link) = &link {
            link.clone()
        } else {
            let mut h = Sha256::new();
            h.update(title.as_bytes());
            h.update(b"\n");
            h.update(summary.as_bytes());
            format!("sha256:{:x}", h.finalize())
        };
        let published = e
            .published
            .or(e.updated)
            .map(|d| d.format("%Y-%m-%dT%H:%M:%SZ").to_string());
        entries.push(ParsedEntry {
            key,
            title,
            link,
            published,
            summary,
        });
    }
    Ok(ParsedFeed {
        title: parsed.title.as_ref().map(text_of).filter(|t| !t.is_empty()),
        entries,
    })
}

/// A subscription in an OPML list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpmlFeed {
    pub url: String,
    pub title: Option<String>,
}

/// The feeds of an OPML file (every `outline` with an `xmlUrl`, at any depth). Outlines
/// without a web address are left out; a file that is not OPML is an error.
pub fn parse_opml(bytes: &[u8]) -> Result<Vec<OpmlFeed>, String> {
    use quick_xml::Reader;
    use quick_xml::events::Event;
    let mut reader = Reader::from_reader(bytes);
    let mut feeds = Vec::new();
    let mut saw_opml = false;
    loop {
        let event = reader
            .read_event()
            .map_err(|e| format!("the file is not valid OPML: {e}"))?;
        match event {
            Event::Start(e) | Event::Empty(e) => {
                let name = e.name();
                if name.as_ref().eq_ignore_ascii_case(b"opml") {
                    saw_opml = true;
                }
                if !name.as_ref().eq_ignore_ascii_case(b"outline") {
                    continue;
                }
                let mut url = None;
                let mut title = None;
                let mut text = None;
                for attr in e.attributes().flatten() {
                    let value = attr
                        .decoded_and_normalized_value(
                            quick_xml::XmlVersion::Implicit1_0,
                            reader.decoder(),
                        )
                        .map(|v| v.trim().to_string())
                        .unwrap_or_default();
                    match attr.key.as_ref() {
                        b"xmlUrl" | b"xmlurl" => url = Some(value),
                        b"title" => title = Some(value),
                        b"text" => text = Some(value),
                        _ => {}
                    }
                }
                if let Some(url) = url.filter(|u| is_url(u)) {
                    feeds.push(OpmlFeed {
                        url,
                        title: title.or(text).filter(|t| !t.is_empty()),
                    });
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if !saw_opml {
        return Err("the file is not OPML (no <opml> element)".into());
    }
    Ok(feeds)
}

fn xml_escape(s: &str) -> String {
    quick_xml::escape::escape(s).into_owned()
}

/// An OPML 2.0 list of feeds: `(url, title)`.
pub fn write_opml(feeds: &[(String, String)], title: &str) -> String {
    let mut out =
        String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<opml version=\"2.0\">\n");
    out.push_str(&format!(
        "  <head><title>{}</title></head>\n  <body>\n",
        xml_escape(title)
    ));
    for (url, title) in feeds {
        let title = if title.is_empty() { url } else { title };
        out.push_str(&format!(
            "    <outline type=\"rss\" text=\"{t}\" title=\"{t}\" xmlUrl=\"{u}\"/>\n",
            t = xml_escape(title),
            u = xml_escape(url)
        ));
    }
    out.push_str("  </body>\n</opml>\n");
    out
}

/// Reads at most `max` bytes of a file (an OPML list is small; a huge file is refused).
pub fn read_small_file(path: &std::path::Path, max: u64) -> std::io::Result<Vec<u8>> {
    let file = std::fs::File::open(path)?;
    let mut bytes = Vec::new();
    file.take(max + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > max {
        return Err(std::io::Error::other(format!(
            "it is larger than {} MB",
            max / 1024 / 1024
        )));
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(xml: &str) -> Result<ParsedFeed, String> {
        parse_feed(
            xml.as_bytes(),
            "https://example.test/feed",
            &FeedOptions::default(),
        )
    }

    #[test]
    fn rss_atom_rdf_and_json_feed_are_read_into_plain_text_entries() {
        let rss = r#"<?xml version="1.0"?><rss version="2.0"><channel><title>Trade desk</title>
            <item><title>Tariff &lt;b&gt;notice&lt;/b&gt;</title><link>https://example.test/a</link>
            <guid>urn:a</guid><pubDate>Sat, 14 Mar 2026 09:00:00 GMT</pubDate>
            <description>&lt;p&gt;Steel &lt;script&gt;alert(1)&lt;/script&gt;duties &lt;b&gt;rise&lt;/b&gt;.&lt;/p&gt;</description></item>
            <item><title>No guid</title><link>/b</link></item>
            <item><description>Only a description.</description></item>
            </channel></rss>"#;
        let f = parse(rss).unwrap();
        assert_eq!(f.title.as_deref(), Some("Trade desk"));
        assert_eq!(f.entries[0].key, "urn:a");
        assert_eq!(
            f.entries[0].summary, "Steel duties rise.",
            "tags and scripts gone"
        );
        assert_eq!(
            f.entries[0].published.as_deref(),
            Some("2026-03-14T09:00:00Z")
        );
        assert_eq!(
            f.entries[1].key, "https://example.test/b",
            "the link, made absolute"
        );
        assert!(
            f.entries[2].key.starts_with("sha256:"),
            "{:?}",
            f.entries[2]
        );
        assert_eq!(f.entries[2].title, "Only a description.");

        let atom = r#"<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>A</title>
            <entry><id>tag:x,2026:1</id><title type="html">&lt;i&gt;Atom&lt;/i&gt; entry</title>
            <link href="https://example.test/atom1"/><updated>2026-03-14T10:00:00Z</updated>
            <summary>Sum</summary></entry></feed>"#;
        let f = parse(atom).unwrap();
        assert_eq!(f.entries[0].title, "Atom entry");
        assert_eq!(f.entries[0].key, "tag:x,2026:1");

        let rdf = r#"<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/">
            <channel rdf:about="https://example.test/"><title>RDF</title><link>https://example.test/</link><description>d</description></channel>
            <item rdf:about="https://example.test/r1"><title>RDF item</title><link>https://example.test/r1</link></item></rdf:RDF>"#;
        let f = parse(rdf).unwrap();
        assert_eq!(
            f.entries[0].link.as_deref(),
            Some("https://example.test/r1")
        );

        let json = r#"{"version":"https://jsonfeed.org/version/1.1","title":"J","items":[
            {"id":"j1","url":"https://example.test/j1","title":"JSON item","content_html":"<p>Hi <b>there</b></p>"}]}"#;
        let f = parse(json).unwrap();
        assert_eq!(f.entries[0].summary, "Hi there");
    }

    #[test]
    fn html_pages_bad_links_and_too_many_entries_are_refused() {
        let e = parse("<!DOCTYPE html><html><body>hi</body></html>").unwrap_err();
        assert!(e.contains("web page"), "{e}");
        let e = parse("<rss><channel><item><title>x</title></item>").unwrap_err();
        assert!(e.contains("could not be read"), "{e}");
        let e = parse(r#"<rss version="2.0"><channel><title>t</title><item><title>Bad</title><link>javascript:alert(1)</link></item></channel></rss>"#).unwrap_err();
        assert!(e.contains("javascript:"), "{e}");
        let items: String = (0..5)
            .map(|i| format!("<item><guid>{i}</guid></item>"))
            .collect();
        let xml = format!(r#"<rss version="2.0"><channel><title>t</title>{items}</channel></rss>"#);
        let options = FeedOptions {
            max_entries: 4,
            ..Default::default()
        };
        let e = parse_feed(xml.as_bytes(), "https://example.test/", &options).unwrap_err();
        assert!(e.contains("5 entries"), "{e}");
    }

    #[test]
    fn opml_round_trips() {
        let feeds = vec![
            (
                "https://example.test/a.xml".to_string(),
                "A & B".to_string(),
            ),
            ("https://example.test/b.xml".to_string(), String::new()),
        ];
        let text = write_opml(&feeds, "Dossier");
        let read = parse_opml(text.as_bytes()).unwrap();
        assert_eq!(read.len(), 2);
        assert_eq!(read[0].title.as_deref(), Some("A & B"));
        assert_eq!(read[1].url, "https://example.test/b.xml");
        assert!(parse_opml(b"<html><body/></html>").is_err());
        let nested = br#"<opml version="1.0"><body><outline text="Gov"><outline text="CBSA" xmlUrl="https://example.test/c"/><outline text="bad" xmlUrl="file:///etc/passwd"/></outline></body></opml>"#;
        let read = parse_opml(nested).unwrap();
        assert_eq!(
            read,
            vec![OpmlFeed {
                url: "https://example.test/c".into(),
                title: Some("CBSA".into())
            }]
        );
    }
}

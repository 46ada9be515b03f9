use std::collections::BTreeSet;

use dossier_core::briefing::SectionKind;
use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};

use super::fixture::{self, HOSTILE};

fn events(md: &str) -> Vec<Event<'_>> {
    Parser::new_ext(md, Options::ENABLE_FOOTNOTES).collect()
}

/// The text of every paragraph, as a CommonMark reader sees it.
fn paragraphs(md: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current: Option<String> = None;
    for e in events(md) {
        match e {
            Event::Start(Tag::Paragraph) => current = Some(String::new()),
            Event::End(TagEnd::Paragraph) => out.extend(current.take()),
            Event::Text(t) | Event::Code(t) => {
                if let Some(c) = &mut current {
                    c.push_str(&t);
                }
            }
            Event::SoftBreak => {
                if let Some(c) = &mut current {
                    c.push(' ');
                }
            }
            _ => {}
        }
    }
    out
}

#[test]
fn every_footnote_resolves_and_every_note_is_cited() {
    let md = dossier_export::markdown(&fixture::decision_note());
    let mut refs = BTreeSet::new();
    let mut defs = BTreeSet::new();
    for e in events(&md) {
        match e {
            Event::FootnoteReference(label) => {
                refs.insert(label.to_string());
            }
            Event::Start(Tag::FootnoteDefinition(label)) => {
                defs.insert(label.to_string());
            }
            _ => {}
        }
    }
    let want: BTreeSet<String> = (1..=4).map(|n| n.to_string()).collect();
    assert_eq!(refs, want, "one reference per quoted excerpt");
    assert_eq!(
        defs, want,
        "each reference has its note, and no note is orphaned"
    );
}

#[test]
fn the_title_and_every_section_are_headings() {
    let md = dossier_export::markdown(&fixture::decision_note());
    let mut headings = Vec::new();
    let mut current: Option<(HeadingLevel, String)> = None;
    for e in events(&md) {
        match e {
            Event::Start(Tag::Heading { level, .. }) => current = Some((level, String::new())),
            Event::Text(t) => {
                if let Some((_, s)) = &mut current {
                    s.push_str(&t);
                }
            }
            Event::End(TagEnd::Heading(_)) => headings.extend(current.take()),
            _ => {}
        }
    }
    assert_eq!(
        headings[0],
        (
            HeadingLevel::H1,
            "Canada–US steel and aluminum talks: state of play".to_string()
        )
    );
    for kind in SectionKind::ALL {
        assert!(
            headings.contains(&(HeadingLevel::H2, kind.heading().to_string())),
            "{} is a level-2 heading: {headings:?}",
            kind.heading()
        );
    }
    assert!(headings.contains(&(HeadingLevel::H3, "Forestry (softwood lumber)".to_string())));
    assert!(
        md.contains(
            "*Négociations Canada–États-Unis sur l’acier et l’aluminium : état de la situation*"
        ),
        "the French title keeps its accents"
    );
}

#[test]
fn article_text_reads_back_as_the_same_text() {
    let md = dossier_export::markdown(&fixture::hostile_note());
    for e in events(&md) {
        assert!(
            !matches!(e, Event::Html(_) | Event::InlineHtml(_)),
            "no HTML reaches a Markdown reader: {e:?}"
        );
        if let Event::Start(Tag::Link { dest_url, .. }) = &e {
            assert!(
                dest_url.starts_with("https://"),
                "only safe links: {dest_url}"
            );
        }
    }
    let flat_hostile = HOSTILE.split_whitespace().collect::<Vec<_>>().join(" ");
    let paras = paragraphs(&md);
    assert!(
        paras.contains(&format!("Quote {flat_hostile}")),
        "the quote comes back character for character: {paras:#?}"
    );
    assert!(
        paras
            .iter()
            .any(|p| p.starts_with("Title ") || p.contains(&format!("Titre {flat_hostile}")))
    );
    let refs = events(&md)
        .into_iter()
        .filter(|e| matches!(e, Event::FootnoteReference(_)))
        .count();
    assert_eq!(refs, 4, "a `[^1]` inside article text is not a footnote");
}

/// The store escapes follow-up questions with this before writing them into Next Steps.
#[rstest::rstest]
#[case("Which *sectors* are next?")]
#[case("- not a list")]
#[case("1. not a list either")]
#[case("# not a heading")]
#[case("<b>not html</b> & &amp; entities")]
#[case("[not](a link) ![nor](an image) `nor code`")]
#[case("back\\slash | pipe ~ tilde $ dollar")]
#[case("2025) a date")]
fn escaped_lines_read_back_unchanged(#[case] text: &str) {
    let md = format!("- {}", dossier_core::briefing::escape_markdown(text));
    let got: String = Parser::new(&md)
        .filter_map(|e| match e {
            Event::Text(t) => Some(t.to_string()),
            Event::Html(_) | Event::InlineHtml(_) | Event::Code(_) => Some("<<markup>>".into()),
            _ => None,
        })
        .collect();
    assert_eq!(got, text, "{md}");
}

//! What every format shares: the briefing cleaned of characters no format can carry, section
//! Markdown parsed once into a small block tree, footnotes numbered in reading order, the
//! sources list, and the title-block lines. Each writer then only decides how things look.
//!
//! A French note's text gets Canadian French spacing here, once (`french_spacing`), so the four
//! formats print the same non-breaking spaces.
//!
//! Section text and notes are Markdown the analyst wrote; quotes and citations are article text.
//! Both are data to every writer: the block tree holds plain strings, and each writer escapes
//! them for its own syntax. Raw HTML in Markdown is kept as literal text, never passed through.

use dossier_core::Lang;
use dossier_core::briefing::{BriefingDocument, Citation, Contact, Decision, long_date_in};
use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

use crate::words::{self, NBSP, Words};

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Inline {
    Text(String),
    Emph(Vec<Inline>),
    Strong(Vec<Inline>),
    Code(String),
    /// Only http, https and mailto links survive; anything else is shown as its text.
    Link {
        url: String,
        children: Vec<Inline>,
    },
    Break,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Block {
    Para(Vec<Inline>),
    /// A heading inside a section's text: 1 for `#` and `##`, 2 for deeper ones. Writers
    /// place these below the section heading and the group heading.
    Heading(u8, Vec<Inline>),
    List {
        /// `Some(n)`: numbered from n.
        start: Option<u64>,
        items: Vec<Vec<Block>>,
    },
    Quote(Vec<Block>),
    Code(String),
    Rule,
}

/// Drops characters no output can carry (C0/C1 controls other than tab and newline, and
/// non-characters): XML 1.0 refuses them and they mean nothing on paper.
pub(crate) fn clean(text: &str) -> String {
    text.chars()
        .filter_map(|c| match c {
            '\n' => Some('\n'),
            '\t' => Some(' '),
            '\r' => None,
            c if c.is_control() => None,
            '\u{FFFE}' | '\u{FFFF}' => None,
            c => Some(c),
        })
        .collect()
}

fn clean_opt(text: &Option<String>) -> Option<String> {
    text.as_deref()
        .map(clean)
        .map(|t| t.trim().to_string())
        .filter(|t| !t.is_empty())
}

pub(crate) use dossier_core::text::one_line;

/// The URL if it is one a reader may follow (http, https, mailto), made safe for every syntax
/// it lands in: spaces, quotes, angle brackets and the like are percent-encoded.
pub(crate) fn safe_url(url: &str) -> Option<String> {
    let url = url.trim();
    let scheme_end = url.find(':')?;
    let scheme = url[..scheme_end].to_ascii_lowercase();
    if !matches!(scheme.as_str(), "http" | "https" | "mailto") {
        return None;
    }
    if scheme != "mailto" && !url[scheme_end..].starts_with("://") {
        return None;
    }
    let mut out = String::with_capacity(url.len());
    for c in url.chars() {
        match c {
            c if c.is_whitespace() || c.is_control() => {
                let mut buf = [0u8; 4];
                for b in c.encode_utf8(&mut buf).bytes() {
                    out.push_str(&format!("%{b:02X}"));
                }
            }
            '"' | '<' | '>' | '\\' | '^' | '`' | '{' | '|' | '}' => {
                out.push_str(&format!("%{:02X}", c as u32));
            }
            c => out.push(c),
        }
    }
    (out.len() > scheme_end + 1).then_some(out)
}

struct Frame {
    kind: FrameKind,
    inlines: Vec<Inline>,
    blocks: Vec<Block>,
}

enum FrameKind {
    Root,
    Para,
    Heading(u8),
    Quote,
    List(Option<u64>, Vec<Vec<Block>>),
    Item,
    Emph,
    Strong,
    Link(Option<String>),
    Image,
    CodeBlock,
}

/// Parses CommonMark into blocks. Footnotes, tables and other extensions are off: what an
/// analyst types is read as CommonMark reads it.
pub(crate) fn parse_markdown(text: &str) -> Vec<Block> {
    let text = clean(text);
    let mut stack = vec![Frame {
        kind: FrameKind::Root,
        inlines: Vec::new(),
        blocks: Vec::new(),
    }];
    let push = |stack: &mut Vec<Frame>, kind: FrameKind| {
        // A block starting inside a tight list item ends the item's loose text first, so
        // "- a" followed by a nested list keeps "a" before the list.
        if matches!(
            kind,
            FrameKind::Para
                | FrameKind::Heading(_)
                | FrameKind::Quote
                | FrameKind::CodeBlock
                | FrameKind::List(..)
        ) {
            flush_loose(stack.last_mut().expect("root"));
        }
        stack.push(Frame {
            kind,
            inlines: Vec::new(),
            blocks: Vec::new(),
        })
    };
    for event in Parser::new_ext(&text, Options::empty()) {
        match event {
            Event::Start(tag) => match tag {
                Tag::Paragraph => push(&mut stack, FrameKind::Para),
                Tag::Heading { level, .. } => push(&mut stack, FrameKind::Heading(level as u8)),
                Tag::BlockQuote(_) => push(&mut stack, FrameKind::Quote),
                Tag::CodeBlock(_) => push(&mut stack, FrameKind::CodeBlock),
                Tag::List(start) => push(&mut stack, FrameKind::List(start, Vec::new())),
                Tag::Item => push(&mut stack, FrameKind::Item),
                Tag::Emphasis => push(&mut stack, FrameKind::Emph),
                Tag::Strong => push(&mut stack, FrameKind::Strong),
                Tag::Link { dest_url, .. } => {
                    push(&mut stack, FrameKind::Link(safe_url(&dest_url)))
                }
                Tag::Image { .. } => push(&mut stack, FrameKind::Image),
                // HTML blocks and anything else: their text arrives as events of its own.
                _ => {}
            },
            Event::End(end) => {
                let closes = matches!(
                    end,
                    TagEnd::Paragraph
                        | TagEnd::Heading(_)
                        | TagEnd::BlockQuote(_)
                        | TagEnd::CodeBlock
                        | TagEnd::List(_)
                        | TagEnd::Item
                        | TagEnd::Emphasis
                        | TagEnd::Strong
                        | TagEnd::Link
                        | TagEnd::Image
                );
                if !closes || stack.len() < 2 {
                    continue;
                }
                let frame = stack.pop().expect("checked above");
                let parent = stack.last_mut().expect("checked above");
                close(frame, parent);
            }
            Event::Text(t) => match &mut stack.last_mut().expect("root").kind {
                FrameKind::CodeBlock => {
                    let top = stack.last_mut().expect("root");
                    top.inlines.push(Inline::Text(t.into_string()));
                }
                _ => push_text(&mut stack, t.into_string()),
            },
            Event::Code(t) => inline(&mut stack, Inline::Code(t.into_string())),
            // Raw HTML is shown as the characters typed, never interpreted.
            Event::Html(t) | Event::InlineHtml(t) => push_text(&mut stack, t.into_string()),
            Event::SoftBreak => push_text(&mut stack, " ".into()),
            Event::HardBreak => inline(&mut stack, Inline::Break),
            Event::Rule => stack.last_mut().expect("root").blocks.push(Block::Rule),
            _ => {}
        }
    }
    while stack.len() > 1 {
        let frame = stack.pop().expect("len > 1");
        close(frame, stack.last_mut().expect("len > 1"));
    }
    let mut root = stack.pop().expect("root");
    flush_loose(&mut root);
    root.blocks
}

/// Text directly inside a list item ("tight" lists have no paragraph) becomes a paragraph.
fn flush_loose(frame: &mut Frame) {
    if !frame.inlines.is_empty() {
        let inlines = std::mem::take(&mut frame.inlines);
        frame.blocks.push(Block::Para(inlines));
    }
}

fn push_text(stack: &mut [Frame], text: String) {
    let top = stack.last_mut().expect("root");
    if let Some(Inline::Text(prev)) = top.inlines.last_mut() {
        prev.push_str(&text);
    } else {
        top.inlines.push(Inline::Text(text));
    }
}

fn inline(stack: &mut [Frame], i: Inline) {
    stack.last_mut().expect("root").inlines.push(i);
}

fn close(mut frame: Frame, parent: &mut Frame) {
    match frame.kind {
        FrameKind::Para => {
            if !frame.inlines.is_empty() {
                parent.blocks.push(Block::Para(frame.inlines));
            }
        }
        FrameKind::Heading(level) => parent.blocks.push(Block::Heading(
            if level <= 2 { 1 } else { 2 },
            frame.inlines,
        )),
        FrameKind::Quote => {
            flush_loose(&mut frame);
            parent.blocks.push(Block::Quote(frame.blocks));
        }
        FrameKind::CodeBlock => {
            let text: String = frame
                .inlines
                .into_iter()
                .map(|i| match i {
                    Inline::Text(t) => t,
                    _ => String::new(),
                })
                .collect();
            parent
                .blocks
                .push(Block::Code(text.trim_end_matches('\n').to_string()));
        }
        FrameKind::List(start, items) => parent.blocks.push(Block::List { start, items }),
        FrameKind::Item => {
            flush_loose(&mut frame);
            if let FrameKind::List(_, items) = &mut parent.kind {
                items.push(frame.blocks);
            }
        }
        FrameKind::Emph => parent.inlines.push(Inline::Emph(frame.inlines)),
        FrameKind::Strong => parent.inlines.push(Inline::Strong(frame.inlines)),
        FrameKind::Link(Some(url)) => parent.inlines.push(Inline::Link {
            url,
            children: frame.inlines,
        }),
        // A link to something unsafe, or an image (a briefing carries no pictures): its text.
        FrameKind::Link(None) | FrameKind::Image => parent.inlines.extend(frame.inlines),
        FrameKind::Root => {}
    }
}

/// One quoted excerpt, ready to print.
#[derive(Debug, Clone)]
pub(crate) struct Item {
    /// The group heading to print before this item (when the group changes).
    pub group: Option<String>,
    /// The analyst's note on the excerpt.
    pub note: Vec<Block>,
    /// The quote's paragraphs.
    pub quote: Vec<String>,
    /// Its footnote number, from 1.
    pub footnote: usize,
}

/// Canadian French spacing in one piece of text: a plain space before `:` `;` `!` `?` `»`,
/// or after `«`, becomes a non-breaking one (U+00A0), so the mark never starts a line; and
/// « » with no space inside get one. Nothing is ever inserted before `:` `;` `!` `?`
/// (Canadian usage sets `;` `!` `?` tight, and "10:30" or "https:" must stay as they are), so
/// English text quoted in a French note comes out as it went in. A word holding a URL
/// (`://`, `mailto:`, `www.`) is left exactly as it is.
pub(crate) fn french_spacing(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len() + 8);
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if !c.is_whitespace() {
            // A whole word at a time: a URL is copied untouched.
            let end = chars[i..]
                .iter()
                .position(|c| c.is_whitespace())
                .map_or(chars.len(), |n| i + n);
            let word: String = chars[i..end].iter().collect();
            if is_url(&word) {
                out.push_str(&word);
            } else {
                out.push_str(&guillemets(&word));
            }
            i = end;
            continue;
        }
        let next = chars.get(i + 1).copied();
        let prev = i.checked_sub(1).map(|p| chars[p]);
        if c == ' ' && (matches!(next, Some(':' | ';' | '!' | '?' | '»')) || prev == Some('«')) {
            out.push(NBSP);
        } else {
            out.push(c);
        }
        i += 1;
    }
    out
}

fn is_url(word: &str) -> bool {
    let lower = word.to_ascii_lowercase();
    lower.contains("://") || lower.contains("mailto:") || lower.contains("www.")
}

/// Inside one word: `«x` → `« x`, `x»` → `x »` (non-breaking).
fn guillemets(word: &str) -> String {
    let mut out = String::with_capacity(word.len() + 4);
    let mut prev: Option<char> = None;
    for c in word.chars() {
        if c == '»' && prev.is_some_and(|p| p != NBSP && p != '\u{202f}') {
            out.push(NBSP);
        }
        if prev == Some('«') && c != NBSP && c != '\u{202f}' {
            out.push(NBSP);
        }
        out.push(c);
        prev = Some(c);
    }
    out
}

fn french_inlines(list: &mut [Inline]) {
    for i in list.iter_mut() {
        match i {
            Inline::Text(t) => *t = french_spacing(t),
            Inline::Emph(c) | Inline::Strong(c) => french_inlines(c),
            // The link's text, never its URL.
            Inline::Link { children, .. } => french_inlines(children),
            Inline::Code(_) | Inline::Break => {}
        }
    }
    // Guillemets against formatting ("«*mot*»") end one text and start the next.
    let len = list.len();
    for k in 0..len {
        let next_is_words = k + 1 < len && !matches!(list[k + 1], Inline::Break);
        let prev_is_words = k > 0 && !matches!(list[k - 1], Inline::Break);
        if let Inline::Text(t) = &mut list[k] {
            if next_is_words && t.ends_with('«') {
                t.push(NBSP);
            }
            if prev_is_words && t.starts_with('»') {
                t.insert(0, NBSP);
            }
        }
    }
}

fn french_blocks(list: &mut [Block]) {
    for b in list {
        match b {
            Block::Para(i) | Block::Heading(_, i) => french_inlines(i),
            Block::List { items, .. } => items.iter_mut().for_each(|i| french_blocks(i)),
            Block::Quote(inner) => french_blocks(inner),
            Block::Code(_) | Block::Rule => {}
        }
    }
}

fn french_opt(text: &mut Option<String>) {
    if let Some(t) = text {
        *t = french_spacing(t);
    }
}

fn french_citation(c: &mut Citation) {
    c.title = french_spacing(&c.title);
    french_opt(&mut c.outlet);
    c.authors.iter_mut().for_each(|a| *a = french_spacing(a));
}

/// French spacing applied once to every piece of text a French note's analyst or its sources
/// wrote (never to a URL or code): every writer then prints what it finds. The other-language
/// title is left as it is.
fn french_typography(p: &mut Prepared) {
    p.title = french_spacing(&p.title);
    p.heading = french_spacing(&p.heading);
    french_opt(&mut p.file_number);
    for s in &mut p.sections {
        french_blocks(&mut s.body);
        for item in &mut s.items {
            french_opt(&mut item.group);
            french_blocks(&mut item.note);
            item.quote.iter_mut().for_each(|q| *q = french_spacing(q));
        }
    }
    french_opt(&mut p.prepared_by);
    french_opt(&mut p.approved_by);
    if let Some(d) = &mut p.decision {
        d.heading = french_spacing(&d.heading);
        french_opt(&mut d.comments);
    }
    p.notes.iter_mut().for_each(french_citation);
    p.sources.iter_mut().for_each(french_citation);
}

#[derive(Debug, Clone)]
pub(crate) struct Section {
    pub heading: &'static str,
    pub body: Vec<Block>,
    pub items: Vec<Item>,
}

/// The whole note, ready for a writer.
#[derive(Debug, Clone)]
pub(crate) struct Prepared {
    /// The note's language: every fixed word below is in it, and `words` holds the rest.
    pub lang: Lang,
    pub words: &'static Words,
    /// "UNCLASSIFIED / NON CLASSIFIÉ" ("NON CLASSIFIÉ / UNCLASSIFIED" on a French note).
    pub marking: String,
    /// "MEMORANDUM TO THE MINISTER OF …", or "BRIEFING NOTE".
    pub heading: String,
    pub file_number: Option<String>,
    /// "14 March 2025".
    pub date: Option<String>,
    /// The title in the note's language.
    pub title: String,
    /// The title in the other official language, printed after it; in `other_lang`.
    pub other_title: Option<String>,
    pub other_lang: Lang,
    /// "FOR DECISION".
    pub purpose: String,
    /// "Decision needed by 20 March 2025".
    pub deadline: Option<String>,
    pub sections: Vec<Section>,
    pub prepared_by: Option<String>,
    pub approved_by: Option<String>,
    pub decision: Option<DecisionBlock>,
    /// Footnote n is `notes[n - 1]`.
    pub notes: Vec<Citation>,
    /// Every source cited, once, in a stable order.
    pub sources: Vec<Citation>,
    /// For document properties: the preparer's name.
    pub author: Option<String>,
}

#[derive(Debug, Clone)]
pub(crate) struct DecisionBlock {
    /// "DECISION OF THE MINISTER OF …" or "DECISION".
    pub heading: String,
    /// Each outcome's caption and whether it is ticked.
    pub boxes: Vec<(&'static str, bool)>,
    pub date: Option<String>,
    pub comments: Option<String>,
}

fn contact_line(c: &Contact) -> Option<String> {
    let parts: Vec<String> = [&c.name, &c.title, &c.phone]
        .into_iter()
        .filter_map(|p| clean_opt(p).map(|p| one_line(&p)))
        .collect();
    (!parts.is_empty()).then(|| parts.join(", "))
}

fn clean_citation(c: &Citation) -> Citation {
    Citation {
        outlet: clean_opt(&c.outlet).map(|s| one_line(&s)),
        title: one_line(&clean(&c.title)),
        authors: c
            .authors
            .iter()
            .map(|a| one_line(&clean(a)))
            .filter(|a| !a.is_empty())
            .collect(),
        published: clean_opt(&c.published),
        url: clean_opt(&c.url).map(|u| one_line(&u)),
        page: c.page,
    }
}

fn decision_block(d: &Decision, lang: Lang) -> DecisionBlock {
    use dossier_core::briefing::DecisionOutcome;
    DecisionBlock {
        heading: words::decision_heading(
            lang,
            clean_opt(&d.maker).map(|m| one_line(&m)).as_deref(),
        ),
        boxes: DecisionOutcome::ALL
            .into_iter()
            .map(|o| (o.label_in(lang), d.outcome == Some(o)))
            .collect(),
        date: clean_opt(&d.decided_on).map(|d| long_date_in(&d, lang)),
        comments: clean_opt(&d.comments).map(|c| one_line(&c)),
    }
}

/// Sorting key for the sources list: outlet (or title when there is none), then date, then
/// title, compared without case or accents so "Énergie" sorts with the E's.
fn source_order(c: &Citation) -> (String, String, String) {
    (
        dossier_core::fold(c.outlet.as_deref().unwrap_or(&c.title)),
        c.published.clone().unwrap_or_default(),
        dossier_core::fold(&c.title),
    )
}

pub(crate) fn prepare(doc: &BriefingDocument) -> Prepared {
    let lang = doc.lang;
    let mut notes: Vec<Citation> = Vec::new();
    let mut sections = Vec::new();
    for s in &doc.sections {
        let mut items = Vec::new();
        let mut last_group: Option<String> = None;
        for e in &s.excerpts {
            let group = clean_opt(&e.group).map(|g| one_line(&g));
            let starts_group = group.is_some() && group != last_group;
            last_group = group.clone();
            notes.push(clean_citation(&e.citation));
            let quote: Vec<String> = clean(&e.quote)
                .split("\n\n")
                .map(one_line)
                .filter(|p| !p.is_empty())
                .collect();
            items.push(Item {
                group: if starts_group { group } else { None },
                note: parse_markdown(&e.note),
                quote: if quote.is_empty() {
                    vec![String::new()]
                } else {
                    quote
                },
                footnote: notes.len(),
            });
        }
        sections.push(Section {
            heading: s.kind.heading_in(lang),
            body: parse_markdown(&s.text),
            items,
        });
    }
    let mut sources: Vec<Citation> = Vec::new();
    for n in &notes {
        let key = n.source_key();
        if !sources.contains(&key) {
            sources.push(key);
        }
    }
    sources.sort_by_key(source_order);

    let purpose = doc.purpose.label_in(lang).to_uppercase();
    let deadline = clean_opt(&doc.deadline).map(|d| {
        format!(
            "{} {}",
            doc.purpose.deadline_lead_in(lang),
            long_date_in(&d, lang)
        )
    });
    // Federal notes carry both titles: the note's language's first. `title` is the English
    // one; a French note without a French title has only the one it was given.
    let english = one_line(&clean(&doc.title));
    let french = clean_opt(&doc.title_fr).map(|t| one_line(&t));
    let (title, other_title) = match (lang, french) {
        (Lang::En, french) => (english, french),
        (Lang::Fr, Some(french)) => (french, Some(english).filter(|t| !t.is_empty())),
        (Lang::Fr, None) => (english, None),
    };
    let mut prepared = Prepared {
        lang,
        words: words::words(lang),
        marking: doc.marking.header_in(lang),
        heading: words::memo_heading(
            lang,
            clean_opt(&doc.addressee).map(|a| one_line(&a)).as_deref(),
        ),
        file_number: clean_opt(&doc.file_number).map(|f| one_line(&f)),
        date: clean_opt(&doc.date).map(|d| long_date_in(&d, lang)),
        title,
        other_title,
        other_lang: match lang {
            Lang::En => Lang::Fr,
            Lang::Fr => Lang::En,
        },
        purpose,
        deadline,
        sections,
        prepared_by: contact_line(&doc.prepared_by),
        approved_by: contact_line(&doc.approved_by),
        decision: doc.decision.as_ref().map(|d| decision_block(d, lang)),
        notes,
        sources,
        author: clean_opt(&doc.prepared_by.name).map(|n| one_line(&n)),
    };
    if lang == Lang::Fr {
        french_typography(&mut prepared);
    }
    prepared
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    fn text(s: &str) -> Inline {
        Inline::Text(s.into())
    }

    #[rstest]
    #[case::plain("Talks continue.", vec![Block::Para(vec![text("Talks continue.")])])]
    #[case::emphasis("a *b* **c**", vec![Block::Para(vec![text("a "), Inline::Emph(vec![text("b")]), text(" "), Inline::Strong(vec![text("c")])])])]
    #[case::raw_html_is_text("<script>alert(1)</script>", vec![Block::Para(vec![text("<script>alert(1)</script>")])])]
    #[case::html_block_is_text("<div>\nx\n</div>", vec![Block::Para(vec![text("<div>\nx\n</div>")])])]
    #[case::javascript_link_loses_its_link("[click](javascript:alert(1))", vec![Block::Para(vec![text("click")])])]
    #[case::safe_link("[site](https://example.org/a b)", vec![Block::Para(vec![text("[site](https://example.org/a b)")])])]
    #[case::https_link("[site](https://example.org/x)", vec![Block::Para(vec![Inline::Link { url: "https://example.org/x".into(), children: vec![text("site")] }])])]
    #[case::heading_is_relative("# Inside", vec![Block::Heading(1, vec![text("Inside")])])]
    #[case::deep_heading("#### Deep", vec![Block::Heading(2, vec![text("Deep")])])]
    #[case::tight_list("- a\n- b", vec![Block::List { start: None, items: vec![vec![Block::Para(vec![text("a")])], vec![Block::Para(vec![text("b")])]] }])]
    #[case::nested("- a\n  - b", vec![Block::List { start: None, items: vec![vec![Block::Para(vec![text("a")]), Block::List { start: None, items: vec![vec![Block::Para(vec![text("b")])]] }]] }])]
    #[case::numbered("3. x", vec![Block::List { start: Some(3), items: vec![vec![Block::Para(vec![text("x")])]] }])]
    #[case::control_chars_dropped("a\u{0}b\u{7}c", vec![Block::Para(vec![text("abc")])])]
    fn markdown_becomes_blocks(#[case] md: &str, #[case] want: Vec<Block>) {
        assert_eq!(parse_markdown(md), want);
    }

    #[rstest]
    #[case::colon("Enjeu : le calendrier", "Enjeu\u{a0}: le calendrier")]
    #[case::semicolon_question_bang("a ; b ? c !", "a\u{a0}; b\u{a0}? c\u{a0}!")]
    #[case::guillemets("« Nous signerons » dit-elle", "«\u{a0}Nous signerons\u{a0}» dit-elle")]
    #[case::tight_guillemets_get_spaces("«Non», a-t-elle dit", "«\u{a0}Non\u{a0}», a-t-elle dit")]
    #[case::already_right("«\u{a0}Oui\u{a0}»\u{a0}:", "«\u{a0}Oui\u{a0}»\u{a0}:")]
    #[case::nothing_inserted_before_tight_marks(
        "Pourquoi? Parce que: voilà; fin!",
        "Pourquoi? Parce que: voilà; fin!"
    )]
    #[case::times_stay("à 10:30 h", "à 10:30 h")]
    #[case::url_untouched(
        "Voir https://exemple.ca/a?b=«c» :",
        "Voir https://exemple.ca/a?b=«c»\u{a0}:"
    )]
    #[case::mailto_untouched("mailto:x@exemple.ca?subject=«a»", "mailto:x@exemple.ca?subject=«a»")]
    #[case::english_as_is("He said: \"no\". Why? Because.", "He said: \"no\". Why? Because.")]
    #[case::only_the_space_next_to_the_mark("a  :", "a \u{a0}:")]
    #[case::newline_kept("a\n: b", "a\n: b")]
    fn french_spacing_makes_spaces_non_breaking(#[case] text: &str, #[case] want: &str) {
        assert_eq!(french_spacing(text), want);
    }

    #[test]
    fn french_spacing_is_idempotent() {
        for t in [
            "« a » : b ; c ?",
            "«x»",
            "https://a.ca/«b» ?",
            "déjà\u{a0}: fait",
        ] {
            let once = french_spacing(t);
            assert_eq!(french_spacing(&once), once, "{t:?}");
        }
    }

    #[test]
    fn french_spacing_leaves_code_and_link_targets_alone() {
        let mut blocks = parse_markdown(
            "Voir [le calendrier :](https://exemple.ca/a) et `x : y`\n\n```\nfn f() : u8\n```",
        );
        french_blocks(&mut blocks);
        assert_eq!(
            blocks,
            vec![
                Block::Para(vec![
                    text("Voir "),
                    Inline::Link {
                        url: "https://exemple.ca/a".into(),
                        children: vec![text("le calendrier\u{a0}:")]
                    },
                    text(" et "),
                    Inline::Code("x : y".into()),
                ]),
                Block::Code("fn f() : u8".into()),
            ]
        );
    }

    #[test]
    fn guillemets_against_formatting_get_their_spaces() {
        let mut blocks = parse_markdown("Il a dit «*non*» puis «**oui** ».");
        french_blocks(&mut blocks);
        assert_eq!(
            blocks,
            vec![Block::Para(vec![
                text("Il a dit «\u{a0}"),
                Inline::Emph(vec![text("non")]),
                text("\u{a0}» puis «\u{a0}"),
                Inline::Strong(vec![text("oui")]),
                text("\u{a0}»."),
            ])]
        );
    }

    #[rstest]
    #[case("https://example.org/a b", Some("https://example.org/a%20b"))]
    #[case("HTTPS://example.org/\"x\"", Some("HTTPS://example.org/%22x%22"))]
    #[case("http://exemple.ca/énergie", Some("http://exemple.ca/énergie"))]
    #[case("mailto:a@example.org", Some("mailto:a@example.org"))]
    #[case("javascript:alert(1)", None)]
    #[case("data:text/html,x", None)]
    #[case("file:///etc/passwd", None)]
    #[case("example.org", None)]
    #[case("https:", None)]
    fn only_followable_urls_are_linked(#[case] url: &str, #[case] want: Option<&str>) {
        assert_eq!(safe_url(url).as_deref(), want);
    }
}

//! Markdown: CommonMark plus footnotes (`[^1]`), for wikis, e-mail and version control.
//!
//! The analyst's Markdown is re-written from the parsed block tree rather than copied: that is
//! what keeps article text from turning into emphasis, links, HTML or a stray footnote, and what
//! keeps our footnote numbers the only ones in the file.

use dossier_core::Lang;
use dossier_core::briefing::Citation;

use crate::prepare::{Block, Inline, Prepared, Section};

/// Escapes text for the middle of a line: every character with a meaning is backslashed.
/// Whitespace runs become one space (a newline in a text node would start a new block); a
/// non-breaking space (French typography's, before ":" and inside « ») is kept as it is.
fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    let mut space = false;
    for c in text.chars() {
        if c.is_whitespace() && c != '\u{a0}' && c != '\u{202f}' {
            if !space {
                out.push(' ');
            }
            space = true;
            continue;
        }
        space = false;
        if matches!(
            c,
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '&' | '|' | '~' | '#' | '$'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// What only matters at the start of a line: `-`, `+`, `=` or `12.` / `12)` would make a list
/// or a heading underline.
fn guard_line_start(line: &str) -> String {
    let first = line.chars().next();
    if matches!(first, Some('-' | '+' | '=')) {
        return format!("\\{line}");
    }
    let digits = line.chars().take_while(char::is_ascii_digit).count();
    if digits > 0 && matches!(line[digits..].chars().next(), Some('.' | ')')) {
        return format!("{}\\{}", &line[..digits], &line[digits..]);
    }
    line.to_string()
}

fn paragraph(text: &str) -> String {
    text.split('\n')
        .map(guard_line_start)
        .collect::<Vec<_>>()
        .join("\n")
}

fn code_span(code: &str) -> String {
    let longest = code.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest + 1);
    let flat = code.replace('\n', " ");
    if flat.starts_with('`') || flat.ends_with('`') || flat.starts_with(' ') {
        format!("{fence} {flat} {fence}")
    } else {
        format!("{fence}{flat}{fence}")
    }
}

fn inlines(list: &[Inline]) -> String {
    let mut out = String::new();
    for i in list {
        match i {
            Inline::Text(t) => out.push_str(&esc(t)),
            Inline::Emph(c) => out.push_str(&format!("*{}*", inlines(c))),
            Inline::Strong(c) => out.push_str(&format!("**{}**", inlines(c))),
            Inline::Code(c) => out.push_str(&code_span(c)),
            Inline::Link { url, children } => {
                out.push_str(&format!("[{}](<{url}>)", inlines(children)))
            }
            Inline::Break => out.push_str("\\\n"),
        }
    }
    out
}

/// Prefixes every line: the first with `first`, the others with `rest` (blank lines stay bare).
fn indent(text: &str, first: &str, rest: &str) -> String {
    text.split('\n')
        .enumerate()
        .map(|(n, line)| {
            let prefix = if n == 0 { first } else { rest };
            if line.is_empty() {
                prefix.trim_end().to_string()
            } else {
                format!("{prefix}{line}")
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn block(b: &Block) -> String {
    match b {
        Block::Para(i) => paragraph(&inlines(i)),
        // The title is #, sections ##, groups ###: the analyst's own headings come below.
        Block::Heading(level, i) => format!("{} {}", "#".repeat(*level as usize + 3), inlines(i)),
        Block::List { start, items } => {
            let mut out = Vec::new();
            for (n, item) in items.iter().enumerate() {
                let marker = match start {
                    Some(s) => format!("{}. ", s + n as u64),
                    None => "- ".to_string(),
                };
                let body = blocks(item);
                let body = if body.is_empty() {
                    "\u{a0}".into()
                } else {
                    body
                };
                out.push(indent(&body, &marker, &" ".repeat(marker.len())));
            }
            out.join("\n")
        }
        Block::Quote(inner) => indent(&blocks(inner), "> ", "> "),
        Block::Code(code) => {
            let longest = code.split(|c| c != '`').map(str::len).max().unwrap_or(0);
            let fence = "`".repeat(longest.max(2) + 1);
            format!("{fence}\n{code}\n{fence}")
        }
        Block::Rule => "---".to_string(),
    }
}

fn blocks(list: &[Block]) -> String {
    list.iter().map(block).collect::<Vec<_>>().join("\n\n")
}

/// A citation's footnote or sources-list text, URL as an autolink.
fn citation(c: &Citation, with_page: bool, lang: Lang) -> String {
    let lead = esc(&c.lead_in(with_page, lang));
    match c.url.as_deref().and_then(crate::prepare::safe_url) {
        Some(url) => format!("{lead}, <{url}>."),
        None => match &c.url {
            Some(raw) => format!("{lead}, {}.", esc(raw)),
            None => format!("{lead}."),
        },
    }
}

fn section(s: &Section, out: &mut Vec<String>) {
    out.push(format!("## {}", esc(s.heading)));
    if !s.body.is_empty() {
        out.push(blocks(&s.body));
    }
    for item in &s.items {
        if let Some(group) = &item.group {
            out.push(format!("### {}", esc(group)));
        }
        if !item.note.is_empty() {
            out.push(blocks(&item.note));
        }
        let mut quote: Vec<String> = item.quote.iter().map(|p| paragraph(&esc(p))).collect();
        if let Some(last) = quote.last_mut() {
            last.push_str(&format!("[^{}]", item.footnote));
        }
        out.push(indent(&quote.join("\n\n"), "> ", "> "));
    }
}

/// No front matter (a wiki or a mail client would show it as text), so no `lang:` either: the
/// language shows in the words.
pub(crate) fn write(p: &Prepared) -> String {
    let words = p.words;
    let mut out: Vec<String> = Vec::new();
    out.push(format!("**{}**", esc(&p.marking)));
    out.push(format!("**{}**", esc(&p.heading)));
    let mut meta = Vec::new();
    if let Some(f) = &p.file_number {
        meta.push(format!("{} {}", words.file, esc(f)));
    }
    if let Some(d) = &p.date {
        meta.push(format!("{} {}", words.date, esc(d)));
    }
    if !meta.is_empty() {
        out.push(meta.join("\\\n"));
    }
    out.push(format!("# {}", esc(&p.title)));
    if let Some(other) = &p.other_title {
        out.push(format!("*{}*", esc(other)));
    }
    out.push(match &p.deadline {
        Some(d) => format!("**{}** — {}", esc(&p.purpose), esc(d)),
        None => format!("**{}**", esc(&p.purpose)),
    });
    for s in &p.sections {
        section(s, &mut out);
    }
    let mut signatures = Vec::new();
    if let Some(c) = &p.prepared_by {
        signatures.push(format!("**{}** {}", words.prepared_by, esc(c)));
    }
    if let Some(c) = &p.approved_by {
        signatures.push(format!("**{}** {}", words.approved_by, esc(c)));
    }
    if !signatures.is_empty() {
        out.push(signatures.join("\\\n"));
    }
    if let Some(d) = &p.decision {
        out.push(format!("## {}", esc(&d.heading)));
        out.push(
            d.boxes
                .iter()
                .map(|(label, ticked)| format!("{} {}", if *ticked { "☒" } else { "☐" }, label))
                .collect::<Vec<_>>()
                .join(" · "),
        );
        out.push(format!(
            "{} \\_\\_\\_\\_\\_\\_\\_\\_\\_\\_\\_\\_\\_\\_\\_\\_ · {} {}",
            words.signature,
            words.date,
            d.date
                .as_deref()
                .map(esc)
                .unwrap_or_else(|| "\\_\\_\\_\\_\\_\\_\\_\\_\\_\\_".into())
        ));
        if let Some(c) = &d.comments {
            out.push(format!("{} {}", words.comments, esc(c)));
        }
    }
    if !p.sources.is_empty() {
        out.push(format!("## {}", words.sources));
        out.push(
            p.sources
                .iter()
                .map(|c| format!("- {}", citation(c, false, p.lang)))
                .collect::<Vec<_>>()
                .join("\n"),
        );
    }
    for (n, c) in p.notes.iter().enumerate() {
        out.push(format!("[^{}]: {}", n + 1, citation(c, true, p.lang)));
    }
    out.push(format!("**{}**", esc(&p.marking)));
    let mut text = out.join("\n\n");
    text.push('\n');
    text
}

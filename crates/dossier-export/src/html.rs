//! HTML: one self-contained file (styles inline, no script, no remote resource) that reads on
//! screen and prints like the Word version: the marking in the margin of every printed page,
//! page numbers, numbered notes linked both ways.
//!
//! A Content-Security-Policy in the file itself forbids scripts and remote loads: a second
//! lock behind the escaping, for a file that will be mailed around and opened anywhere.

use dossier_core::Lang;
use dossier_core::briefing::Citation;

use crate::prepare::{Block, Inline, Prepared, safe_url};

/// Escapes text for element content and double-quoted attributes alike.
pub(crate) fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A string for a CSS `content:` value: only the marking, but escaped all the same.
fn css_string(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        if c.is_ascii_alphanumeric() || c == ' ' || c == '/' {
            out.push(c);
        } else {
            out.push_str(&format!("\\{:x} ", c as u32));
        }
    }
    out.push('"');
    out
}

const STYLE: &str = r#"
:root { color: #111; background: #fff; }
body { font-family: Arial, "Liberation Sans", "DejaVu Sans", Helvetica, sans-serif; font-size: 11pt;
       line-height: 1.45; max-width: 46em; margin: 2em auto; padding: 0 1.5em; }
.marking { text-align: right; font-weight: bold; font-size: 9pt; letter-spacing: 0.03em; }
.memo { text-align: center; font-weight: bold; margin: 1.5em 0 0.8em; }
.meta { margin: 0; }
.subject { margin-top: 1.2em; }
h1 { font-size: 14pt; margin: 0.2em 0; }
.title-fr, .title-en { font-style: italic; font-size: 12pt; margin: 0 0 0.8em; }
.purpose { font-weight: bold; border-top: 1px solid #555; border-bottom: 1px solid #555;
           padding: 0.3em 0; margin: 1em 0 1.2em; }
h2 { font-size: 12pt; margin: 1.4em 0 0.4em; }
h3 { font-size: 11pt; margin: 1em 0 0.3em; }
h4, h5, h6 { font-size: 11pt; font-style: italic; margin: 0.8em 0 0.2em; }
blockquote { margin: 0.4em 0 0.8em 1.5em; padding-left: 0.8em; border-left: 3px solid #999; }
sup.ref a { text-decoration: none; }
a { color: #1a4f8b; }
.signatures { margin-top: 2em; }
.signatures p { margin: 0.2em 0; }
.decision { margin-top: 1.5em; border: 1px solid #555; padding: 0.4em 1em 0.8em; }
.decision .boxes span { margin-right: 2em; white-space: nowrap; }
.notes { font-size: 9.5pt; margin-top: 2em; border-top: 1px solid #999; }
code, pre { font-family: "DejaVu Sans Mono", monospace; font-size: 9.5pt; }
pre { white-space: pre-wrap; }
/* The marking also stays in the text: a browser that cannot print page-margin boxes still
   prints it on the first and last pages. */
@page { size: letter; margin: 2.2cm 2cm;
        @top-right { content: MARKING; font: bold 8pt Arial, sans-serif; }
        @bottom-center { content: PAGE_WORD counter(page) OF_WORD counter(pages); font: 8pt Arial, sans-serif; } }
@media print {
  body { max-width: none; margin: 0; padding: 0; font-size: 10.5pt; }
  a { color: inherit; }
  h2, h3 { break-after: avoid; }
  blockquote { break-inside: avoid; }
}
"#;

fn inlines(list: &[Inline], out: &mut String) {
    for i in list {
        match i {
            Inline::Text(t) => out.push_str(&esc(t)),
            Inline::Emph(c) => {
                out.push_str("<em>");
                inlines(c, out);
                out.push_str("</em>");
            }
            Inline::Strong(c) => {
                out.push_str("<strong>");
                inlines(c, out);
                out.push_str("</strong>");
            }
            Inline::Code(c) => out.push_str(&format!("<code>{}</code>", esc(c))),
            Inline::Link { url, children } => {
                out.push_str(&format!("<a href=\"{}\">", esc(url)));
                inlines(children, out);
                out.push_str("</a>");
            }
            Inline::Break => out.push_str("<br>"),
        }
    }
}

fn blocks(list: &[Block], out: &mut String) {
    for b in list {
        match b {
            Block::Para(i) => {
                out.push_str("<p>");
                inlines(i, out);
                out.push_str("</p>\n");
            }
            Block::Heading(level, i) => {
                // h1 is the title, h2 a section, h3 a group.
                let level = (*level).clamp(1, 2) + 3;
                out.push_str(&format!("<h{level}>"));
                inlines(i, out);
                out.push_str(&format!("</h{level}>\n"));
            }
            Block::List { start, items } => {
                match start {
                    Some(1) => out.push_str("<ol>\n"),
                    Some(s) => out.push_str(&format!("<ol start=\"{s}\">\n")),
                    None => out.push_str("<ul>\n"),
                }
                for item in items {
                    out.push_str("<li>");
                    blocks(item, out);
                    out.push_str("</li>\n");
                }
                out.push_str(if start.is_some() {
                    "</ol>\n"
                } else {
                    "</ul>\n"
                });
            }
            Block::Quote(inner) => {
                out.push_str("<blockquote>\n");
                blocks(inner, out);
                out.push_str("</blockquote>\n");
            }
            Block::Code(code) => out.push_str(&format!("<pre><code>{}</code></pre>\n", esc(code))),
            Block::Rule => out.push_str("<hr>\n"),
        }
    }
}

fn citation(c: &Citation, with_page: bool, lang: Lang) -> String {
    let lead = esc(&c.lead_in(with_page, lang));
    match c.url.as_deref() {
        Some(raw) => match safe_url(raw) {
            Some(url) => format!("{lead}, <a href=\"{0}\">{0}</a>.", esc(&url)),
            None => format!("{lead}, {}.", esc(raw)),
        },
        None => format!("{lead}."),
    }
}

pub(crate) fn write(p: &Prepared) -> String {
    let mut out = String::with_capacity(16 * 1024);
    out.push_str(&format!(
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n",
        p.lang.bcp47()
    ));
    out.push_str(
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n",
    );
    out.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    out.push_str(&format!("<title>{}</title>\n", esc(&p.title)));
    if let Some(a) = &p.author {
        out.push_str(&format!("<meta name=\"author\" content=\"{}\">\n", esc(a)));
    }
    out.push_str("<style>");
    out.push_str(
        &STYLE
            .replace("MARKING", &css_string(&p.marking))
            .replace("PAGE_WORD", &css_string(&format!("{} ", p.words.page)))
            .replace("OF_WORD", &css_string(&format!(" {} ", p.words.of))),
    );
    out.push_str("</style>\n</head>\n<body>\n");
    body(p, &mut out);
    out.push_str("</body>\n</html>\n");
    out
}

/// The note's content, everything between `<body>` and `</body>`: the file's body, and the
/// app's live preview (which styles it itself).
pub(crate) fn body(p: &Prepared, out: &mut String) {
    let words = p.words;
    out.push_str(&format!("<p class=\"marking\">{}</p>\n", esc(&p.marking)));
    out.push_str("<header>\n");
    out.push_str(&format!("<p class=\"memo\">{}</p>\n", esc(&p.heading)));
    if let Some(f) = &p.file_number {
        out.push_str(&format!(
            "<p class=\"meta\">{} {}</p>\n",
            esc(words.file),
            esc(f)
        ));
    }
    if let Some(d) = &p.date {
        out.push_str(&format!(
            "<p class=\"meta\">{} {}</p>\n",
            esc(words.date),
            esc(d)
        ));
    }
    out.push_str(&format!("<h1 class=\"subject\">{}</h1>\n", esc(&p.title)));
    if let Some(other) = &p.other_title {
        out.push_str(&format!(
            "<p class=\"title-{}\" lang=\"{}\">{}</p>\n",
            p.other_lang.as_str(),
            p.other_lang.bcp47(),
            esc(other)
        ));
    }
    out.push_str(&format!(
        "<p class=\"purpose\">{}{}</p>\n</header>\n<main>\n",
        esc(&p.purpose),
        p.deadline
            .as_deref()
            .map(|d| format!(" — {}", esc(d)))
            .unwrap_or_default()
    ));
    for s in &p.sections {
        out.push_str(&format!("<section>\n<h2>{}</h2>\n", esc(s.heading)));
        blocks(&s.body, out);
        for item in &s.items {
            if let Some(g) = &item.group {
                out.push_str(&format!("<h3>{}</h3>\n", esc(g)));
            }
            blocks(&item.note, out);
            out.push_str("<blockquote>\n");
            let last = item.quote.len() - 1;
            for (n, para) in item.quote.iter().enumerate() {
                out.push_str(&format!("<p>{}", esc(para)));
                if n == last {
                    out.push_str(&format!(
                        "<sup class=\"ref\"><a href=\"#note-{0}\" id=\"ref-{0}\">{0}</a></sup>",
                        item.footnote
                    ));
                }
                out.push_str("</p>\n");
            }
            out.push_str("</blockquote>\n");
        }
        out.push_str("</section>\n");
    }
    if p.prepared_by.is_some() || p.approved_by.is_some() {
        out.push_str("<section class=\"signatures\">\n");
        if let Some(c) = &p.prepared_by {
            out.push_str(&format!(
                "<p><strong>{}</strong> {}</p>\n",
                esc(words.prepared_by),
                esc(c)
            ));
        }
        if let Some(c) = &p.approved_by {
            out.push_str(&format!(
                "<p><strong>{}</strong> {}</p>\n",
                esc(words.approved_by),
                esc(c)
            ));
        }
        out.push_str("</section>\n");
    }
    if let Some(d) = &p.decision {
        out.push_str(&format!(
            "<section class=\"decision\">\n<h2>{}</h2>\n<p class=\"boxes\">",
            esc(&d.heading)
        ));
        for (label, ticked) in &d.boxes {
            out.push_str(&format!(
                "<span>{} {}</span>",
                if *ticked { "☒" } else { "☐" },
                esc(label)
            ));
        }
        out.push_str(&format!(
            "</p>\n<p>{} ______________________________</p>\n",
            esc(words.signature)
        ));
        out.push_str(&format!(
            "<p>{} {}</p>\n",
            esc(words.date),
            d.date
                .as_deref()
                .map(esc)
                .unwrap_or_else(|| "____________________".into())
        ));
        if let Some(c) = &d.comments {
            out.push_str(&format!("<p>{} {}</p>\n", esc(words.comments), esc(c)));
        }
        out.push_str("</section>\n");
    }
    if !p.sources.is_empty() {
        out.push_str(&format!(
            "<section class=\"sources\">\n<h2>{}</h2>\n<ul>\n",
            esc(words.sources)
        ));
        for c in &p.sources {
            out.push_str(&format!("<li>{}</li>\n", citation(c, false, p.lang)));
        }
        out.push_str("</ul>\n</section>\n");
    }
    out.push_str("</main>\n");
    if !p.notes.is_empty() {
        out.push_str(&format!(
            "<footer class=\"notes\">\n<h2>{}</h2>\n<ol>\n",
            esc(words.notes)
        ));
        for (n, c) in p.notes.iter().enumerate() {
            out.push_str(&format!(
                "<li id=\"note-{0}\">{1} <a href=\"#ref-{0}\" aria-label=\"{2}\">↩</a></li>\n",
                n + 1,
                citation(c, true, p.lang),
                esc(words.back_to_text)
            ));
        }
        out.push_str("</ol>\n</footer>\n");
    }
    out.push_str(&format!("<p class=\"marking\">{}</p>\n", esc(&p.marking)));
}

//! Word (.docx): WordprocessingML written directly, packed with fixed entry times.
//!
//! The decision a reader will question: no DOCX library. docx-rs (measured in TOOLCHAIN.md)
//! numbers footnotes, headers and hyperlinks from process-wide counters, so the second export of
//! the same note in one running app differs from the first; it also cannot set the title in the
//! document properties. The handful of parts a briefing needs — document, styles, numbering,
//! footnotes, one header, one footer — are small, fully specified, and written here in a fixed
//! order with fixed ids, so the same note always gives the same bytes.
//!
//! Real Word styles throughout (Title, Heading 1–4, Quote, List Paragraph, footnote text and
//! reference, Hyperlink), so the department's template can restyle the note. Footnote numbers
//! use a superscript character style and are followed by a space: LibreOffice otherwise shows
//! them flush against the note text.

use std::io::Write;

use dossier_core::Lang;
use dossier_core::briefing::Citation;
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipWriter};

use crate::prepare::{Block, Inline, Prepared, safe_url};

const W_NS: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
const R_NS: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const REL_NS: &str = "http://schemas.openxmlformats.org/package/2006/relationships";
const HYPERLINK_REL: &str =
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink";

/// Escapes text for XML content and double-quoted attributes.
pub(crate) fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            c => out.push(c),
        }
    }
    out
}

#[derive(Clone, Copy, Default)]
struct RunStyle {
    bold: bool,
    italic: bool,
    code: bool,
    /// A language other than the document's default.
    lang: Option<Lang>,
}

impl RunStyle {
    fn props(self, char_style: Option<&str>) -> String {
        let mut p = String::new();
        if let Some(s) = char_style {
            p.push_str(&format!("<w:rStyle w:val=\"{s}\"/>"));
        }
        if self.code {
            p.push_str(
                "<w:rFonts w:ascii=\"Courier New\" w:hAnsi=\"Courier New\" w:cs=\"Courier New\"/>",
            );
        }
        if self.bold {
            p.push_str("<w:b/><w:bCs/>");
        }
        if self.italic {
            p.push_str("<w:i/><w:iCs/>");
        }
        if let Some(lang) = self.lang {
            p.push_str(&format!("<w:lang w:val=\"{}\"/>", lang.bcp47()));
        }
        if p.is_empty() {
            String::new()
        } else {
            format!("<w:rPr>{p}</w:rPr>")
        }
    }
}

fn run(text: &str, style: RunStyle) -> String {
    format!(
        "<w:r>{}<w:t xml:space=\"preserve\">{}</w:t></w:r>",
        style.props(None),
        esc(text)
    )
}

fn styled_run(text: &str, char_style: &str) -> String {
    format!(
        "<w:r><w:rPr><w:rStyle w:val=\"{char_style}\"/></w:rPr><w:t xml:space=\"preserve\">{}</w:t></w:r>",
        esc(text)
    )
}

/// A paragraph: `props` go inside `<w:pPr>` after the style, in schema order.
fn para(style: &str, props: &str, runs: &str) -> String {
    format!("<w:p><w:pPr><w:pStyle w:val=\"{style}\"/>{props}</w:pPr>{runs}</w:p>")
}

/// Hyperlink relationships of one part (document or footnotes), numbered in order of use.
#[derive(Default)]
struct Links {
    prefix: &'static str,
    targets: Vec<String>,
}

impl Links {
    fn add(&mut self, url: &str) -> String {
        self.targets.push(url.to_string());
        format!("{}{}", self.prefix, self.targets.len())
    }

    fn rels(&self, fixed: &[(&str, &str, &str)]) -> String {
        let mut out = format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<Relationships xmlns=\"{REL_NS}\">"
        );
        for (id, kind, target) in fixed {
            out.push_str(&format!(
                "<Relationship Id=\"{id}\" Type=\"{kind}\" Target=\"{target}\"/>"
            ));
        }
        for (n, url) in self.targets.iter().enumerate() {
            out.push_str(&format!(
                "<Relationship Id=\"{}{}\" Type=\"{HYPERLINK_REL}\" Target=\"{}\" TargetMode=\"External\"/>",
                self.prefix,
                n + 1,
                esc(url)
            ));
        }
        out.push_str("</Relationships>");
        out
    }
}

fn hyperlink(links: &mut Links, url: &str, runs: &str) -> String {
    let id = links.add(url);
    format!("<w:hyperlink r:id=\"{id}\" w:history=\"1\">{runs}</w:hyperlink>")
}

struct Writer {
    lang: Lang,
    body: String,
    links: Links,
    foot_links: Links,
    footnotes: String,
    /// Start number of each ordered list; list n gets numId n + 2 (1 is every bullet list).
    ordered: Vec<u64>,
}

impl Writer {
    fn inlines(&mut self, list: &[Inline], style: RunStyle) -> String {
        let mut out = String::new();
        for i in list {
            match i {
                Inline::Text(t) => out.push_str(&run(t, style)),
                Inline::Emph(c) => out.push_str(&self.inlines(
                    c,
                    RunStyle {
                        italic: true,
                        ..style
                    },
                )),
                Inline::Strong(c) => out.push_str(&self.inlines(
                    c,
                    RunStyle {
                        bold: true,
                        ..style
                    },
                )),
                Inline::Code(c) => out.push_str(&run(
                    c,
                    RunStyle {
                        code: true,
                        ..style
                    },
                )),
                Inline::Link { url, children } => {
                    let mut runs = String::new();
                    for child in children {
                        // Links hold text runs only; their look comes from the Hyperlink style.
                        let text = plain(std::slice::from_ref(child));
                        runs.push_str(&format!(
                            "<w:r>{}<w:t xml:space=\"preserve\">{}</w:t></w:r>",
                            style.props(Some("Hyperlink")),
                            esc(&text)
                        ));
                    }
                    out.push_str(&hyperlink(&mut self.links, url, &runs));
                }
                Inline::Break => out.push_str("<w:r><w:br/></w:r>"),
            }
        }
        out
    }

    /// `list`: (numId, level) of the list this block sits in, for its first paragraph.
    fn blocks(&mut self, list: &[Block], quote: bool, level: usize) {
        for b in list {
            self.block(b, quote, level, None);
        }
    }

    fn block(&mut self, b: &Block, quote: bool, level: usize, numbered: Option<(usize, usize)>) {
        let indent = if level > 0 && numbered.is_none() {
            format!("<w:ind w:left=\"{}\"/>", 720 * level)
        } else {
            String::new()
        };
        let num = numbered
            .map(|(id, ilvl)| {
                format!("<w:numPr><w:ilvl w:val=\"{ilvl}\"/><w:numId w:val=\"{id}\"/></w:numPr>")
            })
            .unwrap_or_default();
        let style = if numbered.is_some() {
            "ListParagraph"
        } else if quote {
            "Quote"
        } else if level > 0 {
            "ListContinue"
        } else {
            "Normal"
        };
        match b {
            Block::Para(i) => {
                let runs = self.inlines(i, RunStyle::default());
                self.body
                    .push_str(&para(style, &format!("{num}{indent}"), &runs));
            }
            Block::Heading(h, i) => {
                let runs = self.inlines(i, RunStyle::default());
                let style = if *h <= 1 { "Heading3" } else { "Heading4" };
                self.body.push_str(&para(style, "", &runs));
            }
            Block::List { start, items } => {
                let id = match start {
                    Some(s) => {
                        self.ordered.push(*s);
                        self.ordered.len() + 1
                    }
                    None => 1,
                };
                for item in items {
                    for (n, inner) in item.iter().enumerate() {
                        if n == 0 && !matches!(inner, Block::List { .. }) {
                            self.block(inner, quote, level + 1, Some((id, level)));
                        } else {
                            self.block(inner, quote, level + 1, None);
                        }
                    }
                    if item.is_empty() {
                        self.body.push_str(&para(
                            "ListParagraph",
                            &format!(
                                "<w:numPr><w:ilvl w:val=\"{level}\"/><w:numId w:val=\"{id}\"/></w:numPr>"
                            ),
                            "",
                        ));
                    }
                }
            }
            Block::Quote(inner) => self.blocks(inner, true, level),
            Block::Code(code) => {
                let runs: Vec<String> = code
                    .split('\n')
                    .map(|line| run(line, RunStyle::default()))
                    .collect();
                self.body
                    .push_str(&para("Code", &indent, &runs.join("<w:r><w:br/></w:r>")));
            }
            Block::Rule => self.body.push_str(&para("Rule", "", "")),
        }
    }

    /// Writes footnote `n` and returns the reference run for the body.
    fn footnote(&mut self, n: usize, c: &Citation) -> String {
        let mut runs = String::from(
            "<w:r><w:rPr><w:rStyle w:val=\"FootnoteReference\"/></w:rPr><w:footnoteRef/></w:r>",
        );
        runs.push_str(&run(
            &format!(" {}", c.lead_in(true, self.lang)),
            RunStyle::default(),
        ));
        runs.push_str(&self.citation_tail(c, true));
        self.footnotes.push_str(&format!(
            "<w:footnote w:id=\"{n}\">{}</w:footnote>",
            para("FootnoteText", "", &runs)
        ));
        format!(
            "<w:r><w:rPr><w:rStyle w:val=\"FootnoteReference\"/></w:rPr><w:footnoteReference w:id=\"{n}\"/></w:r>"
        )
    }

    /// ", URL." after a citation's lead, the URL linked; in a footnote its link belongs to the
    /// footnotes part.
    fn citation_tail(&mut self, c: &Citation, in_footnote: bool) -> String {
        match c.url.as_deref() {
            Some(raw) => match safe_url(raw) {
                Some(url) => {
                    let links = if in_footnote {
                        &mut self.foot_links
                    } else {
                        &mut self.links
                    };
                    format!(
                        "{}{}{}",
                        run(", ", RunStyle::default()),
                        hyperlink(links, &url, &styled_run(&url, "Hyperlink")),
                        run(".", RunStyle::default())
                    )
                }
                None => run(&format!(", {raw}."), RunStyle::default()),
            },
            None => run(".", RunStyle::default()),
        }
    }
}

/// The text of inlines without formatting.
fn plain(list: &[Inline]) -> String {
    list.iter()
        .map(|i| match i {
            Inline::Text(t) | Inline::Code(t) => t.clone(),
            Inline::Emph(c) | Inline::Strong(c) | Inline::Link { children: c, .. } => plain(c),
            Inline::Break => " ".into(),
        })
        .collect()
}

fn document(p: &Prepared, w: &mut Writer) -> String {
    let b = RunStyle::default();
    let bold = RunStyle { bold: true, ..b };
    let words = p.words;
    w.body
        .push_str(&para("MemoHeading", "", &run(&p.heading, b)));
    if let Some(f) = &p.file_number {
        w.body.push_str(&para(
            "Meta",
            "",
            &(run(&format!("{} ", words.file), bold) + &run(f, b)),
        ));
    }
    if let Some(d) = &p.date {
        w.body.push_str(&para(
            "Meta",
            "",
            &(run(&format!("{} ", words.date), bold) + &run(d, b)),
        ));
    }
    w.body.push_str(&para("Title", "", &run(&p.title, b)));
    if let Some(other) = &p.other_title {
        w.body.push_str(&para(
            "Subtitle",
            "",
            &run(
                other,
                RunStyle {
                    lang: Some(p.other_lang),
                    ..b
                },
            ),
        ));
    }
    let mut purpose = run(&p.purpose, b);
    if let Some(d) = &p.deadline {
        // The style is bold; the deadline after the dash reads better plain.
        purpose.push_str(&format!(
            "<w:r><w:rPr><w:b w:val=\"0\"/><w:bCs w:val=\"0\"/></w:rPr><w:t xml:space=\"preserve\">{}</w:t></w:r>",
            esc(&format!(" — {d}"))
        ));
    }
    w.body.push_str(&para("Purpose", "", &purpose));

    for s in &p.sections {
        w.body.push_str(&para("Heading1", "", &run(s.heading, b)));
        w.blocks(&s.body, false, 0);
        for item in &s.items {
            if let Some(g) = &item.group {
                w.body.push_str(&para("Heading2", "", &run(g, b)));
            }
            w.blocks(&item.note, false, 0);
            let last = item.quote.len() - 1;
            for (n, text) in item.quote.iter().enumerate() {
                let mut runs = run(text, b);
                if n == last {
                    runs.push_str(&w.footnote(item.footnote, &p.notes[item.footnote - 1]));
                }
                w.body.push_str(&para("Quote", "", &runs));
            }
        }
    }

    if p.prepared_by.is_some() || p.approved_by.is_some() {
        let mut first = true;
        for (label, who) in [
            (words.prepared_by, &p.prepared_by),
            (words.approved_by, &p.approved_by),
        ] {
            if let Some(who) = who {
                let style = if first { "SignatureFirst" } else { "Signature" };
                first = false;
                w.body.push_str(&para(
                    style,
                    "",
                    &(run(&format!("{label} "), bold) + &run(who, b)),
                ));
            }
        }
    }
    if let Some(d) = &p.decision {
        let boxes: Vec<String> = d
            .boxes
            .iter()
            .map(|(label, ticked)| format!("{} {label}", if *ticked { "☒" } else { "☐" }))
            .collect();
        let mut lines = vec![
            boxes.join("      "),
            format!("{} ______________________________", words.signature),
            format!(
                "{} {}",
                words.date,
                d.date.as_deref().unwrap_or("____________________")
            ),
        ];
        lines.extend(
            d.comments
                .as_ref()
                .map(|c| format!("{} {c}", words.comments)),
        );
        w.body
            .push_str(&para("DecisionHeading", "", &run(&d.heading, b)));
        let last = lines.len() - 1;
        for (n, line) in lines.iter().enumerate() {
            // The block keeps together, but not with what follows: a chain running on into
            // the Sources list would be too long to keep, and Word would break the box.
            let props = if n == last {
                "<w:keepNext w:val=\"0\"/>"
            } else {
                ""
            };
            w.body.push_str(&para("Decision", props, &run(line, b)));
        }
    }
    if !p.sources.is_empty() {
        w.body
            .push_str(&para("Heading1", "", &run(words.sources, b)));
        for c in &p.sources {
            let runs = run(&c.lead_in(false, p.lang), b) + &w.citation_tail(c, false);
            w.body.push_str(&para(
                "ListParagraph",
                "<w:numPr><w:ilvl w:val=\"0\"/><w:numId w:val=\"1\"/></w:numPr>",
                &runs,
            ));
        }
    }

    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
         <w:document xmlns:w=\"{W_NS}\" xmlns:r=\"{R_NS}\"><w:body>{}\
         <w:sectPr><w:headerReference w:type=\"default\" r:id=\"rIdHeader\"/>\
         <w:footerReference w:type=\"default\" r:id=\"rIdFooter\"/>\
         <w:pgSz w:w=\"12240\" w:h=\"15840\"/>\
         <w:pgMar w:top=\"1440\" w:right=\"1300\" w:bottom=\"1300\" w:left=\"1300\" w:header=\"600\" w:footer=\"600\" w:gutter=\"0\"/>\
         <w:pgNumType w:start=\"1\"/></w:sectPr></w:body></w:document>",
        w.body
    )
}

fn style(id: &str, name: &str, kind: &str, based_on: Option<&str>, ppr: &str, rpr: &str) -> String {
    let based = based_on
        .map(|b| format!("<w:basedOn w:val=\"{b}\"/>"))
        .unwrap_or_default();
    let ppr = if ppr.is_empty() {
        String::new()
    } else {
        format!("<w:pPr>{ppr}</w:pPr>")
    };
    let rpr = if rpr.is_empty() {
        String::new()
    } else {
        format!("<w:rPr>{rpr}</w:rPr>")
    };
    format!(
        "<w:style w:type=\"{kind}\" w:styleId=\"{id}\"><w:name w:val=\"{name}\"/>{based}<w:qFormat/>{ppr}{rpr}</w:style>"
    )
}

/// The styles; `lang` is the document's language (every run's default), and the Subtitle (the
/// title in the other language) is marked as the other one, so each is spell-checked in its own.
fn styles(lang: Lang, other: Lang) -> String {
    let p = "paragraph";
    let border = |side: &str| {
        format!("<w:{side} w:val=\"single\" w:sz=\"6\" w:space=\"4\" w:color=\"555555\"/>")
    };
    let list = [
        "<w:style w:type=\"paragraph\" w:default=\"1\" w:styleId=\"Normal\"><w:name w:val=\"Normal\"/><w:qFormat/></w:style>".to_string(),
        "<w:style w:type=\"character\" w:default=\"1\" w:styleId=\"DefaultParagraphFont\"><w:name w:val=\"Default Paragraph Font\"/><w:uiPriority w:val=\"1\"/><w:semiHidden/></w:style>".to_string(),
        style("Title", "Title", p, Some("Normal"), "<w:keepNext/><w:spacing w:before=\"240\" w:after=\"60\"/>", "<w:b/><w:bCs/><w:sz w:val=\"30\"/><w:szCs w:val=\"30\"/>"),
        style("Subtitle", "Subtitle", p, Some("Normal"), "<w:keepNext/><w:spacing w:after=\"120\"/>", &format!("<w:i/><w:iCs/><w:sz w:val=\"26\"/><w:szCs w:val=\"26\"/><w:lang w:val=\"{}\"/>", other.bcp47())),
        style("Heading1", "heading 1", p, Some("Normal"), "<w:keepNext/><w:spacing w:before=\"300\" w:after=\"80\"/><w:outlineLvl w:val=\"0\"/>", "<w:b/><w:bCs/><w:sz w:val=\"26\"/><w:szCs w:val=\"26\"/>"),
        style("Heading2", "heading 2", p, Some("Normal"), "<w:keepNext/><w:spacing w:before=\"200\" w:after=\"60\"/><w:outlineLvl w:val=\"1\"/>", "<w:b/><w:bCs/><w:sz w:val=\"23\"/><w:szCs w:val=\"23\"/>"),
        style("Heading3", "heading 3", p, Some("Normal"), "<w:keepNext/><w:spacing w:before=\"160\" w:after=\"40\"/><w:outlineLvl w:val=\"2\"/>", "<w:b/><w:bCs/><w:i/><w:iCs/>"),
        style("Heading4", "heading 4", p, Some("Normal"), "<w:keepNext/><w:spacing w:before=\"120\" w:after=\"40\"/><w:outlineLvl w:val=\"3\"/>", "<w:i/><w:iCs/>"),
        style("Quote", "Quote", p, Some("Normal"), &format!("<w:pBdr>{}</w:pBdr><w:ind w:left=\"567\" w:right=\"284\"/>", "<w:left w:val=\"single\" w:sz=\"18\" w:space=\"8\" w:color=\"999999\"/>"), "<w:color w:val=\"333333\"/>"),
        style("ListParagraph", "List Paragraph", p, Some("Normal"), "<w:spacing w:after=\"60\"/><w:contextualSpacing/>", ""),
        style("ListContinue", "List Continue", p, Some("Normal"), "<w:spacing w:after=\"60\"/>", ""),
        style("Code", "Code", p, Some("Normal"), "<w:spacing w:after=\"120\"/>", "<w:rFonts w:ascii=\"Courier New\" w:hAnsi=\"Courier New\" w:cs=\"Courier New\"/><w:sz w:val=\"18\"/><w:szCs w:val=\"18\"/>"),
        style("Rule", "Horizontal Line", p, Some("Normal"), &format!("<w:pBdr>{}</w:pBdr>", border("bottom")), ""),
        style("FootnoteText", "footnote text", p, Some("Normal"), "<w:spacing w:after=\"40\" w:line=\"240\" w:lineRule=\"auto\"/>", "<w:sz w:val=\"17\"/><w:szCs w:val=\"17\"/>"),
        style("FootnoteReference", "footnote reference", "character", Some("DefaultParagraphFont"), "", "<w:vertAlign w:val=\"superscript\"/>"),
        style("Hyperlink", "Hyperlink", "character", Some("DefaultParagraphFont"), "", "<w:color w:val=\"1A4F8B\"/><w:u w:val=\"single\"/>"),
        style("Header", "header", p, Some("Normal"), "<w:spacing w:after=\"0\"/>", ""),
        style("Footer", "footer", p, Some("Normal"), "<w:spacing w:after=\"0\"/><w:jc w:val=\"center\"/>", "<w:sz w:val=\"17\"/><w:szCs w:val=\"17\"/>"),
        style("Marking", "Security Marking", p, Some("Header"), "<w:jc w:val=\"right\"/>", "<w:b/><w:bCs/><w:sz w:val=\"18\"/><w:szCs w:val=\"18\"/>"),
        style("MemoHeading", "Memo Heading", p, Some("Normal"), "<w:spacing w:after=\"200\"/><w:jc w:val=\"center\"/>", "<w:b/><w:bCs/><w:caps/><w:sz w:val=\"24\"/><w:szCs w:val=\"24\"/>"),
        style("Meta", "Memo Details", p, Some("Normal"), "<w:spacing w:after=\"0\"/>", ""),
        style("Purpose", "Purpose Line", p, Some("Normal"), &format!("<w:pBdr>{}{}</w:pBdr><w:spacing w:before=\"200\" w:after=\"200\"/>", border("top"), border("bottom")), "<w:b/><w:bCs/>"),
        style("SignatureFirst", "Signature Block", p, Some("Normal"), "<w:spacing w:before=\"480\" w:after=\"0\"/>", ""),
        style("Signature", "Signature Line", p, Some("Normal"), "<w:spacing w:after=\"0\"/>", ""),
        // One border set for every paragraph of the block, so Word and LibreOffice draw one box.
        style("Decision", "Decision Block", p, Some("Normal"), &format!("<w:keepNext/><w:keepLines/><w:pBdr>{}{}{}{}</w:pBdr><w:spacing w:before=\"120\" w:after=\"60\"/><w:ind w:left=\"113\" w:right=\"113\"/>", border("top"), border("left"), border("bottom"), border("right")), ""),
        style("DecisionHeading", "Decision Heading", p, Some("Decision"), "", "<w:b/><w:bCs/>"),
    ];
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
         <w:styles xmlns:w=\"{W_NS}\"><w:docDefaults><w:rPrDefault><w:rPr>\
         <w:rFonts w:ascii=\"Arial\" w:hAnsi=\"Arial\" w:eastAsia=\"Arial\" w:cs=\"Arial\"/>\
         <w:sz w:val=\"22\"/><w:szCs w:val=\"22\"/><w:lang w:val=\"{tag}\" w:eastAsia=\"{tag}\" w:bidi=\"ar-SA\"/>\
         </w:rPr></w:rPrDefault><w:pPrDefault><w:pPr><w:spacing w:after=\"120\" w:line=\"264\" w:lineRule=\"auto\"/></w:pPr></w:pPrDefault>\
         </w:docDefaults>{}</w:styles>",
        list.join(""),
        tag = lang.bcp47()
    )
}

fn numbering(ordered: &[u64]) -> String {
    const BULLETS: [&str; 3] = ["•", "◦", "▪"];
    const FORMATS: [&str; 3] = ["decimal", "lowerLetter", "lowerRoman"];
    let level = |ilvl: usize, fmt: &str, text: &str| {
        format!(
            "<w:lvl w:ilvl=\"{ilvl}\"><w:start w:val=\"1\"/><w:numFmt w:val=\"{fmt}\"/>\
             <w:lvlText w:val=\"{text}\"/><w:lvlJc w:val=\"left\"/>\
             <w:pPr><w:ind w:left=\"{}\" w:hanging=\"360\"/></w:pPr></w:lvl>",
            720 * (ilvl + 1)
        )
    };
    let bullets: String = (0..9).map(|l| level(l, "bullet", BULLETS[l % 3])).collect();
    let numbers: String = (0..9)
        .map(|l| level(l, FORMATS[l % 3], &format!("%{}.", l + 1)))
        .collect();
    let mut out = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
         <w:numbering xmlns:w=\"{W_NS}\">\
         <w:abstractNum w:abstractNumId=\"0\"><w:multiLevelType w:val=\"hybridMultilevel\"/>{bullets}</w:abstractNum>\
         <w:abstractNum w:abstractNumId=\"1\"><w:multiLevelType w:val=\"hybridMultilevel\"/>{numbers}</w:abstractNum>\
         <w:num w:numId=\"1\"><w:abstractNumId w:val=\"0\"/></w:num>"
    );
    // Each numbered list restarts at its own first number, so each gets its own instance.
    for (n, start) in ordered.iter().enumerate() {
        let overrides: String = (0..9)
            .map(|l| {
                format!(
                    "<w:lvlOverride w:ilvl=\"{l}\"><w:startOverride w:val=\"{}\"/></w:lvlOverride>",
                    if l == 0 { *start } else { 1 }
                )
            })
            .collect();
        out.push_str(&format!(
            "<w:num w:numId=\"{}\"><w:abstractNumId w:val=\"1\"/>{overrides}</w:num>",
            n + 2
        ));
    }
    out.push_str("</w:numbering>");
    out
}

fn footnotes(body: &str) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
         <w:footnotes xmlns:w=\"{W_NS}\" xmlns:r=\"{R_NS}\">\
         <w:footnote w:type=\"separator\" w:id=\"-1\"><w:p><w:pPr><w:spacing w:after=\"0\" w:line=\"240\" w:lineRule=\"auto\"/></w:pPr><w:r><w:separator/></w:r></w:p></w:footnote>\
         <w:footnote w:type=\"continuationSeparator\" w:id=\"0\"><w:p><w:pPr><w:spacing w:after=\"0\" w:line=\"240\" w:lineRule=\"auto\"/></w:pPr><w:r><w:continuationSeparator/></w:r></w:p></w:footnote>\
         {body}</w:footnotes>"
    )
}

fn header(marking: &str) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
         <w:hdr xmlns:w=\"{W_NS}\" xmlns:r=\"{R_NS}\">{}</w:hdr>",
        para("Marking", "", &run(marking, RunStyle::default()))
    )
}

fn footer(words: &crate::words::Words) -> String {
    let field = |instr: &str| {
        format!(
            "<w:fldSimple w:instr=\" {instr} \\* MERGEFORMAT \"><w:r><w:t>1</w:t></w:r></w:fldSimple>"
        )
    };
    let runs = format!(
        "{}{}{}{}",
        run(&format!("{} ", words.page), RunStyle::default()),
        field("PAGE"),
        run(&format!(" {} ", words.of), RunStyle::default()),
        field("NUMPAGES")
    );
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
         <w:ftr xmlns:w=\"{W_NS}\" xmlns:r=\"{R_NS}\">{}</w:ftr>",
        para("Footer", "", &runs)
    )
}

const CONTENT_TYPES: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">\
<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>\
<Default Extension=\"xml\" ContentType=\"application/xml\"/>\
<Override PartName=\"/word/document.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/>\
<Override PartName=\"/word/styles.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml\"/>\
<Override PartName=\"/word/settings.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml\"/>\
<Override PartName=\"/word/numbering.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.numbering+xml\"/>\
<Override PartName=\"/word/footnotes.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml\"/>\
<Override PartName=\"/word/header1.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml\"/>\
<Override PartName=\"/word/footer1.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml\"/>\
<Override PartName=\"/docProps/core.xml\" ContentType=\"application/vnd.openxmlformats-package.core-properties+xml\"/>\
<Override PartName=\"/docProps/app.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.extended-properties+xml\"/>\
</Types>";

const PACKAGE_RELS: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\
<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"word/document.xml\"/>\
<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties\" Target=\"docProps/core.xml\"/>\
<Relationship Id=\"rId3\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties\" Target=\"docProps/app.xml\"/>\
</Relationships>";

const APP: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
<Properties xmlns=\"http://schemas.openxmlformats.org/officeDocument/2006/extended-properties\"><Application>Dossier</Application></Properties>";

fn settings(lang: Lang) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
         <w:settings xmlns:w=\"{W_NS}\"><w:defaultTabStop w:val=\"720\"/>\
         <w:characterSpacingControl w:val=\"doNotCompress\"/>\
         <w:footnotePr><w:footnote w:id=\"-1\"/><w:footnote w:id=\"0\"/></w:footnotePr>\
         <w:compat><w:compatSetting w:name=\"compatibilityMode\" w:uri=\"http://schemas.microsoft.com/office/word\" w:val=\"15\"/></w:compat>\
         <w:themeFontLang w:val=\"{}\"/></w:settings>",
        lang.bcp47()
    )
}

/// Title, author and marking in the file's properties; no dates, so the bytes never change.
fn core(p: &Prepared) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
         <cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" \
         xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:dcterms=\"http://purl.org/dc/terms/\" \
         xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">\
         <dc:title>{}</dc:title><dc:creator>{}</dc:creator><cp:keywords>{}</cp:keywords>\
         <dc:language>{}</dc:language></cp:coreProperties>",
        esc(&p.title),
        esc(p.author.as_deref().unwrap_or("")),
        esc(&p.marking),
        p.lang.bcp47()
    )
}

/// The package's parts by name, in the order they are zipped. Public to the tests, which
/// snapshot the XML rather than the compressed bytes.
pub(crate) fn parts(p: &Prepared) -> Vec<(&'static str, String)> {
    let mut w = Writer {
        lang: p.lang,
        body: String::new(),
        links: Links {
            prefix: "rIdLink",
            targets: Vec::new(),
        },
        foot_links: Links {
            prefix: "rIdLink",
            targets: Vec::new(),
        },
        footnotes: String::new(),
        ordered: Vec::new(),
    };
    let document = document(p, &mut w);
    let rel = |kind: &str| {
        format!("http://schemas.openxmlformats.org/officeDocument/2006/relationships/{kind}")
    };
    let (styles_rel, settings_rel, numbering_rel, footnotes_rel, header_rel, footer_rel) = (
        rel("styles"),
        rel("settings"),
        rel("numbering"),
        rel("footnotes"),
        rel("header"),
        rel("footer"),
    );
    let document_rels = w.links.rels(&[
        ("rIdStyles", &styles_rel, "styles.xml"),
        ("rIdSettings", &settings_rel, "settings.xml"),
        ("rIdNumbering", &numbering_rel, "numbering.xml"),
        ("rIdFootnotes", &footnotes_rel, "footnotes.xml"),
        ("rIdHeader", &header_rel, "header1.xml"),
        ("rIdFooter", &footer_rel, "footer1.xml"),
    ]);
    vec![
        ("[Content_Types].xml", CONTENT_TYPES.to_string()),
        ("_rels/.rels", PACKAGE_RELS.to_string()),
        ("docProps/core.xml", core(p)),
        ("docProps/app.xml", APP.to_string()),
        ("word/document.xml", document),
        ("word/styles.xml", styles(p.lang, p.other_lang)),
        ("word/settings.xml", settings(p.lang)),
        ("word/numbering.xml", numbering(&w.ordered)),
        ("word/footnotes.xml", footnotes(&w.footnotes)),
        ("word/header1.xml", header(&p.marking)),
        ("word/footer1.xml", footer(p.words)),
        ("word/_rels/document.xml.rels", document_rels),
        ("word/_rels/footnotes.xml.rels", w.foot_links.rels(&[])),
    ]
}

pub(crate) fn write(p: &Prepared) -> std::io::Result<Vec<u8>> {
    let mut zip = ZipWriter::new(std::io::Cursor::new(Vec::new()));
    // Fixed entry times and permissions: the clock never reaches the bytes.
    let options = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .last_modified_time(DateTime::default())
        .unix_permissions(0o644);
    for (name, xml) in parts(p) {
        zip.start_file(name, options)
            .map_err(std::io::Error::other)?;
        zip.write_all(xml.as_bytes())?;
    }
    let cursor = zip.finish().map_err(std::io::Error::other)?;
    Ok(cursor.into_inner())
}

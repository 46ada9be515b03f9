//! PDF, typeset by Typst (as a library, with an in-memory world of one file and embedded
//! fonts): the marking in the header of every page, "Page n of N" ("Page n de N") in the footer, real
//! footnotes, links that work, fonts embedded and subset.
//!
//! Every piece of text reaches Typst as a string literal (`#"…"`), never as markup, so nothing
//! in an article can become a Typst command; the markup around it is ours. The world has no
//! clock (`today` is `None`) and the PDF no timestamp, so the same note gives the same bytes.

use std::sync::LazyLock;

use dossier_core::Lang;
use dossier_core::briefing::Citation;
use typst::diag::{FileError, FileResult, SourceDiagnostic};
use typst::foundations::{Bytes, Datetime, Duration, Smart};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};
use typst_layout::PagedDocument;

use crate::prepare::{Block, Inline, Prepared, safe_url};

/// DejaVu Sans (Bitstream Vera licence, see assets/fonts/LICENSE-DejaVu.txt): Typst's bundled
/// fonts have no sans-serif body face, and a departmental note is set in a sans.
static BODY_FONTS: [&[u8]; 3] = [
    include_bytes!("../assets/fonts/DejaVuSans.ttf"),
    include_bytes!("../assets/fonts/DejaVuSans-Bold.ttf"),
    include_bytes!("../assets/fonts/DejaVuSans-Oblique.ttf"),
];

struct Fonts {
    book: LazyHash<FontBook>,
    fonts: Vec<Font>,
}

static FONTS: LazyLock<Fonts> = LazyLock::new(|| {
    let fonts: Vec<Font> = BODY_FONTS
        .iter()
        .copied()
        .chain(typst_assets::fonts())
        .flat_map(|data| Font::iter(Bytes::new(data)))
        .collect();
    Fonts {
        book: LazyHash::new(FontBook::from_fonts(&fonts)),
        fonts,
    }
});

static LIBRARY: LazyLock<LazyHash<Library>> = LazyLock::new(|| LazyHash::new(Library::default()));

struct NoteWorld {
    main: Source,
}

impl World for NoteWorld {
    fn library(&self) -> &LazyHash<Library> {
        &LIBRARY
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &FONTS.book
    }

    fn main(&self) -> FileId {
        self.main.id()
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.main.id() {
            Ok(self.main.clone())
        } else {
            Err(FileError::AccessDenied)
        }
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if id == self.main.id() {
            Ok(Bytes::from_string(self.main.clone()))
        } else {
            Err(FileError::AccessDenied)
        }
    }

    fn font(&self, index: usize) -> Option<Font> {
        FONTS.fonts.get(index).cloned()
    }

    fn today(&self, _offset: Option<Duration>) -> Option<Datetime> {
        None
    }
}

/// A Typst string literal holding `text` exactly.
fn lit(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Text in markup: a string literal, so it is printed and never read as markup.
fn text(t: &str) -> String {
    if t.is_empty() {
        String::new()
    } else {
        format!("#{}", lit(t))
    }
}

fn inlines(list: &[Inline]) -> String {
    let mut out = String::new();
    for i in list {
        match i {
            Inline::Text(t) => out.push_str(&text(t)),
            Inline::Emph(c) => out.push_str(&format!("#emph[{}]", inlines(c))),
            Inline::Strong(c) => out.push_str(&format!("#strong[{}]", inlines(c))),
            Inline::Code(c) => out.push_str(&format!("#raw({})", lit(c))),
            Inline::Link { url, children } => {
                out.push_str(&format!("#link({})[{}]", lit(url), inlines(children)))
            }
            Inline::Break => out.push_str("#linebreak()"),
        }
    }
    out
}

fn blocks(list: &[Block]) -> String {
    let mut out = Vec::new();
    for b in list {
        out.push(match b {
            Block::Para(i) => inlines(i),
            Block::Heading(level, i) => format!(
                "#heading(level: {}, outlined: false)[{}]",
                // 1 is a section, 2 a group.
                (*level).clamp(1, 2) + 2,
                inlines(i)
            ),
            Block::List { start, items } => {
                let items: Vec<String> = items.iter().map(|i| format!("[{}]", blocks(i))).collect();
                match start {
                    Some(s) => format!("#enum(start: {s}, {})", items.join(", ")),
                    None => format!("#list({})", items.join(", ")),
                }
            }
            Block::Quote(inner) => format!("#quote(block: true)[{}]", blocks(inner)),
            Block::Code(code) => format!("#raw(block: true, {})", lit(code)),
            Block::Rule => "#line(length: 100%, stroke: 0.5pt + luma(120))".to_string(),
        });
    }
    out.join("\n\n")
}

/// Typst's `lang` and `region` for a note's language: Typst hyphenates, quotes and writes the
/// PDF's `/Lang` by them.
fn typst_lang(lang: Lang) -> (&'static str, &'static str) {
    match lang {
        Lang::En => ("en", "ca"),
        Lang::Fr => ("fr", "ca"),
    }
}

fn citation(c: &Citation, with_page: bool, lang: Lang) -> String {
    let lead = text(&c.lead_in(with_page, lang));
    match c.url.as_deref() {
        Some(raw) => match safe_url(raw) {
            Some(url) => format!("{lead}#\", \"#link({0})[#{0}]#\".\"", lit(&url)),
            None => format!("{lead}{}", text(&format!(", {raw}."))),
        },
        None => format!("{lead}#\".\""),
    }
}

const PREAMBLE: &str = r##"
#set page(
  paper: "us-letter",
  margin: (x: 2.3cm, top: 2.6cm, bottom: 2.3cm),
  header: align(right, text(size: 8pt, weight: "bold", MARKING)),
  footer: context align(center, text(size: 8pt)[#PAGE_WORD #counter(page).display() #OF_WORD #counter(page).final().first()]),
)
#set text(font: "DejaVu Sans", size: 9.5pt, lang: LANG, region: REGION)
#set par(leading: 0.62em, spacing: 1.05em)
#show heading: set block(above: 1.5em, below: 0.7em)
#show heading.where(level: 1): set text(size: 11.5pt, weight: "bold")
#show heading.where(level: 2): set text(size: 10.5pt, weight: "bold")
#show heading.where(level: 3): set text(size: 9.5pt, weight: "bold", style: "italic")
#show heading.where(level: 4): set text(size: 9.5pt, weight: "regular", style: "italic")
#show link: it => underline(text(fill: rgb("#1a4f8b"), it))
#show quote.where(block: true): it => block(
  inset: (left: 0.9em, y: 0.1em), stroke: (left: 1.5pt + luma(160)), it.body)
#set footnote.entry(gap: 0.4em)
// The default entry sets its number flush against the citation: give it a space.
#show footnote.entry: it => {
  let number = numbering(it.note.numbering, ..counter(footnote).at(it.note.location()))
  text(size: 7.5pt)[#super(number)#h(0.3em)#it.note.body]
}
#show raw: set text(font: "DejaVu Sans Mono", size: 8.5pt)
"##;

/// Quotes up to this many characters are kept on one page (well under a page's worth).
const UNBROKEN_QUOTE: usize = 1500;

fn markup(p: &Prepared) -> String {
    let mut out = String::with_capacity(32 * 1024);
    out.push_str(&format!(
        "#set document(title: {}, author: ({}), date: none)\n",
        lit(&p.title),
        p.author
            .as_deref()
            .map(|a| format!("{},", lit(a)))
            .unwrap_or_default()
    ));
    let (lang, region) = typst_lang(p.lang);
    let words = p.words;
    out.push_str(
        &PREAMBLE
            .replace("MARKING", &lit(&p.marking))
            .replace("PAGE_WORD", &lit(words.page))
            .replace("OF_WORD", &lit(words.of))
            .replace("LANG", &lit(lang))
            .replace("REGION", &lit(region)),
    );

    out.push_str(&format!(
        "#align(center, text(weight: \"bold\", size: 11pt, {}))\n#v(0.6em)\n",
        lit(&p.heading)
    ));
    let mut meta = Vec::new();
    if let Some(f) = &p.file_number {
        meta.push(format!(
            "#strong[{}]{}",
            text(&format!("{} ", words.file)),
            text(f)
        ));
    }
    if let Some(d) = &p.date {
        meta.push(format!(
            "#strong[{}]{}",
            text(&format!("{} ", words.date)),
            text(d)
        ));
    }
    if !meta.is_empty() {
        out.push_str(&meta.join(" #linebreak() "));
        out.push_str("\n\n");
    }
    out.push_str(&format!(
        "#block(above: 1.2em, below: 0.3em, text(size: 13pt, weight: \"bold\", {}))\n",
        lit(&p.title)
    ));
    if let Some(other) = &p.other_title {
        out.push_str(&format!(
            "#block(below: 0.6em, text(size: 11pt, style: \"italic\", lang: {}, {}))\n",
            lit(typst_lang(p.other_lang).0),
            lit(other)
        ));
    }
    let purpose = match &p.deadline {
        Some(d) => format!("#strong({})#\" — \"{}", lit(&p.purpose), text(d)),
        None => format!("#strong({})", lit(&p.purpose)),
    };
    out.push_str(&format!(
        "#block(width: 100%, inset: (y: 0.45em), above: 1em, below: 1.2em, stroke: (top: 0.6pt, bottom: 0.6pt))[{purpose}]\n\n"
    ));

    for s in &p.sections {
        out.push_str(&format!("#heading(level: 1)[{}]\n\n", text(s.heading)));
        if !s.body.is_empty() {
            out.push_str(&blocks(&s.body));
            out.push_str("\n\n");
        }
        for item in &s.items {
            if let Some(g) = &item.group {
                out.push_str(&format!("#heading(level: 2)[{}]\n\n", text(g)));
            }
            if !item.note.is_empty() {
                out.push_str(&blocks(&item.note));
                out.push_str("\n\n");
            }
            let last = item.quote.len() - 1;
            let paras: Vec<String> = item
                .quote
                .iter()
                .enumerate()
                .map(|(n, para)| {
                    if n == last {
                        format!(
                            "{}#footnote[{}]",
                            text(para),
                            citation(&p.notes[item.footnote - 1], true, p.lang)
                        )
                    } else {
                        text(para)
                    }
                })
                .collect();
            let quote = format!("#quote(block: true)[{}]", paras.join("\n\n"));
            // An unbreakable block is laid out once per page size, where a breakable one is
            // laid out again each time a footnote shrinks the page: with a footnote per quote
            // that made layout three times slower. A quote too long for a page may still break.
            if item.quote.iter().map(|p| p.chars().count()).sum::<usize>() <= UNBROKEN_QUOTE {
                out.push_str(&format!("#block(breakable: false)[{quote}]\n\n"));
            } else {
                out.push_str(&format!("{quote}\n\n"));
            }
        }
    }

    if p.prepared_by.is_some() || p.approved_by.is_some() {
        out.push_str("#v(1.5em)\n");
        let mut lines = Vec::new();
        if let Some(c) = &p.prepared_by {
            lines.push(format!(
                "#strong[{}]{}",
                text(&format!("{} ", words.prepared_by)),
                text(c)
            ));
        }
        if let Some(c) = &p.approved_by {
            lines.push(format!(
                "#strong[{}]{}",
                text(&format!("{} ", words.approved_by)),
                text(c)
            ));
        }
        out.push_str(&lines.join(" #linebreak() "));
        out.push_str("\n\n");
    }
    if let Some(d) = &p.decision {
        let boxes: Vec<String> = d
            .boxes
            .iter()
            .map(|(label, ticked)| lit(&format!("{} {label}", if *ticked { "☒" } else { "☐" })))
            .collect();
        let mut body = format!(
            "#strong({})\n\n#stack(dir: ltr, spacing: 2em, {})\n\n{}\n\n{}{}",
            lit(&d.heading),
            boxes.join(", "),
            text(&format!(
                "{} ______________________________",
                words.signature
            )),
            text(&format!("{} ", words.date)),
            d.date
                .as_deref()
                .map(text)
                .unwrap_or_else(|| "#\"____________________\"".into())
        );
        if let Some(c) = &d.comments {
            body.push_str(&format!(
                "\n\n{}{}",
                text(&format!("{} ", words.comments)),
                text(c)
            ));
        }
        out.push_str(&format!(
            "#block(breakable: false, width: 100%, inset: 0.8em, above: 1.5em, stroke: 0.6pt)[{body}]\n\n"
        ));
    }
    if !p.sources.is_empty() {
        out.push_str(&format!("#heading(level: 1)[{}]\n\n", text(words.sources)));
        let items: Vec<String> = p
            .sources
            .iter()
            .map(|c| format!("[{}]", citation(c, false, p.lang)))
            .collect();
        out.push_str(&format!("#list({})\n", items.join(", ")));
    }
    out
}

fn describe(diags: &[SourceDiagnostic]) -> String {
    diags
        .iter()
        .map(|d| d.message.to_string())
        .collect::<Vec<_>>()
        .join("; ")
}

/// The Typst source the PDF is set from, for tests and for anyone debugging a layout.
pub(crate) fn source(p: &Prepared) -> String {
    markup(p)
}

pub(crate) fn write(p: &Prepared) -> Result<Vec<u8>, String> {
    typeset(markup(p), &mut |_| {})
}

/// Typesets Typst source; `phase` hears when layout ends (for the benchmark's breakdown).
pub(crate) fn typeset(
    source: String,
    phase: &mut dyn FnMut(&'static str),
) -> Result<Vec<u8>, String> {
    let path = VirtualPath::new("/briefing.typ").map_err(|e| format!("{e:?}"))?;
    let id = RootedPath::new(VirtualRoot::Project, path).intern();
    let world = NoteWorld {
        main: Source::new(id, source),
    };
    let document: PagedDocument = typst::compile(&world)
        .output
        .map_err(|diags| describe(&diags))?;
    phase("layout");
    let options = typst_pdf::PdfOptions {
        ident: Smart::Custom("dossier-briefing".into()),
        creator: Smart::Custom(Some("Dossier".into())),
        ..Default::default()
    };
    let pdf = typst_pdf::pdf(&document, &options).map_err(|diags| describe(&diags))?;
    // Typst memoizes across compilations; keep an app that exports all day from growing.
    typst::comemo::evict(10);
    Ok(pdf)
}

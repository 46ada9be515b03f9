//! What the CLI prints: one JSON document with `--json`, short readable text without.

use std::borrow::Cow;
use std::io::{IsTerminal, Write};

use dossier_core::{Excerpt, FollowUp, Source, SourceSummary, Tag};
use serde::Serialize;

pub struct Out {
    pub json: bool,
}

/// `text` with every control character but newline and tab written as a visible escape
/// (`\u{1b}`), so that text from an imported page can never move the cursor, retitle the
/// window or clear the screen of the terminal it is printed in.
pub(crate) fn terminal_safe(text: &str) -> Cow<'_, str> {
    let unsafe_char = |c: char| c.is_control() && c != '\n' && c != '\t';
    if !text.chars().any(unsafe_char) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(
        text.chars()
            .map(|c| {
                if unsafe_char(c) {
                    c.escape_unicode().to_string()
                } else {
                    c.to_string()
                }
            })
            .collect(),
    )
}

/// Human text goes out escaped when a terminal reads it; a pipe or file gets the bytes as they
/// are stored (the store already drops control characters on the way in).
/// Whether printed output may carry styling (bold matches in `search`): stdout is a terminal
/// and `NO_COLOR` is not set (<https://no-color.org>).
pub(crate) fn styled() -> bool {
    std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

/// Writes text whose every untrusted part has already been through [`terminal_safe`], so the
/// escape sequences Dossier adds itself (bold) survive.
fn emit_prepared(text: &str) {
    let mut stdout = std::io::stdout().lock();
    let _ = stdout.write_all(text.as_bytes());
    let _ = stdout.flush();
}

fn emit(text: &str) {
    let mut stdout = std::io::stdout().lock();
    let text = if stdout.is_terminal() {
        terminal_safe(text)
    } else {
        Cow::Borrowed(text)
    };
    // A closed pipe (`dossier … | head`) is not an error worth a panic.
    let _ = stdout.write_all(text.as_bytes());
    let _ = stdout.flush();
}

fn to_json<T: Serialize + ?Sized>(value: &T) -> String {
    let mut s = serde_json::to_string_pretty(value).expect("records serialize");
    s.push('\n');
    s
}

pub(crate) fn or_dash(v: Option<&str>) -> &str {
    v.filter(|s| !s.is_empty()).unwrap_or("—")
}

pub(crate) use dossier_core::text::one_line_head as one_line;

impl Out {
    pub fn created<T: Serialize>(&self, id: i64, object: &T) {
        if self.json {
            emit(&to_json(object))
        } else {
            emit(&format!("{id}\n"))
        }
    }

    pub fn created_tag(&self, tag: &Tag) {
        if self.json {
            emit(&to_json(tag))
        } else {
            emit(&format!("{}\n", tag.path))
        }
    }

    /// Prints `json` with --json, else `text` as it is.
    pub fn raw(&self, json: &serde_json::Value, text: &str) {
        if self.json {
            emit(&to_json(json))
        } else {
            emit(text)
        }
    }

    /// Prints `json` with --json, else `text`, whose untrusted parts the caller made
    /// [`terminal_safe`] (see [`emit_prepared`]).
    pub fn prepared(&self, json: &serde_json::Value, text: &str) {
        if self.json {
            emit(&to_json(json))
        } else {
            emit_prepared(text)
        }
    }

    pub fn done(&self, json: &serde_json::Value, text: &str) {
        if self.json {
            emit(&to_json(json))
        } else {
            emit(&format!("{text}\n"))
        }
    }

    pub fn info(&self, json: &serde_json::Value) {
        if self.json {
            return emit(&to_json(json));
        }
        let o = &json["originals"];
        let mb = |v: &serde_json::Value| v.as_u64().unwrap_or(0) as f64 / 1024.0 / 1024.0;
        emit(&format!(
            "workspace  {}\nschema     {}\nsources    {}\nexcerpts   {}\ntags       {}\nquestions  {}\noriginals  {} ({:.1} MB, {:.1} MB stored)\n",
            json["path"].as_str().unwrap_or(""),
            json["schema_version"],
            json["sources"],
            json["excerpts"],
            json["tags"],
            json["questions"],
            o["count"].as_u64().unwrap_or(0),
            mb(&o["bytes"]),
            mb(&o["stored_bytes"]),
        ));
    }

    pub fn sources(&self, list: &[SourceSummary]) {
        if self.json {
            return emit(&to_json(list));
        }
        if list.is_empty() {
            return emit("No sources yet. Add one with: dossier source add FILE --title \"…\"\n");
        }
        let mut s = String::new();
        for src in list {
            s.push_str(&format!(
                "{:>5}  {:<10}  {:<20}  {}  ({} excerpt{}){}\n",
                src.id,
                or_dash(src.published.as_deref()),
                one_line(or_dash(src.outlet.as_deref()), 20),
                one_line(&src.title, 70),
                src.excerpt_count,
                if src.excerpt_count == 1 { "" } else { "s" },
                match src.story {
                    Some(story) => format!("  [story {story}]"),
                    None => String::new(),
                }
            ));
        }
        emit(&s);
    }

    fn summary_lines(src: &SourceSummary) -> String {
        format!(
            "Source {}: {}\nOutlet:    {}\nAuthors:   {}\nPublished: {}\nURL:       {}\nLanguage:  {}\nCaptured:  {}\nTags:      {}\nExcerpts:  {}\nMarking:   {}\n",
            src.id,
            src.title,
            or_dash(src.outlet.as_deref()),
            if src.authors.is_empty() {
                "—".to_string()
            } else {
                src.authors.join("; ")
            },
            or_dash(src.published.as_deref()),
            or_dash(src.url.as_deref()),
            or_dash(src.lang.as_deref()),
            src.captured_at,
            if src.tags.is_empty() {
                "—".to_string()
            } else {
                src.tags.join(", ")
            },
            src.excerpt_count,
            src.marking.header(),
        )
    }

    pub fn source_summary(&self, src: &SourceSummary) {
        if self.json {
            emit(&to_json(src))
        } else {
            emit(&Self::summary_lines(src))
        }
    }

    pub fn source(&self, src: &Source) {
        if self.json {
            return emit(&to_json(src));
        }
        let mut s = Self::summary_lines(&src.summary);
        if let Some(format) = &src.format {
            let pages = src.pages.as_ref().map_or(String::new(), |p| {
                format!(", {} page{}", p.len(), if p.len() == 1 { "" } else { "s" })
            });
            s.push_str(&format!("Format:    {format}{pages}\n"));
        }
        if let Some(ocr) = &src.ocr {
            let pages: Vec<String> = ocr.pages.iter().map(u32::to_string).collect();
            s.push_str(&format!(
                "OCR:       page{} {} read from a scan, mean confidence {:.0}%: check quotes against the page\n",
                if pages.len() == 1 { "" } else { "s" },
                pages.join(", "),
                ocr.confidence * 100.0
            ));
        }
        if !src.notes.is_empty() {
            s.push_str(&format!("Notes:     {}\n", src.notes));
        }
        if !src.copies.is_empty() {
            let copies: Vec<String> = src
                .copies
                .iter()
                .map(|c| format!("source {} ({:.0}%)", c.id, c.similarity * 100.0))
                .collect();
            s.push_str(&format!(
                "Copies:    {} (same story; `dossier source split {}` if not)\n",
                copies.join(", "),
                src.summary.id
            ));
        }
        s.push('\n');
        s.push_str(&src.text);
        if !src.text.ends_with('\n') {
            s.push('\n');
        }
        emit(&s);
    }

    fn excerpt_lines(e: &Excerpt) -> String {
        let mut s = format!(
            "{:>5}  source {} [{}..{}]{}  “{}”\n",
            e.id,
            e.source_id,
            e.start,
            e.end,
            if e.orphaned { " ORPHANED" } else { "" },
            one_line(&e.quote, 100)
        );
        if !e.tags.is_empty() {
            s.push_str(&format!("       tags: {}\n", e.tags.join(", ")));
        }
        if !e.note.is_empty() {
            s.push_str(&format!("       note: {}\n", one_line(&e.note, 100)));
        }
        s
    }

    pub fn excerpts(&self, list: &[Excerpt]) {
        if self.json {
            return emit(&to_json(list));
        }
        if list.is_empty() {
            return emit("No excerpts.\n");
        }
        emit(&list.iter().map(Self::excerpt_lines).collect::<String>());
    }

    pub fn excerpt(&self, e: &Excerpt) {
        if self.json {
            return emit(&to_json(e));
        }
        emit(&format!(
            "Excerpt {} of source {} [{}..{}]{}\n…{}[{}]{}…\nTags: {}\nNote: {}\nMarking: {}{}\n",
            e.id,
            e.source_id,
            e.start,
            e.end,
            if e.orphaned {
                " (orphaned: its text changed)"
            } else {
                ""
            },
            e.prefix,
            e.quote,
            e.suffix,
            if e.tags.is_empty() {
                "—".to_string()
            } else {
                e.tags.join(", ")
            },
            if e.note.is_empty() { "—" } else { &e.note },
            e.marking.header(),
            if e.own_marking.is_none() {
                " (its source's)"
            } else {
                ""
            },
        ));
    }

    pub fn tags(&self, list: &[Tag]) {
        if self.json {
            return emit(&to_json(list));
        }
        let mut s = String::new();
        for t in list {
            let depth = t.path.matches('/').count();
            s.push_str(&format!(
                "{:<40} {}{}  ({})\n",
                format!("{}{}", "  ".repeat(depth), t.path),
                t.label,
                t.label_fr
                    .as_deref()
                    .map(|f| format!(" / {f}"))
                    .unwrap_or_default(),
                t.count
            ));
        }
        emit(&s);
    }

    pub fn tag(&self, t: &Tag) {
        if self.json {
            return emit(&to_json(t));
        }
        emit(&format!(
            "Tag {}\nLabel:    {}\nFrench:   {}\nAliases:  {}\nColour:   {}\nAttached: {} excerpt(s), {} source(s), {} question(s)\n",
            t.path,
            t.label,
            or_dash(t.label_fr.as_deref()),
            if t.aliases.is_empty() {
                "—".to_string()
            } else {
                t.aliases.join(", ")
            },
            or_dash(t.color.as_deref()),
            t.excerpt_count,
            t.source_count,
            t.question_count
        ));
    }

    fn followup_line(f: &FollowUp) -> String {
        format!(
            "{:>5}  {:<8}  due {:<10}  {:<14}  {}\n",
            f.id,
            f.status,
            or_dash(f.due.as_deref()),
            one_line(or_dash(f.owner.as_deref()), 14),
            one_line(&f.text, 80)
        )
    }

    pub fn followups(&self, list: &[FollowUp]) {
        if self.json {
            return emit(&to_json(list));
        }
        if list.is_empty() {
            return emit("No questions.\n");
        }
        emit(&list.iter().map(Self::followup_line).collect::<String>());
    }

    pub fn followup(&self, f: &FollowUp) {
        if self.json {
            return emit(&to_json(f));
        }
        let ids = |v: &[i64]| {
            if v.is_empty() {
                "—".to_string()
            } else {
                v.iter().map(i64::to_string).collect::<Vec<_>>().join(", ")
            }
        };
        emit(&format!(
            "Question {}: {}\nStatus:   {}\nDue:      {}\nOwner:    {}\nExcerpts: {}\nSources:  {}\nTags:     {}\nAnswer:   {}\nAnswered with excerpts: {}\n",
            f.id,
            f.text,
            f.status,
            or_dash(f.due.as_deref()),
            or_dash(f.owner.as_deref()),
            ids(&f.excerpt_ids),
            ids(&f.source_ids),
            if f.tags.is_empty() {
                "—".to_string()
            } else {
                f.tags.join(", ")
            },
            or_dash(f.answer.as_deref()),
            ids(&f.answer_excerpt_ids),
        ));
    }
}

//! The interface in French, through the real window: `LANG=fr_CA.UTF-8` opens it in French;
//! every view, in both themes, shows no English catalog string that has a French translation
//! (text or accessible name) and passes axe-core; the language switches at once and back; and a
//! note written in French exports to Word and PDF in French, read back by LibreOffice and
//! pdftotext.

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

use dossier_e2e::desktop::{Desktop, workspace_root};
use dossier_e2e::workspace::dossier;
use serde_json::{Value, json};

fn catalog(lang: &str) -> serde_json::Map<String, Value> {
    let path = workspace_root().join(format!("ui/messages/{lang}.json"));
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    match serde_json::from_str(&text).expect("the catalogs are JSON") {
        Value::Object(map) => map,
        _ => panic!("{} is not an object", path.display()),
    }
}

/// The English strings a French page must never show: every whole message (no placeholder,
/// no plural) whose French differs and which is no French message itself (`Options`, `Sources`
/// are the same word in both).
fn english_only() -> BTreeSet<String> {
    let (en, fr) = (catalog("en"), catalog("fr"));
    let french: BTreeSet<&str> = fr.values().filter_map(Value::as_str).collect();
    en.iter()
        .filter(|(key, _)| !key.starts_with('$'))
        .filter_map(|(key, value)| Some((value.as_str()?, fr.get(key)?.as_str()?)))
        .filter(|(english, french_value)| {
            english != french_value
                && !english.contains('{')
                && english.chars().filter(|c| c.is_alphabetic()).count() >= 3
                && !french.contains(english)
        })
        .map(|(english, _)| english.trim().to_owned())
        .collect()
}

/// Every visible text node and accessible name on the page, but for the analyst's own content
/// (article text, the note's preview, which is in the note's language, titles and tags).
const PAGE_STRINGS: &str = r##"
    const skip = "#reader-text, #briefing-preview, .source-link, .source-title, .snippet, .quote, \
        [data-tag], .tag-chip, #reader-title, .briefing-row .title, textarea, [contenteditable], \
        .excerpt-quote, .result .title, #workspace-path, .followup-text, .question-text, code, kbd";
    const out = new Set();
    const visible = (el) => !!(el && el.getClientRects().length)
        && getComputedStyle(el).visibility !== "hidden";
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        const el = n.parentElement;
        const text = n.textContent.replace(/\s+/g, " ").trim();
        if (text && visible(el) && !el.closest(skip)) out.add(text);
    }
    for (const el of document.querySelectorAll("[aria-label], [title], [placeholder], [alt]")) {
        if (el.closest(skip)) continue;
        for (const a of ["aria-label", "title", "placeholder", "alt"]) {
            const v = el.getAttribute(a);
            if (v && v.trim()) out.add(v.replace(/\s+/g, " ").trim());
        }
    }
    return [...out];
"##;

struct French {
    english: BTreeSet<String>,
    /// Every whole French message, to show the page's strings are read at all.
    french: BTreeSet<String>,
}

impl French {
    /// What `view` shows that is English, checked in the page and by axe-core.
    fn check(&self, app: &Desktop, view: &str) -> Vec<String> {
        app.screenshot(view);
        let shown = app.js(PAGE_STRINGS, &[]);
        let shown = shown.as_array().expect("the page answers a list");
        assert!(
            shown
                .iter()
                .filter_map(Value::as_str)
                .any(|s| self.french.contains(s)),
            "[{view}] the page shows no French message at all: {shown:?}"
        );
        let mut problems: Vec<String> = shown
            .iter()
            .filter_map(Value::as_str)
            .filter(|s| self.english.contains(*s))
            .map(|s| format!("[{view}] English on a French page: {s:?}"))
            .collect();
        problems.extend(
            app.accessibility_violations()
                .into_iter()
                .map(|v| format!("[{view}] {v}")),
        );
        problems
    }
}

fn launch_french(name: &str, db: &Path, scratch: &Path, extra: &[(&str, &Path)]) -> Desktop {
    let mut env: Vec<(&str, &Path)> = vec![
        ("WEBKIT_DISABLE_DMABUF_RENDERER", Path::new("1")),
        ("LANG", Path::new("fr_CA.UTF-8")),
        ("LC_ALL", Path::new("")),
        ("LC_MESSAGES", Path::new("")),
    ];
    env.extend_from_slice(extra);
    Desktop::launch_with(name, db, scratch, &env)
}

#[test]
fn a_francophone_meets_no_english_word_in_any_view_and_the_language_switches_at_once() {
    let scratch = tempfile::tempdir().expect("create a temp dir");
    let db = scratch.path().join("ws.sqlite");
    let app = launch_french("fr-tour", &db, scratch.path(), &[]);
    let french = French {
        english: english_only(),
        french: catalog("fr")
            .values()
            .filter_map(Value::as_str)
            .map(|s| s.trim().to_owned())
            .collect(),
    };
    assert!(
        french.english.contains("Library") || french.english.len() > 100,
        "the English catalog is read: {} strings",
        french.english.len()
    );
    assert_eq!(
        app.js("return document.documentElement.lang;", &[]),
        json!("fr-CA"),
        "LANG=fr_CA.UTF-8 opens the window in French"
    );
    let mut problems = Vec::new();
    app.set_theme("light");
    app.expect("#empty-library", "a new workspace shows the empty library");
    problems.extend(french.check(&app, "fr-empty-library-light"));
    app.click(
        "#open-sample",
        "the empty library offers the sample workspace",
    );
    app.wait_until(
        "document.querySelectorAll('.source-row').length === 6",
        "the sample workspace lists its six articles",
    );

    for theme in ["light", "dark"] {
        app.set_theme(theme);
        app.click("#nav-library", "the sidebar leads to the library");
        app.expect(".source-row", "the library lists the sample");
        problems.extend(french.check(&app, &format!("fr-library-{theme}")));

        app.click(
            ".source-row[data-source-id='1'] .source-link",
            "a source opens in the reader",
        );
        app.expect("#reader-text mark", "the reader highlights the excerpts");
        app.click(
            "#excerpt-list .excerpt-item",
            "the excerpt list selects an excerpt",
        );
        app.expect("#excerpt-panel", "a chosen excerpt opens in the side panel");
        problems.extend(french.check(&app, &format!("fr-reader-{theme}")));

        app.click("#nav-tags", "the sidebar leads to the tags");
        app.click(
            "#tag-table [data-tag='sector/steel']",
            "a tag opens in the editor",
        );
        app.expect("#tag-editor-title", "the tag editor shows the tag");
        problems.extend(french.check(&app, &format!("fr-tags-{theme}")));

        app.click("#nav-followups", "the sidebar leads to the follow-ups");
        app.click(
            "#followup-list .item.late",
            "the overdue follow-up is listed",
        );
        app.expect("#followup-answer-text", "an open follow-up can be answered");
        problems.extend(french.check(&app, &format!("fr-followups-{theme}")));

        app.press("/");
        app.replace_text("#search-input", "acier", "/ focuses the search box");
        app.expect(
            "#search-results .result mark.hit",
            "results show as you type",
        );
        problems.extend(french.check(&app, &format!("fr-search-{theme}")));
        app.replace_text("#search-input", "", "the search box empties");

        app.click("#nav-briefings", "the sidebar leads to the briefing notes");
        app.expect(
            "#briefing-list .briefing-row",
            "the sample holds a draft note",
        );
        problems.extend(french.check(&app, &format!("fr-briefings-{theme}")));
        app.click(
            "#briefing-list .briefing-row button.open",
            "a briefing note opens in the composer",
        );
        app.expect(
            "#briefing-preview .marking",
            "the composer shows the preview",
        );
        problems.extend(french.check(&app, &format!("fr-composer-{theme}")));

        app.press("\u{E009}k");
        app.expect("#palette-input", "Ctrl+K opens the palette");
        problems.extend(french.check(&app, &format!("fr-palette-{theme}")));
        app.press("\u{E00C}");
    }
    assert!(
        problems.is_empty(),
        "the French window is not all French:\n{}",
        problems.join("\n")
    );

    // The switch: at once, every view, without a restart; the open note stays open.
    // The sidebar's entry reads "Bibliothèque 6": the name, then the count.
    let nav = |app: &Desktop| {
        app.text("#nav-library", "the sidebar names the library")
            .split_whitespace()
            .next()
            .unwrap_or_default()
            .to_owned()
    };
    assert_eq!(nav(&app), "Bibliothèque");
    app.palette("English (interface en anglais)");
    app.wait_until(
        "document.documentElement.lang === 'en-CA'",
        "the palette switches the page to English",
    );
    assert_eq!(nav(&app), "Library");
    app.expect("#briefing-preview .marking", "the composer is still open");
    app.palette("Français (interface in French)");
    app.wait_until(
        "document.documentElement.lang === 'fr-CA'",
        "and back to French",
    );
    assert_eq!(nav(&app), "Bibliothèque");
    app.quit();

    // The choice is remembered for the next launch, over the system's language.
    let remembered = std::fs::read_dir(scratch.path().join("config"))
        .expect("the app wrote its configuration folder")
        .filter_map(|e| e.ok())
        .any(|e| {
            std::fs::read_to_string(e.path().join("ui-language")).is_ok_and(|t| t.trim() == "fr")
        });
    assert!(
        remembered,
        "the language picked is remembered in the configuration folder"
    );
}

fn run(program: &str, args: &[&str]) -> String {
    let out = Command::new(program)
        .args(args)
        .output()
        .unwrap_or_else(|e| {
            panic!("cannot run {program}: {e} (scripts/setup.sh test installs it)")
        });
    assert!(
        out.status.success(),
        "{program} {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn a_note_written_in_french_exports_to_word_and_pdf_in_french() {
    let scratch = tempfile::tempdir().expect("create a temp dir");
    let db = scratch.path().join("ws.sqlite");
    let exports = scratch.path().join("exports");
    std::fs::create_dir(&exports).unwrap();
    let created = dossier(
        &db,
        &[
            "--json",
            "briefing",
            "new",
            "--title",
            "Steel and aluminum: where the talks stand",
            "--title-fr",
            "Acier et aluminium : où en sont les pourparlers",
            "--lang",
            "fr",
            "--purpose",
            "information",
            "--date",
            "2026-12-01",
        ],
    );
    let id = serde_json::from_str::<Value>(&created).unwrap()["id"].to_string();
    dossier(
        &db,
        &[
            "briefing",
            "edit",
            &id,
            "--section",
            "summary",
            "--text",
            "Les pourparlers « sectoriels » avancent : l’acier d’abord.",
        ],
    );
    let app = launch_french(
        "fr-export",
        &db,
        scratch.path(),
        &[("DOSSIER_EXPORT_DIR", &exports)],
    );
    app.click("#nav-briefings", "the sidebar leads to the briefing notes");
    app.click(
        "#briefing-list .briefing-row button.open",
        "the note opens in the composer",
    );
    app.expect(
        "#briefing-preview .marking",
        "the composer shows the preview",
    );
    for format in ["docx", "pdf"] {
        app.js(
            "const s = document.querySelector('#export-format'); s.value = arguments[0]; \
             s.dispatchEvent(new Event('change', { bubbles: true })); return s.value;",
            &[json!(format)],
        );
        app.click("#export-briefing", "the composer exports the note");
        let path = exports.join(format!(
            "Acier et aluminium où en sont les pourparlers.{format}"
        ));
        let found = || {
            std::fs::read_dir(&exports)
                .unwrap()
                .filter_map(|e| e.ok())
                .map(|e| e.path())
                .find(|p| p.extension().is_some_and(|e| e == format))
        };
        let start = std::time::Instant::now();
        while found().is_none() && start.elapsed() < std::time::Duration::from_secs(30) {
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
        let file = found().unwrap_or(path);
        assert!(
            file.is_file(),
            "the {format} export was written: {}",
            file.display()
        );
    }
    app.quit();

    let docx = std::fs::read_dir(&exports)
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .find(|p| p.extension().is_some_and(|e| e == "docx"))
        .unwrap();
    let pdf = docx.with_extension("pdf");
    let text_dir = scratch.path().join("text");
    // LibreOffice reads the Word file twice: as text, where the spacing can be checked
    // character by character, and laid out as a PDF, where its page headers and footers (the
    // marking, the page numbers) can be read.
    for to in ["txt:Text (encoded):UTF8", "pdf"] {
        run(
            "libreoffice",
            &[
                "--headless",
                &format!(
                    "-env:UserInstallation=file://{}",
                    scratch.path().join("lo").display()
                ),
                "--convert-to",
                to,
                "--outdir",
                text_dir.to_str().unwrap(),
                docx.to_str().unwrap(),
            ],
        );
    }
    let stem = docx.file_stem().unwrap().to_str().unwrap().to_owned();
    let word_body = std::fs::read_to_string(text_dir.join(format!("{stem}.txt")))
        .expect("LibreOffice wrote the note as text");
    let word_pdf = text_dir.join(format!("{stem}.pdf"));
    let word = run("pdftotext", &["-layout", word_pdf.to_str().unwrap(), "-"]);
    let pdf_text = run("pdftotext", &["-layout", pdf.to_str().unwrap(), "-"]);
    for (what, text) in [("Word", &word), ("PDF", &pdf_text)] {
        for expected in [
            "NON CLASSIFIÉ",
            "POUR INFORMATION",
            "Résumé",
            "Acier et aluminium",
            "1er décembre 2026",
            "Page 1 de 1",
        ] {
            assert!(
                text.contains(expected),
                "the {what} file says {expected:?}:\n{text}"
            );
        }
        assert!(
            !text.contains("FOR INFORMATION") && !text.contains("Summary"),
            "no English fixed word in the {what} file:\n{text}"
        );
    }
    assert!(
        word_body.contains("«\u{a0}sectoriels\u{a0}»") && word_body.contains("avancent\u{a0}:"),
        "the Word file keeps Canadian French spacing (non-breaking spaces):\n{word_body:?}"
    );
}

//! The rest of the analyst's loop in the real window: importing a page from a URL, seeing what
//! the CLI did when the window comes back into focus, backing up and restoring from the File
//! menu's dialog, and composing a briefing note from a search through to an exported file.
//! Run under a display, like `desktop.rs`.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::path::Path;
use std::time::{Duration, Instant};

use dossier_e2e::desktop::Desktop;
use dossier_e2e::workspace::{dossier, fixture};
use serde_json::{Value, json};

const ENTER: &str = "\u{E007}";

fn json_of(db: &Path, args: &[&str]) -> Value {
    let mut all = vec!["--json"];
    all.extend_from_slice(args);
    serde_json::from_str(&dossier(db, &all)).expect("the CLI prints JSON with --json")
}

/// Adds a source with this text through the CLI, from a file written for it.
fn add_text(db: &Path, dir: &Path, title: &str, text: &str) {
    let file = dir.join(format!("{}.txt", title.len()));
    std::fs::write(&file, text).expect("write the source text");
    dossier(
        db,
        &[
            "source",
            "add",
            file.to_str().expect("UTF-8 path"),
            "--title",
            title,
        ],
    );
}

/// A one-page web server on 127.0.0.1 serving `html` to every request, for as long as the test.
fn serve(html: &'static str) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind a local port");
    let addr = listener.local_addr().expect("a local address");
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let mut reader = BufReader::new(&stream);
            let mut line = String::new();
            while reader.read_line(&mut line).is_ok_and(|n| n > 2) {
                line.clear();
            }
            let mut stream = &stream;
            let _ = write!(
                stream,
                "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{html}",
                html.len()
            );
        }
    });
    format!("http://{addr}/releases/softwood.html")
}

const PAGE: &str = "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">\
<title>Softwood duties: what the review panel decided | Prairie Ledger</title>\
<meta property=\"og:site_name\" content=\"Prairie Ledger\">\
<meta name=\"author\" content=\"Mireille Gagnon\">\
<meta property=\"article:published_time\" content=\"2025-04-02\"></head><body>\
<nav><a href=\"/\">Home</a> <a href=\"/trade\">Trade</a></nav>\
<article><h1>Softwood duties: what the review panel decided</h1>\
<p>The binational review panel sent the softwood lumber duty rates back to the commerce \
department for a second look, a ruling that mills in British Columbia had sought for two \
years.</p><p>Provincial officials said the decision changes nothing at the border for now: \
deposits continue to be collected at the current combined rate until a redetermination is \
published.</p><p>Exporters expect the remand to take at least ninety days, and several said \
they would keep shipping volumes steady through the summer building season.</p></article>\
<footer>Subscribe to our newsletter</footer></body></html>";

/// Issue 4 in the window: Import from URL fetches, cleans and stores a page; the summary says
/// so and the library lists it with the page's own metadata.
#[test]
fn a_page_imported_from_a_url_lands_in_the_library() {
    let scratch = tempfile::tempdir().expect("create a temp dir");
    let db = scratch.path().join("ws.sqlite");
    let url = serve(PAGE);
    let app = Desktop::launch("import-url", &db, scratch.path());

    app.palette("Import from URL");
    app.replace_text("#import-url", &url, "the dialog takes an address");
    app.type_into("#import-url", ENTER, "Enter starts the import");
    app.wait_until(
        "document.querySelector('#import-panel')?.textContent.includes('Import finished')",
        "the import panel reports the end of the import",
    );
    let panel = app.text("#import-panel", "the summary stays on screen");
    assert!(
        panel.contains("1 imported") || panel.contains("Imported 1") || panel.contains("1 source"),
        "the summary counts the imported page: {panel:?}"
    );
    app.wait_until(
        "document.querySelectorAll('.source-row').length === 1",
        "the library lists the imported page",
    );
    assert_eq!(
        app.text(".source-row .source-title", "the row shows the title"),
        "Softwood duties: what the review panel decided"
    );
    app.screenshot("imported");

    let sources = json_of(&db, &["source", "list"]);
    let source = &sources.as_array().expect("a list")[0];
    assert_eq!(source["outlet"], "Prairie Ledger", "{source}");
    assert_eq!(source["url"], url.as_str(), "{source}");
    let shown = json_of(&db, &["source", "show", "1"]);
    let body = shown["text"].as_str().unwrap_or_default();
    assert!(body.contains("binational review panel"), "{body}");
    assert!(
        !body.contains("Subscribe to our newsletter") && !body.contains("Home Trade"),
        "page furniture is left out of the text: {body}"
    );
}

/// Issue 7 in the window: what the CLI writes shows when the window comes back into focus
/// (nothing pressed); a backup taken from the app can be restored from the app, which keeps the
/// replaced state aside.
#[test]
fn the_window_follows_the_cli_and_restores_a_backup() {
    let scratch = tempfile::tempdir().expect("create a temp dir");
    let db = scratch.path().join("ws.sqlite");
    let first = fixture("tariff-talks-en.txt");
    dossier(
        &db,
        &[
            "source",
            "add",
            first.to_str().expect("UTF-8 path"),
            "--title",
            "Tariff talks, sector by sector",
        ],
    );
    let app = Desktop::launch("backups", &db, scratch.path());
    app.wait_until(
        "document.querySelectorAll('.source-row').length === 1",
        "the library lists the one source",
    );

    // Behind the window's back, then focus: the library reloads without F5.
    add_text(
        &db,
        scratch.path(),
        "Aluminum quotas, a note",
        "Quota volumes for aluminum would be set quarter by quarter, officials said.",
    );
    app.js(
        "window.dispatchEvent(new Event('focus')); return true;",
        &[],
    );
    app.wait_until(
        "document.querySelectorAll('.source-row').length === 2",
        "coming back to the window shows the source the CLI added",
    );

    app.palette("Backups");
    app.expect("#backups-dialog", "the palette opens the backups dialog");
    // The app took an automatic copy when it opened a workspace with work in it.
    app.wait_until(
        "document.querySelector('#backups-dialog .backup-row[data-name$=\"Z.sqlite\"]')",
        "the automatic backup taken at launch is listed",
    );
    app.click("#backup-now", "the dialog takes a backup now");
    app.wait_until(
        "document.querySelector('#backups-dialog .backup-row[data-name$=\"-manual.sqlite\"]')",
        "the new backup is listed",
    );
    let listed = app
        .js(
            "return document.querySelector('#backups-dialog .backup-row[data-name$=\"-manual.sqlite\"]').dataset.name;",
            &[],
        )
        .as_str()
        .map(str::to_owned)
        .expect("the row names its file");
    assert!(
        scratch.path().join("backups").join(&listed).is_file(),
        "the backup is in the workspace's backups folder: {listed}"
    );
    app.screenshot("backups");
    app.press("\u{E00C}"); // Escape

    add_text(
        &db,
        scratch.path(),
        "A third source, to be undone",
        "Dairy access was not on the agenda this round.",
    );
    app.js(
        "window.dispatchEvent(new Event('focus')); return true;",
        &[],
    );
    app.wait_until(
        "document.querySelectorAll('.source-row').length === 3",
        "the third source shows",
    );

    app.palette("Backups");
    app.click(
        &format!("#backups-dialog .backup-row[data-name='{listed}'] .backup-restore"),
        "each backup offers a restore",
    );
    app.click("#restore-confirm", "a restore asks first, then runs");
    app.wait_until(
        "document.querySelectorAll('.source-row').length === 2",
        "after the restore the library shows the two sources of the backup",
    );
    let titles = json_of(&db, &["source", "list"]);
    assert_eq!(
        titles.as_array().map(Vec::len),
        Some(2),
        "the workspace file holds what the backup held: {titles}"
    );
    let kept = std::fs::read_dir(scratch.path().join("backups"))
        .expect("the backups folder")
        .filter_map(Result::ok)
        .any(|e| e.file_name().to_string_lossy().contains("before-restore"));
    assert!(kept, "the state replaced by the restore is kept aside");
}

fn wait_for_file(path: &Path) -> Vec<u8> {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        if let Ok(bytes) = std::fs::read(path)
            && !bytes.is_empty()
        {
            return bytes;
        }
        assert!(
            Instant::now() < deadline,
            "the export should write {}",
            path.display()
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// Issue 6 in the window: "New briefing from this search" drafts a note whose Current Status
/// holds the matching excerpts; the analyst fills fields and a section, reorders and removes
/// items, adds one from the finder, sees it in the live preview, and exports Word and Markdown.
#[test]
fn a_briefing_is_drafted_from_a_search_composed_and_exported() {
    let scratch = tempfile::tempdir().expect("create a temp dir");
    let db = scratch.path().join("ws.sqlite");
    let exports = scratch.path().join("exports");
    std::fs::create_dir_all(&exports).expect("create the export folder");
    let first = fixture("tariff-talks-en.txt");
    dossier(
        &db,
        &[
            "source",
            "add",
            first.to_str().expect("UTF-8 path"),
            "--title",
            "Tariff talks, sector by sector",
            "--outlet",
            "Northern Wire",
            "--published",
            "2025-03-12",
        ],
    );
    for (quote, tag) in [
        ("Steel and aluminum will be discussed first", "sector/steel"),
        ("autos and softwood lumber", "sector/autos"),
    ] {
        dossier(
            &db,
            &["excerpt", "add", "1", "--quote", quote, "--tag", tag],
        );
    }
    let excerpts = json_of(&db, &["excerpt", "list"]);
    let ids: Vec<i64> = excerpts
        .as_array()
        .expect("a list")
        .iter()
        .filter_map(|e| e["id"].as_i64())
        .collect();
    assert_eq!(ids.len(), 2, "{excerpts}");

    let app = Desktop::launch_with(
        "briefing",
        &db,
        scratch.path(),
        &[
            ("WEBKIT_DISABLE_DMABUF_RENDERER", Path::new("1")),
            ("DOSSIER_EXPORT_DIR", &exports),
        ],
    );
    app.press("/");
    app.replace_text("#search-input", "#steel", "/ focuses the search box");
    app.expect(
        "#search-results .result",
        "the search finds the steel excerpt",
    );
    app.click("#draft-from-search", "a search offers to draft a briefing");
    app.replace_text(
        "#draft-title",
        "Steel and aluminum: where the talks stand",
        "the draft dialog takes a title",
    );
    app.click("#draft-create", "the dialog drafts the note");
    app.expect("#briefing-composer", "the draft opens in the composer");
    app.wait_until(
        &format!(
            "[...document.querySelectorAll('.composer-section[data-section=current_status] .briefing-item')].map(i => Number(i.dataset.excerptId)).join() === '{}'",
            ids[0]
        ),
        "Current Status holds the one excerpt tagged steel",
    );

    // Fields and section text are saved as typed.
    app.replace_text(
        "#field-addressee",
        "the Deputy Minister",
        "the addressee field",
    );
    app.replace_text(
        "#field-title-fr",
        "Acier et aluminium : où en sont les négociations",
        "the French title field",
    );
    app.type_into(
        ".composer-section[data-section=summary] textarea.section-text",
        "Talks open with metals; autos follow.",
        "the Summary takes text",
    );
    app.click("#field-title", "leaving the text field saves it");

    // The finder adds the autos excerpt to Current Status, then it moves above the steel one.
    app.replace_text("#composer-find", "autos", "the finder takes a query");
    app.click(
        &format!(".find-result[data-excerpt-id='{}'] .find-add", ids[1]),
        "a found excerpt can be added",
    );
    app.wait_until(
        "document.querySelectorAll('.composer-section[data-section=current_status] .briefing-item').length === 2",
        "Current Status now holds both excerpts",
    );
    app.click(
        &format!(
            ".composer-section[data-section=current_status] .briefing-item[data-excerpt-id='{}'] .item-up",
            ids[1]
        ),
        "an item moves up",
    );
    app.wait_until(
        &format!(
            "[...document.querySelectorAll('.composer-section[data-section=current_status] .briefing-item')].map(i => Number(i.dataset.excerptId)).join() === '{},{}'",
            ids[1], ids[0]
        ),
        "the autos excerpt now comes first",
    );
    app.wait_until(
        "document.querySelector('#briefing-preview')?.textContent.includes('Talks open with metals')",
        "the live preview shows the Summary",
    );
    app.wait_until(
        "document.querySelector('#briefing-preview')?.textContent.includes('Acier et aluminium')",
        "the live preview shows the French title",
    );
    app.screenshot("composer");

    let stored = json_of(&db, &["briefing", "list"]);
    let id = stored[0]["id"].as_i64().expect("the draft is stored");
    let shown = json_of(&db, &["briefing", "show", &id.to_string()]);
    assert_eq!(shown["addressee"], "the Deputy Minister", "{shown}");
    let current = shown["sections"]
        .as_array()
        .expect("sections")
        .iter()
        .find(|s| s["kind"] == "current_status")
        .expect("Current Status");
    let order: Vec<i64> = current["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|i| i["excerpt_id"].as_i64())
        .collect();
    assert_eq!(
        order,
        vec![ids[1], ids[0]],
        "the stored order follows the composer"
    );

    // Remove the steel excerpt, then export.
    app.click(
        &format!(
            ".composer-section[data-section=current_status] .briefing-item[data-excerpt-id='{}'] .item-remove",
            ids[0]
        ),
        "an item can be removed",
    );
    app.wait_until(
        "document.querySelectorAll('.composer-section[data-section=current_status] .briefing-item').length === 1",
        "the removed item leaves the section",
    );

    app.js(
        "const s = document.querySelector('#export-format'); s.value = 'md'; \
         s.dispatchEvent(new Event('change', { bubbles: true })); return true;",
        &[],
    );
    app.click("#export-briefing", "the composer exports");
    let md = String::from_utf8(wait_for_file(
        &exports.join("Steel and aluminum where the talks stand.md"),
    ))
    .expect("Markdown is UTF-8");
    assert!(md.contains("Talks open with metals; autos follow."), "{md}");
    assert!(md.contains("Acier et aluminium"), "{md}");
    assert!(md.contains("[^1]"), "the quote carries a footnote: {md}");
    assert!(
        !md.contains("Steel and aluminum will be discussed first"),
        "the removed excerpt is not exported: {md}"
    );

    app.js(
        "const s = document.querySelector('#export-format'); s.value = 'docx'; \
         s.dispatchEvent(new Event('change', { bubbles: true })); return true;",
        &[],
    );
    app.click("#export-briefing", "the composer exports Word too");
    let docx = wait_for_file(&exports.join("Steel and aluminum where the talks stand.docx"));
    assert_eq!(&docx[..2], b"PK", "a Word file is a zip package");
}

/// Issue 7, concurrent use with the window open: a CLI writer adds sources and a CLI reader
/// searches and backs up, in a loop, while the analyst writes briefing notes in the app. No
/// error reaches the window, no write is lost on either side, and the window shows the CLI's
/// sources when it comes back into focus.
#[test]
fn the_app_and_the_cli_write_to_one_workspace_at_once() {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, Ordering};

    const CLI_SOURCES: usize = 24;
    const APP_NOTES: usize = 5;
    let scratch = tempfile::tempdir().expect("create a temp dir");
    let db = scratch.path().join("ws.sqlite");
    add_text(
        &db,
        scratch.path(),
        "Opening statement on steel",
        "Steel tariffs stay in place while the talks continue, the minister said.",
    );
    let app = Desktop::launch("concurrent", &db, scratch.path());
    // Any error toast, however briefly shown, is kept for the end.
    app.js(
        "window.__errors = []; new MutationObserver(() => { \
           for (const t of document.querySelectorAll('.toast.error')) window.__errors.push(t.textContent); \
         }).observe(document.body, { childList: true, subtree: true }); return true;",
        &[],
    );

    let done = Arc::new(AtomicBool::new(false));
    let writer = {
        let (db, dir) = (db.clone(), scratch.path().to_path_buf());
        std::thread::spawn(move || {
            for n in 0..CLI_SOURCES {
                let file = dir.join(format!("cli-{n}.txt"));
                std::fs::write(
                    &file,
                    format!("Wire item {n}: aluminum quota volumes were discussed in round {n}."),
                )
                .expect("write a source file");
                dossier(
                    &db,
                    &[
                        "source",
                        "add",
                        file.to_str().expect("UTF-8 path"),
                        "--title",
                        &format!("Wire item {n}"),
                    ],
                );
            }
        })
    };
    let reader = {
        let (db, done) = (db.clone(), done.clone());
        std::thread::spawn(move || {
            let mut runs = 0;
            while !done.load(Ordering::Relaxed) {
                dossier(&db, &["--json", "search", "aluminum OR steel", "--facets"]);
                dossier(&db, &["--json", "briefing", "list"]);
                runs += 1;
            }
            runs
        })
    };

    for n in 0..APP_NOTES {
        app.click("#nav-briefings", "the sidebar leads to the briefing notes");
        app.click("#new-briefing", "the list offers a new note");
        app.replace_text(
            "#briefing-title-input",
            &format!("Note {n} on the metals talks"),
            "the dialog takes a title",
        );
        app.type_into("#briefing-title-input", ENTER, "Enter creates the note");
        app.expect("#briefing-composer", "the new note opens in the composer");
        app.replace_text("#field-addressee", "the Deputy Minister", "a field to save");
        app.click("#field-title", "leaving the field saves it");
    }
    writer
        .join()
        .expect("the CLI writer finished without a failure");
    done.store(true, Ordering::Relaxed);
    let reads = reader
        .join()
        .expect("the CLI reader finished without a failure");
    assert!(reads > 0, "the reader ran while the others wrote");

    app.click("#nav-library", "back to the library");
    app.js(
        "window.dispatchEvent(new Event('focus')); return true;",
        &[],
    );
    app.wait_until(
        &format!(
            "document.querySelectorAll('.source-row').length === {}",
            CLI_SOURCES + 1
        ),
        "the window shows every source the CLI wrote",
    );
    let notes = json_of(&db, &["briefing", "list"]);
    let notes = notes.as_array().expect("a list");
    assert_eq!(notes.len(), APP_NOTES, "every note the app wrote is stored");
    for n in 0..APP_NOTES {
        let id = notes
            .iter()
            .find(|b| b["title"] == format!("Note {n} on the metals talks"))
            .and_then(|b| b["id"].as_i64())
            .unwrap_or_else(|| panic!("note {n} is stored: {notes:?}"));
        let shown = json_of(&db, &["briefing", "show", &id.to_string()]);
        assert_eq!(
            shown["addressee"], "the Deputy Minister",
            "note {n}: {shown}"
        );
    }
    assert_eq!(
        json_of(&db, &["source", "list"]).as_array().map(Vec::len),
        Some(CLI_SOURCES + 1),
        "every source the CLI wrote is stored"
    );
    let errors = app.js("return window.__errors;", &[]);
    assert_eq!(errors, json!([]), "no error reached the window");
}

//! The desktop journeys, through the real window. Run under a display:
//! `xvfb-run -a dbus-run-session -- cargo test -p dossier-e2e -- --test-threads=1`
//! Screenshots of each view go to `target/e2e-screenshots/` (printed as they are taken).

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use dossier_e2e::desktop::{Desktop, app_binary};
use dossier_e2e::workspace::{dossier, fixture};
use serde_json::{Value, json};

const TITLE: &str = "Ottawa and Washington to negotiate tariffs sector by sector";
const ENTER: &str = "\u{E007}";

fn fixture_arg(name: &str) -> String {
    fixture(name)
        .to_str()
        .expect("fixture paths are UTF-8")
        .to_owned()
}

fn excerpts_json(db: &std::path::Path) -> Vec<Value> {
    let out = dossier(db, &["--json", "excerpt", "list"]);
    let value: Value = serde_json::from_str(&out).expect("excerpt list --json prints JSON");
    value.as_array().cloned().unwrap_or_default()
}

/// Every main view, in both themes, from the sample workspace a first-time user is offered:
/// screenshots to look at, and no serious or critical axe-core violation anywhere.
#[test]
fn first_launch_offers_the_sample_and_every_view_is_accessible_in_both_themes() {
    let scratch = tempfile::tempdir().expect("create a temp dir");
    let db = scratch.path().join("ws.sqlite");
    let app = Desktop::launch("tour", &db, scratch.path());

    assert_eq!(
        app.text("#workspace-path", "the sidebar names the workspace file"),
        db.display().to_string(),
        "the app should open the workspace named by DOSSIER_DB"
    );
    let empty = app.text("#empty-library", "a new workspace shows the empty library");
    assert!(
        empty.contains("No sources yet") && empty.contains("Open the sample workspace"),
        "the empty state should say what to do and offer the sample, got: {empty:?}"
    );
    app.expect(
        "#tag-tree [data-tag='sector/steel']",
        "a new workspace has the seeded taxonomy",
    );
    let mut violations = Vec::new();
    app.set_theme("light");
    violations.extend(check(&app, "empty-library-light"));

    app.click(
        "#open-sample",
        "the empty library offers the sample workspace",
    );
    app.wait_until(
        "document.querySelectorAll('.source-row').length === 6",
        "the sample workspace should list its six articles",
    );
    assert!(
        scratch.path().join("sample.sqlite").is_file(),
        "the sample is written beside the default workspace, not over it"
    );

    for theme in ["light", "dark"] {
        app.set_theme(theme);
        app.click("#nav-library", "the sidebar leads to the library");
        app.expect(".source-row", "the library lists the sample");
        violations.extend(check(&app, &format!("library-{theme}")));

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
        violations.extend(check(&app, &format!("reader-{theme}")));

        app.click("#nav-tags", "the sidebar leads to the tags");
        app.click(
            "#tag-table [data-tag='sector/steel']",
            "a tag opens in the editor",
        );
        app.expect("#tag-editor-title", "the tag editor shows the tag");
        violations.extend(check(&app, &format!("tags-{theme}")));

        app.click("#nav-followups", "the sidebar leads to the follow-ups");
        app.click(
            "#followup-list .item.late",
            "the overdue follow-up is marked and listed",
        );
        app.expect("#followup-answer-text", "an open follow-up can be answered");
        violations.extend(check(&app, &format!("followups-{theme}")));

        app.press("/");
        app.replace_text("#search-input", "steel", "/ focuses the search box");
        app.expect(
            "#search-results .result mark.hit",
            "results show as you type, with the matched words marked",
        );
        app.expect("#search-facets .facet", "facets narrow the results");
        violations.extend(check(&app, &format!("search-{theme}")));
        app.replace_text("#search-input", "", "the search box empties");

        app.click("#nav-briefings", "the sidebar leads to the briefing notes");
        app.expect(
            "#briefing-list .briefing-row",
            "the sample holds a draft briefing note",
        );
        violations.extend(check(&app, &format!("briefings-{theme}")));
        app.click(
            "#briefing-list .briefing-row button.open",
            "a briefing note opens in the composer",
        );
        app.expect(
            "#briefing-preview .marking",
            "the composer shows the live preview with its marking",
        );
        app.expect(
            ".composer-section[data-section=current_status] .briefing-item",
            "the draft's Current Status holds the sample's metals excerpts",
        );
        violations.extend(check(&app, &format!("composer-{theme}")));
    }

    assert!(
        violations.is_empty(),
        "axe-core found serious or critical accessibility violations:\n{}",
        violations.join("\n")
    );
}

fn check(app: &Desktop, view: &str) -> Vec<String> {
    app.screenshot(view);
    app.accessibility_violations()
        .into_iter()
        .map(|v| format!("[{view}] {v}"))
        .collect()
}

/// The journey of issue 3: paste → excerpt with two tags and a note → ask → answer with that
/// excerpt → rename a tag → quit and relaunch → all still there, the highlight on the same text.
#[test]
fn the_analyst_journey_survives_a_relaunch() {
    let scratch = tempfile::tempdir().expect("create a temp dir");
    let db = scratch.path().join("ws.sqlite");
    let body = std::fs::read_to_string(fixture("tariff-talks-en.txt")).expect("read the fixture");
    let passage = "Steel and aluminum will be discussed first";

    let app = Desktop::launch("journey", &db, scratch.path());
    app.click("#new-source", "the top bar offers a new source");
    app.expect("#source-text", "the paste dialog opens");
    // Pasting, in effect: the whole text arrives at once.
    let pasted = app.js(
        "const t = document.querySelector('#source-text'); t.value = arguments[0]; \
         t.dispatchEvent(new Event('input', { bubbles: true })); return t.value.length;",
        &[json!(body)],
    );
    assert_eq!(pasted.as_u64(), Some(body.encode_utf16().count() as u64));
    app.type_into("#source-title", TITLE, "the dialog takes a title");
    app.type_into(
        "#source-outlet",
        "Northern Wire",
        "the dialog takes an outlet",
    );
    app.screenshot("paste-dialog");
    app.click("#save-source", "the dialog adds the source");
    assert_eq!(
        app.text("#reader-title", "the new source opens in the reader"),
        TITLE
    );

    app.select_text("#reader-text", passage);
    app.expect("#excerpt-bubble", "a selection offers to excerpt it");
    app.press("e");
    app.expect(
        "#excerpt-form",
        "E opens the excerpt popover on the selection",
    );
    app.type_into(
        "#excerpt-note",
        "Sequencing: metals before autos.",
        "the popover takes a note",
    );
    // Accent-insensitive autocomplete over French labels and aliases.
    app.type_into("#excerpt-tags", "acier", "the popover takes tags");
    app.expect(
        "#excerpt-tags-options [data-tag='sector/steel']",
        "the French name of a tag finds it",
    );
    app.type_into("#excerpt-tags", ENTER, "Enter picks the suggestion");
    app.type_into("#excerpt-tags", "contingent", "a second tag");
    app.expect(
        "#excerpt-tags-options [data-tag='instrument/quota']",
        "an alias finds its tag",
    );
    app.type_into("#excerpt-tags", ENTER, "Enter picks the suggestion");
    app.screenshot("excerpt-popover");
    app.click("#save-excerpt", "the popover saves the excerpt");
    app.expect(
        "#excerpt-panel",
        "the saved excerpt opens in the side panel",
    );
    let id = app
        .js(
            "return Number(document.querySelector('#excerpt-panel').dataset.excerptId);",
            &[],
        )
        .as_i64()
        .expect("the panel names its excerpt");
    assert_eq!(
        app.highlighted(id),
        passage,
        "the highlight covers the selection"
    );

    app.type_into(
        "#panel-ask",
        &format!("Which sectors follow metals?{ENTER}"),
        "the panel asks a follow-up",
    );
    app.expect(
        "#excerpt-panel .fu[data-followup-id]",
        "the question is listed under its excerpt",
    );
    app.screenshot("reader-panel");

    app.click("#nav-followups", "the sidebar leads to the follow-ups");
    app.click("#followup-list .item", "the new question is listed as open");
    app.type_into(
        "#followup-answer-text",
        "Autos and softwood lumber, after metals.",
        "an open question takes an answer",
    );
    app.wait_until(
        &format!("document.querySelector('[data-support=\"{id}\"]')?.checked === true"),
        "the excerpt the question is about is offered as support, checked",
    );
    app.click("#save-answer", "the answer is saved");
    app.wait_until(
        "document.querySelector('#followup-status')?.textContent.trim() === 'answered'",
        "the question becomes answered",
    );
    app.expect(
        &format!("[data-support-id='{id}']"),
        "the answer links the excerpt",
    );

    app.click("#nav-tags", "the sidebar leads to the tags");
    app.click(
        "#tag-table [data-tag='instrument/quota']",
        "the tag is listed",
    );
    app.replace_text(
        "#tag-rename",
        "instrument/tariff-rate-quota",
        "the editor renames paths",
    );
    app.click("#rename-tag", "rename is offered");
    app.expect(
        "#tag-table [data-tag='instrument/tariff-rate-quota']",
        "the renamed tag is listed under its new path",
    );
    app.quit();

    // Relaunch on the same file.
    let app = Desktop::launch("journey-relaunch", &db, scratch.path());
    app.expect(".source-row", "the source is still in the library");
    assert_eq!(
        app.text(".source-row .source-excerpts", "the row counts excerpts"),
        "1 excerpt"
    );
    app.click(".source-row .source-link", "the source opens");
    app.expect("#reader-text mark", "the excerpt is still highlighted");
    assert_eq!(
        app.highlighted(id),
        passage,
        "after a relaunch the highlight covers exactly the same characters"
    );
    app.click(
        &format!("#excerpt-list [data-excerpt-id='{id}']"),
        "the excerpt is listed",
    );
    let tags = app.js(
        "return [...document.querySelectorAll('#excerpt-panel .selected-tag')].map((c) => c.dataset.tag);",
        &[],
    );
    assert_eq!(
        tags,
        json!(["sector/steel", "instrument/tariff-rate-quota"]),
        "both tags survive, the renamed one under its new path"
    );
    assert_eq!(
        app.js("return document.querySelector('#panel-note').value;", &[]),
        json!("Sequencing: metals before autos."),
        "the note survives"
    );
    app.expect(
        "#excerpt-panel .fu .badge.answered",
        "the follow-up is still answered",
    );
    app.screenshot("after-relaunch");
    app.quit();

    let excerpts = excerpts_json(&db);
    assert_eq!(excerpts.len(), 1);
    assert_eq!(
        excerpts[0]["quote"], passage,
        "the store holds exactly the selected text"
    );
}

/// Selections after emoji and flags, in accented French, in CJK with an astral character, and
/// inside right-to-left text become excerpts whose quote is exactly the selection, and whose
/// highlight covers exactly it after a relaunch.
#[test]
fn selections_in_any_script_become_exact_excerpts() {
    let scratch = tempfile::tempdir().expect("create a temp dir");
    let db = scratch.path().join("ws.sqlite");
    dossier(
        &db,
        &[
            "source",
            "add",
            fixture_arg("scripts-mixed.txt").as_str(),
            "--title",
            "Trade desk notes",
        ],
    );
    let passages = [
        "the negotiators agreed on a steel quota review",
        "réclame que l'aluminium soit traité dès la première étape",
        "今天恢复钢铁关税谈判",
        "על מכסי הפלדה יימשך",
    ];

    let app = Desktop::launch("scripts", &db, scratch.path());
    app.click(".source-row .source-link", "the source opens");
    app.expect("#reader-text", "the reader shows the text");
    let mut ids = Vec::new();
    for passage in passages {
        app.select_text("#reader-text", passage);
        app.click("#excerpt-bubble", "the selection offers to excerpt it");
        app.click("#save-excerpt", "the popover saves the excerpt");
        app.expect("#excerpt-panel", "the saved excerpt opens in the panel");
        let id = app
            .js(
                "return Number(document.querySelector('#excerpt-panel').dataset.excerptId);",
                &[],
            )
            .as_i64()
            .expect("the panel names its excerpt");
        assert_eq!(
            app.highlighted(id),
            passage,
            "the highlight covers the selection"
        );
        app.press("\u{E00C}"); // Escape closes the panel
        ids.push(id);
    }
    app.screenshot("scripts");
    app.quit();

    let stored = excerpts_json(&db);
    let mut quotes: Vec<&str> = stored.iter().filter_map(|e| e["quote"].as_str()).collect();
    quotes.sort_unstable();
    let mut expected = passages.to_vec();
    expected.sort_unstable();
    assert_eq!(quotes, expected, "each quote is exactly the selected text");

    let app = Desktop::launch("scripts-relaunch", &db, scratch.path());
    app.click(".source-row .source-link", "the source opens");
    app.expect("#reader-text mark", "the excerpts are highlighted");
    for (id, passage) in ids.iter().zip(passages) {
        assert_eq!(
            app.highlighted(*id),
            passage,
            "after a relaunch the highlight covers exactly the selected characters"
        );
    }
}

#[test]
fn library_lists_a_source_added_with_the_cli_and_a_second_launch_hands_over() {
    let scratch = tempfile::tempdir().expect("create a temp dir");
    let db = scratch.path().join("ws.sqlite");
    dossier(
        &db,
        &[
            "source",
            "add",
            fixture_arg("tariff-talks-en.txt").as_str(),
            "--title",
            TITLE,
            "--outlet",
            "Northern Wire",
            "--published",
            "2025-03-12",
            "--tag",
            "sector/steel",
        ],
    );

    let app = Desktop::launch("one-source", &db, scratch.path());
    assert_eq!(
        app.text(".source-row .source-title", "the row should show the title"),
        TITLE
    );
    assert_eq!(
        app.text(
            ".source-row .source-outlet",
            "the row should show the outlet"
        ),
        "Northern Wire"
    );

    // Added behind the app's back, then F5: the library reloads.
    dossier(
        &db,
        &[
            "excerpt",
            "add",
            "1",
            "--quote",
            "Steel and aluminum will be discussed first",
        ],
    );
    app.press("\u{E035}"); // F5
    app.wait_until(
        "document.querySelector('.source-row .source-excerpts')?.textContent.trim() === '1 excerpt'",
        "F5 reloads the library from the workspace",
    );
    app.screenshot("library");

    // A second launch hands over to the running window and exits.
    let started = Instant::now();
    let mut second = Command::new(app_binary())
        .env("DOSSIER_DB", &db)
        .env("XDG_CONFIG_HOME", scratch.path().join("config"))
        .env("XDG_DATA_HOME", scratch.path().join("data"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start a second instance");
    let status = loop {
        if let Some(status) = second.try_wait().expect("wait for the second instance") {
            break Some(status);
        }
        if started.elapsed() > Duration::from_secs(15) {
            let _ = second.kill();
            break None;
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    assert!(
        status.is_some_and(|s| s.success()),
        "a second launch should hand over to the running app and exit, got {status:?}"
    );
    assert_eq!(
        app.text(
            ".source-row .source-title",
            "the first window is still there"
        ),
        TITLE
    );

    // The window's size is remembered from one launch to the next.
    app.session()
        .set_window_rect(40, 30, 1100, 700)
        .expect("resize the window");
    let resized = app.session().window_rect().expect("read the window's size");
    // The app writes the size once the window has settled (half a second).
    std::thread::sleep(Duration::from_millis(1200));
    app.quit();
    let app = Desktop::launch("one-source-again", &db, scratch.path());
    let (_, _, width, height) = app.session().window_rect().expect("read the window's size");
    assert_eq!(
        (width, height),
        (resized.2, resized.3),
        "a relaunch should open the window at the size it was left"
    );
}

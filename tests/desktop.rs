//! The desktop journeys, through the real window. Run under a display:
//! `xvfb-run -a dbus-run-session -- cargo test -p dossier-e2e -- --test-threads=1`
//! Screenshots of each view go to `target/e2e-screenshots/`.

use dossier_e2e::desktop::Desktop;
use dossier_e2e::workspace::{dossier, fixture};

const TITLE: &str = "Ottawa and Washington to negotiate tariffs sector by sector";

fn fixture_arg(name: &str) -> String {
    fixture(name)
        .to_str()
        .expect("fixture paths are UTF-8")
        .to_owned()
}

#[test]
fn first_launch_shows_an_empty_library_with_what_to_do() {
    let scratch = tempfile::tempdir().expect("create a temp dir");
    let db = scratch.path().join("ws.sqlite");

    let app = Desktop::launch("first-launch", &db, scratch.path());

    assert_eq!(
        app.text("#app-title", "the header should name the app"),
        "Dossier"
    );
    assert_eq!(
        app.text(
            "#workspace-path",
            "the header should show which workspace file is open"
        ),
        db.display().to_string(),
        "the app should open the workspace named by DOSSIER_DB"
    );
    let empty = app.text(
        "#empty-library",
        "a new workspace should show the empty library",
    );
    assert!(
        empty.contains("No sources yet") && empty.contains("dossier source add"),
        "the empty state should tell a first-time user how to add a source, got: {empty:?}"
    );
    let rows = app
        .session()
        .find_all(".source-row")
        .expect("query source rows");
    assert!(rows.is_empty(), "a new workspace should list no sources");
    app.screenshot("empty-library");

    // What the empty state tells the user to do: add a source from a terminal, then refresh.
    dossier(
        &db,
        &[
            "source",
            "add",
            fixture_arg("tariff-talks-en.txt").as_str(),
            "--title",
            TITLE,
        ],
    );
    let refresh = app.expect("#refresh-library", "the library should offer a refresh");
    app.session().click(&refresh).expect("click Refresh");
    assert_eq!(
        app.text(
            ".source-row .source-title",
            "Refresh should show the source just added"
        ),
        TITLE
    );
    app.screenshot("after-refresh");
}

#[test]
fn library_lists_a_source_added_with_the_cli() {
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

    let app = Desktop::launch("one-source", &db, scratch.path());

    app.expect(
        ".source-row",
        "the source added with the CLI should be listed",
    );
    let rows = app
        .session()
        .find_all(".source-row")
        .expect("query source rows");
    assert_eq!(
        rows.len(),
        1,
        "exactly the one source added should be listed"
    );
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
    assert!(
        app.session()
            .find("#empty-library")
            .expect("query the empty state")
            .is_none(),
        "the empty state should not show beside a source"
    );
    app.screenshot("library");
}

//! Issue 16 in the real window: two app instances, one per analyst, on two workspaces of one
//! team on a real PostgreSQL (a throwaway cluster with TLS started here). An excerpt saved in
//! Alice's window reaches Bob's after Sync now; the same note edited in both while the server
//! is down shows "Offline — changes kept", and after the server is back both Conflicts views
//! show the two readings side by side, until one of them keeps a side — a resolution the
//! background sync sends by itself a few seconds later. Run under a display, like `desktop.rs`.
//!
//! The app is single-instance through the D-Bus session bus; Bob's window gets no session bus
//! (the plugin then launches normally, as on a machine without one), so both windows run at
//! once, each with its own role's password in PGPASSWORD, as an analyst's session would have.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use dossier_e2e::desktop::{Desktop, built_binary};
use dossier_sync::testing::TestServer;
use serde_json::Value;

const ARTICLE: &str = "Sample wire story. Negotiators met in the capital to review the steel \
quota. Industry groups asked for a longer consultation on aluminum. Officials expect another \
round before the summer.";

/// `dossier --json ARGS…` on `db` as `role`.
fn cli(db: &Path, role: &str, args: &[&str]) -> Value {
    let bin = built_binary("dossier");
    let out = Command::new(&bin)
        .arg("--db")
        .arg(db)
        .args(args)
        .arg("--json")
        .env_remove("DOSSIER_DB")
        .env("PGPASSWORD", TestServer::password(role))
        .env("DOSSIER_NO_KEYRING", "1")
        .output()
        .unwrap_or_else(|e| panic!("cannot run {}: {e}", bin.display()));
    assert!(
        out.status.success(),
        "`dossier {}` failed: {}",
        args.join(" "),
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("the CLI prints JSON with --json")
}

fn launch(name: &str, db: &Path, scratch: &Path, password: &str, bus: Option<&Path>) -> Desktop {
    let password = PathBuf::from(password);
    let mut env: Vec<(&str, &Path)> = vec![
        ("WEBKIT_DISABLE_DMABUF_RENDERER", Path::new("1")),
        ("DOSSIER_UI_LANG", Path::new("en")),
        ("PGPASSWORD", &password),
        ("DOSSIER_NO_KEYRING", Path::new("1")),
    ];
    if let Some(bus) = bus {
        env.push(("DBUS_SESSION_BUS_ADDRESS", bus));
    }
    Desktop::launch_with(name, db, scratch, &env)
}

fn status_is(app: &Desktop, text: &str) {
    let js = serde_json::Value::from(text).to_string();
    app.wait_until(
        &format!("document.querySelector('#team-status')?.textContent.trim() === {js}"),
        &format!("the status bar says \"{text}\""),
    );
}

/// Opens the Conflicts view from the status bar and syncs now.
fn sync_now(app: &Desktop) {
    app.click(
        "#team-status",
        "the status bar's team item opens the conflicts view",
    );
    app.expect("#conflicts-view", "the conflicts view opens");
    app.click("#sync-now", "the conflicts view offers Sync now");
    app.wait_until(
        "document.querySelector('#sync-now') && !document.querySelector('#sync-now').disabled",
        "the sync ends",
    );
}

fn open_the_source(app: &Desktop) {
    app.click("#nav-library", "the sidebar leads to the library");
    app.click(".source-row .source-link", "the source opens");
    app.expect("#reader-text", "the reader shows the source");
}

fn edit_note(app: &Desktop, text: &str) {
    open_the_source(app);
    app.click("#excerpt-list .excerpt-item", "the excerpt is listed");
    app.expect("#excerpt-panel", "the excerpt's panel opens");
    app.replace_text("#panel-note", text, "the panel's note takes new text");
    app.click("#panel-save-note", "the note is saved");
    app.wait_until(
        "!document.querySelector('#panel-save-note')",
        "the note is saved",
    );
}

fn conflict_sides(app: &Desktop) -> Value {
    app.expect("#conflicts-view [data-conflict-id]", "a conflict is listed");
    app.js(
        "const c = document.querySelector('#conflicts-view [data-conflict-id]');\
         return { mine: c.querySelector('.mine .value').textContent, \
                  theirs: c.querySelector('.theirs .value').textContent, \
                  by: c.querySelector('.theirs .by').textContent, \
                  what: c.querySelector('.what').textContent };",
        &[],
    )
}

#[test]
fn an_excerpt_saved_in_one_window_reaches_the_other_and_a_concurrent_note_shows_as_a_conflict() {
    let mut server = TestServer::start();
    let scratch = tempfile::tempdir().expect("create a temp dir");
    let a = scratch.path().join("alice.sqlite");
    let b = scratch.path().join("bob.sqlite");
    let story = scratch.path().join("story.txt");
    std::fs::write(&story, ARTICLE).unwrap();
    cli(
        &a,
        "alice",
        &[
            "source",
            "add",
            story.to_str().unwrap(),
            "--title",
            "Wire story",
        ],
    );
    cli(
        &a,
        "alice",
        &["team", "init", &server.url("alice"), "--name", "trade"],
    );
    cli(&a, "alice", &["team", "grant", "bob"]);
    cli(
        &b,
        "bob",
        &["team", "join", &server.url("bob"), "--name", "trade"],
    );

    let (sa, sb) = (scratch.path().join("a"), scratch.path().join("b"));
    for dir in [&sa, &sb] {
        std::fs::create_dir_all(dir).expect("create a scratch folder per window");
    }
    let alice = launch("team-alice", &a, &sa, &TestServer::password("alice"), None);
    let no_bus = scratch.path().join("no-session-bus");
    let bus = PathBuf::from(format!("unix:path={}", no_bus.display()));
    let bob = launch(
        "team-bob",
        &b,
        &sb,
        &TestServer::password("bob"),
        Some(&bus),
    );
    status_is(&alice, "Synced");
    status_is(&bob, "Synced");

    // Alice saves an excerpt in her window and syncs.
    open_the_source(&alice);
    // The first background sync may reload the reader under a selection: select again then.
    let offered = (0..5).any(|_| {
        alice.select_text("#reader-text", "review the steel quota");
        (0..20).any(|_| {
            std::thread::sleep(Duration::from_millis(150));
            alice.js(
                "return Boolean(document.querySelector('#excerpt-bubble'));",
                &[],
            ) == Value::Bool(true)
        })
    });
    assert!(offered, "a selection offers to excerpt it");
    // Clicked rather than E: with two windows open, only one has the keyboard.
    alice.click("#excerpt-bubble", "the bubble excerpts the selection");
    alice.expect("#excerpt-form", "the bubble opens the excerpt popover");
    alice.type_into("#excerpt-note", "first", "the popover takes a note");
    alice.click("#save-excerpt", "the popover saves the excerpt");
    alice.expect(
        "#excerpt-panel",
        "the saved excerpt opens in the side panel",
    );
    sync_now(&alice);
    status_is(&alice, "Synced");

    // Bob syncs: the excerpt is in his window, with who made it.
    sync_now(&bob);
    status_is(&bob, "Synced");
    open_the_source(&bob);
    bob.wait_until(
        "[...document.querySelectorAll('#excerpt-list .excerpt-item')].some((e) => e.textContent.includes('review the steel quota'))",
        "Alice's excerpt reached Bob's window",
    );
    bob.click("#excerpt-list .excerpt-item", "the excerpt opens");
    assert!(
        bob.text("#excerpt-changed-by", "a team excerpt says who changed it")
            .contains("alice"),
        "Bob sees that Alice made it"
    );
    bob.screenshot("pulled");

    // The server goes away; both analysts edit the same note.
    server.stop();
    edit_note(&alice, "Alice's reading");
    edit_note(&bob, "Bob's reading");
    sync_now(&alice);
    status_is(&alice, "Offline — changes kept");
    let violations = alice.accessibility_violations();
    assert!(
        violations.is_empty(),
        "the offline status bar is accessible: {violations:#?}"
    );
    alice.expect("#sync-error", "the conflicts view says why the sync failed");
    alice.screenshot("offline");

    // Back online: Bob, Alice, Bob. Both windows show the conflict side by side.
    server.restart();
    sync_now(&bob);
    sync_now(&alice);
    sync_now(&bob);
    status_is(&alice, "1 conflict");
    status_is(&bob, "1 conflict");
    let seen_by_alice = conflict_sides(&alice);
    assert_eq!(seen_by_alice["mine"], "Alice's reading", "{seen_by_alice}");
    assert_eq!(seen_by_alice["theirs"], "Bob's reading", "{seen_by_alice}");
    assert!(
        seen_by_alice["by"].as_str().unwrap().contains("bob"),
        "{seen_by_alice}"
    );
    assert!(
        seen_by_alice["what"].as_str().unwrap().contains("note"),
        "{seen_by_alice}"
    );
    let seen_by_bob = conflict_sides(&bob);
    assert_eq!(seen_by_bob["mine"], "Bob's reading", "{seen_by_bob}");
    assert_eq!(seen_by_bob["theirs"], "Alice's reading", "{seen_by_bob}");
    alice.screenshot("conflict");
    // The Conflicts view and the status bar pass axe-core, light and dark.
    for theme in ["light", "dark"] {
        alice.set_theme(theme);
        let violations = alice.accessibility_violations();
        assert!(
            violations.is_empty(),
            "the conflicts view and status bar are accessible ({theme}): {violations:#?}"
        );
    }
    alice.set_theme("light");

    // Bob keeps Alice's reading; after a sync on each side, neither has a conflict left.
    bob.click(".keep-theirs", "the conflict offers Keep theirs");
    bob.expect("#conflicts-none", "the resolved conflict leaves the list");
    // No Sync now on Bob's side: the background sync sends the resolution a few seconds later.
    bob.wait_until(
        "document.querySelector('#team-status')?.textContent.includes('waiting')",
        "the resolution waits to be sent",
    );
    status_is(&bob, "Synced");
    sync_now(&alice);
    status_is(&alice, "Synced");
    alice.expect(
        "#conflicts-none",
        "the conflict is resolved in Alice's window too",
    );
    edit_check(&alice);
}

/// Alice's window shows the note Bob kept: hers.
fn edit_check(app: &Desktop) {
    open_the_source(app);
    app.click("#excerpt-list .excerpt-item", "the excerpt is listed");
    assert_eq!(
        app.js("return document.querySelector('#panel-note').value;", &[]),
        Value::from("Alice's reading"),
        "the kept reading is the note on both sides"
    );
}

//! Issue 13 in the real window: a feed served from 127.0.0.1, polled with the Feeds panel's
//! button, brings entries into the Inbox; keeping one from the keyboard makes a source with the
//! feed's tags; and a saved search that is an alert shows its count of new matches in the
//! sidebar. Run under a display, like `desktop.rs`.

#[path = "../crates/dossier-api/tests/api/feed_server.rs"]
mod feed_server;

use std::path::Path;

use dossier_e2e::desktop::Desktop;
use dossier_e2e::workspace::dossier;
use feed_server::{FeedServer, article, rss};
use serde_json::Value;

fn json_of(db: &Path, args: &[&str]) -> Value {
    let mut all = vec!["--json"];
    all.extend_from_slice(args);
    serde_json::from_str(&dossier(db, &all)).expect("the CLI prints JSON with --json")
}

const PARAS: [&str; 3] = [
    "The finance department published its quarterly note on trade measures this morning, setting out how the new surtax on imported steel will be collected at the border.",
    "Officials said the measure would be reviewed after six months, and that importers could ask for a remission where no domestic supply exists for the product concerned.",
    "The note lists the tariff lines concerned and the dates on which each part of the measure comes into force, with a contact for questions from importers.",
];

const OTHER: [&str; 3] = [
    "Port authorities on the west coast reported that container traffic returned to its usual pace this week after the labour dispute ended on Sunday night.",
    "Shippers said the backlog of vessels waiting at anchor would take about ten days to clear, with grain and potash given priority at the terminals.",
    "The federal mediator thanked both sides and said the agreement runs for four years, with a review of the scheduling rules after the first winter season.",
];

#[test]
fn a_poll_fills_the_inbox_keeping_makes_a_source_and_an_alert_counts() {
    let server = FeedServer::start();
    server.page("/a/surtax", article("Steel surtax takes effect", &PARAS));
    server.page("/a/ports", article("Port traffic back to normal", &OTHER));
    server.feed(
        "/desk.xml",
        rss(
            "Trade desk",
            &[
                (
                    "s",
                    "Steel surtax takes effect",
                    &server.url("/a/surtax"),
                    "The surtax on imported steel applies from today.",
                ),
                (
                    "p",
                    "Port traffic back to normal",
                    &server.url("/a/ports"),
                    "Container traffic returns to its usual pace.",
                ),
            ],
        ),
        Some("\"v1\""),
    );
    let scratch = tempfile::tempdir().expect("create a temp dir");
    let db = scratch.path().join("ws.sqlite");
    dossier(
        &db,
        &[
            "feed",
            "add",
            &server.url("/desk.xml"),
            "--tag",
            "trade/steel",
        ],
    );
    dossier(
        &db,
        &["search", "save", "Surtax watch", "surtax", "--alert"],
    );

    let app = Desktop::launch("monitoring", &db, scratch.path());
    app.click("#nav-inbox", "the sidebar has an Inbox");
    app.expect("#feeds-panel", "the inbox shows the feeds panel");
    app.click("#poll-now", "the feeds panel polls on demand");
    app.wait_until(
        "document.querySelectorAll('#triage-entries [data-entry-id]').length === 2",
        "the poll brings the feed's two entries into the inbox",
    );
    app.wait_until(
        "document.querySelector('#inbox-count')?.textContent.trim() === '2'",
        "the sidebar counts the new entries",
    );
    let state = app.text(
        "#feed-list .feed-state",
        "the feed's state is said in plain words",
    );
    assert!(state.starts_with("Last checked"), "{state:?}");
    app.screenshot("inbox");

    // Triage from the keyboard: move to the steel entry, read its summary, keep it.
    let first = app
        .js(
            "return document.querySelector('#triage-entries .entry.selected .title').textContent",
            &[],
        )
        .as_str()
        .unwrap_or_default()
        .to_string();
    if !first.contains("Steel") {
        app.press("j");
    }
    app.wait_until(
        "document.querySelector('#triage-entries .entry.selected .title').textContent.includes('Steel')",
        "J moves to the next entry",
    );
    app.js("document.activeElement?.blur()", &[]);
    app.press("\u{E007}");
    app.wait_until(
        "document.querySelector('#triage-summary')?.textContent.includes('applies from today')",
        "Enter shows the entry's summary as text",
    );
    app.press("s");
    app.wait_until(
        "document.querySelector('#inbox-count')?.textContent.trim() === '1'",
        "S keeps the entry: one is left in the inbox",
    );
    app.wait_until(
        "document.querySelector('.alert-count')?.textContent.trim() === '1'",
        "the alert's count of new matches appears in the sidebar",
    );
    app.screenshot("kept");

    let sources = json_of(&db, &["source", "list"]);
    let sources = sources.as_array().expect("a list");
    assert_eq!(sources.len(), 1, "{sources:?}");
    assert_eq!(sources[0]["title"], "Steel surtax takes effect");
    let shown = json_of(&db, &["source", "show", &sources[0]["id"].to_string()]);
    assert!(shown["tags"].to_string().contains("trade/steel"), "{shown}");
    let kept = json_of(&db, &["inbox", "list", "--status", "kept"]);
    assert_eq!(kept[0]["source_id"], sources[0]["id"]);
    app.quit();
}

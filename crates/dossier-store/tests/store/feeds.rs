//! Feeds and their inbox: an entry seen once never comes back (even retitled), an entry whose
//! link is already a source is not taken, and removing a feed keeps what was kept from it.

use dossier_core::NewSource;
use dossier_store::Workspace;
use dossier_store::feeds::{self, EntryStatus, FeedPatch, NewEntry, NewFeed, PollRecord};

const NOW: &str = "2026-12-06T10:42:00Z";

fn entry(key: &str, title: &str, link: Option<&str>) -> NewEntry {
    NewEntry {
        key: key.into(),
        title: title.into(),
        link: link.map(str::to_string),
        published: None,
        summary: "Plain summary.".into(),
    }
}

#[test]
fn entries_are_taken_once_and_sources_are_not_offered_again() {
    let dir = tempfile::tempdir().unwrap();
    let mut ws = Workspace::open(&dir.path().join("ws.sqlite")).unwrap();
    let feed = ws
        .with_tx(|tx| {
            feeds::add(
                tx,
                NewFeed {
                    url: "https://example.test/feed.xml".into(),
                    tags: vec!["#sector/steel".into()],
                    ..Default::default()
                },
                NOW,
            )
        })
        .unwrap();
    assert_eq!(feed.every, 60, "the default interval");
    assert_eq!(feed.tags, vec!["sector/steel".to_string()]);
    let dup = ws.with_tx(|tx| {
        feeds::add(
            tx,
            NewFeed {
                url: "https://example.test/feed.xml".into(),
                ..Default::default()
            },
            NOW,
        )
    });
    assert_eq!(dup.unwrap_err().code(), "conflict");

    ws.with_tx(|tx| {
        dossier_store::sources::add(
            tx,
            NewSource {
                title: "Already here".into(),
                url: Some("https://example.test/kept".into()),
                body: "A body of text.".into(),
                ..Default::default()
            },
            NOW,
        )
    })
    .unwrap();
    let first = ws
        .with_tx(|tx| {
            feeds::insert_entry(
                tx,
                feed.id,
                &entry("g1", "First", Some("https://example.test/1")),
                NOW,
            )
        })
        .unwrap();
    assert!(first.is_some());
    let again = ws
        .with_tx(|tx| feeds::insert_entry(tx, feed.id, &entry("g1", "First, retitled", None), NOW))
        .unwrap();
    assert_eq!(again, None, "the same guid with a new title is not new");
    let known = ws
        .with_tx(|tx| {
            feeds::insert_entry(
                tx,
                feed.id,
                &entry("g2", "Kept", Some("https://example.test/kept")),
                NOW,
            )
        })
        .unwrap();
    assert_eq!(known, None, "its article is already a source");

    let listed = feeds::entries(ws.conn(), None, Some(EntryStatus::New)).unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].title, "First");
    assert_eq!(listed[0].uid.len(), 32, "an entry has its global id");
    assert_eq!(
        feeds::get_entry(ws.conn(), listed[0].id).unwrap().uid,
        listed[0].uid
    );

    ws.with_tx(|tx| {
        feeds::record_poll(
            tx,
            feed.id,
            PollRecord::Failed("the server answered 503"),
            NOW,
            "2026-12-06T11:42:00Z",
        )
    })
    .unwrap();
    let f = feeds::get(ws.conn(), feed.id).unwrap();
    assert_eq!(
        (f.failures, f.last_error.as_deref()),
        (1, Some("the server answered 503"))
    );
    assert!(
        feeds::due(ws.conn(), NOW).unwrap().is_empty(),
        "not due before its next poll"
    );
    assert_eq!(
        feeds::due(ws.conn(), "2026-12-06T11:42:00Z").unwrap(),
        vec![feed.id]
    );

    let edited = ws
        .with_tx(|tx| {
            feeds::edit(
                tx,
                feed.id,
                FeedPatch {
                    every: Some(15),
                    auto: Some("tariff OR #steel".into()),
                    ..Default::default()
                },
                NOW,
            )
        })
        .unwrap();
    assert_eq!(
        (edited.every, edited.auto.as_deref()),
        (15, Some("tariff OR #steel"))
    );
    let bad = ws.with_tx(|tx| {
        feeds::edit(
            tx,
            feed.id,
            FeedPatch {
                auto: Some("\"open".into()),
                ..Default::default()
            },
            NOW,
        )
    });
    assert_eq!(bad.unwrap_err().code(), "query");

    let removed = ws.with_tx(|tx| feeds::remove(tx, feed.id)).unwrap();
    assert_eq!(removed.entries, 1);
    assert_eq!(ws.list_sources().unwrap().len(), 1, "the source stays");
    assert!(feeds::entries(ws.conn(), None, None).unwrap().is_empty());
}

//! Feed polling through the service layer: two connections polling the same feeds at once (the
//! app's timer and `dossier feed poll` from cron), and an auto query with the taxonomy's
//! other-language words, on a workspace file against a local server.

use dossier_api::feeds;
use dossier_api::import::ImportOptions;
use dossier_ingest::feed::FeedOptions;
use dossier_store::Workspace;
use dossier_store::feeds::{EntryStatus, NewFeed};

use super::NOW;
use super::feed_server::{FeedServer, article, rss};

fn items(n: usize) -> Vec<(String, String, String, String)> {
    (0..n)
        .map(|i| {
            (
                format!("urn:{i}"),
                format!("Notice {i}"),
                format!("https://example.test/n/{i}"),
                format!("Summary of notice {i}."),
            )
        })
        .collect()
}

fn feed_xml(title: &str, items: &[(String, String, String, String)]) -> String {
    let refs: Vec<(&str, &str, &str, &str)> = items
        .iter()
        .map(|(a, b, c, d)| (a.as_str(), b.as_str(), c.as_str(), d.as_str()))
        .collect();
    rss(title, &refs)
}

#[test]
fn two_connections_polling_at_once_store_each_entry_once() {
    let server = FeedServer::start();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ws.sqlite");
    let mut ws = Workspace::open(&path).unwrap();
    for f in 0..6 {
        server.feed(
            &format!("/{f}.xml"),
            feed_xml(&format!("Desk {f}"), &items(40)),
            None,
        );
        feeds::add(
            &mut ws,
            NewFeed {
                url: server.url(&format!("/{f}.xml")),
                ..Default::default()
            },
            NOW,
        )
        .unwrap();
    }
    drop(ws);
    let polls: Vec<_> = (0..2)
        .map(|_| {
            let path = path.clone();
            std::thread::spawn(move || {
                let mut ws = Workspace::open(&path).unwrap();
                feeds::poll(
                    &mut ws,
                    &[],
                    true,
                    &FeedOptions::default(),
                    &ImportOptions::default(),
                    NOW,
                )
                .unwrap()
            })
        })
        .collect();
    let reports: Vec<_> = polls.into_iter().map(|p| p.join().unwrap()).collect();
    let total: u32 = reports.iter().map(|r| r.new).sum();
    assert_eq!(
        total,
        6 * 40,
        "each entry is new for exactly one of the polls"
    );
    assert!(
        reports
            .iter()
            .all(|r| r.feeds.iter().all(|f| f.error.is_none()))
    );
    let ws = Workspace::open(&path).unwrap();
    assert_eq!(feeds::entries(&ws, None, None).unwrap().len(), 240);
    assert_eq!(feeds::inbox_count(&ws).unwrap(), 240);
}

#[test]
fn an_auto_query_uses_the_taxonomys_other_language_words() {
    let server = FeedServer::start();
    server.page(
        "/a/acier",
        article(
            "Le prix de l'acier",
            &[
                "Le ministère a publié ce matin une note sur le prix de l'acier importé et sur la surtaxe perçue à la frontière.",
                "Les importateurs pourront demander une remise lorsque aucun fournisseur ne peut livrer le produit visé.",
            ],
        ),
    );
    server.feed(
        "/fr.xml",
        rss(
            "Bureau",
            &[
                (
                    "a",
                    "Le prix de l'acier",
                    &server.url("/a/acier"),
                    "Une note du ministère.",
                ),
                ("b", "Météo", "https://example.test/meteo", "De la neige."),
            ],
        ),
        None,
    );
    let dir = tempfile::tempdir().unwrap();
    let mut ws = Workspace::open(&dir.path().join("ws.sqlite")).unwrap();
    // The new workspace's taxonomy has sector/steel, « Acier » in French.
    feeds::add(
        &mut ws,
        NewFeed {
            url: server.url("/fr.xml"),
            auto: Some("steel".into()),
            ..Default::default()
        },
        NOW,
    )
    .unwrap();
    let report = feeds::poll(
        &mut ws,
        &[],
        false,
        &FeedOptions::default(),
        &ImportOptions::default(),
        NOW,
    )
    .unwrap();
    assert_eq!((report.new, report.auto_kept), (2, 1), "{report:?}");
    let new = feeds::entries(&ws, None, Some(EntryStatus::New)).unwrap();
    assert_eq!(new.len(), 1);
    assert_eq!(new[0].title, "Météo");
    assert_eq!(dossier_api::sources::list(&ws).unwrap().len(), 1);
}

//! `dossier feed` and `dossier inbox` against a local server whose feeds change between polls:
//! new, edited and removed entries, 304s, a 503 then recovery; OPML both ways; every kind of bad
//! feed the issue names, each failing alone; keeping entries, automatic keeping, and entries
//! whose article is already a source.

use std::sync::Arc;

use serde_json::Value;

use crate::Ws;
#[path = "../../../dossier-api/tests/api/feed_server.rs"]
mod feed_server;
use feed_server::{FeedServer, Route, article, rss};

fn add(ws: &Ws, url: &str, extra: &[&str]) -> i64 {
    let mut args = vec!["--json", "feed", "add", url];
    args.extend_from_slice(extra);
    ws.run(&args).ok().json()["id"].as_i64().unwrap()
}

fn poll(ws: &Ws, extra: &[&str]) -> Value {
    let mut args = vec!["--json", "feed", "poll", "--timeout", "2"];
    args.extend_from_slice(extra);
    ws.run(&args).ok().json()
}

fn inbox(ws: &Ws, extra: &[&str]) -> Vec<Value> {
    let mut args = vec!["--json", "inbox", "list"];
    args.extend_from_slice(extra);
    ws.run(&args).ok().json().as_array().unwrap().clone()
}

fn titles(entries: &[Value]) -> Vec<String> {
    let mut t: Vec<String> = entries
        .iter()
        .map(|e| e["title"].as_str().unwrap().to_string())
        .collect();
    t.sort();
    t
}

const PARAS: [&str; 3] = [
    "The finance department published its quarterly note on trade measures this morning, setting out how the new surtax on imported steel will be collected at the border.",
    "Officials said the measure would be reviewed after six months, and that importers could ask for a remission where no domestic supply exists for the product concerned.",
    "The note lists the tariff lines concerned and the dates on which each part of the measure comes into force, with a contact for questions from importers.",
];

#[test]
fn a_feed_that_changes_between_polls() {
    let server = FeedServer::start();
    let ws = Ws::new();
    let url = server.url("/desk.xml");
    server.feed(
        "/desk.xml",
        rss(
            "Trade desk",
            &[
                (
                    "a1",
                    "Steel surtax announced",
                    "https://example.test/a1",
                    "First item.",
                ),
                (
                    "a2",
                    "Lumber talks resume",
                    "https://example.test/a2",
                    "Second item.",
                ),
            ],
        ),
        Some("\"v1\""),
    );
    let created = ws
        .run(&[
            "--json",
            "feed",
            "add",
            &url,
            "--tag",
            "trade/steel",
            "--every",
            "30",
        ])
        .ok()
        .json();
    for key in [
        "id",
        "uid",
        "url",
        "title",
        "tags",
        "every",
        "full_text",
        "auto",
        "last_polled",
        "last_error",
        "entries",
    ] {
        assert!(created.get(key).is_some(), "{key} missing from {created}");
    }
    assert_eq!(created["every"], 30);
    assert_eq!(created["tags"], serde_json::json!(["trade/steel"]));
    let id = created["id"].as_i64().unwrap();

    let first = poll(&ws, &[]);
    assert_eq!(first["new"], 2, "{first}");
    assert_eq!(first["auto_kept"], 0);
    assert_eq!(first["feeds"][0]["id"], id);
    assert_eq!(first["feeds"][0]["error"], Value::Null);
    let shown = ws
        .run(&["--json", "feed", "show", &id.to_string()])
        .ok()
        .json();
    assert_eq!(
        shown["title"], "Trade desk",
        "the feed's own title is taken"
    );
    assert_eq!(shown["entries"], 2);

    // Not due again yet: a poll without ids leaves it alone.
    let idle = poll(&ws, &[]);
    assert_eq!(idle["feeds"].as_array().unwrap().len(), 0, "{idle}");

    // Same ETag: a 304, nothing new.
    let not_modified = poll(&ws, &["--all"]);
    assert_eq!(not_modified["new"], 0);
    assert_eq!(not_modified["feeds"][0]["error"], Value::Null);
    assert_eq!(server.hits("/desk.xml"), 2);

    // a1's title is edited, a2 leaves the feed, a3 arrives.
    server.feed(
        "/desk.xml",
        rss(
            "Trade desk",
            &[
                (
                    "a1",
                    "Steel surtax announced (updated)",
                    "https://example.test/a1",
                    "First item, edited.",
                ),
                (
                    "a3",
                    "Dairy quota filled",
                    "https://example.test/a3",
                    "Third item.",
                ),
            ],
        ),
        Some("\"v2\""),
    );
    let second = poll(&ws, &["--all"]);
    assert_eq!(second["new"], 1, "only a3 is new: {second}");
    let all = inbox(&ws, &[]);
    assert_eq!(
        titles(&all),
        [
            "Dairy quota filled",
            "Lumber talks resume",
            "Steel surtax announced"
        ],
        "an edited entry is not new again, a removed one stays"
    );
    for e in &all {
        for key in [
            "id",
            "feed_id",
            "title",
            "link",
            "published",
            "summary",
            "status",
            "source_id",
        ] {
            assert!(e.get(key).is_some(), "{key} missing from {e}");
        }
        assert_eq!(e["status"], "new");
    }

    // The server fails: the feed says so in plain words and backs off.
    server.status("/desk.xml", 503, "Service Unavailable", Some("3600"));
    let failed = poll(&ws, &["--all"]);
    assert_eq!(failed["new"], 0);
    let error = failed["feeds"][0]["error"].as_str().unwrap();
    assert!(error.contains("503"), "{error}");
    let text = ws.run(&["feed", "show", &id.to_string()]).ok().stdout;
    assert!(
        text.contains(
            "last checked 12:00; the server answered 503 Service Unavailable, trying again at 13:00"
        ),
        "{text}"
    );
    let shown = ws
        .run(&["--json", "feed", "show", &id.to_string()])
        .ok()
        .json();
    assert_eq!(shown["failures"], 1);
    assert!(shown["last_error"].as_str().unwrap().contains("503"));

    // It recovers: named, it is polled even though not due.
    server.feed(
        "/desk.xml",
        rss(
            "Trade desk",
            &[
                (
                    "a3",
                    "Dairy quota filled",
                    "https://example.test/a3",
                    "Third item.",
                ),
                (
                    "a4",
                    "Port strike ends",
                    "https://example.test/a4",
                    "Fourth item.",
                ),
            ],
        ),
        Some("\"v3\""),
    );
    let recovered = poll(&ws, &[&id.to_string()]);
    assert_eq!(recovered["new"], 1, "{recovered}");
    assert_eq!(recovered["feeds"][0]["error"], Value::Null);
    let shown = ws
        .run(&["--json", "feed", "show", &id.to_string()])
        .ok()
        .json();
    assert_eq!(shown["last_error"], Value::Null);
    assert_eq!(shown["failures"], 0);
    assert_eq!(
        inbox(&ws, &["--status", "new", "--feed", &id.to_string()]).len(),
        4
    );

    // Dismissed entries stay dismissed; removing the feed removes its entries.
    let a4 = inbox(&ws, &[])
        .into_iter()
        .find(|e| e["title"] == "Port strike ends")
        .unwrap();
    ws.run(&["--json", "inbox", "dismiss", &a4["id"].to_string()])
        .ok();
    assert_eq!(inbox(&ws, &["--status", "dismissed"]).len(), 1);
    assert_eq!(inbox(&ws, &["--status", "new"]).len(), 3);
    ws.run(&["--json", "feed", "remove", &id.to_string()]).ok();
    assert!(inbox(&ws, &[]).is_empty());
    assert_eq!(
        ws.run(&["--json", "feed", "list"]).ok().json(),
        serde_json::json!([])
    );
}

#[test]
fn feed_edit_and_bad_arguments() {
    let ws = Ws::new();
    let id = add(&ws, "https://example.test/feed.xml", &["--title", "Desk"]);
    let edited = ws
        .run(&[
            "--json",
            "feed",
            "edit",
            &id.to_string(),
            "--every",
            "15",
            "--full-text",
            "--auto",
            "tariff OR acier",
            "--tag",
            "trade",
        ])
        .ok()
        .json();
    assert_eq!(edited["every"], 15);
    assert_eq!(edited["full_text"], true);
    assert_eq!(edited["auto"], "tariff OR acier");
    assert_eq!(edited["tags"], serde_json::json!(["trade"]));
    let cleared = ws
        .run(&[
            "--json",
            "feed",
            "edit",
            &id.to_string(),
            "--no-full-text",
            "--no-auto",
        ])
        .ok()
        .json();
    assert_eq!(cleared["full_text"], false);
    assert_eq!(cleared["auto"], Value::Null);

    let before = ws.run(&["--json", "feed", "list"]).ok().stdout;
    let js = ws.run(&["--json", "feed", "add", "javascript:alert(1)"]);
    assert_eq!(js.code, 1);
    assert!(
        js.stderr.contains("only http:// and https://"),
        "{}",
        js.stderr
    );
    let file = ws.run(&["feed", "add", "file:///etc/passwd"]);
    assert_eq!(file.code, 1);
    let twice = ws.run(&["feed", "add", "https://example.test/feed.xml"]);
    assert_eq!(twice.code, 1, "{}", twice.stderr);
    let bad_query = ws.run(&[
        "feed",
        "add",
        "https://example.test/b.xml",
        "--auto",
        "(tariff",
    ]);
    assert_eq!(bad_query.code, 1, "{}", bad_query.stderr);
    let missing = ws.run(&["--json", "feed", "show", "999"]);
    assert_eq!(missing.code, 1);
    assert_eq!(missing.json()["error"]["code"], "not_found");
    assert_eq!(
        ws.run(&["feed", "add", "https://example.test/c.xml", "--every", "0"])
            .code,
        2
    );
    assert_eq!(ws.run(&["inbox", "list", "--status", "read"]).code, 2);
    assert_eq!(
        ws.run(&["--json", "feed", "list"]).ok().stdout,
        before,
        "nothing changed"
    );
}

#[test]
fn opml_round_trip() {
    let ws = Ws::new();
    add(
        &ws,
        "https://example.test/finance.xml",
        &["--title", "Finance & Budget"],
    );
    add(
        &ws,
        "https://example.test/cbsa.xml",
        &["--title", "CBSA notices"],
    );
    let path = ws.dir.path().join("feeds.opml");
    let p = path.to_str().unwrap();
    let exported = ws.run(&["--json", "feed", "export", p]).ok().json();
    assert_eq!(exported["feeds"], 2);

    let other = Ws::new();
    let imported = other.run(&["--json", "feed", "import", p]).ok().json();
    assert_eq!(imported["added"].as_array().unwrap().len(), 2, "{imported}");
    let list = other.run(&["--json", "feed", "list"]).ok().json();
    let mut pairs: Vec<(String, String)> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["url"].as_str().unwrap().into(),
                f["title"].as_str().unwrap().into(),
            )
        })
        .collect();
    pairs.sort();
    assert_eq!(
        pairs,
        [
            (
                "https://example.test/cbsa.xml".to_string(),
                "CBSA notices".to_string()
            ),
            (
                "https://example.test/finance.xml".to_string(),
                "Finance & Budget".to_string()
            ),
        ]
    );
    let again = other.run(&["--json", "feed", "import", p]).ok().json();
    assert_eq!(again["added"].as_array().unwrap().len(), 0);
    assert_eq!(again["already"].as_array().unwrap().len(), 2);

    let not_opml = other.file("notes.opml", "just some words");
    let bad = other.run(&["--json", "feed", "import", not_opml.to_str().unwrap()]);
    assert_eq!(bad.code, 1);
    assert_eq!(other.run(&["--json", "feed", "list"]).ok().json(), list);
}

/// 16 MB of spaces, gzipped to a few KB.
fn gzip_bomb() -> Vec<u8> {
    use flate2::{Compression, write::GzEncoder};
    use std::io::Write;
    let mut gz = GzEncoder::new(Vec::new(), Compression::fast());
    let spaces = vec![b' '; 1024 * 1024];
    for _ in 0..16 {
        gz.write_all(&spaces).unwrap();
    }
    gz.finish().unwrap()
}

#[test]
fn each_bad_feed_fails_alone() {
    let server = FeedServer::start();
    let ws = Ws::new();
    server.feed(
        "/good.xml",
        rss(
            "Good",
            &[("g1", "A good entry", "https://example.test/g1", "Fine.")],
        ),
        None,
    );
    server.feed(
        "/malformed.xml",
        "<?xml version=\"1.0\"?><rss><channel><item><title>Cut",
        None,
    );
    server.page("/page.html", article("A web page", &PARAS));
    let mut many =
        String::from("<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Many</title>");
    for i in 0..100_000 {
        many.push_str(&format!("<item><guid>{i}</guid></item>"));
    }
    many.push_str("</channel></rss>");
    server.feed("/many.xml", many, None);
    let mut huge = String::from(
        "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Huge</title><item><guid>h</guid><description>",
    );
    huge.push_str(&"word ".repeat(10 * 1024 * 1024));
    huge.push_str("</description></item></channel></rss>");
    server.feed("/huge.xml", huge, None);
    server.set("/loop.xml", Route::Redirect("/loop.xml".into()));
    server.set("/silent.xml", Route::Silent);
    server.set(
        "/bomb.xml",
        Route::Ok {
            content_type: "application/rss+xml".into(),
            body: Arc::new(gzip_bomb()),
            etag: None,
            gzip: true,
        },
    );
    server.feed(
        "/js.xml",
        rss("Js", &[("j1", "Click", "javascript:alert(1)", "x")]),
        None,
    );
    server.feed(
        "/file.xml",
        rss("File", &[("f1", "Local", "file:///etc/passwd", "x")]),
        None,
    );
    let good = add(&ws, &server.url("/good.xml"), &[]);
    let bad: Vec<(i64, &str)> = [
        ("/malformed.xml", "not valid RSS"),
        ("/page.html", "web page (HTML)"),
        ("/many.xml", "more than the 1000"),
        ("/huge.xml", "larger than"),
        ("/loop.xml", "redirects more than"),
        ("/silent.xml", "no complete answer"),
        ("/bomb.xml", "larger than"),
        ("/js.xml", "javascript:"),
        ("/file.xml", "file:"),
    ]
    .into_iter()
    .map(|(path, why)| (add(&ws, &server.url(path), &[]), why))
    .collect();
    let before = ws.snapshot();

    let report = poll(&ws, &[]);
    let by_id = |id: i64| {
        report["feeds"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["id"] == id)
            .unwrap_or_else(|| panic!("feed {id} polled: {report}"))
            .clone()
    };
    assert_eq!(by_id(good)["new"], 1);
    assert_eq!(by_id(good)["error"], Value::Null);
    for (id, why) in &bad {
        let f = by_id(*id);
        let error = f["error"].as_str().unwrap_or_else(|| panic!("{f}"));
        assert!(
            error.contains(why),
            "feed {id}: {error:?} should say {why:?}"
        );
        assert_eq!(f["new"], 0);
        let shown = ws
            .run(&["--json", "feed", "show", &id.to_string()])
            .ok()
            .json();
        assert_eq!(shown["entries"], 0, "nothing half-written");
        assert_eq!(shown["last_error"].as_str(), Some(error));
    }
    assert_eq!(report["new"], 1);
    let entries = inbox(&ws, &[]);
    assert_eq!(titles(&entries), ["A good entry"]);
    assert_eq!(
        ws.snapshot(),
        before,
        "no source, excerpt, tag or question changed"
    );
}

fn serve_articles(server: &FeedServer) {
    server.page("/a/steel", article("Steel surtax takes effect", &PARAS));
    server.page(
        "/a/acier",
        article(
            "Le prix de l'acier",
            &[
                "Le ministère a publié ce matin une note sur le prix de l'acier importé et sur la surtaxe perçue à la frontière depuis le premier du mois.",
                "Les importateurs pourront demander une remise lorsque aucun fournisseur canadien ne peut livrer le produit visé par la mesure.",
                "La note dresse la liste des lignes tarifaires touchées et des dates d'entrée en vigueur de chaque partie de la mesure.",
            ],
        ),
    );
    server.page(
        "/a/weather",
        article(
            "Snow expected in the capital",
            &[
                "Forecasters expect the first heavy snowfall of the season in the capital region overnight, with up to twenty centimetres by morning.",
                "Road crews have been called in early and the city asks residents to move their cars off the main streets before midnight tonight.",
                "Schools will decide at six in the morning whether to open, and buses may run late on the routes through the hills west of the river.",
            ],
        ),
    );
}

#[test]
fn keeping_an_entry_makes_a_source_with_the_feeds_tags() {
    let server = FeedServer::start();
    serve_articles(&server);
    let ws = Ws::new();
    server.feed(
        "/desk.xml",
        rss(
            "Trade desk",
            &[
                (
                    "s",
                    "Steel surtax takes effect",
                    &server.url("/a/steel"),
                    "The surtax applies from today.",
                ),
                (
                    "w",
                    "Snow expected",
                    &server.url("/a/weather"),
                    "Heavy snow overnight.",
                ),
                (
                    "gone",
                    "An article that moved",
                    &server.url("/a/missing"),
                    "Gone.",
                ),
            ],
        ),
        None,
    );
    let feed = add(
        &ws,
        &server.url("/desk.xml"),
        &["--tag", "trade/steel", "--tag", "desk"],
    );
    poll(&ws, &[]);
    let entries = inbox(&ws, &["--status", "new"]);
    let id_of = |title: &str| {
        entries
            .iter()
            .find(|e| e["title"].as_str().unwrap().starts_with(title))
            .unwrap()["id"]
            .as_i64()
            .unwrap()
    };
    let steel = id_of("Steel");
    let kept = ws
        .run(&["--json", "inbox", "keep", &steel.to_string()])
        .ok()
        .json();
    let source = &kept["kept"][0]["source"];
    let source_id = source["id"].as_i64().unwrap();
    let shown = ws
        .run(&["--json", "source", "show", &source_id.to_string()])
        .ok()
        .json();
    assert!(
        shown["body"]
            .as_str()
            .unwrap_or_default()
            .contains("remission")
            || shown.to_string().contains("remission"),
        "the full article is captured: {shown}"
    );
    let tags = shown["tags"].to_string();
    assert!(
        tags.contains("trade/steel") && tags.contains("desk"),
        "{tags}"
    );
    assert_eq!(
        shown["outlet"], "Trade desk",
        "the feed is the outlet when the page names none"
    );
    let entry = inbox(&ws, &["--status", "kept"]);
    assert_eq!(entry.len(), 1);
    assert_eq!(entry[0]["source_id"], source_id);

    // Keeping it again gives the same source; a missing article fails and stays new.
    let again = ws
        .run(&["--json", "inbox", "keep", &steel.to_string()])
        .ok()
        .json();
    assert_eq!(again["kept"][0]["source"]["id"], source_id);
    let gone = id_of("An article");
    let failed = ws.run(&["--json", "inbox", "keep", &gone.to_string()]);
    assert_eq!(failed.code, 1);
    let failed = failed.json();
    assert!(
        failed["kept"][0]["error"].as_str().unwrap().contains("404"),
        "{failed}"
    );
    assert_eq!(inbox(&ws, &["--status", "new"]).len(), 2);
    assert_eq!(
        ws.run(&["--json", "source", "list"])
            .ok()
            .json()
            .as_array()
            .unwrap()
            .len(),
        1
    );

    // Removing the feed keeps the source.
    ws.run(&["feed", "remove", &feed.to_string()]).ok();
    assert_eq!(
        ws.run(&["--json", "source", "list"])
            .ok()
            .json()
            .as_array()
            .unwrap()
            .len(),
        1
    );
}

#[test]
fn an_auto_query_keeps_the_matching_entries_only() {
    let server = FeedServer::start();
    serve_articles(&server);
    let ws = Ws::new();
    server.feed(
        "/desk.xml",
        rss(
            "Trade desk",
            &[
                (
                    "s",
                    "Steel surtax takes effect",
                    &server.url("/a/steel"),
                    "The new tariff applies from today.",
                ),
                (
                    "a",
                    "Le prix de l'acier",
                    &server.url("/a/acier"),
                    "Une note du ministère.",
                ),
                (
                    "w",
                    "Snow expected",
                    &server.url("/a/weather"),
                    "Heavy snow overnight.",
                ),
            ],
        ),
        None,
    );
    add(
        &ws,
        &server.url("/desk.xml"),
        &["--auto", "tariff OR acier", "--tag", "trade"],
    );
    let report = poll(&ws, &[]);
    assert_eq!(report["new"], 3, "{report}");
    assert_eq!(report["auto_kept"], 2, "{report}");
    assert_eq!(titles(&inbox(&ws, &["--status", "new"])), ["Snow expected"]);
    assert_eq!(
        titles(&inbox(&ws, &["--status", "kept"])),
        ["Le prix de l'acier", "Steel surtax takes effect"]
    );
    let sources = ws.run(&["--json", "source", "list"]).ok().json();
    assert_eq!(
        sources.as_array().unwrap().len(),
        2,
        "no trace of the test of the third"
    );
    assert_eq!(
        server.hits("/a/weather"),
        0,
        "an entry that does not match is not fetched"
    );
}

#[test]
fn a_full_text_feed_captures_every_new_entry() {
    let server = FeedServer::start();
    serve_articles(&server);
    let ws = Ws::new();
    server.feed(
        "/desk.xml",
        rss(
            "Trade desk",
            &[
                (
                    "s",
                    "Steel surtax takes effect",
                    &server.url("/a/steel"),
                    "Summary.",
                ),
                ("w", "Snow expected", &server.url("/a/weather"), "Summary."),
            ],
        ),
        None,
    );
    add(&ws, &server.url("/desk.xml"), &["--full-text"]);
    let report = poll(&ws, &[]);
    assert_eq!(report["auto_kept"], 2, "{report}");
    assert!(inbox(&ws, &["--status", "new"]).is_empty());
    assert_eq!(
        ws.run(&["--json", "source", "list"])
            .ok()
            .json()
            .as_array()
            .unwrap()
            .len(),
        2
    );
}

#[test]
fn an_entry_whose_article_is_already_a_source_never_appears() {
    let server = FeedServer::start();
    serve_articles(&server);
    let ws = Ws::new();
    let steel = server.url("/a/steel");
    ws.run(&["--json", "import", &steel]).ok();
    server.feed(
        "/desk.xml",
        rss(
            "Trade desk",
            &[
                ("s", "Steel surtax takes effect", &steel, "Summary."),
                ("w", "Snow expected", &server.url("/a/weather"), "Summary."),
            ],
        ),
        None,
    );
    add(&ws, &server.url("/desk.xml"), &[]);
    let report = poll(&ws, &[]);
    assert_eq!(report["new"], 1, "{report}");
    assert_eq!(titles(&inbox(&ws, &[])), ["Snow expected"]);

    // Another outlet's entry carrying the whole story in its summary says it is a source.
    let full: String = PARAS.join(" ");
    server.feed(
        "/wire.xml",
        rss(
            "Wire",
            &[(
                "x",
                "Steel surtax: what changes",
                "https://example.test/wire/1",
                &full,
            )],
        ),
        None,
    );
    add(&ws, &server.url("/wire.xml"), &[]);
    poll(&ws, &[]);
    let source = ws.run(&["--json", "source", "list"]).ok().json()[0]["id"].clone();
    let wire = inbox(&ws, &[])
        .into_iter()
        .find(|e| e["title"] == "Steel surtax: what changes")
        .unwrap();
    assert_eq!(wire["copy_of"], source, "{wire}");
    let text = ws.run(&["inbox", "list"]).ok().stdout;
    assert!(text.contains("already a source"), "{text}");
}

//! The connector over a real socket: every endpoint, the pairing flow, and every refusal — each
//! refusal a clear 4xx with the workspace exactly as it was (compared row by row).

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;

use dossier_api::connector as api;
use dossier_connector::{Connector, bind, serve};
use dossier_core::TagSpec;
use serde_json::{Value, json};

const EXT: &str = "chrome-extension://abcdefghijklmnopabcdefghijklmnop";

/// A sample article of our own, long enough for the extractor to keep.
const ARTICLE: &str = r#"<!doctype html><html><head><title>Harbour levy - The Tidewater Ledger</title>
<link rel="canonical" href="https://ledger.example/2026/harbour-levy"></head><body>
<nav>Home | World | Trade</nav>
<article><h1>Port authority weighs a harbour levy on bulk carriers</h1>
<p>The port authority of Tidewater said on Monday that it would consult shippers on a new levy
charged to bulk carriers that stay at anchor for more than three days, a measure its chair
described as a last resort after a season of record congestion in the outer harbour.</p>
<p>Officials estimate that the levy would raise about eleven million dollars a year, money the
authority plans to spend on a second pilot station and on dredging the northern channel.</p>
<figure><img src="x.png"><figcaption>Photo: cranes idle at the container terminal at dusk</figcaption></figure>
<p>Shipping lines were quick to object. A spokesperson for the carriers' association said the
charge would fall on crews who have no say over berth schedules, and asked for a six-month
delay so that contracts already signed could run their course.</p>
<p>The consultation closes at the end of January, and the board will vote in March.</p>
</article><footer>Copyright the Tidewater Ledger</footer></body></html>"#;

struct Server {
    port: u16,
    db: PathBuf,
    token: String,
    revoked: String,
    pairings: Arc<Mutex<Vec<String>>>,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
    _dir: tempfile::TempDir,
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

fn start() -> Server {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("ws.sqlite");
    let mut ws = dossier_api::workspace::open(&db).unwrap();
    let spec = TagSpec {
        label: Some("Zinc smelting".into()),
        label_fr: Some("Électrolyse du zinc".into()),
        add_aliases: vec!["spelter".into()],
        ..TagSpec::default()
    };
    dossier_api::tags::add(&mut ws, "trade/zinc", spec).unwrap();
    dossier_api::tags::add(&mut ws, "ports", TagSpec::default()).unwrap();
    let token = api::create_token(&mut ws, "test").unwrap().token;
    let old = api::create_token(&mut ws, "old").unwrap();
    api::revoke_token(&mut ws, old.id).unwrap();
    let (server, port) = bind(Some(0)).unwrap();
    let stop = Arc::new(AtomicBool::new(false));
    let pairings = Arc::new(Mutex::new(Vec::new()));
    let seen = pairings.clone();
    let stopping = stop.clone();
    let thread = std::thread::spawn(move || {
        let mut connector = Connector::new(ws, port);
        connector.on_pairing = Some(Box::new(move |r: &api::PairingRequest| {
            seen.lock().unwrap().push(r.client.clone());
        }));
        serve(&server, connector, &stopping);
    });
    Server {
        port,
        db,
        token,
        revoked: old.token,
        pairings,
        stop,
        thread: Some(thread),
        _dir: dir,
    }
}

struct Reply {
    status: u16,
    head: String,
    json: Value,
}

/// One HTTP/1.1 request on its own connection, headers exactly as given (plus Content-Length
/// when there is a body and none was given).
fn raw(port: u16, method: &str, path: &str, headers: &[(&str, String)], body: &[u8]) -> Reply {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    let mut req = format!("{method} {path} HTTP/1.1\r\nConnection: close\r\n");
    for (k, v) in headers {
        req.push_str(&format!("{k}: {v}\r\n"));
    }
    if !headers
        .iter()
        .any(|(k, _)| k.eq_ignore_ascii_case("content-length"))
    {
        req.push_str(&format!("Content-Length: {}\r\n", body.len()));
    }
    req.push_str("\r\n");
    s.write_all(req.as_bytes()).unwrap();
    // The server may answer and close before reading a body it refused.
    let _ = s.write_all(body);
    // Nothing more is coming: a server still reading a body it refused sees its end.
    let _ = s.shutdown(std::net::Shutdown::Write);
    let mut out = Vec::new();
    let _ = s.read_to_end(&mut out);
    let text = String::from_utf8_lossy(&out).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").expect("an HTTP answer");
    let status = head.split(' ').nth(1).unwrap().parse().unwrap();
    let json = serde_json::from_str(body).unwrap_or(Value::Null);
    Reply {
        status,
        head: head.to_ascii_lowercase(),
        json,
    }
}

impl Server {
    fn host(&self) -> String {
        format!("127.0.0.1:{}", self.port)
    }
    /// The headers the extension sends.
    fn ext_headers(&self, token: &str) -> Vec<(&'static str, String)> {
        vec![
            ("Host", self.host()),
            ("Origin", EXT.into()),
            ("X-Dossier-Connector", "1".into()),
            ("Authorization", format!("Bearer {token}")),
            ("Content-Type", "application/json".into()),
        ]
    }
    fn get(&self, path: &str) -> Reply {
        raw(self.port, "GET", path, &self.ext_headers(&self.token), b"")
    }
    fn post(&self, path: &str, body: &Value) -> Reply {
        raw(
            self.port,
            "POST",
            path,
            &self.ext_headers(&self.token),
            body.to_string().as_bytes(),
        )
    }
}

/// Every row of every table, in order: two dumps are equal when nothing was written.
fn dump(db: &Path) -> String {
    let conn = rusqlite::Connection::open(db).unwrap();
    let tables: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let mut out = String::new();
    for t in tables {
        let mut stmt = conn.prepare(&format!("SELECT * FROM \"{t}\"")).unwrap();
        let n = stmt.column_count();
        let mut rows = stmt.query([]).unwrap();
        out.push_str(&format!("## {t}\n"));
        while let Some(row) = rows.next().unwrap() {
            for i in 0..n {
                out.push_str(&format!("{:?}|", row.get_ref(i).unwrap()));
            }
            out.push('\n');
        }
    }
    out
}

fn page(url: &str) -> Value {
    json!({"url": url, "title": "Harbour levy", "html": ARTICLE})
}

fn no_cors_grant(reply: &Reply) {
    assert!(
        !reply.head.contains("access-control-allow"),
        "no CORS grant, ever: {}",
        reply.head
    );
}

#[test]
fn ping_answers_anyone_local_with_no_data() {
    let s = start();
    let r = raw(s.port, "GET", "/v1/ping", &[("Host", s.host())], b"");
    assert_eq!(r.status, 200);
    assert_eq!(r.json["app"], "dossier");
    assert_eq!(r.json["workspace"], "ws");
    assert!(r.json.get("sources").is_none());
    let r = raw(
        s.port,
        "GET",
        "/v1/ping",
        &[
            ("Host", format!("localhost:{}", s.port)),
            ("Origin", EXT.into()),
        ],
        b"",
    );
    assert_eq!(r.status, 200);
    no_cors_grant(&r);
}

#[test]
fn save_page_then_again_then_a_selection_as_an_excerpt() {
    let s = start();
    let url = "https://ledger.example/2026/harbour-levy?utm=x";
    let r = s.post("/v1/pages", &page(url));
    assert_eq!(r.status, 200, "{}", r.json);
    assert_eq!(r.json["status"], "imported");
    let id = r.json["source"]["id"].as_i64().unwrap();
    assert_eq!(r.json["source"]["excerpt_count"], 0);
    assert!(r.json.get("excerpt").is_none());

    let r = s.post("/v1/pages", &page(url));
    assert_eq!(r.json["status"], "already_present", "{}", r.json);
    assert_eq!(r.json["source"]["id"], id);

    let quote = "a spokesperson for the carriers' association said";
    let mut body = page(url);
    body["selection"] = json!({
        "text": "A spokesperson for the carriers'\n association said",
        "prefix": "Shipping lines were quick to object. ",
        "suffix": " the charge would fall on crews",
    });
    body["note"] = json!("Carriers ask for a delay.");
    body["tags"] = json!(["trade/zinc", "Ports"]);
    body["question"] = json!("Who sets the berth schedules?");
    let r = s.post("/v1/pages", &body);
    assert_eq!(r.status, 200, "{}", r.json);
    assert_eq!(r.json["status"], "already_present");
    let e = &r.json["excerpt"];
    assert_eq!(e["source_id"], id);
    assert!(
        e["quote"].as_str().unwrap().eq_ignore_ascii_case(quote),
        "{e}"
    );
    assert_eq!(e["note"], "Carriers ask for a delay.");
    assert_eq!(e["tags"], json!(["trade/zinc", "ports"]));
    assert_eq!(r.json["source"]["excerpt_count"], 1);

    // The offsets point at the quote in the stored text; the question follows up the excerpt.
    let ws = dossier_api::workspace::open(&s.db).unwrap();
    let source = dossier_api::sources::get(&ws, id).unwrap();
    let (start, end) = (
        e["start"].as_u64().unwrap() as usize,
        e["end"].as_u64().unwrap() as usize,
    );
    let placed: String = source.text.chars().skip(start).take(end - start).collect();
    assert_eq!(placed, e["quote"].as_str().unwrap());
    let questions = dossier_api::followups::list(&ws, None).unwrap();
    assert_eq!(questions.len(), 1);
    assert_eq!(questions[0].text, "Who sets the berth schedules?");

    // Already saved? By the address, by the canonical one, and not for another page.
    let r = s.get(&format!(
        "/v1/sources?url={}",
        "https%3A%2F%2Fledger.example%2F2026%2Fharbour-levy%3Futm%3Dx%23top"
    ));
    assert_eq!(r.status, 200);
    assert_eq!(r.json["saved"], true);
    assert_eq!(r.json["source"]["excerpt_count"], 1);
    let r = s.get("/v1/sources?url=https%3A%2F%2Fother.example%2F");
    assert_eq!(r.json["saved"], false);
    assert_eq!(r.json["source"], Value::Null);
}

#[test]
fn a_selection_outside_the_extracted_text_writes_nothing_unless_kept_as_a_note() {
    let s = start();
    let url = "https://ledger.example/2026/harbour-levy";
    let mut body = page(url);
    body["selection"] =
        json!({"text": "Photo: cranes idle at the container terminal", "prefix": "", "suffix": ""});
    body["note"] = json!("the caption");
    let before = dump(&s.db);
    let r = s.post("/v1/pages", &body);
    assert_eq!(r.status, 422, "{}", r.json);
    assert_eq!(r.json["error"]["code"], "selection_not_found");
    assert_eq!(dump(&s.db), before, "nothing written");

    body["unanchored_ok"] = json!(true);
    let r = s.post("/v1/pages", &body);
    assert_eq!(r.status, 200, "{}", r.json);
    assert_eq!(r.json["unanchored"], true);
    assert!(r.json.get("excerpt").is_none());
    let ws = dossier_api::workspace::open(&s.db).unwrap();
    let id = r.json["source"]["id"].as_i64().unwrap();
    let notes = dossier_api::sources::get(&ws, id).unwrap().notes;
    assert!(
        notes.contains("> Photo: cranes idle at the container terminal")
            && notes.contains("the caption"),
        "{notes}"
    );
}

#[test]
fn an_unknown_tag_or_a_bad_page_is_refused_with_nothing_written() {
    let s = start();
    let before = dump(&s.db);
    let mut body = page("https://ledger.example/a");
    body["tags"] = json!(["no/such/tag"]);
    let r = s.post("/v1/pages", &body);
    assert_eq!(
        (r.status, r.json["error"]["code"].as_str()),
        (400, Some("unknown_tag"))
    );
    let r = s.post(
        "/v1/pages",
        &json!({"url": "javascript:alert(1)", "html": ARTICLE}),
    );
    assert_eq!(
        (r.status, r.json["error"]["code"].as_str()),
        (400, Some("invalid"))
    );
    let r = s.post(
        "/v1/pages",
        &json!({"url": "https://a.example/", "html": "  "}),
    );
    assert_eq!(r.status, 400);
    let r = s.post(
        "/v1/pages",
        &json!({"url": "https://a.example/", "html": ARTICLE, "evil": 1}),
    );
    assert_eq!(
        (r.status, r.json["error"]["code"].as_str()),
        (400, Some("malformed_json"))
    );
    assert_eq!(dump(&s.db), before);
}

#[test]
fn tags_autocomplete_over_paths_labels_french_labels_and_aliases_without_accents() {
    let s = start();
    for q in [
        "zinc",
        "ELECTROLYSE",
        "spel",
        "smelt",
        "trade%2Fzi",
        "%C3%A9lectro",
    ] {
        let r = s.get(&format!("/v1/tags?q={q}"));
        assert_eq!(r.status, 200);
        let paths: Vec<&str> = r.json["tags"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t["path"].as_str().unwrap())
            .collect();
        assert_eq!(paths, ["trade/zinc"], "q={q}");
    }
    let r = s.get("/v1/tags?q=zinc");
    assert_eq!(r.json["tags"][0]["label_fr"], "Électrolyse du zinc");
    let r = s.get("/v1/tags?q=");
    let all = r.json["tags"].as_array().unwrap();
    assert!(
        !all.is_empty() && all.len() <= 20,
        "a short list to start from"
    );
}

#[test]
fn pairing_pending_then_approved_hands_the_token_over_once() {
    let s = start();
    let headers = |origin: &str| {
        vec![
            ("Host", s.host()),
            ("Origin", origin.to_owned()),
            ("X-Dossier-Connector", "1".into()),
        ]
    };
    let r = raw(
        s.port,
        "POST",
        "/v1/pair",
        &headers(EXT),
        br#"{"client":"Chromium"}"#,
    );
    assert_eq!(r.status, 202, "{}", r.json);
    let secret = r.json["secret"].as_str().unwrap().to_owned();
    assert_eq!(
        s.pairings.lock().unwrap().as_slice(),
        ["Chromium"],
        "the app is told"
    );
    let poll = || {
        raw(
            s.port,
            "GET",
            &format!("/v1/pair/{secret}"),
            &headers(EXT),
            b"",
        )
    };
    assert_eq!(poll().json["status"], "pending");

    // Another process (`dossier connector pair --approve`, the app) approves in the database.
    let mut ws = dossier_api::workspace::open(&s.db).unwrap();
    let pending = api::pending_pairings(&ws).unwrap();
    assert_eq!(pending.len(), 1);
    assert_eq!(pending[0].origin, EXT);
    let issued = api::approve_latest_or_create(&mut ws, "cli").unwrap();
    assert_eq!(issued.client, "Chromium");

    let r = poll();
    assert_eq!(r.status, 200);
    assert_eq!(r.json["status"], "approved");
    let token = r.json["token"].as_str().unwrap().to_owned();
    assert_eq!(token, issued.token);
    let again = poll();
    assert_eq!(again.status, 404, "handed over once: {}", again.json);

    let r = raw(s.port, "GET", "/v1/tags?q=", &s.ext_headers(&token), b"");
    assert_eq!(r.status, 200, "the new token works");
    let listed = api::list_tokens(&ws).unwrap();
    let mine = listed.iter().find(|t| t.id == issued.id).unwrap();
    assert!(mine.last_used_at.is_some(), "its use is recorded");

    // Revoked, it stops working at once.
    api::revoke_token(&mut ws, issued.id).unwrap();
    let r = raw(s.port, "GET", "/v1/tags?q=", &s.ext_headers(&token), b"");
    assert_eq!(r.status, 401);
}

#[test]
fn pairing_denied_is_told_and_gives_no_token() {
    let s = start();
    let h = vec![
        ("Host", s.host()),
        (
            "Origin",
            "moz-extension://0b6c1c4e-1f1a-4c39-9d59-2f2c3a1b0e11".to_owned(),
        ),
        ("X-Dossier-Connector", "1".into()),
    ];
    let r = raw(s.port, "POST", "/v1/pair", &h, br#"{"client":"Firefox"}"#);
    let secret = r.json["secret"].as_str().unwrap().to_owned();
    let mut ws = dossier_api::workspace::open(&s.db).unwrap();
    let id = api::pending_pairings(&ws).unwrap()[0].id;
    api::deny_pairing(&mut ws, id).unwrap();
    let r = raw(s.port, "GET", &format!("/v1/pair/{secret}"), &h, b"");
    assert_eq!(r.json, json!({"status": "denied"}));
    assert!(
        api::approve_pairing(&mut ws, id).is_err(),
        "decided already"
    );
    // A made-up secret learns nothing.
    let r = raw(
        s.port,
        "GET",
        &format!("/v1/pair/{}", "ab".repeat(32)),
        &h,
        b"",
    );
    assert_eq!(r.status, 404);
}

#[test]
fn pairing_requests_are_capped() {
    let s = start();
    let h = vec![
        ("Host", s.host()),
        ("Origin", EXT.to_owned()),
        ("X-Dossier-Connector", "1".into()),
    ];
    for _ in 0..5 {
        let r = raw(s.port, "POST", "/v1/pair", &h, br#"{"client":"Chromium"}"#);
        assert_eq!(r.status, 202);
    }
    let before = dump(&s.db);
    let r = raw(s.port, "POST", "/v1/pair", &h, br#"{"client":"Chromium"}"#);
    assert_eq!(
        (r.status, r.json["error"]["code"].as_str()),
        (429, Some("too_many_requests"))
    );
    assert_eq!(dump(&s.db), before);
}

type Headers = Vec<(&'static str, String)>;
/// What is wrong, method, headers, body, the status and code expected.
type Case = (
    &'static str,
    &'static str,
    Headers,
    Vec<u8>,
    u16,
    &'static str,
);

/// Each hostile or broken request, sent as a full save with a selection, tags and a question:
/// a 4xx with its code, no CORS grant, and the workspace unchanged.
#[test]
fn refusals_are_4xx_and_write_nothing() {
    let s = start();
    let mut body = page("https://ledger.example/2026/harbour-levy");
    body["selection"] = json!({"text": "The consultation closes at the end of January"});
    body["tags"] = json!(["ports"]);
    body["question"] = json!("When is the vote?");
    let good = body.to_string();
    let base = s.ext_headers(&s.token);
    let with = |name: &str, value: Option<String>| -> Headers {
        let mut h: Headers = base
            .iter()
            .filter(|(k, _)| !k.eq_ignore_ascii_case(name))
            .cloned()
            .collect();
        if let Some(v) = value {
            let k: &'static str = Box::leak(name.to_owned().into_boxed_str());
            h.push((k, v));
        }
        h
    };
    let cases: Vec<Case> = vec![
        (
            "no token",
            "POST",
            with("Authorization", None),
            good.clone().into(),
            401,
            "unauthorized",
        ),
        (
            "wrong token",
            "POST",
            with("Authorization", Some(format!("Bearer {}", "0".repeat(64)))),
            good.clone().into(),
            401,
            "unauthorized",
        ),
        (
            "malformed token",
            "POST",
            with("Authorization", Some("Bearer x".into())),
            good.clone().into(),
            401,
            "unauthorized",
        ),
        (
            "token not as a bearer",
            "POST",
            with("Authorization", Some(s.token.clone())),
            good.clone().into(),
            401,
            "unauthorized",
        ),
        (
            "revoked token",
            "POST",
            with("Authorization", Some(format!("Bearer {}", s.revoked))),
            good.clone().into(),
            401,
            "unauthorized",
        ),
        (
            "a web page's Origin",
            "POST",
            with("Origin", Some("https://evil.example".into())),
            good.clone().into(),
            403,
            "forbidden_origin",
        ),
        (
            "a null Origin",
            "POST",
            with("Origin", Some("null".into())),
            good.clone().into(),
            403,
            "forbidden_origin",
        ),
        (
            "a foreign Host",
            "POST",
            with("Host", Some("evil.example:47810".into())),
            good.clone().into(),
            421,
            "bad_host",
        ),
        (
            "another port's Host",
            "POST",
            with("Host", Some("127.0.0.1:1".into())),
            good.clone().into(),
            421,
            "bad_host",
        ),
        (
            "no Host",
            "POST",
            with("Host", None),
            good.clone().into(),
            421,
            "bad_host",
        ),
        (
            "missing header",
            "POST",
            with("X-Dossier-Connector", None),
            good.clone().into(),
            403,
            "missing_header",
        ),
        (
            "wrong header",
            "POST",
            with("X-Dossier-Connector", Some("yes".into())),
            good.clone().into(),
            403,
            "missing_header",
        ),
        (
            "a preflight",
            "OPTIONS",
            with("Access-Control-Request-Method", Some("POST".into())),
            Vec::new(),
            403,
            "forbidden_origin",
        ),
        (
            "malformed JSON",
            "POST",
            base.clone(),
            b"{\"url\": \"https://a.example/\", \"html\": ".to_vec(),
            400,
            "malformed_json",
        ),
        (
            "not JSON at all",
            "POST",
            base.clone(),
            b"url=https://a.example/&html=x".to_vec(),
            400,
            "malformed_json",
        ),
        (
            "an oversized body (declared)",
            "POST",
            with("Content-Length", Some((60 * 1024 * 1024).to_string())),
            Vec::new(),
            413,
            "too_large",
        ),
        (
            "wrong method",
            "GET",
            base.clone(),
            Vec::new(),
            405,
            "method_not_allowed",
        ),
        (
            "pairing from a web page",
            "POST",
            with("Origin", Some("http://127.0.0.1:8000".into())),
            br#"{"client":"x"}"#.to_vec(),
            403,
            "forbidden_origin",
        ),
    ];
    let before = dump(&s.db);
    for (what, method, headers, payload, status, code) in cases {
        let path = if what.starts_with("pairing") {
            "/v1/pair"
        } else {
            "/v1/pages"
        };
        let r = raw(s.port, method, path, &headers, &payload);
        assert_eq!(r.status, status, "{what}: {}", r.json);
        assert_eq!(r.json["error"]["code"], code, "{what}");
        assert!(
            !r.json["error"]["message"].as_str().unwrap_or("").is_empty(),
            "{what}"
        );
        no_cors_grant(&r);
        assert_eq!(dump(&s.db), before, "{what}: the workspace is unchanged");
    }
    // The same request with nothing wrong goes through: the refusals were the checks'.
    let r = raw(s.port, "POST", "/v1/pages", &base, good.as_bytes());
    assert_eq!(r.status, 200, "{}", r.json);
    assert_ne!(dump(&s.db), before);
}

#[test]
fn a_real_oversized_body_is_refused() {
    let s = start();
    let before = dump(&s.db);
    let big = vec![b' '; dossier_connector::MAX_BODY_BYTES + 1];
    let r = raw(s.port, "POST", "/v1/pages", &s.ext_headers(&s.token), &big);
    assert_eq!(r.status, 413);
    assert_eq!(dump(&s.db), before);
}

#[test]
fn an_extension_get_without_origin_is_served_but_still_needs_header_and_token() {
    // Browsers leave Origin off an extension's GET to a host it has permission for.
    let s = start();
    let mut h: Vec<(&str, String)> = s
        .ext_headers(&s.token)
        .into_iter()
        .filter(|(k, _)| *k != "Origin")
        .collect();
    assert_eq!(raw(s.port, "GET", "/v1/tags?q=ste", &h, b"").status, 200);
    h.retain(|(k, _)| *k != "X-Dossier-Connector");
    assert_eq!(raw(s.port, "GET", "/v1/tags?q=ste", &h, b"").status, 403);
}

/// The app's connector follows the workspace its window has open (File → Open): before every
/// request it asks where that is, so ping names it and saves land in it. Tokens live in each
/// workspace, so a token of the first one is refused in the second; with no workspace open,
/// every request is a 503 with nothing written anywhere.
#[test]
fn a_following_connector_saves_into_the_workspace_open_now() {
    let dir = tempfile::tempdir().unwrap();
    let alpha = dir.path().join("alpha.sqlite");
    let beta = dir.path().join("beta.sqlite");
    let mut ws = dossier_api::workspace::open(&alpha).unwrap();
    let token_alpha = api::create_token(&mut ws, "Firefox").unwrap().token;
    let mut other = dossier_api::workspace::open(&beta).unwrap();
    let token_beta = api::create_token(&mut other, "Firefox").unwrap().token;
    drop(other);

    let open_now = Arc::new(Mutex::new(Some(alpha.clone())));
    let (server, port) = bind(Some(0)).unwrap();
    let mut connector = Connector::new(ws, port);
    let asked = open_now.clone();
    connector.follow = Some(Box::new(move || {
        asked
            .lock()
            .unwrap()
            .clone()
            .ok_or_else(|| "none could be opened".to_owned())
    }));
    let stop = Arc::new(AtomicBool::new(false));
    let stopping = stop.clone();
    let thread = std::thread::spawn(move || serve(&server, connector, &stopping));
    let s = Server {
        port,
        db: alpha.clone(),
        token: token_alpha.clone(),
        revoked: String::new(),
        pairings: Arc::new(Mutex::new(Vec::new())),
        stop,
        thread: Some(thread),
        _dir: dir,
    };
    let ping = || raw(port, "GET", "/v1/ping", &[("Host", s.host())], b"");
    let save = |token: &str, url: &str| {
        raw(
            port,
            "POST",
            "/v1/pages",
            &s.ext_headers(token),
            page(url).to_string().as_bytes(),
        )
    };
    let sources = |db: &Path| {
        let ws = dossier_api::workspace::open(db).unwrap();
        dossier_api::sources::list(&ws).unwrap().len()
    };

    assert_eq!(ping().json["workspace"], "alpha");
    let r = save(&token_alpha, "https://ledger.example/one");
    assert_eq!(r.status, 200, "{}", r.json);
    assert_eq!((sources(&alpha), sources(&beta)), (1, 0));

    // The window opens another workspace.
    *open_now.lock().unwrap() = Some(beta.clone());
    assert_eq!(
        ping().json["workspace"],
        "beta",
        "ping names the new workspace"
    );
    let before = dump(&beta);
    let r = save(&token_alpha, "https://ledger.example/two");
    assert_eq!(r.status, 401, "alpha's token is not beta's: {}", r.json);
    assert_eq!(dump(&beta), before);
    let r = save(&token_beta, "https://ledger.example/two");
    assert_eq!(r.status, 200, "{}", r.json);
    assert_eq!(r.json["status"], "imported");
    assert_eq!(
        (sources(&alpha), sources(&beta)),
        (1, 1),
        "the save went to the workspace open now"
    );

    // No workspace open: a clear 503, nothing written anywhere.
    *open_now.lock().unwrap() = None;
    let (before_alpha, before_beta) = (dump(&alpha), dump(&beta));
    let r = ping();
    assert_eq!(r.status, 503);
    assert_eq!(r.json["error"]["code"], "no_workspace");
    let r = save(&token_beta, "https://ledger.example/three");
    assert_eq!(r.status, 503, "{}", r.json);
    assert_eq!((dump(&alpha), dump(&beta)), (before_alpha, before_beta));

    // And back.
    *open_now.lock().unwrap() = Some(alpha.clone());
    assert_eq!(ping().json["workspace"], "alpha");
    let r = raw(
        port,
        "GET",
        "/v1/sources?url=https%3A%2F%2Fledger.example%2Fone",
        &s.ext_headers(&token_alpha),
        b"",
    );
    assert_eq!(r.json["saved"], true, "{}", r.json);
}

/// Opens a connection and sends the headers of a save whose body never comes. Over 1 KB
/// announced: tiny_http reads smaller bodies itself before it hands the request over.
fn stall(port: u16) -> TcpStream {
    let mut c = TcpStream::connect(("127.0.0.1", port)).unwrap();
    let head = format!(
        "POST /v1/pages HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nOrigin: {EXT}\r\n\
         X-Dossier-Connector: 1\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{{\"url\":"
    );
    c.write_all(head.as_bytes()).unwrap();
    c
}

/// A ping that fails the test, rather than hanging it, when no answer comes within 5 s.
fn ping_within_5s(port: u16) -> Reply {
    let mut c = TcpStream::connect(("127.0.0.1", port)).unwrap();
    c.set_read_timeout(Some(std::time::Duration::from_secs(5)))
        .unwrap();
    let req =
        format!("GET /v1/ping HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n");
    c.write_all(req.as_bytes()).unwrap();
    let mut out = Vec::new();
    if let Err(e) = c.read_to_end(&mut out) {
        panic!("no answer within 5 s ({e}): the server is held by a stalled client");
    }
    let text = String::from_utf8_lossy(&out).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").expect("an HTTP answer");
    Reply {
        status: head.split(' ').nth(1).unwrap().parse().unwrap(),
        head: head.to_ascii_lowercase(),
        json: serde_json::from_str(body).unwrap_or(Value::Null),
    }
}

/// A local client that sends its headers and stalls before its body holds one reader, not the
/// server; past [`dossier_connector::MAX_READERS`] stalled clients, requests get a clear 503
/// until they go.
#[test]
fn a_client_that_stalls_before_its_body_holds_up_no_one() {
    let s = start();
    let first = stall(s.port);
    // Time for the server to take the stalled request up before the ping comes.
    std::thread::sleep(std::time::Duration::from_millis(300));
    let r = ping_within_5s(s.port);
    assert_eq!(r.status, 200, "{}", r.json);
    let r = s.post("/v1/pages", &page("https://ledger.example/while-stalled"));
    assert_eq!(
        r.status, 200,
        "a save is served beside the stalled client: {}",
        r.json
    );

    let mut stalled = vec![first];
    while stalled.len() < dossier_connector::MAX_READERS {
        stalled.push(stall(s.port));
        // One at a time: tiny_http's connection pool can leave a connection that arrives in
        // the same instant as another without a thread while the others are held.
        std::thread::sleep(std::time::Duration::from_millis(200));
    }
    // The readers are taken once the server has seen the stalled requests.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    let busy = loop {
        let r = ping_within_5s(s.port);
        if r.status == 503 || std::time::Instant::now() > deadline {
            break r;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    };
    assert_eq!(busy.status, 503, "{}", busy.json);
    assert_eq!(busy.json["error"]["code"], "busy");

    // The stalled clients go; their readers come back.
    drop(stalled);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    loop {
        let r = ping_within_5s(s.port);
        if r.status == 200 {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "still {} after the stalled clients left",
            r.status
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
}

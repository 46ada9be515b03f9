//! `dossier connector`: serve headless, pair (the extension asks over HTTP, the command
//! approves in the workspace), list and revoke tokens.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};

use serde_json::{Value, json};

use crate::{Ws, path_str};

const EXT: &str = "chrome-extension://abcdefghijklmnopabcdefghijklmnop";

struct Serving {
    child: Child,
    port: u16,
}

impl Drop for Serving {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn serve(ws: &Ws) -> Serving {
    let mut child = Command::new(env!("CARGO_BIN_EXE_dossier"))
        .args([
            "--db",
            path_str(&ws.db),
            "connector",
            "serve",
            "--port",
            "0",
            "--json",
        ])
        .env_remove("DOSSIER_DB")
        .env("DOSSIER_NOW", "2026-11-26T12:00:00Z")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let v: Value = serde_json::from_str(&line).unwrap_or_else(|e| panic!("{line:?}: {e}"));
    let port = v["port"].as_u64().unwrap() as u16;
    assert_eq!(v["listening"], format!("127.0.0.1:{port}"));
    Serving { child, port }
}

fn http(port: u16, method: &str, path: &str, token: Option<&str>, body: &str) -> (u16, Value) {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    let auth = token
        .map(|t| format!("Authorization: Bearer {t}\r\n"))
        .unwrap_or_default();
    write!(
        s,
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nOrigin: {EXT}\r\nX-Dossier-Connector: 1\r\n{auth}Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let _ = s.shutdown(std::net::Shutdown::Write);
    let mut out = String::new();
    s.read_to_string(&mut out).unwrap();
    let (head, body) = out.split_once("\r\n\r\n").unwrap();
    let status = head.split(' ').nth(1).unwrap().parse().unwrap();
    (status, serde_json::from_str(body).unwrap_or(Value::Null))
}

const PAGE: &str = "<html><head><title>Rail cars</title></head><body><article><h1>Rail cars for the harvest</h1>\
    <p>The grain commission asked the railway for forty extra hopper cars a week until the end of \
    November, and said it would publish a daily count of the cars loaded at each elevator.</p>\
    <p>Farm groups welcomed the request but warned that storage on farms was already stretched.</p>\
    </article></body></html>";

#[test]
fn the_extension_asks_and_pair_approve_hands_it_its_token() {
    let ws = Ws::new();
    let server = serve(&ws);
    assert_eq!(
        ws.run(&["--json", "connector", "tokens"]).ok().json(),
        json!([])
    );

    let (status, asked) = http(
        server.port,
        "POST",
        "/v1/pair",
        None,
        r#"{"client":"Chromium"}"#,
    );
    assert_eq!(status, 202, "{asked}");
    let secret = asked["secret"].as_str().unwrap().to_owned();

    let waiting = ws.run(&["--json", "connector", "pair"]).ok().json();
    assert_eq!(waiting[0]["client"], "Chromium");
    assert_eq!(waiting[0]["origin"], EXT);
    let text = ws.run(&["connector", "pair"]).ok().stdout;
    assert!(text.contains("Chromium") && text.contains(EXT), "{text}");

    let approved = ws
        .run(&["--json", "connector", "pair", "--approve"])
        .ok()
        .json();
    assert_eq!(approved["client"], "Chromium");
    let token = approved["token"].as_str().unwrap().to_owned();
    assert_eq!(token.len(), 64);

    let (status, polled) = http(server.port, "GET", &format!("/v1/pair/{secret}"), None, "");
    assert_eq!((status, polled["status"].as_str()), (200, Some("approved")));
    assert_eq!(polled["token"], token.as_str());

    let page = json!({"url": "https://courier.example/rail", "title": "Rail cars", "html": PAGE})
        .to_string();
    let (status, saved) = http(server.port, "POST", "/v1/pages", Some(&token), &page);
    assert_eq!(status, 200, "{saved}");
    assert_eq!(saved["status"], "imported");
    assert_eq!(
        ws.run(&["--json", "source", "list"])
            .ok()
            .json()
            .as_array()
            .unwrap()
            .len(),
        1
    );

    // Listed with its last use, never with its text; revoked, it is refused at once.
    let listed = ws.run(&["--json", "connector", "tokens"]).ok();
    assert!(
        !listed.stdout.contains(&token),
        "the list never shows a token"
    );
    let listed = listed.json();
    assert_eq!(listed[0]["client"], "Chromium");
    assert_eq!(listed[0]["last_used_at"], "2026-11-26T12:00:00Z");
    assert_eq!(listed[0]["revoked_at"], Value::Null);
    let id = listed[0]["id"].to_string();
    let revoked = ws.run(&["--json", "connector", "revoke", &id]).ok().json();
    assert_eq!(revoked["revoked_at"], "2026-11-26T12:00:00Z");
    let before = ws.snapshot();
    let (status, refused) = http(server.port, "POST", "/v1/pages", Some(&token), &page);
    assert_eq!(
        (status, refused["error"]["code"].as_str()),
        (401, Some("unauthorized"))
    );
    assert_eq!(ws.snapshot(), before);
    let text = ws.run(&["connector", "tokens"]).ok().stdout;
    assert!(text.contains("revoked 2026-11-26T12:00:00Z"), "{text}");
}

#[test]
fn pair_deny_refuses_and_the_extension_is_told() {
    let ws = Ws::new();
    let server = serve(&ws);
    let (_, asked) = http(
        server.port,
        "POST",
        "/v1/pair",
        None,
        r#"{"client":"Firefox"}"#,
    );
    let secret = asked["secret"].as_str().unwrap().to_owned();
    let denied = ws
        .run(&["--json", "connector", "pair", "--deny"])
        .ok()
        .json();
    assert_eq!(denied["status"], "denied");
    let (_, polled) = http(server.port, "GET", &format!("/v1/pair/{secret}"), None, "");
    assert_eq!(polled, json!({"status": "denied"}));
    assert_eq!(
        ws.run(&["--json", "connector", "tokens"]).ok().json(),
        json!([])
    );
}

#[test]
fn approving_with_nothing_waiting_is_an_error_unless_a_script_token_is_asked_for() {
    let ws = Ws::new();
    let r = ws.run(&["--json", "connector", "pair", "--approve"]);
    assert_eq!(r.code, 1);
    assert_eq!(r.json()["error"]["code"], "not_found");
    assert!(
        r.stderr.contains("no pairing request is waiting"),
        "{}",
        r.stderr
    );
    let r = ws.run(&["--json", "connector", "pair", "--approve", "--id", "9"]);
    assert_eq!(r.code, 1);
    assert_eq!(r.json()["error"]["code"], "not_found");

    let made = ws
        .run(&[
            "--json",
            "connector",
            "pair",
            "--approve",
            "--new-token",
            "script",
        ])
        .ok()
        .json();
    assert_eq!(made["client"], "script");
    let text = ws
        .run(&["connector", "pair", "--approve", "--new-token", "other"])
        .ok()
        .stdout;
    assert_eq!(text.trim().len(), 64, "the token alone: {text}");
    assert_eq!(
        ws.run(&["--json", "connector", "tokens"])
            .ok()
            .json()
            .as_array()
            .unwrap()
            .len(),
        2
    );
}

#[test]
fn bad_connector_arguments_are_refused() {
    let ws = Ws::new();
    let r = ws.run(&["connector", "revoke", "42"]);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.contains("no connector token with id 42"),
        "{}",
        r.stderr
    );
    assert_eq!(ws.run(&["connector", "revoke", "x"]).code, 2);
    assert_eq!(
        ws.run(&["connector", "pair", "--new-token", "x"]).code,
        2,
        "needs --approve"
    );
    assert_eq!(
        ws.run(&["connector", "pair", "--approve", "--deny"]).code,
        2
    );
    assert_eq!(ws.run(&["connector", "serve", "--port", "70000"]).code, 2);
    let r = ws.run(&[
        "--json",
        "connector",
        "pair",
        "--approve",
        "--new-token",
        "",
    ]);
    assert_eq!(r.code, 1);
    assert_eq!(r.json()["error"]["code"], "invalid");
}

//! The browser connector: an HTTP server on 127.0.0.1 that the Dossier extension saves pages
//! through. The app runs it on a thread of its own with its own workspace connection;
//! `dossier connector serve` runs the same code headless.
//!
//! Every request is checked before it reaches the workspace, in this order, and each refusal
//! is a 4xx JSON error with nothing written:
//! 1. `Host` must be `127.0.0.1:PORT` or `localhost:PORT` (a DNS-rebinding page sends its own name);
//! 2. an `Origin`, when sent, must be an extension's (`chrome-extension://`, `moz-extension://`);
//!    `OPTIONS` (a CORS preflight) is always refused and no `Access-Control-Allow-*` header is
//!    ever sent, so no web origin is ever granted anything;
//! 3. every endpoint but ping requires `X-Dossier-Connector: 1` — a header a web page's `fetch`
//!    cannot send cross-origin without a preflight (which step 2 refuses), and that makes the
//!    browser send its `Origin`;
//! 4. every endpoint but ping and pairing requires `Authorization: Bearer TOKEN`, a live token;
//! 5. bodies over 50 MB are refused before they are read, and malformed JSON is a 400.
//!
//! Steps 1 to 3 and the size check look at the headers only and run before the body is read
//! ([`Connector::check_headers`]). A token's last use is recorded only when the request it
//! carried succeeded, so a refused request writes nothing at all.
//!
//! Why a missing `Origin` is not refused: browsers leave `Origin` off a GET that an extension
//! makes to a host its `host_permissions` grant (the request counts as same-origin there), so
//! the extension's own `GET /v1/tags` arrives without one. A web page cannot send a request
//! without `Origin` that also carries step 3's header, so this lets nothing from the web in.
//!
//! Which workspace it saves to: the one it was given, or — with [`Connector::follow`] set, as
//! the app sets it — the one its owner has open *now*, asked before every request, so File →
//! Open in the app moves the connector too (and ping names the new workspace). Tokens and
//! pairing requests live in the workspace, so an extension paired with another workspace is
//! told `unauthorized` there and pairs again.
//!
//! Requests are answered one at a time (the connector is behind one mutex: a save takes tens of
//! milliseconds and an analyst saves one page at a time), but each request is read on a thread
//! of its own, at most [`MAX_READERS`] at once: a local client that sends its headers and stalls
//! before its body holds one reader, never the server. tiny_http gives no access to the socket,
//! so no read timeout can be set on it; past the cap, requests get a 503 until such a client
//! goes.

use std::io::Read as _;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use dossier_api::CommandError;
use dossier_api::connector::{self, PageCapture, PairingPoll};
use dossier_store::Workspace;
use serde::Deserialize;
use serde_json::{Value, json};

/// The port tried first; the next [`PORT_RANGE`]` - 1` are tried when it is taken, and the
/// extension probes the same range with `GET /v1/ping`.
pub const DEFAULT_PORT: u16 = 47810;
pub const PORT_RANGE: u16 = 10;
/// Largest request body accepted.
pub const MAX_BODY_BYTES: usize = 50 * 1024 * 1024;
/// Requests whose bodies may be being read at once; past this, a 503 (see the module's doc).
pub const MAX_READERS: usize = 4;

/// A request reduced to what the connector looks at: testable without a socket.
#[derive(Debug, Clone, Default)]
pub struct Request {
    pub method: String,
    /// Path and query, as sent (`/v1/tags?q=ste`).
    pub url: String,
    /// Header names in lower case.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Request {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// An answer: status and JSON body.
#[derive(Debug, Clone, PartialEq)]
pub struct Answer {
    pub status: u16,
    pub body: Value,
}

fn refuse(status: u16, code: &str, message: &str) -> Answer {
    Answer {
        status,
        body: json!({"error": {"code": code, "message": message}}),
    }
}

fn ok(body: Value) -> Answer {
    Answer { status: 200, body }
}

fn status_of(error: &CommandError) -> u16 {
    match error.code.as_str() {
        "invalid" | "unknown_tag" | "anchor" => 400,
        "unauthorized" => 401,
        "not_found" => 404,
        "selection_not_found"
        | "empty"
        | "no_text"
        | "unsupported_format"
        | "broken_html"
        | "too_large" => 422,
        "too_many_requests" => 429,
        "busy" => 503,
        _ => 500,
    }
}

fn from_error(error: CommandError) -> Answer {
    Answer {
        status: status_of(&error),
        body: json!({ "error": error }),
    }
}

fn is_extension_origin(origin: &str) -> bool {
    let rest = origin
        .strip_prefix("chrome-extension://")
        .or_else(|| origin.strip_prefix("moz-extension://"));
    rest.is_some_and(|id| {
        !id.is_empty()
            && id.len() <= 64
            && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
    })
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => match u8::from_str_radix(&s[i + 1..i + 3], 16) {
                Ok(b) => {
                    out.push(b);
                    i += 2;
                }
                Err(_) => out.push(b'%'),
            },
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn query_param(query: &str, name: &str) -> Option<String> {
    query.split('&').find_map(|pair| {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        (percent_decode(k) == name).then(|| percent_decode(v))
    })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PairBody {
    client: String,
}

/// Told of each new pairing request (the app shows its Allow / Deny prompt).
pub type PairingHook = Box<dyn FnMut(&connector::PairingRequest) + Send>;

/// Where the workspace to save to is now: asked before every request (see [`Connector::follow`]).
/// An `Err` (no workspace open) is the message of the 503 the request gets.
pub type FollowWorkspace = Box<dyn Fn() -> Result<PathBuf, String> + Send>;

/// The server's state: the workspace it writes to, the port it answers on (for `Host`), and
/// who to tell when an extension asks to pair.
pub struct Connector {
    pub ws: Workspace,
    pub port: u16,
    pub on_pairing: Option<PairingHook>,
    /// When set, the workspace file to work on, asked before every request: when it names
    /// another file than `ws`, that file is opened (its own connection) and used from then on.
    /// The app sets it to the workspace its window has open.
    pub follow: Option<FollowWorkspace>,
}

impl Connector {
    pub fn new(ws: Workspace, port: u16) -> Connector {
        Connector {
            ws,
            port,
            on_pairing: None,
            follow: None,
        }
    }

    /// Moves to the workspace [`Connector::follow`] names, if it names another one. A workspace
    /// that cannot be had is a 503 with nothing written, and the previous one stays.
    fn follow_workspace(&mut self) -> Result<(), Answer> {
        let Some(follow) = &self.follow else {
            return Ok(());
        };
        let wanted = follow().map_err(|e| {
            refuse(
                503,
                "no_workspace",
                &format!("Dossier has no workspace open: {e}"),
            )
        })?;
        if wanted != self.ws.path() {
            self.ws = dossier_api::workspace::open(&wanted).map_err(|e| {
                refuse(
                    503,
                    "no_workspace",
                    &format!(
                        "the workspace {} cannot be opened: {}",
                        wanted.display(),
                        e.message
                    ),
                )
            })?;
        }
        Ok(())
    }

    /// The checks that need only the headers (Host, Origin, preflight, the connector's header,
    /// the declared size): the server runs them before it reads a body. `None`: go on.
    pub fn check_headers(&self, req: &Request) -> Option<Answer> {
        let host_ok = req.header("host").is_some_and(|h| {
            h == format!("127.0.0.1:{}", self.port) || h == format!("localhost:{}", self.port)
        });
        if !host_ok {
            return Some(refuse(
                421,
                "bad_host",
                "the connector answers only to 127.0.0.1 or localhost on its own port",
            ));
        }
        if req
            .header("origin")
            .is_some_and(|o| !is_extension_origin(o))
        {
            return Some(refuse(
                403,
                "forbidden_origin",
                "the connector answers only to the Dossier browser extension",
            ));
        }
        if req.method == "OPTIONS" {
            // No preflight is ever granted: the extension needs none (its host permission
            // lifts CORS), and a web page must get nothing.
            return Some(refuse(
                403,
                "forbidden_origin",
                "cross-origin requests are not allowed",
            ));
        }
        let path = req.url.split_once('?').map_or(req.url.as_str(), |(p, _)| p);
        if req.method == "GET" && path == "/v1/ping" {
            return None;
        }
        if req.header("x-dossier-connector") != Some("1") {
            return Some(refuse(
                403,
                "missing_header",
                "the X-Dossier-Connector: 1 header is required",
            ));
        }
        let declared = req
            .header("content-length")
            .and_then(|n| n.trim().parse::<u64>().ok());
        if declared.is_some_and(|n| n > MAX_BODY_BYTES as u64) {
            return Some(refuse(413, "too_large", "the request is over 50 MB"));
        }
        None
    }

    /// Checks and answers one request.
    pub fn handle(&mut self, req: &Request) -> Answer {
        if let Some(refused) = self.check_headers(req) {
            return refused;
        }
        if let Err(refused) = self.follow_workspace() {
            return refused;
        }
        let (path, query) = req.url.split_once('?').unwrap_or((&req.url, ""));
        if req.method == "GET" && path == "/v1/ping" {
            return ok(json!({
                "app": "dossier",
                "version": env!("CARGO_PKG_VERSION"),
                "workspace": self.ws.path().file_stem().map(|s| s.to_string_lossy().into_owned()),
            }));
        }
        let origin = req.header("origin");
        if req.body.len() > MAX_BODY_BYTES {
            return refuse(413, "too_large", "the request is over 50 MB");
        }
        match (req.method.as_str(), path) {
            ("POST", "/v1/pair") => {
                let body: PairBody = match serde_json::from_slice(&req.body) {
                    Ok(b) => b,
                    Err(e) => return bad_json(&e),
                };
                let origin = origin.unwrap_or_default();
                match connector::request_pairing(&mut self.ws, &body.client, origin) {
                    Ok(secret) => {
                        if let Some(hook) = self.on_pairing.as_mut()
                            && let Ok(pending) = connector::pending_pairings(&self.ws)
                            && let Some(newest) = pending.first()
                        {
                            hook(newest);
                        }
                        Answer {
                            status: 202,
                            body: json!({"secret": secret, "status": "pending"}),
                        }
                    }
                    Err(e) => from_error(e),
                }
            }
            ("GET", p) if p.starts_with("/v1/pair/") => {
                let secret = &p["/v1/pair/".len()..];
                match connector::poll_pairing(&mut self.ws, secret) {
                    Ok(PairingPoll::Gone) => refuse(
                        404,
                        "not_found",
                        "no such pairing request (collected, expired or never made)",
                    ),
                    Ok(poll) => ok(serde_json::to_value(poll).expect("serializes")),
                    Err(e) => from_error(e),
                }
            }
            (method, p @ ("/v1/pages" | "/v1/tags" | "/v1/sources")) => {
                let token = req
                    .header("authorization")
                    .and_then(|a| a.strip_prefix("Bearer "))
                    .unwrap_or("")
                    .trim();
                let caller = match connector::authenticate(&self.ws, token) {
                    Ok(caller) => caller,
                    Err(e) => return from_error(e),
                };
                let answer = self.authorized(method, p, query, &req.body);
                // To the minute: tag suggestions while typing need not write at every key.
                // Best effort: a use not recorded is no reason to fail the save.
                let now = dossier_api::now();
                let minute = |t: &str| t.get(..16).map(str::to_owned);
                let recorded = caller.last_used_at.as_deref().and_then(minute);
                if answer.status < 400 && (recorded.is_none() || recorded != minute(&now)) {
                    let _ = connector::record_use(&mut self.ws, caller.id);
                }
                answer
            }
            _ => refuse(404, "not_found", "no such endpoint"),
        }
    }

    fn authorized(&mut self, method: &str, path: &str, query: &str, body: &[u8]) -> Answer {
        match (method, path) {
            ("POST", "/v1/pages") => {
                let page: PageCapture = match serde_json::from_slice(body) {
                    Ok(p) => p,
                    Err(e) => return bad_json(&e),
                };
                match connector::save_page(&mut self.ws, page) {
                    Ok(saved) => ok(serde_json::to_value(saved).expect("serializes")),
                    Err(e) => from_error(e),
                }
            }
            ("GET", "/v1/tags") => {
                let q = query_param(query, "q").unwrap_or_default();
                match connector::suggest_tags(&self.ws, &q, 20) {
                    Ok(tags) => ok(json!({ "tags": tags })),
                    Err(e) => from_error(e),
                }
            }
            ("GET", "/v1/sources") => {
                let Some(url) = query_param(query, "url") else {
                    return refuse(400, "invalid", "the url parameter is required");
                };
                let canonical = query_param(query, "canonical");
                match connector::source_for_url(&self.ws, &url, canonical.as_deref()) {
                    Ok(source) => ok(json!({ "saved": source.is_some(), "source": source })),
                    Err(e) => from_error(e),
                }
            }
            _ => refuse(405, "method_not_allowed", "this method is not allowed here"),
        }
    }
}

fn bad_json(e: &serde_json::Error) -> Answer {
    refuse(
        400,
        "malformed_json",
        &format!("the request body is not the JSON expected: {e}"),
    )
}

/// Binds 127.0.0.1 on `port`, or on the first free port of the default range when `None`.
pub fn bind(port: Option<u16>) -> Result<(tiny_http::Server, u16), String> {
    let ports: Vec<u16> = match port {
        Some(p) => vec![p],
        None => (DEFAULT_PORT..DEFAULT_PORT + PORT_RANGE).collect(),
    };
    let mut last = String::new();
    for p in ports {
        match tiny_http::Server::http(("127.0.0.1", p)) {
            Ok(server) => {
                let bound = server.server_addr().to_ip().map_or(p, |a| a.port());
                return Ok((server, bound));
            }
            Err(e) => last = format!("port {p}: {e}"),
        }
    }
    Err(format!(
        "the connector could not listen on 127.0.0.1 ({last})"
    ))
}

/// The request's method, address and headers, its body not read yet.
fn head_of(req: &tiny_http::Request) -> Request {
    let headers = req
        .headers()
        .iter()
        .map(|h| {
            (
                h.field.as_str().as_str().to_ascii_lowercase(),
                h.value.as_str().to_owned(),
            )
        })
        .collect();
    Request {
        method: req.method().as_str().to_owned(),
        url: req.url().to_owned(),
        headers,
        body: Vec::new(),
    }
}

/// Reads a request's body off the socket, refusing an oversized one before reading it all.
fn read_body(req: &mut tiny_http::Request, head: Request) -> Result<Request, Answer> {
    if req.body_length().is_some_and(|n| n > MAX_BODY_BYTES) {
        return Err(refuse(413, "too_large", "the request is over 50 MB"));
    }
    let mut body = Vec::new();
    if let Err(e) = req
        .as_reader()
        .take(MAX_BODY_BYTES as u64 + 1)
        .read_to_end(&mut body)
    {
        return Err(refuse(
            400,
            "bad_request",
            &format!("the request could not be read: {e}"),
        ));
    }
    Ok(Request { body, ..head })
}

fn respond(req: tiny_http::Request, answer: Answer) {
    let body = serde_json::to_vec(&answer.body).expect("JSON serializes");
    let mut response = tiny_http::Response::from_data(body).with_status_code(answer.status);
    for (k, v) in [
        ("Content-Type", "application/json; charset=utf-8"),
        ("Cache-Control", "no-store"),
        ("X-Content-Type-Options", "nosniff"),
    ] {
        response.add_header(
            tiny_http::Header::from_bytes(k.as_bytes(), v.as_bytes()).expect("a valid header"),
        );
    }
    // The client may have gone; nothing to do about it.
    let _ = req.respond(response);
}

/// Serves until `stop` is set (checked every 200 ms). Each request is checked, read and
/// answered on a thread of its own (at most [`MAX_READERS`] at once), the answer computed under
/// the connector's lock; past the cap, a 503 goes out from one more thread. Nothing that touches
/// a request runs on the serving thread: answering a request drops it, and tiny_http then reads
/// whatever of its body is left, which a stalled client never sends. A request still waiting for
/// its body when `stop` is set ends when its client does.
pub fn serve(server: &tiny_http::Server, connector: Connector, stop: &Arc<AtomicBool>) {
    let connector = Arc::new(Mutex::new(connector));
    let readers = Arc::new(AtomicUsize::new(0));
    let (overflow, busy) = std::sync::mpsc::channel::<tiny_http::Request>();
    let overflow = std::thread::Builder::new()
        .name("connector-busy".into())
        .spawn(move || {
            for req in busy {
                respond(req, too_busy());
            }
        })
        .ok()
        .map(|_| overflow);
    while !stop.load(Ordering::Relaxed) {
        let req = match server.recv_timeout(Duration::from_millis(200)) {
            Ok(Some(r)) => r,
            Ok(None) => continue,
            Err(_) => continue,
        };
        if readers.fetch_add(1, Ordering::SeqCst) >= MAX_READERS {
            readers.fetch_sub(1, Ordering::SeqCst);
            match &overflow {
                Some(overflow) => {
                    // The busy thread is gone only if it panicked; the request goes with it.
                    let _ = overflow.send(req);
                }
                None => respond(req, too_busy()),
            }
            continue;
        }
        let (shared, count) = (connector.clone(), readers.clone());
        let spawned = std::thread::Builder::new()
            .name("connector-request".into())
            .spawn(move || {
                let _reading = Reader(count);
                answer(req, &shared);
            });
        if spawned.is_err() {
            // The request went down with the thread that was not made; its client sees the
            // connection close.
            readers.fetch_sub(1, Ordering::SeqCst);
        }
    }
}

fn too_busy() -> Answer {
    refuse(503, "busy", "the connector is busy; try again in a moment")
}

/// One reader in use, given back when its thread ends, however it ends.
struct Reader(Arc<AtomicUsize>);

impl Drop for Reader {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

/// Checks one request's headers, reads its body (no lock held: a slow client holds only its own
/// thread), then answers it under the connector's lock.
fn answer(mut req: tiny_http::Request, connector: &Mutex<Connector>) {
    let lock = || connector.lock().unwrap_or_else(PoisonError::into_inner);
    let head = head_of(&req);
    let refused = lock().check_headers(&head);
    let answer = match refused {
        Some(refused) => refused,
        None => match read_body(&mut req, head) {
            Ok(parsed) => lock().handle(&parsed),
            Err(refused) => refused,
        },
    };
    respond(req, answer);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extension_origins_only() {
        assert!(is_extension_origin(
            "chrome-extension://abcdefghijklmnopabcdefghijklmnop"
        ));
        assert!(is_extension_origin(
            "moz-extension://0b6c1c4e-1f1a-4c39-9d59-2f2c3a1b0e11"
        ));
        assert!(!is_extension_origin("https://news.example"));
        assert!(!is_extension_origin("null"));
        assert!(!is_extension_origin("chrome-extension://"));
    }

    #[test]
    fn query_parameters_are_decoded() {
        assert_eq!(
            query_param(
                "url=https%3A%2F%2Fa.example%2Fx%3Fy%3D1&q=%C3%A9nergie+verte",
                "q"
            ),
            Some("énergie verte".into())
        );
        assert_eq!(
            query_param("url=https%3A%2F%2Fa.example%2Fx", "url"),
            Some("https://a.example/x".into())
        );
    }
}

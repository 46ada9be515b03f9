//! A minimal synchronous W3C WebDriver client: JSON over HTTP/1.1 on a fresh connection per
//! command. WebDriver needs nothing more, and keeping it on `std::net` keeps async runtimes out
//! of this crate's build.

use std::fmt;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::Path;
use std::thread;
use std::time::{Duration, Instant};

use base64::Engine;
use serde_json::{Value, json};

/// The key under which W3C WebDriver returns an element reference.
const ELEMENT_KEY: &str = "element-6066-11e4-a52e-4f735466cecf";

#[derive(Debug)]
pub struct Error(String);

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Error {}

pub type Result<T> = std::result::Result<T, Error>;

fn error(message: impl Into<String>) -> Error {
    Error(message.into())
}

/// One WebDriver session. Deleting it (on drop) closes the app.
pub struct Session {
    addr: SocketAddr,
    id: String,
}

/// A reference to an element in the current page.
#[derive(Debug, Clone)]
pub struct Element {
    id: String,
}

impl Session {
    /// Opens a session whose browser is the app at `application`.
    pub fn start(addr: SocketAddr, application: &Path) -> Result<Session> {
        let capabilities = json!({
            "capabilities": {
                "alwaysMatch": {
                    "tauri:options": { "application": application.display().to_string() }
                }
            }
        });
        Session::start_with(addr, &capabilities)
    }

    /// Opens a session with these capabilities (a browser's own, e.g. `goog:chromeOptions`).
    pub fn start_with(addr: SocketAddr, capabilities: &Value) -> Result<Session> {
        let value = request(addr, "POST", "/session", Some(capabilities))?;
        let id = value["sessionId"]
            .as_str()
            .ok_or_else(|| error(format!("new session answer has no sessionId: {value}")))?;
        Ok(Session {
            addr,
            id: id.to_owned(),
        })
    }

    fn command(&self, method: &str, path: &str, body: Option<&Value>) -> Result<Value> {
        request(
            self.addr,
            method,
            &format!("/session/{}{path}", self.id),
            body,
        )
    }

    /// The first element matching `css`, if there is one now.
    pub fn find(&self, css: &str) -> Result<Option<Element>> {
        let body = json!({ "using": "css selector", "value": css });
        match self.command("POST", "/element", Some(&body)) {
            Ok(value) => Ok(Some(element(&value)?)),
            Err(e) if e.0.contains("no such element") => Ok(None),
            Err(e) => Err(e),
        }
    }

    pub fn find_all(&self, css: &str) -> Result<Vec<Element>> {
        let body = json!({ "using": "css selector", "value": css });
        let value = self.command("POST", "/elements", Some(&body))?;
        value
            .as_array()
            .ok_or_else(|| error(format!("find elements answered {value}")))?
            .iter()
            .map(element)
            .collect()
    }

    /// Waits up to `timeout` for an element matching `css` to appear.
    pub fn wait_for(&self, css: &str, timeout: Duration) -> Result<Element> {
        let deadline = Instant::now() + timeout;
        loop {
            if let Some(found) = self.find(css)? {
                return Ok(found);
            }
            if Instant::now() >= deadline {
                return Err(error(format!(
                    "no element matched `{css}` within {timeout:?}"
                )));
            }
            thread::sleep(Duration::from_millis(100));
        }
    }

    /// The rendered text of an element, as a user would read it.
    pub fn text(&self, element: &Element) -> Result<String> {
        let value = self.command("GET", &format!("/element/{}/text", element.id), None)?;
        value
            .as_str()
            .map(str::to_owned)
            .ok_or_else(|| error(format!("text answered {value}")))
    }

    pub fn click(&self, element: &Element) -> Result<()> {
        self.command(
            "POST",
            &format!("/element/{}/click", element.id),
            Some(&json!({})),
        )?;
        Ok(())
    }

    /// Empties a text field, as a user selecting its text and deleting it would.
    pub fn clear(&self, element: &Element) -> Result<()> {
        self.command(
            "POST",
            &format!("/element/{}/clear", element.id),
            Some(&json!({})),
        )?;
        Ok(())
    }

    pub fn send_keys(&self, element: &Element, text: &str) -> Result<()> {
        let body = json!({ "text": text });
        self.command(
            "POST",
            &format!("/element/{}/value", element.id),
            Some(&body),
        )?;
        Ok(())
    }

    /// Runs `script` in the page (a function body; `arguments` holds `args`).
    pub fn execute(&self, script: &str, args: &[Value]) -> Result<Value> {
        let body = json!({ "script": script, "args": args });
        self.command("POST", "/execute/sync", Some(&body))
    }

    /// Runs `script` in the page and waits for it to call its last argument (the callback).
    pub fn execute_async(&self, script: &str, args: &[Value]) -> Result<Value> {
        let body = json!({ "script": script, "args": args });
        self.command("POST", "/execute/async", Some(&body))
    }

    /// The window's outer size and position: (x, y, width, height).
    pub fn window_rect(&self) -> Result<(i64, i64, i64, i64)> {
        let v = self.command("GET", "/window/rect", None)?;
        let field = |k: &str| {
            v[k].as_f64()
                .map(|n| n.round() as i64)
                .ok_or_else(|| error(format!("window rect has no {k}: {v}")))
        };
        Ok((field("x")?, field("y")?, field("width")?, field("height")?))
    }

    /// Moves and resizes the window, as the analyst dragging it would.
    pub fn set_window_rect(&self, x: i64, y: i64, width: i64, height: i64) -> Result<()> {
        let body = json!({ "x": x, "y": y, "width": width, "height": height });
        self.command("POST", "/window/rect", Some(&body))?;
        Ok(())
    }

    /// Moves into the frame `frame` shows: later finds and scripts run in its document.
    pub fn switch_to_frame(&self, frame: &Element) -> Result<()> {
        let body = json!({ "id": frame.to_arg() });
        self.command("POST", "/frame", Some(&body))?;
        Ok(())
    }

    /// Back to the window's own document after [`Session::switch_to_frame`].
    pub fn switch_to_top(&self) -> Result<()> {
        self.command("POST", "/frame", Some(&json!({ "id": null })))?;
        Ok(())
    }

    /// Loads `url` in the current tab.
    pub fn navigate(&self, url: &str) -> Result<()> {
        self.command("POST", "/url", Some(&json!({ "url": url })))?;
        Ok(())
    }

    /// Opens a new tab and returns its handle (the current tab stays current).
    pub fn new_tab(&self) -> Result<String> {
        let v = self.command("POST", "/window/new", Some(&json!({ "type": "tab" })))?;
        v["handle"]
            .as_str()
            .map(str::to_owned)
            .ok_or_else(|| error(format!("new window answered {v}")))
    }

    /// The current tab's handle.
    pub fn window_handle(&self) -> Result<String> {
        let v = self.command("GET", "/window", None)?;
        v.as_str()
            .map(str::to_owned)
            .ok_or_else(|| error(format!("window answered {v}")))
    }

    /// Makes the tab `handle` current.
    pub fn switch_to_window(&self, handle: &str) -> Result<()> {
        self.command("POST", "/window", Some(&json!({ "handle": handle })))?;
        Ok(())
    }

    pub fn current_url(&self) -> Result<String> {
        let value = self.command("GET", "/url", None)?;
        value
            .as_str()
            .map(str::to_owned)
            .ok_or_else(|| error(format!("url answered {value}")))
    }

    /// Firefox only (geckodriver's own command): installs the add-on at `path` (an .xpi or an
    /// unpacked folder); `temporary` as about:debugging's Load Temporary Add-on does, so an
    /// unsigned one loads. Returns the add-on's id.
    pub fn install_firefox_addon(&self, path: &Path, temporary: bool) -> Result<String> {
        let body = json!({ "path": path.display().to_string(), "temporary": temporary });
        let v = self.command("POST", "/moz/addon/install", Some(&body))?;
        v.as_str()
            .map(str::to_owned)
            .ok_or_else(|| error(format!("addon install answered {v}")))
    }

    /// Firefox only: runs later commands in the browser's own chrome (`"chrome"`, which needs
    /// geckodriver started with `--allow-system-access`) or back in the page (`"content"`).
    pub fn firefox_context(&self, context: &str) -> Result<()> {
        self.command("POST", "/moz/context", Some(&json!({ "context": context })))?;
        Ok(())
    }

    /// Saves a PNG of the window's contents to `path`.
    pub fn screenshot(&self, path: &Path) -> Result<()> {
        let value = self.command("GET", "/screenshot", None)?;
        let encoded = value
            .as_str()
            .ok_or_else(|| error(format!("screenshot answered {value}")))?;
        let png = base64::engine::general_purpose::STANDARD
            .decode(encoded)
            .map_err(|e| error(format!("screenshot is not base64: {e}")))?;
        std::fs::write(path, png)
            .map_err(|e| error(format!("cannot write {}: {e}", path.display())))
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        // Best effort: the driver is killed right after, which also ends the app.
        let _ = request(self.addr, "DELETE", &format!("/session/{}", self.id), None);
    }
}

impl Element {
    /// The element as a script argument: scripts receive it as the DOM node.
    pub fn to_arg(&self) -> Value {
        json!({ ELEMENT_KEY: self.id })
    }
}

fn element(value: &Value) -> Result<Element> {
    value[ELEMENT_KEY]
        .as_str()
        .map(|id| Element { id: id.to_owned() })
        .ok_or_else(|| error(format!("not an element reference: {value}")))
}

/// Sends one command and returns the `value` of its answer, or the WebDriver error.
fn request(addr: SocketAddr, method: &str, path: &str, body: Option<&Value>) -> Result<Value> {
    let what = format!("{method} {path}");
    let body = body.map(Value::to_string).unwrap_or_default();
    // tauri-driver drops the connection without an answer when the connection it pooled to
    // WebKitWebDriver was closed under it (it does not retry); the command never reached the
    // browser then, so sending it once more is safe.
    let raw = match exchange(addr, method, path, &body) {
        Ok(raw) if raw.is_empty() => exchange(addr, method, path, &body),
        other => other,
    }
    .map_err(|e| error(format!("{what}: {e}")))?;

    let (status, payload) = parse_response(&raw)
        .map_err(|e| error(format!("{what}: {e} (read {} bytes)", raw.len())))?
        .ok_or_else(|| {
            error(format!(
                "{what}: the answer ended early ({} bytes)",
                raw.len()
            ))
        })?;
    let json: Value = serde_json::from_slice(&payload).map_err(|e| {
        error(format!(
            "{what}: answer is not JSON ({e}): {}",
            String::from_utf8_lossy(&payload)
        ))
    })?;
    let value = json.get("value").cloned().unwrap_or(Value::Null);
    if (200..300).contains(&status) {
        Ok(value)
    } else {
        Err(error(format!(
            "{what}: HTTP {status}: {} — {}",
            value["error"].as_str().unwrap_or("error"),
            value["message"].as_str().unwrap_or("(no message)")
        )))
    }
}

/// Sends one request on a new connection and reads until its answer is complete.
///
/// No `Connection: close`: tauri-driver forwards request headers to WebKitWebDriver, and a
/// closing connection in its client pool makes it drop later commands.
fn exchange(
    addr: SocketAddr,
    method: &str,
    path: &str,
    body: &str,
) -> std::result::Result<Vec<u8>, String> {
    let mut stream = TcpStream::connect_timeout(&addr, Duration::from_secs(5))
        .map_err(|e| format!("cannot connect to the driver at {addr}: {e}"))?;
    // Starting a session launches the app; allow for a slow first start.
    stream.set_read_timeout(Some(Duration::from_secs(60))).ok();
    let head = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nAccept: application/json\r\n\
         Content-Type: application/json; charset=utf-8\r\nContent-Length: {}\r\n\r\n",
        body.len()
    );
    let mut request = head.into_bytes();
    request.extend_from_slice(body.as_bytes());
    stream
        .write_all(&request)
        .map_err(|e| format!("cannot send: {e}"))?;

    let mut raw = Vec::new();
    let mut buf = [0u8; 16 * 1024];
    loop {
        let n = stream
            .read(&mut buf)
            .map_err(|e| format!("cannot read: {e}"))?;
        if n == 0 {
            return Ok(raw);
        }
        raw.extend_from_slice(&buf[..n]);
        if matches!(parse_response(&raw), Ok(Some(_))) {
            return Ok(raw);
        }
    }
}

/// Splits an HTTP/1.1 response into its status and body, undoing chunked encoding; `None`
/// while more bytes are needed.
type Parsed = Option<(u16, Vec<u8>)>;

fn parse_response(raw: &[u8]) -> std::result::Result<Parsed, String> {
    let Some(split) = raw.windows(4).position(|w| w == b"\r\n\r\n") else {
        return Ok(None);
    };
    let head = String::from_utf8_lossy(&raw[..split]);
    let body = &raw[split + 4..];
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .and_then(|line| line.split_whitespace().nth(1))
        .and_then(|code| code.parse().ok())
        .ok_or_else(|| format!("bad status line in {head:?}"))?;
    let mut length = None;
    let mut chunked = false;
    for line in lines {
        let Some((name, value)) = line.split_once(':') else {
            continue;
        };
        let (name, value) = (name.trim().to_ascii_lowercase(), value.trim());
        if name == "content-length" {
            length = Some(
                value
                    .parse::<usize>()
                    .map_err(|e| format!("bad length {value:?}: {e}"))?,
            );
        } else if name == "transfer-encoding" && value.to_ascii_lowercase().contains("chunked") {
            chunked = true;
        }
    }
    if chunked {
        return Ok(dechunk(body).map(|body| (status, body)));
    }
    match length {
        Some(length) if body.len() >= length => Ok(Some((status, body[..length].to_vec()))),
        Some(_) => Ok(None),
        // No length and not chunked: the body runs to the end of the connection.
        None => Ok(Some((status, body.to_vec()))),
    }
}

/// The body of a chunked message, or `None` if it is not complete yet.
fn dechunk(mut body: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    loop {
        let line_end = body.windows(2).position(|w| w == b"\r\n")?;
        let size_text = String::from_utf8_lossy(&body[..line_end]);
        let size_hex = size_text.split(';').next().unwrap_or("").trim();
        let size = usize::from_str_radix(size_hex, 16).ok()?;
        body = &body[line_end + 2..];
        if size == 0 {
            return Some(out);
        }
        out.extend_from_slice(body.get(..size)?);
        body = body.get(size + 2..)?;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_plain_response() {
        let raw = b"HTTP/1.1 200 OK\r\ncontent-length: 14\r\n\r\n{\"value\":null}";
        assert_eq!(
            parse_response(raw).unwrap(),
            Some((200, b"{\"value\":null}".to_vec()))
        );
    }

    #[test]
    fn waits_for_the_whole_body() {
        let raw = b"HTTP/1.1 200 OK\r\nContent-Length: 14\r\n\r\n{\"value\"";
        assert_eq!(parse_response(raw).unwrap(), None);
        assert_eq!(parse_response(b"HTTP/1.1 200 OK\r\n").unwrap(), None);
    }

    #[test]
    fn undoes_chunked_encoding() {
        let raw = b"HTTP/1.1 404 Not Found\r\nTransfer-Encoding: chunked\r\n\r\n\
                    5\r\n{\"val\r\n9;x=y\r\nue\":null}\r\n0\r\n\r\n";
        assert_eq!(
            parse_response(raw).unwrap(),
            Some((404, b"{\"value\":null}".to_vec()))
        );
    }
}

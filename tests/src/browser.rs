//! What the browser extension's end-to-end tests share (tests/browser.rs drives Chromium,
//! tests/firefox.rs Firefox): the tools they need, a small server for sample pages,
//! `dossier connector serve` on a temp workspace, a WebDriver server started on a free port,
//! and waiting on the page.
//!
//! Missing tools fail the test with what to install, never skip it.

use std::io::{BufRead, BufReader, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::desktop::built_binary;
use crate::webdriver::Session;

/// Our own sample article. The third paragraph is written by the page's script, so only a
/// capture of the DOM after scripts ran has it.
pub const ARTICLE: &str = r#"<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Grain silos fill early - The Prairie Courier</title>
<link rel="canonical" href="https://courier.example/2026/grain-silos"></head>
<body><nav>Home | Farm | Markets</nav>
<article><h1>Grain silos fill up weeks ahead of the harvest peak</h1>
<p>Elevators across the northern district reported on Tuesday that their silos were nearly
full, three weeks before the usual peak of the harvest, after a mild autumn let farmers bring
in their wheat and canola early.</p>
<p>The district's grain commission said it had asked the railway for forty extra hopper cars a
week until the end of November, and that it would publish a daily count of cars loaded.</p>
<div id="late"></div>
<p>Farm groups welcomed the request but warned that storage on farms was already stretched,
and that a cold snap before the cars arrive could leave grain in bags in the open.</p>
</article>
<script>
  const p = document.createElement('p');
  p.id = 'scripted';
  p.textContent = 'A commission economist estimated that the backlog would cost growers about '
    + 'nine dollars a tonne in storage and interest before the first trains reach the port.';
  document.getElementById('late').replaceWith(p);
  document.body.dataset.ready = 'yes';
</script>
</body></html>"#;

/// An installed program, found on `PATH`; panics with what to install when it is missing.
pub fn tool(name: &str, install: &str) -> PathBuf {
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .map(|d| d.join(name))
        .find(|p| p.is_file())
        .unwrap_or_else(|| panic!("{name} is not installed: {install} (scripts/setup.sh test)"))
}

/// A small HTTP server on 127.0.0.1 and a free port, serving `pages` (path prefix, HTML) and
/// a 404 for anything else.
pub fn serve_pages(pages: &'static [(&'static str, &'static str)]) -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut line = String::new();
            if reader.read_line(&mut line).is_err() {
                continue;
            }
            loop {
                let mut h = String::new();
                if reader.read_line(&mut h).unwrap_or(0) == 0 || h == "\r\n" {
                    break;
                }
            }
            let path = line.split(' ').nth(1).unwrap_or("/");
            let (status, body) = pages
                .iter()
                .find(|(prefix, _)| path.starts_with(prefix))
                .map_or(("404 Not Found", "not found"), |(_, html)| ("200 OK", html));
            let _ = write!(
                stream,
                "HTTP/1.1 {status}\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
        }
    });
    port
}

/// A process killed when the test ends, however it ends.
pub struct Killed(pub Child);

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// `dossier connector serve --json` on `db`, and the port it took (of 47810–47819).
pub fn connector(db: &Path) -> (Killed, u16) {
    let cli = built_binary("dossier");
    assert!(
        cli.is_file(),
        "build the CLI first: cargo build -p dossier-cli"
    );
    let mut child = Command::new(cli)
        .args(["connector", "serve", "--json"])
        .env("DOSSIER_DB", db)
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let v: Value = serde_json::from_str(&line)
        .unwrap_or_else(|e| panic!("`connector serve --json` printed {line:?}: {e}"));
    let port = v["port"].as_u64().expect("a port") as u16;
    (Killed(child), port)
}

pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Starts a WebDriver server (`chromedriver`, `geckodriver`) with `args` plus its port, its
/// log in `log`, and waits until it listens.
pub fn webdriver_server(
    program: &Path,
    port_arg: impl Fn(u16) -> Vec<String>,
    log: &Path,
) -> (Killed, SocketAddr) {
    let port = free_port();
    let log = std::fs::File::create(log).unwrap();
    let child = Command::new(program)
        .args(port_arg(port))
        .stdout(log.try_clone().unwrap())
        .stderr(log)
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {}: {e}", program.display()));
    let addr: SocketAddr = ([127, 0, 0, 1], port).into();
    let deadline = Instant::now() + Duration::from_secs(20);
    while TcpStream::connect(addr).is_err() {
        assert!(
            Instant::now() < deadline,
            "{} did not start",
            program.display()
        );
        thread::sleep(Duration::from_millis(100));
    }
    (Killed(child), addr)
}

/// Runs `script` in the page until it returns something other than null or false, and returns
/// that; on timeout, fails with what the page says.
pub fn wait_until(session: &Session, what: &str, script: &str, timeout: Duration) -> Value {
    let deadline = Instant::now() + timeout;
    loop {
        let v = session.execute(script, &[]).unwrap_or(Value::Null);
        if !v.is_null() && v != Value::Bool(false) {
            return v;
        }
        if Instant::now() > deadline {
            let body = session
                .execute("return document.body ? document.body.innerText : ''", &[])
                .unwrap_or(Value::Null);
            let html = session
                .execute(
                    "const i = document.getElementById('tag-input'); const l = document.getElementById('tag-list');
                     return (i ? 'tag input: ' + JSON.stringify(i.value) + ', list for: ' + (l && l.dataset.for) + ', focus: ' + (document.activeElement && document.activeElement.id) + '\\n' : '') + (document.body ? document.body.innerHTML : '')",
                    &[],
                )
                .unwrap_or(Value::Null);
            panic!("timed out waiting for {what}; the page says: {body}\n{html}");
        }
        thread::sleep(Duration::from_millis(150));
    }
}

pub fn json_of(out: &str) -> Value {
    serde_json::from_str(out).unwrap_or_else(|e| panic!("not JSON ({e}): {out}"))
}

/// `url` as a query parameter's value.
pub fn query_value(url: &str) -> String {
    url.replace(':', "%3A").replace('/', "%2F")
}

/// One call to a connector on 127.0.0.1:`port`, as the extension makes it (its headers, a
/// `moz-extension://` Origin, the token when given): the status and the JSON answer.
pub fn connector_call(
    port: u16,
    method: &str,
    path: &str,
    token: Option<&str>,
    body: Option<&Value>,
) -> (u16, Value) {
    use std::io::Read;
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    let body = body.map(Value::to_string).unwrap_or_default();
    let mut head = format!(
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\
         Origin: moz-extension://5b0e9f3c-7d1a-4c62-9e8b-3f4a2d1c6e70\r\nX-Dossier-Connector: 1\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\n",
        body.len()
    );
    if let Some(token) = token {
        head.push_str(&format!("Authorization: Bearer {token}\r\n"));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes()).unwrap();
    stream.write_all(body.as_bytes()).unwrap();
    let mut out = Vec::new();
    stream.read_to_end(&mut out).unwrap();
    let text = String::from_utf8_lossy(&out).into_owned();
    let (head, body) = text
        .split_once("\r\n\r\n")
        .unwrap_or_else(|| panic!("not an HTTP answer: {text:?}"));
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no status in {head:?}"));
    (status, serde_json::from_str(body).unwrap_or(Value::Null))
}

/// The port of the connector on 47810–47819 whose ping names the workspace `name`, if one does.
pub fn connector_serving(name: &str) -> Option<u16> {
    (47810..47820).find(|&port| {
        TcpStream::connect_timeout(&([127, 0, 0, 1], port).into(), Duration::from_millis(300))
            .is_ok()
            && connector_call(port, "GET", "/v1/ping", None, None).1["workspace"] == name
    })
}

//! The web view is locked down: hostile text in a source is shown as text in the real window,
//! nothing in it runs and nothing is fetched; and the configuration that guarantees it — the
//! CSP in `src-tauri/tauri.conf.json` and the capability files — stays as strict as it is.
//!
//! The decision a reader might question: the payloads do not just look for `<script>` tags in
//! the DOM; each one, if it ever ran or loaded, would leave a trace the test reads back — a
//! global (`window.__pwned`), the document title, or a request to a small HTTP server on
//! 127.0.0.1 that the test runs and counts. A payload that slipped through a new rendering
//! path (say, a future `{@html}`) fails the test even if the markup looks different.
//! Run under a display: `xvfb-run -a dbus-run-session -- cargo test -p dossier-e2e --test lockdown`.

use std::io::{Read, Write};
use std::net::{Ipv4Addr, TcpListener};
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

use dossier_e2e::desktop::{Desktop, workspace_root};
use dossier_e2e::workspace::dossier;
use serde_json::{Value, json};

/// An HTTP server on 127.0.0.1 that records every request line it receives.
struct Tripwire {
    port: u16,
    requests: Arc<Mutex<Vec<String>>>,
    stop: Arc<AtomicBool>,
    thread: Option<thread::JoinHandle<()>>,
}

impl Tripwire {
    fn start() -> Tripwire {
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).expect("bind a local port");
        listener
            .set_nonblocking(true)
            .expect("non-blocking listener");
        let port = listener.local_addr().expect("local address").port();
        let requests = Arc::new(Mutex::new(Vec::new()));
        let stop = Arc::new(AtomicBool::new(false));
        let thread = {
            let (requests, stop) = (requests.clone(), stop.clone());
            thread::spawn(move || {
                while !stop.load(Ordering::Relaxed) {
                    match listener.accept() {
                        Ok((mut stream, _)) => {
                            let _ = stream.set_read_timeout(Some(Duration::from_millis(500)));
                            let mut buf = [0u8; 2048];
                            let n = stream.read(&mut buf).unwrap_or(0);
                            let line = String::from_utf8_lossy(&buf[..n])
                                .lines()
                                .next()
                                .unwrap_or("(connection without a request)")
                                .to_string();
                            requests.lock().unwrap().push(line);
                            let _ = stream.write_all(
                                b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
                            );
                        }
                        Err(_) => thread::sleep(Duration::from_millis(10)),
                    }
                }
            })
        };
        Tripwire {
            port,
            requests,
            stop,
            thread: Some(thread),
        }
    }

    fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}/{path}", self.port)
    }

    fn requests(&self) -> Vec<String> {
        self.requests.lock().unwrap().clone()
    }

    /// Proves the tripwire records a request (so "zero requests" means something), then
    /// forgets it.
    fn self_check(&self) {
        let mut s = std::net::TcpStream::connect((Ipv4Addr::LOCALHOST, self.port))
            .expect("connect to the tripwire");
        s.write_all(b"GET /self-check HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            .expect("send a request");
        let mut reply = Vec::new();
        let _ = s.read_to_end(&mut reply);
        assert_eq!(
            self.requests(),
            ["GET /self-check HTTP/1.1"],
            "the tripwire records requests"
        );
        self.requests.lock().unwrap().clear();
    }
}

impl Drop for Tripwire {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// Text that would run, load or restyle something if any of it were treated as markup.
fn hostile_body(wire: &Tripwire) -> String {
    format!(
        "Hostile article about steel quotas\n\n\
         <script>window.__pwned = 'script'; document.title = 'pwned-script'; fetch('{script}');</script>\n\n\
         <img src=x onerror=\"window.__pwned = 'img'; document.title = 'pwned-img'; new Image().src = '{img}';\">\n\n\
         <img src=\"{remote}\">\n\n\
         <a href=\"javascript:window.__pwned = 'link'; document.title = 'pwned-link'\">click here</a>\n\n\
         <iframe src=\"{frame}\" onload=\"window.__pwned = 'iframe'\"></iframe>\n\n\
         <svg onload=\"window.__pwned = 'svg'\"><use href=\"{svg}\"/></svg>\n\n\
         <style>@import url({css}); body {{ background: url({bg}) }}</style>\n\n\
         <link rel=\"stylesheet\" href=\"{link}\">\n\n\
         <object data=\"{object}\"></object><embed src=\"{embed}\">\n\n\
         <meta http-equiv=\"refresh\" content=\"0; url={refresh}\">\n\n\
         Entities stay as written: &lt;b&gt;not bold&lt;/b&gt; &amp; &quot;quoted&quot; &#x27;apos&#x27; &copy; &#60;script&#62;\n",
        script = wire.url("script"),
        img = wire.url("onerror"),
        remote = wire.url("remote.png"),
        frame = wire.url("frame"),
        svg = wire.url("svg"),
        css = wire.url("import.css"),
        bg = wire.url("background.png"),
        link = wire.url("link.css"),
        object = wire.url("object"),
        embed = wire.url("embed"),
        refresh = wire.url("refresh"),
    )
}

#[test]
fn hostile_text_is_shown_as_text_and_nothing_runs_or_loads() {
    let wire = Tripwire::start();
    wire.self_check();
    let scratch = tempfile::tempdir().expect("create a temp dir");
    let db = scratch.path().join("ws.sqlite");
    let body = hostile_body(&wire);
    let file = scratch.path().join("hostile.txt");
    std::fs::write(&file, &body).expect("write the hostile article");
    let title = format!(
        "<img src=x onerror=\"window.__pwned='title'\"> <b>Title</b> &amp; {}",
        wire.url("title")
    );
    let outlet = "<script>window.__pwned='outlet'</script>";
    dossier(
        &db,
        &[
            "source",
            "add",
            file.to_str().expect("UTF-8 path"),
            "--title",
            &title,
            "--outlet",
            outlet,
        ],
    );
    dossier(
        &db,
        &[
            "excerpt",
            "add",
            "1",
            "--quote",
            "<script>window.__pwned = 'script';",
            "--note",
            "**Note** <img src=x onerror=\"window.__pwned='note'\"> [link](javascript:window.__pwned='md')",
        ],
    );
    let stored: Value = serde_json::from_str(&dossier(&db, &["--json", "source", "show", "1"]))
        .expect("source show prints JSON");
    assert_eq!(
        stored["text"].as_str().map(str::trim_end),
        Some(body.trim_end()),
        "the CLI stores the text exactly as written"
    );

    let app = Desktop::launch("lockdown", &db, scratch.path());
    // The library is the first view, unless the app remembered another: go there.
    app.js(
        "document.querySelector('#nav-library')?.click(); return true;",
        &[],
    );
    // The library is the first view; on a machine busy with other builds its first listing
    // can take longer than the helpers' 15 s, so wait for it on a longer clock.
    wait_long(
        &app,
        "document.querySelector('.source-row .source-title') !== null",
        "the library lists the source",
    );
    assert_eq!(
        app.text(".source-row .source-title", "the library lists the source"),
        title,
        "the title is shown literally in the library"
    );
    app.click(".source-row .source-link", "the source opens in the reader");
    wait_long(
        &app,
        "document.querySelector('#reader-text') !== null",
        "the reader shows the text",
    );
    wait_long(
        &app,
        "document.querySelector('#reader-text')?.textContent.includes('Entities stay as written')",
        "the reader shows the whole text",
    );
    // Time for anything that was going to run or load to do so.
    thread::sleep(Duration::from_millis(1500));
    app.screenshot("hostile-source");

    let page = app.js(
        "const text = document.querySelector('#reader-text').textContent;
         const scope = document.querySelector('#reader');
         return {
           pwned: window.__pwned === undefined ? null : String(window.__pwned),
           title: document.title,
           text,
           readerTitle: document.querySelector('#reader-title')?.textContent ?? null,
           markup: scope.querySelectorAll('script, img, iframe, svg, style, link, object, embed, meta, a[href^=\"javascript\"]').length,
           everywhere: document.querySelectorAll('iframe, object, embed, a[href^=\"javascript\"]').length,
           notes: Array.from(document.querySelectorAll('.excerpt-item .note')).map(n => n.textContent),
         };",
        &[],
    );
    assert_eq!(page["pwned"], Value::Null, "no payload ran: {page}");
    assert!(
        !page["title"].as_str().unwrap_or("").contains("pwned"),
        "no payload changed the document title: {}",
        page["title"]
    );
    assert_eq!(page["markup"], 0, "the text made no elements: {page}");
    assert_eq!(page["everywhere"], 0, "nothing embedded anywhere: {page}");
    let text = page["text"].as_str().expect("reader text");
    for literal in [
        "<script>window.__pwned = 'script'; document.title = 'pwned-script';",
        "<img src=x onerror=",
        "<a href=\"javascript:window.__pwned = 'link'",
        "<iframe src=",
        "&lt;b&gt;not bold&lt;/b&gt; &amp; &quot;quoted&quot; &#x27;apos&#x27; &copy; &#60;script&#62;",
    ] {
        assert!(
            text.contains(literal),
            "the reader shows {literal:?} as written; got: {text}"
        );
    }
    assert_eq!(
        page["readerTitle"].as_str(),
        Some(title.as_str()),
        "the reader's title is literal"
    );
    let requests = wire.requests();
    assert!(
        requests.is_empty(),
        "the window requested nothing from the payload server, got: {requests:?}"
    );
    let requests_before_note = requests.len();

    // The excerpt's note (Markdown with markup in it), shown in the excerpt panel.
    if app
        .session()
        .find(".excerpt-item")
        .expect("query excerpts")
        .is_some()
    {
        app.click(".excerpt-item", "the excerpt opens in its panel");
        thread::sleep(Duration::from_millis(800));
        let panel = app.js(
            "return {
               pwned: window.__pwned === undefined ? null : String(window.__pwned),
               markup: document.querySelectorAll('#excerpt-panel img, #excerpt-panel script, #excerpt-panel a[href^=\"javascript\"]').length,
             };",
            &[],
        );
        assert_eq!(panel["pwned"], Value::Null, "the note ran nothing: {panel}");
        assert_eq!(panel["markup"], 0, "the note made no elements: {panel}");
    }
    assert_eq!(
        wire.requests().len(),
        requests_before_note,
        "nothing was requested: {:?}",
        wire.requests()
    );
}

/// Waits up to a minute for `expression` to be truthy in the page.
fn wait_long(app: &Desktop, expression: &str, why: &str) {
    let script = format!("return Boolean({expression});");
    let deadline = std::time::Instant::now() + Duration::from_secs(60);
    while app.js(&script, &[]).as_bool() != Some(true) {
        if std::time::Instant::now() >= deadline {
            app.screenshot("timeout");
            let page = app.js(
                "return location.href + ' | ' + (document.body?.innerText ?? '').slice(0, 600);",
                &[],
            );
            panic!("{why} (waited 60 s for `{expression}`); the page shows: {page}");
        }
        thread::sleep(Duration::from_millis(100));
    }
}

/// The CSP's directives, by name.
fn csp_directives(csp: &str) -> Vec<(String, Vec<String>)> {
    csp.split(';')
        .map(str::trim)
        .filter(|d| !d.is_empty())
        .map(|d| {
            let mut parts = d.split_whitespace().map(str::to_string);
            let name = parts.next().unwrap_or_default();
            (name, parts.collect())
        })
        .collect()
}

fn read_json(path: &Path) -> Value {
    let text = std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{} is not JSON: {e}", path.display()))
}

#[test]
fn the_csp_forbids_inline_script_eval_and_remote_origins() {
    let conf = read_json(&workspace_root().join("src-tauri/tauri.conf.json"));
    let security = &conf["app"]["security"];
    let csp = security["csp"]
        .as_str()
        .expect("tauri.conf.json sets app.security.csp as one string");
    let directives = csp_directives(csp);
    let get = |name: &str| -> Option<&Vec<String>> {
        directives.iter().find(|(n, _)| n == name).map(|(_, v)| v)
    };
    assert_eq!(
        get("default-src").map(Vec::as_slice),
        Some(&["'self'".to_string()][..]),
        "default-src is 'self' alone: {csp}"
    );
    // Scripts: from the app's own files only. script-src falls back to default-src.
    let scripts = get("script-src").or(get("default-src")).unwrap();
    assert_eq!(
        scripts.as_slice(),
        ["'self'"],
        "script-src allows the app's own files only (no inline script, no eval, no remote origin): {csp}"
    );
    for (name, sources) in &directives {
        for s in sources {
            let s_lower = s.to_lowercase();
            assert!(
                !s_lower.contains("unsafe-eval") && !s_lower.contains("wasm-unsafe-eval"),
                "{name} allows eval: {csp}"
            );
            if name != "style-src" {
                assert!(
                    !s_lower.contains("unsafe-inline"),
                    "{name} allows inline code: {csp}"
                );
            }
            // The only origin beyond the app's own is Tauri's IPC endpoint.
            let remote = s == "*"
                || s_lower.starts_with("http:")
                || s_lower.starts_with("https:")
                || s_lower.starts_with("ws:")
                || s_lower.starts_with("wss:")
                || s_lower.starts_with("blob:")
                || s_lower.starts_with("filesystem:")
                || s_lower.starts_with("*.");
            let ipc = name == "connect-src" && (s == "ipc:" || s == "http://ipc.localhost");
            assert!(!remote || ipc, "{name} allows the remote origin {s}: {csp}");
        }
    }
    for (name, want) in [
        ("object-src", "'none'"),
        ("base-uri", "'none'"),
        ("frame-src", "'none'"),
    ] {
        assert_eq!(
            get(name).map(Vec::as_slice),
            Some(&[want.to_string()][..]),
            "{name} is {want}: {csp}"
        );
    }
    assert!(
        security
            .get("dangerousDisableAssetCspModification")
            .is_none()
            || security["dangerousDisableAssetCspModification"] == json!(false),
        "Tauri's own CSP hashing of the app's assets stays on"
    );
    assert!(
        conf["app"].get("withGlobalTauri").is_none()
            || conf["app"]["withGlobalTauri"] == json!(false),
        "the Tauri API is not put on window for any script to find"
    );
    for window in conf["app"]["windows"].as_array().into_iter().flatten() {
        assert!(
            window
                .get("url")
                .is_none_or(|u| u.as_str().is_some_and(|u| !u.contains("://"))),
            "no window loads a remote page: {window}"
        );
    }
}

/// The app's own commands, as `src-tauri/build.rs` declares them.
fn app_commands() -> Vec<String> {
    let build = std::fs::read_to_string(workspace_root().join("src-tauri/build.rs"))
        .expect("read src-tauri/build.rs");
    let start = build
        .find("const COMMANDS: &[&str] = &[")
        .expect("build.rs declares its COMMANDS");
    let end = start + build[start..].find("];").expect("the list ends");
    build[start..end]
        .split('"')
        .skip(1)
        .step_by(2)
        .map(str::to_string)
        .collect()
}

/// Everything a capability may grant beyond the app's own commands, each with what uses it.
/// Adding a line here is a decision to widen what the page may do.
const ALLOWED_CORE: &[(&str, &str)] = &[
    (
        "core:event:allow-listen",
        "menu actions and workspace switches sent from Rust",
    ),
    ("core:event:allow-unlisten", "the same listeners, removed"),
];

#[test]
fn capabilities_grant_only_the_apps_commands_and_listed_permissions() {
    let commands = app_commands();
    assert!(!commands.is_empty(), "build.rs lists the app's commands");
    let allowed: Vec<String> = commands
        .iter()
        .map(|c| format!("allow-{}", c.replace('_', "-")))
        .chain(ALLOWED_CORE.iter().map(|(p, _)| p.to_string()))
        .collect();
    let dir = workspace_root().join("src-tauri/capabilities");
    let mut files = 0;
    for entry in std::fs::read_dir(&dir).expect("src-tauri/capabilities exists") {
        let path = entry.expect("list capabilities").path();
        let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
        assert!(
            ext == "json",
            "capability files are JSON, so this test reads them all: {}",
            path.display()
        );
        files += 1;
        let cap = read_json(&path);
        assert!(
            cap.get("remote").is_none(),
            "{}: no remote URL may call the app's commands",
            path.display()
        );
        assert_eq!(
            cap["windows"],
            json!(["main"]),
            "{}: granted to the main window only",
            path.display()
        );
        for p in cap["permissions"].as_array().expect("a permissions list") {
            let id = p
                .as_str()
                .or_else(|| p["identifier"].as_str())
                .expect("a permission has an identifier");
            assert!(
                p.is_string(),
                "{}: {id} is granted with scopes; scoped grants need a review here",
                path.display()
            );
            assert!(
                allowed.iter().any(|a| a == id),
                "{}: {id} is neither one of the app's commands nor a listed core permission (fs, shell, http and the like would give the page more than the UI uses)",
                path.display()
            );
        }
    }
    assert!(files > 0, "at least one capability file");
}

/// Links leave for the system's browser: a click on a source's address hands it to the system
/// (here a script standing in for `xdg-open`, through `DOSSIER_OPEN_WITH`), and a page that
/// tries to navigate the window away stays where it is — the navigation is cancelled in Rust,
/// whatever the page's own code does.
#[test]
fn links_open_in_the_system_browser_and_never_in_the_window() {
    use std::os::unix::fs::PermissionsExt;

    let scratch = tempfile::tempdir().expect("create a temp dir");
    let db = scratch.path().join("ws.sqlite");
    let opened = scratch.path().join("opened.txt");
    let opener = scratch.path().join("open-with.sh");
    std::fs::write(
        &opener,
        format!(
            "#!/bin/sh\nprintf '%s\\n' \"$1\" >> '{}'\n",
            opened.display()
        ),
    )
    .expect("write the stand-in opener");
    std::fs::set_permissions(&opener, std::fs::Permissions::from_mode(0o755))
        .expect("make the opener executable");
    let text = scratch.path().join("source.txt");
    std::fs::write(
        &text,
        "Officials said the quota review would start in June.",
    )
    .expect("write the source");
    dossier(
        &db,
        &[
            "source",
            "add",
            text.to_str().expect("UTF-8 path"),
            "--title",
            "Quota review in June",
            "--url",
            "https://example.org/quota-review",
        ],
    );

    let app = Desktop::launch_with(
        "links",
        &db,
        scratch.path(),
        &[
            ("WEBKIT_DISABLE_DMABUF_RENDERER", Path::new("1")),
            ("DOSSIER_OPEN_WITH", &opener),
        ],
    );
    let home = app.js("return location.href;", &[]);
    app.click(".source-row .source-link", "the source opens in the reader");
    app.click(
        "#source-url",
        "the reader shows the source's address as a link",
    );
    let read = || std::fs::read_to_string(&opened).unwrap_or_default();
    for _ in 0..100 {
        if !read().is_empty() {
            break;
        }
        thread::sleep(Duration::from_millis(100));
    }
    assert_eq!(
        read().trim(),
        "https://example.org/quota-review",
        "the link goes to the system's browser"
    );

    // A page that navigates itself away is stopped in Rust; the web address is handed on too.
    app.js(
        "location.href = 'https://example.org/elsewhere'; return true;",
        &[],
    );
    thread::sleep(Duration::from_millis(1500));
    assert_eq!(
        app.js("return location.href;", &[]),
        home,
        "the window never leaves the app"
    );
    app.expect("#app-title", "the app is still showing");
    assert!(
        read().contains("https://example.org/elsewhere"),
        "a web address the page tried to open went to the browser: {}",
        read()
    );
    app.js("location.href = 'file:///etc/hostname'; return true;", &[]);
    thread::sleep(Duration::from_millis(1000));
    assert_eq!(app.js("return location.href;", &[]), home);
    assert!(
        !read().contains("file:"),
        "a file address is never handed to the system: {}",
        read()
    );
}

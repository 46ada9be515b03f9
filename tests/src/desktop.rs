//! Starts the app under tauri-driver for one test and tears both down afterwards.
//!
//! Every prerequisite is checked up front and a missing one panics with the command that
//! provides it, because the alternative failure (a WebDriver timeout) says nothing useful.

use std::fs::File;
use std::io::Write;
use std::net::{Ipv4Addr, SocketAddr, SocketAddrV4, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use crate::webdriver::{Element, Session};

/// How long the UI may take to show something after the window opens.
pub const UI_TIMEOUT: Duration = Duration::from_secs(15);

const HOW_TO_RUN: &str = "run the desktop tests under a display and a session bus: \
     `xvfb-run -a dbus-run-session -- cargo test -p dossier-e2e -- --test-threads=1`";

/// The workspace root (this crate lives in `tests/`).
///
/// `cargo test` sets `CARGO_MANIFEST_DIR` when it runs the tests, and that is preferred to the
/// one compiled in: two checkouts sharing one `CARGO_TARGET_DIR` (CI's cache) may reuse a
/// binary built in the other checkout, whose compiled-in path names the wrong tree.
pub fn workspace_root() -> PathBuf {
    std::env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")))
        .parent()
        .expect("tests/ has a parent")
        .to_path_buf()
}

/// Cargo's target directory: `CARGO_TARGET_DIR` when set, else `target/` at the root.
pub fn target_dir() -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) if !dir.is_empty() => workspace_root().join(dir),
        _ => workspace_root().join("target"),
    }
}

/// A binary built by cargo in the debug profile (`DOSSIER_E2E_PROFILE` picks another).
pub fn built_binary(name: &str) -> PathBuf {
    let profile = std::env::var("DOSSIER_E2E_PROFILE").unwrap_or_else(|_| "debug".to_owned());
    target_dir()
        .join(profile)
        .join(format!("{name}{}", std::env::consts::EXE_SUFFIX))
}

fn on_path(program: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(program))
        .find(|p| p.is_file())
}

fn tauri_driver() -> PathBuf {
    if let Some(explicit) = std::env::var_os("TAURI_DRIVER") {
        return PathBuf::from(explicit);
    }
    let cargo_home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| Path::new(&home).join(".cargo")));
    on_path("tauri-driver")
        .or_else(|| {
            cargo_home
                .map(|home| home.join("bin/tauri-driver"))
                .filter(|p| p.is_file())
        })
        .unwrap_or_else(|| {
            panic!(
                "tauri-driver is not installed: install it with \
                 `cargo install tauri-driver --locked`, or set TAURI_DRIVER to its path"
            )
        })
}

/// The app binary, which must have been built with its UI embedded.
pub fn app_binary() -> PathBuf {
    let app = std::env::var_os("DOSSIER_E2E_APP")
        .map(PathBuf::from)
        .unwrap_or_else(|| built_binary("dossier-app"));
    assert!(
        app.is_file(),
        "the app binary {} does not exist: build it with \
         `npm --prefix ui ci && npm --prefix ui run build && \
         cargo build -p dossier-app --features custom-protocol`",
        app.display()
    );
    app
}

fn check_display() {
    let has_display = ["DISPLAY", "WAYLAND_DISPLAY"]
        .iter()
        .any(|var| std::env::var_os(var).is_some_and(|v| !v.is_empty()));
    assert!(has_display, "no display to open a window on: {HOW_TO_RUN}");
    if cfg!(target_os = "linux") {
        assert!(
            on_path("WebKitWebDriver").is_some(),
            "WebKitWebDriver is not on PATH: install the Debian package `webkit2gtk-driver` \
             (or your distribution's WebKitGTK WebDriver)"
        );
    }
}

/// Two consecutive free local ports: tauri-driver listens on the first and points
/// WebKitWebDriver at the second.
fn free_port_pair() -> u16 {
    for _ in 0..50 {
        let first = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).expect("bind a local port");
        let port = first.local_addr().expect("local address").port();
        if port < u16::MAX && TcpListener::bind((Ipv4Addr::LOCALHOST, port + 1)).is_ok() {
            return port;
        }
    }
    panic!("found no two consecutive free local ports");
}

/// tauri-driver, killed on drop.
struct Driver {
    child: Child,
    log: PathBuf,
}

impl Driver {
    fn start(env: &[(&str, &Path)], log: PathBuf) -> (Driver, SocketAddr) {
        let port = free_port_pair();
        let out = File::create(&log).expect("create the driver log");
        let err = out.try_clone().expect("clone the driver log handle");
        let mut command = Command::new(tauri_driver());
        command
            .args([
                "--port",
                &port.to_string(),
                "--native-port",
                &(port + 1).to_string(),
            ])
            .stdin(Stdio::null())
            .stdout(out)
            .stderr(err);
        for (key, value) in env {
            command.env(key, value);
        }
        let child = command
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start tauri-driver: {e}"));
        let mut driver = Driver { child, log };
        let addr = SocketAddr::V4(SocketAddrV4::new(Ipv4Addr::LOCALHOST, port));
        driver.wait_until_listening(addr);
        (driver, addr)
    }

    fn wait_until_listening(&mut self, addr: SocketAddr) {
        let deadline = Instant::now() + Duration::from_secs(10);
        while TcpStream::connect_timeout(&addr, Duration::from_millis(200)).is_err() {
            if let Ok(Some(status)) = self.child.try_wait() {
                panic!(
                    "tauri-driver exited with {status} before listening:\n{}",
                    self.log_text()
                );
            }
            assert!(
                Instant::now() < deadline,
                "tauri-driver did not listen on {addr} within 10 s:\n{}",
                self.log_text()
            );
            thread::sleep(Duration::from_millis(50));
        }
    }

    fn log_text(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        if thread::panicking() {
            eprintln!("--- tauri-driver and app output ---\n{}", self.log_text());
        }
    }
}

/// The running app, with its WebDriver session.
pub struct Desktop {
    // Field order is drop order: end the session (closing the app) before killing the driver.
    session: Option<Session>,
    _driver: Driver,
    screenshots: PathBuf,
    name: String,
    db: PathBuf,
}

impl Desktop {
    /// Starts the app on the workspace file `db`; `name` labels its screenshots.
    ///
    /// The app's data and settings folders are pointed into `scratch`, so each test starts with
    /// no remembered window size and its sample workspace lands beside `db`.
    pub fn launch(name: &str, db: &Path, scratch: &Path) -> Desktop {
        // Measured to save ~60 MB and still render under Xvfb (TOOLCHAIN.md).
        // The journeys read the English interface, whatever the machine's own language.
        Desktop::launch_with(
            name,
            db,
            scratch,
            &[
                ("WEBKIT_DISABLE_DMABUF_RENDERER", Path::new("1")),
                ("DOSSIER_UI_LANG", Path::new("en")),
            ],
        )
    }

    /// As [`Desktop::launch`], with `extra` added to the app's environment.
    pub fn launch_with(name: &str, db: &Path, scratch: &Path, extra: &[(&str, &Path)]) -> Desktop {
        check_display();
        let app = app_binary();
        let config = scratch.join("config");
        let data = scratch.join("data");
        let log = scratch.join(format!("driver-{name}.log"));
        let mut env: Vec<(&str, &Path)> = vec![
            ("DOSSIER_DB", db),
            ("XDG_CONFIG_HOME", &config),
            ("XDG_DATA_HOME", &data),
            // The window under test leaves the browser connector's ports to tests/browser.rs.
            ("DOSSIER_CONNECTOR", Path::new("off")),
        ];
        env.extend_from_slice(extra);
        let (driver, addr) = Driver::start(&env, log);
        let session = Session::start(addr, &app).unwrap_or_else(|e| {
            panic!(
                "cannot open a WebDriver session on {}: {e}\n{}",
                app.display(),
                driver.log_text()
            )
        });
        let screenshots = target_dir().join("e2e-screenshots");
        std::fs::create_dir_all(&screenshots).expect("create target/e2e-screenshots");
        let desktop = Desktop {
            session: Some(session),
            _driver: driver,
            screenshots,
            name: name.to_owned(),
            db: db.to_path_buf(),
        };
        desktop.wait_for_ui();
        desktop
    }

    pub fn session(&self) -> &Session {
        self.session
            .as_ref()
            .expect("the session lives until the Desktop is dropped")
    }

    /// Waits for the Svelte app to mount, telling a dev-server build apart from a broken UI.
    fn wait_for_ui(&self) {
        let error = match self.session().wait_for("#app-title", UI_TIMEOUT) {
            Ok(_) => return,
            Err(error) => error,
        };
        let url = self.session().current_url().unwrap_or_default();
        assert!(
            !url.starts_with("http://localhost:5173"),
            "the app loads the Vite dev server ({url}), so it was built without its UI: rebuild \
             with `cargo build -p dossier-app --features custom-protocol` after \
             `npm --prefix ui run build`"
        );
        panic!("the UI did not show #app-title (page: {url:?}): {error}");
    }

    /// Waits for `css` and returns it, failing the test with `why` if it never appears.
    pub fn expect(&self, css: &str, why: &str) -> Element {
        self.session()
            .wait_for(css, UI_TIMEOUT)
            .unwrap_or_else(|e| {
                self.screenshot("failure");
                panic!("{why}: {e}")
            })
    }

    pub fn text(&self, css: &str, why: &str) -> String {
        let element = self.expect(css, why);
        self.session()
            .text(&element)
            .unwrap_or_else(|e| panic!("{why}: {e}"))
    }

    /// Saves a screenshot named after the test and `view`, and prints where it went.
    pub fn screenshot(&self, view: &str) -> PathBuf {
        let path = self.screenshots.join(format!("{}-{view}.png", self.name));
        // WebKit's screenshot is the last painted frame, which can predate the DOM the test
        // just checked; two animation frames guarantee a paint of the current state.
        let painted = self.session().execute_async(
            "const done = arguments[arguments.length - 1]; \
             requestAnimationFrame(() => requestAnimationFrame(() => done(true)));",
            &[],
        );
        if let Err(e) = painted {
            eprintln!("could not wait for a paint before the screenshot: {e}");
        }
        let line = match self.session().screenshot(&path) {
            Ok(()) => format!("screenshot: {}\n", path.display()),
            Err(e) => format!("could not save screenshot {}: {e}\n", path.display()),
        };
        // Straight to stderr, past libtest's capture, so passing runs say where the PNGs are.
        let _ = std::io::stderr().write_all(line.as_bytes());
        path
    }
}

impl Desktop {
    /// Clicks the element matching `css`, waiting for it first.
    pub fn click(&self, css: &str, why: &str) {
        let element = self.expect(css, why);
        // Rows off screen are not rendered (content-visibility), so WebDriver would call them
        // not interactable: bring the element into view first, as a user scrolling would.
        self.js(
            "arguments[0].scrollIntoView({ block: 'center' }); return true;",
            &[element.to_arg()],
        );
        self.session()
            .click(&element)
            .unwrap_or_else(|e| self.fail(&format!("{why}: cannot click {css}: {e}")));
    }

    /// Types `text` into the element matching `css` (WebDriver key codes allowed, e.g. Enter
    /// is `\u{E007}`).
    pub fn type_into(&self, css: &str, text: &str, why: &str) {
        let element = self.expect(css, why);
        self.session()
            .send_keys(&element, text)
            .unwrap_or_else(|e| self.fail(&format!("{why}: cannot type into {css}: {e}")));
    }

    /// Empties the field matching `css`, then types `text`.
    pub fn replace_text(&self, css: &str, text: &str, why: &str) {
        let element = self.expect(css, why);
        self.session()
            .clear(&element)
            .unwrap_or_else(|e| self.fail(&format!("{why}: cannot clear {css}: {e}")));
        if !text.is_empty() {
            self.type_into(css, text, why);
        }
    }

    /// Runs `script` (a function body) in the page.
    pub fn js(&self, script: &str, args: &[serde_json::Value]) -> serde_json::Value {
        self.session()
            .execute(script, args)
            .unwrap_or_else(|e| self.fail(&format!("script failed: {e}\n{script}")))
    }

    /// Waits until `expression` (a JavaScript expression) is truthy, failing with `why`.
    pub fn wait_until(&self, expression: &str, why: &str) {
        let script = format!("return Boolean({expression});");
        let deadline = Instant::now() + UI_TIMEOUT;
        loop {
            if self.js(&script, &[]).as_bool() == Some(true) {
                return;
            }
            if Instant::now() >= deadline {
                self.fail(&format!("{why} (waited for `{expression}`)"));
            }
            thread::sleep(Duration::from_millis(50));
        }
    }

    /// Presses keys in the page as the analyst would, on whatever has focus.
    pub fn press(&self, keys: &str) {
        let target = self.js(
            "const a = document.activeElement; return a && a !== document.body ? null : true;",
            &[],
        );
        let css = if target.as_bool() == Some(true) {
            "body"
        } else {
            ":focus"
        };
        let element = self.expect(css, "something in the page takes keys");
        self.session()
            .send_keys(&element, keys)
            .unwrap_or_else(|e| self.fail(&format!("cannot press {keys:?}: {e}")));
    }

    /// Runs a command-palette action by its label, as an analyst would with Ctrl+K then Enter.
    pub fn palette(&self, label: &str) {
        self.press("\u{E009}k"); // Ctrl+K
        self.replace_text("#palette-input", label, "the palette takes a query");
        let label_js = serde_json::Value::from(label).to_string();
        self.wait_until(
            &format!(
                "[...document.querySelectorAll('#palette-options [role=option]')].some(o => o.textContent.includes({label_js}))"
            ),
            &format!("the palette offers \"{label}\""),
        );
        self.type_into("#palette-input", "\u{E007}", "Enter runs the first match");
    }

    /// Selects the first occurrence of `needle` in the text under `container`, as a mouse drag
    /// would: a DOM range set as the document's selection. The needle may cross highlights.
    pub fn select_text(&self, container: &str, needle: &str) {
        let found = self.js(
            r#"
            const [css, needle] = arguments;
            const root = document.querySelector(css);
            if (!root) return "no container";
            const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
            const nodes = [];
            let all = "";
            for (let n = walker.nextNode(); n; n = walker.nextNode()) {
              nodes.push([n, all.length]);
              all += n.textContent;
            }
            const at = all.indexOf(needle);
            if (at < 0) return "not found";
            const locate = (offset, preferNext) => {
              for (let i = 0; i < nodes.length; i++) {
                const [node, start] = nodes[i];
                const end = start + node.textContent.length;
                if (offset < end || (offset === end && !preferNext)) return [node, offset - start];
              }
              const [node, start] = nodes[nodes.length - 1];
              return [node, offset - start];
            };
            const [sn, so] = locate(at, true);
            const [en, eo] = locate(at + needle.length, false);
            const range = document.createRange();
            range.setStart(sn, so);
            range.setEnd(en, eo);
            const sel = window.getSelection();
            sel.removeAllRanges();
            sel.addRange(range);
            return sel.toString() === needle ? "ok" : "selected " + JSON.stringify(sel.toString());
            "#,
            &[serde_json::json!(container), serde_json::json!(needle)],
        );
        if found.as_str() != Some("ok") {
            self.fail(&format!("cannot select {needle:?} in {container}: {found}"));
        }
    }

    /// The text covered by the highlights of excerpt `id`, in document order.
    pub fn highlighted(&self, id: i64) -> String {
        self.js(
            "return [...document.querySelectorAll(`#reader-text mark[data-excerpts~=\"${arguments[0]}\"]`)]\
             .map((m) => m.textContent).join('');",
            &[serde_json::json!(id)],
        )
        .as_str()
        .unwrap_or_default()
        .to_owned()
    }

    /// Shows the app in `theme` ("light" or "dark") through the attribute its tokens honour.
    pub fn set_theme(&self, theme: &str) {
        self.js(
            "document.documentElement.dataset.theme = arguments[0]; return true;",
            &[serde_json::json!(theme)],
        );
    }

    /// Runs axe-core over the page and returns its serious and critical violations, one line
    /// each; axe is loaded from `ui/node_modules` into the page the first time.
    pub fn accessibility_violations(&self) -> Vec<String> {
        let loaded = self.js("return typeof window.axe === 'object';", &[]);
        if loaded.as_bool() != Some(true) {
            let path = workspace_root().join("ui/node_modules/axe-core/axe.min.js");
            let source = std::fs::read_to_string(&path).unwrap_or_else(|e| {
                panic!(
                    "cannot read {}: {e}; install the UI's packages with `npm --prefix ui ci`",
                    path.display()
                )
            });
            self.js(&format!("{source}\n;return true;"), &[]);
        }
        let result = self
            .session()
            .execute_async(
                r#"
                const done = arguments[arguments.length - 1];
                window.axe
                  .run(document, { resultTypes: ["violations"] })
                  .then((r) => done(r.violations
                    .filter((v) => v.impact === "serious" || v.impact === "critical")
                    .map((v) => `${v.impact} ${v.id}: ${v.help} — ${v.nodes.slice(0, 3)
                      .map((n) => n.target.join(" ") + " (" + (n.failureSummary || "").replace(/\s+/g, " ").slice(0, 160) + ")")
                      .join("; ")}`)))
                  .catch((e) => done([`axe failed: ${e}`]));
                "#,
                &[],
            )
            .unwrap_or_else(|e| self.fail(&format!("axe did not run: {e}")));
        result
            .as_array()
            .map(|list| {
                list.iter()
                    .filter_map(|v| v.as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Quits the app (ending the session closes its window) and waits until it has exited,
    /// so a relaunch is a new process rather than a second instance handing over.
    pub fn quit(mut self) {
        self.session.take();
        wait_for_exit(&self.db);
    }

    fn fail(&self, message: &str) -> ! {
        self.screenshot("failure");
        panic!("{message}")
    }
}

impl Drop for Desktop {
    fn drop(&mut self) {
        if self.session.take().is_some() {
            wait_for_exit(&self.db);
        }
    }
}

/// Waits (up to 10 s) until no process runs with `DOSSIER_DB=db` in its environment: the app
/// is single-instance, so a relaunch racing the old process would just hand over to it.
fn wait_for_exit(db: &Path) {
    let needle = format!("DOSSIER_DB={}", db.display()).into_bytes();
    let deadline = Instant::now() + Duration::from_secs(10);
    while Instant::now() < deadline {
        let running = std::fs::read_dir("/proc")
            .map(|entries| {
                entries.filter_map(Result::ok).any(|entry| {
                    let is_pid = entry
                        .file_name()
                        .to_str()
                        .is_some_and(|n| n.bytes().all(|b| b.is_ascii_digit()));
                    is_pid
                        && std::fs::read(entry.path().join("environ")).is_ok_and(|env| {
                            env.split(|b| *b == 0).any(|var| var == needle.as_slice())
                        })
                        && std::fs::read_link(entry.path().join("exe")).is_ok_and(|exe| {
                            exe.file_name()
                                .is_some_and(|n| n.to_string_lossy().starts_with("dossier-app"))
                        })
                })
            })
            .unwrap_or(false);
        if !running {
            return;
        }
        thread::sleep(Duration::from_millis(100));
    }
    eprintln!(
        "warning: the app on {} did not exit within 10 s",
        db.display()
    );
}

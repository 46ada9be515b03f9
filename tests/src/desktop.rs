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
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
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
    session: Session,
    _driver: Driver,
    screenshots: PathBuf,
    name: String,
}

impl Desktop {
    /// Starts the app on the workspace file `db`; `name` labels its screenshots.
    pub fn launch(name: &str, db: &Path, scratch: &Path) -> Desktop {
        check_display();
        let app = app_binary();
        let (driver, addr) = Driver::start(&[("DOSSIER_DB", db)], scratch.join("driver.log"));
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
            session,
            _driver: driver,
            screenshots,
            name: name.to_owned(),
        };
        desktop.wait_for_ui();
        desktop
    }

    pub fn session(&self) -> &Session {
        &self.session
    }

    /// Waits for the Svelte app to mount, telling a dev-server build apart from a broken UI.
    fn wait_for_ui(&self) {
        let error = match self.session.wait_for("#app-title", UI_TIMEOUT) {
            Ok(_) => return,
            Err(error) => error,
        };
        let url = self.session.current_url().unwrap_or_default();
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
        self.session.wait_for(css, UI_TIMEOUT).unwrap_or_else(|e| {
            self.screenshot("failure");
            panic!("{why}: {e}")
        })
    }

    pub fn text(&self, css: &str, why: &str) -> String {
        let element = self.expect(css, why);
        self.session
            .text(&element)
            .unwrap_or_else(|e| panic!("{why}: {e}"))
    }

    /// Saves a screenshot named after the test and `view`, and prints where it went.
    pub fn screenshot(&self, view: &str) -> PathBuf {
        let path = self.screenshots.join(format!("{}-{view}.png", self.name));
        // WebKit's screenshot is the last painted frame, which can predate the DOM the test
        // just checked; two animation frames guarantee a paint of the current state.
        let painted = self.session.execute_async(
            "const done = arguments[arguments.length - 1]; \
             requestAnimationFrame(() => requestAnimationFrame(() => done(true)));",
            &[],
        );
        if let Err(e) = painted {
            eprintln!("could not wait for a paint before the screenshot: {e}");
        }
        let line = match self.session.screenshot(&path) {
            Ok(()) => format!("screenshot: {}\n", path.display()),
            Err(e) => format!("could not save screenshot {}: {e}\n", path.display()),
        };
        // Straight to stderr, past libtest's capture, so passing runs say where the PNGs are.
        let _ = std::io::stderr().write_all(line.as_bytes());
        path
    }
}

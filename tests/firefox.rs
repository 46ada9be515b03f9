//! The Firefox build of the browser extension in a real Firefox (Debian's `firefox-esr`,
//! headless, driven by geckodriver), against `dossier connector serve` on a temp workspace:
//! the packaged `dossier-firefox.xpi` installed as a temporary add-on (what about:debugging's
//! Load Temporary Add-on does), pairing asked from its popup and approved by
//! `dossier connector pair --approve`, then Save page and Save selection as excerpt from the
//! popup, read back through the CLI.
//!
//! As in tests/browser.rs, the popup is opened as a page in a tab,
//! `moz-extension://UUID/popup.html?url=PAGE`. Firefox gives each installed extension a random
//! UUID; the pref `extensions.webextensions.uuids` fixes it for the add-on's id. WebDriver may
//! not navigate a tab to an extension's page, so the test asks Firefox's own chrome to load it
//! (geckodriver's `--allow-system-access`), then drives the page as any other.
//!
//! Missing tools fail the test with what to install, never skip it.

use std::net::SocketAddr;
use std::path::Path;
use std::time::Duration;

use dossier_e2e::browser::{
    ARTICLE, Killed, connector, json_of, query_value, serve_pages, tool, wait_until,
    webdriver_server,
};
use dossier_e2e::desktop::workspace_root;
use dossier_e2e::webdriver::Session;
use dossier_e2e::workspace::dossier;
use serde_json::{Value, json};

/// The UUID the test gives the extension (Firefox's own would be random).
const EXTENSION_UUID: &str = "5b0e9f3c-7d1a-4c62-9e8b-3f4a2d1c6e70";

const PAGES: &[(&str, &str)] = &[("/article.html", ARTICLE)];

/// The built Firefox extension's manifest, failing with how to build it.
fn firefox_manifest() -> Value {
    let path = workspace_root().join("browser/dist/firefox/manifest.json");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "{}: {e} — run `make extension` (node browser/build.mjs)",
            path.display()
        )
    });
    serde_json::from_str(&text).unwrap()
}

fn geckodriver(scratch: &Path) -> (Killed, SocketAddr) {
    let driver = tool(
        "geckodriver",
        "`cargo install geckodriver --locked`, into ~/.cargo/bin",
    );
    webdriver_server(
        &driver,
        |port| {
            vec![
                "--port".into(),
                port.to_string(),
                "--allow-system-access".into(),
                "--log".into(),
                "info".into(),
            ]
        },
        &scratch.join("geckodriver.log"),
    )
}

/// Firefox, headless, with the extension's UUID fixed and nothing phoning home.
fn firefox_session(addr: SocketAddr, addon_id: &str) -> Session {
    let binary = tool("firefox-esr", "`apt-get install firefox-esr`");
    let uuids = json!({ addon_id: EXTENSION_UUID }).to_string();
    let capabilities = json!({
        "capabilities": { "alwaysMatch": {
            "browserName": "firefox",
            "moz:firefoxOptions": {
                "binary": binary.display().to_string(),
                "args": ["-headless", "-width", "1200", "-height", "800"],
                "prefs": {
                    "extensions.webextensions.uuids": uuids,
                    "intl.locale.requested": "en-US",
                    "intl.accept_languages": "en-US, en",
                    "app.update.enabled": false,
                    "browser.shell.checkDefaultBrowser": false,
                    "datareporting.policy.dataSubmissionEnabled": false,
                    "toolkit.telemetry.enabled": false,
                    "extensions.update.enabled": false,
                },
            },
        }},
    });
    Session::start_with(addr, &capabilities).expect("Firefox starts under geckodriver")
}

/// Loads the extension's page `url` in the current tab, through the browser's chrome (see the
/// module's doc), and waits until it is there.
fn open_extension_page(s: &Session, url: &str) {
    s.firefox_context("chrome").unwrap();
    let loaded = s.execute(
        "const w = Services.wm.getMostRecentWindow('navigator:browser');
         w.gBrowser.selectedBrowser.loadURI(Services.io.newURI(arguments[0]), {
           triggeringPrincipal: Services.scriptSecurityManager.getSystemPrincipal() });
         return true;",
        &[json!(url)],
    );
    s.firefox_context("content").unwrap();
    loaded.expect("Firefox's chrome loads the extension's page");
    let deadline = std::time::Instant::now() + Duration::from_secs(15);
    while s.current_url().ok().as_deref() != Some(url) {
        assert!(
            std::time::Instant::now() < deadline,
            "the tab never showed {url} (it shows {:?})",
            s.current_url()
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// Loads the current page again (the popup reads the page it works on when it opens).
fn reload(s: &Session) {
    s.execute("location.reload(); return true;", &[]).unwrap();
    std::thread::sleep(Duration::from_millis(300));
}

#[test]
fn the_firefox_build_loads_pairs_and_saves() {
    let manifest = firefox_manifest();
    let addon_id = manifest["browser_specific_settings"]["gecko"]["id"]
        .as_str()
        .expect("the Firefox manifest names its add-on id")
        .to_owned();
    let xpi = workspace_root().join("browser/dist/dossier-firefox.xpi");
    assert!(
        xpi.is_file(),
        "{} is missing: run `make extension`",
        xpi.display()
    );

    let scratch = tempfile::tempdir().unwrap();
    let db = scratch.path().join("ws.sqlite");
    let (_server, _port) = connector(&db);
    let pages = serve_pages(PAGES);
    let article = format!("http://127.0.0.1:{pages}/article.html");
    let (_driver, addr) = geckodriver(scratch.path());
    let s = firefox_session(addr, &addon_id);

    // The package itself, as an analyst loads it from about:debugging.
    let installed = s
        .install_firefox_addon(&xpi, true)
        .expect("Firefox installs the .xpi as a temporary add-on");
    assert_eq!(installed, addon_id);

    s.navigate(&article).unwrap();
    wait_until(
        &s,
        "the article's script",
        "return document.body.dataset.ready === 'yes'",
        Duration::from_secs(10),
    );
    let article_tab = s.window_handle().unwrap();

    // The popup on the article's tab: not paired yet, so it offers to pair.
    let popup_url = format!(
        "moz-extension://{EXTENSION_UUID}/popup.html?url={}",
        query_value(&article)
    );
    let popup_tab = s.new_tab().unwrap();
    s.switch_to_window(&popup_tab).unwrap();
    open_extension_page(&s, &popup_url);
    let pair = s
        .wait_for(
            "#pairing:not([hidden]) #pair:not([disabled])",
            Duration::from_secs(15),
        )
        .unwrap_or_else(|e| {
            let body = s
                .execute("return document.body ? document.body.innerText : ''", &[])
                .unwrap_or(Value::Null);
            panic!("the popup offers no pairing ({e}); it says: {body}")
        });
    s.click(&pair).unwrap();
    wait_until(
        &s,
        "the pairing request",
        "return document.body.dataset.pairing === 'pending'",
        Duration::from_secs(10),
    );

    // Approved headless: the extension collects its token at its next poll.
    let approved = json_of(&dossier(
        &db,
        &["connector", "pair", "--approve", "--wait", "20", "--json"],
    ));
    assert_eq!(
        approved["client"], "Firefox",
        "the extension says which browser it is"
    );
    wait_until(
        &s,
        "the token",
        "return document.body.dataset.pairing === 'paired'",
        Duration::from_secs(15),
    );
    let tokens = json_of(&dossier(&db, &["connector", "tokens", "--json"]));
    let tokens = tokens.as_array().unwrap();
    assert_eq!(tokens.len(), 1, "{tokens:?}");
    assert_eq!(tokens[0]["client"], "Firefox");

    // The token works: the popup asks whether the page is saved (a call that needs it), then
    // Save page.
    wait_until(
        &s,
        "the saved state",
        "return document.getElementById('saved-state').dataset.saved === 'false'",
        Duration::from_secs(10),
    );
    let save = s.wait_for("#save-page", Duration::from_secs(5)).unwrap();
    s.click(&save).unwrap();
    wait_until(
        &s,
        "the save",
        "return document.getElementById('result').dataset.status === 'imported'",
        Duration::from_secs(15),
    );
    let sources = json_of(&dossier(&db, &["source", "list", "--json"]));
    let sources = sources.as_array().unwrap();
    assert_eq!(sources.len(), 1, "{sources:?}");
    let source_id = sources[0]["id"].as_i64().unwrap();
    let shown = json_of(&dossier(
        &db,
        &["source", "show", &source_id.to_string(), "--json"],
    ));
    let body = shown["text"].as_str().unwrap();
    assert!(
        body.contains("nine dollars a tonne"),
        "the page as Firefox rendered it, script-written paragraph included: {body}"
    );
    let tokens = json_of(&dossier(&db, &["connector", "tokens", "--json"]));
    assert!(
        tokens[0]["last_used_at"].is_string(),
        "the save used the token: {tokens}"
    );

    // Save selection as excerpt.
    s.switch_to_window(&article_tab).unwrap();
    let quote = "the backlog would cost growers about nine dollars a tonne";
    let selected = s
        .execute(
            "const p = document.getElementById('scripted'); const t = p.firstChild;
             const i = t.data.indexOf(arguments[0]); const r = document.createRange();
             r.setStart(t, i); r.setEnd(t, i + arguments[0].length);
             const sel = window.getSelection(); sel.removeAllRanges(); sel.addRange(r);
             return sel.toString();",
            &[json!(quote)],
        )
        .unwrap();
    assert_eq!(selected, json!(quote));
    s.switch_to_window(&popup_tab).unwrap();
    reload(&s);
    s.wait_for("#excerpt-form:not([hidden])", Duration::from_secs(15))
        .unwrap();
    let shown_quote = s.find("#quote").unwrap().unwrap();
    assert_eq!(s.text(&shown_quote).unwrap(), quote);
    let note = s.find("#note").unwrap().unwrap();
    s.send_keys(&note, "Saved from Firefox.").unwrap();
    let save = s.find("#save-excerpt").unwrap().unwrap();
    s.click(&save).unwrap();
    wait_until(
        &s,
        "the excerpt",
        "return document.getElementById('result').dataset.status === 'excerpt'",
        Duration::from_secs(15),
    );
    let excerpts = json_of(&dossier(&db, &["excerpt", "list", "--json"]));
    let excerpts = excerpts.as_array().unwrap();
    assert_eq!(excerpts.len(), 1, "{excerpts:?}");
    assert_eq!(excerpts[0]["source_id"], source_id);
    assert_eq!(excerpts[0]["quote"], quote);
    let (start, end) = (
        excerpts[0]["start"].as_u64().unwrap() as usize,
        excerpts[0]["end"].as_u64().unwrap() as usize,
    );
    let at: String = body.chars().skip(start).take(end - start).collect();
    assert_eq!(at, quote, "the offsets point at the quote");
}

/// The two builds' manifests side by side: what Firefox needs (its add-on id, event-page
/// scripts) and what Chromium needs (its key, a service worker), from one source.
#[test]
fn the_firefox_build_has_a_valid_manifest() {
    let dist = workspace_root().join("browser/dist");
    let read = |target: &str| -> Value {
        let path = dist.join(target).join("manifest.json");
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| {
            panic!(
                "{}: {e} — run `make extension` (node browser/build.mjs)",
                path.display()
            )
        });
        serde_json::from_str(&text).unwrap()
    };
    let ff = read("firefox");
    let cr = read("chromium");
    assert_eq!(ff["manifest_version"], 3);
    let gecko = &ff["browser_specific_settings"]["gecko"];
    assert!(
        gecko["id"].as_str().unwrap().contains('@'),
        "an extension id Firefox accepts"
    );
    assert_eq!(gecko["strict_min_version"], "128.0");
    assert!(
        ff["background"]["scripts"].is_array(),
        "Firefox's MV3 background is scripts"
    );
    assert!(ff["background"].get("service_worker").is_none());
    assert!(ff.get("key").is_none() && ff.get("minimum_chrome_version").is_none());
    assert_eq!(cr["background"]["service_worker"], "js/background.js");
    assert!(cr.get("browser_specific_settings").is_none());
    assert!(cr["key"].is_string());
    for m in [&ff, &cr] {
        assert!(m.get("chromium").is_none() && m.get("firefox").is_none());
        assert_eq!(m["action"]["default_popup"], "popup.html");
        assert_eq!(m["host_permissions"], json!(["http://127.0.0.1/*"]));
        assert!(
            m["commands"]["save-page"].is_object() && m["commands"]["save-selection"].is_object()
        );
        for file in [
            m["action"]["default_popup"].as_str().unwrap(),
            "js/background.js",
            "js/popup.js",
            "popup.css",
        ] {
            assert!(
                dist.join(if m == &ff { "firefox" } else { "chromium" })
                    .join(file)
                    .is_file(),
                "{file}"
            );
        }
    }
    let xpi = std::fs::read(dist.join("dossier-firefox.xpi")).unwrap();
    assert_eq!(&xpi[..4], b"PK\x03\x04", "the .xpi is a zip");
    let zip = std::fs::read(dist.join("dossier-chromium.zip")).unwrap();
    assert_eq!(&zip[..4], b"PK\x03\x04");
}

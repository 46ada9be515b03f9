//! The browser extension in a real Chromium (Debian's `chromium` and `chromium-driver`, headed
//! under Xvfb — `make e2e` runs under xvfb-run), against `dossier connector serve` on a temp
//! workspace: pairing approved by `dossier connector pair --approve`, Save page and Save
//! selection as excerpt driven from the extension's popup, the CLI reading back the source and
//! the excerpt, a second save reported as already saved, and a hostile page's `fetch` to the
//! connector getting nothing. And the app's own connector following the window's workspace.
//!
//! WebDriver cannot click the toolbar button, so the popup is opened as a page in a tab,
//! `chrome-extension://ID/popup.html?url=PAGE` — the popup's documented test hook, which makes
//! it work on that page's tab instead of the active one. The extension's id is fixed by the
//! `key` in its manifest.
//!
//! Missing tools fail the test with what to install, never skip it.

use std::net::SocketAddr;
use std::path::Path;
use std::time::Duration;

use dossier_e2e::browser::{
    ARTICLE, Killed, connector, connector_call, connector_serving, json_of, query_value,
    serve_pages, tool, wait_until, webdriver_server,
};
use dossier_e2e::desktop::{Desktop, workspace_root};
use dossier_e2e::webdriver::Session;
use dossier_e2e::workspace::dossier;
use serde_json::json;

/// The extension's id, fixed by the `key` in browser/manifest.json.
const EXTENSION_ID: &str = "pkbfjlehfnkaokhpdmdfijoklpikhhph";

/// A page that tries every way a web page has to reach the connector, and records what it got.
const HOSTILE: &str = r#"<!doctype html>
<html><head><meta charset="utf-8"><title>Free recipes</title></head><body><p>Recipes.</p>
<script>
  const port = new URLSearchParams(location.search).get('port');
  const base = 'http://127.0.0.1:' + port;
  const page = JSON.stringify({ url: 'https://evil.example/', title: 'x',
    html: '<html><body><article><p>Injected by a web page, never to be saved.</p></article></body></html>' });
  async function attempt(name, url, init) {
    try {
      const r = await fetch(url, init);
      let body = '';
      try { body = await r.text(); } catch (e) {}
      return { name, got: r.type + ' ' + r.status + ' ' + body };
    } catch (e) {
      return { name, got: 'refused: ' + e.name };
    }
  }
  (async () => {
    const results = [];
    results.push(await attempt('ping', base + '/v1/ping', {}));
    results.push(await attempt('tags', base + '/v1/tags?q=', { headers: { 'X-Dossier-Connector': '1' } }));
    results.push(await attempt('pages with header', base + '/v1/pages', { method: 'POST',
      headers: { 'X-Dossier-Connector': '1', 'Content-Type': 'application/json' }, body: page }));
    results.push(await attempt('pages simple', base + '/v1/pages', { method: 'POST',
      headers: { 'Content-Type': 'text/plain' }, body: page }));
    results.push(await attempt('pages no-cors', base + '/v1/pages', { method: 'POST',
      mode: 'no-cors', headers: { 'Content-Type': 'text/plain' }, body: page }));
    results.push(await attempt('pair no-cors', base + '/v1/pair', { method: 'POST',
      mode: 'no-cors', headers: { 'Content-Type': 'text/plain' }, body: '{"client":"evil"}' }));
    results.push(await attempt('localhost pages', 'http://localhost:' + port + '/v1/pages',
      { method: 'POST', mode: 'no-cors', body: page }));
    window.__results = results;
  })();
</script></body></html>"#;

/// The sample pages: the article and the hostile page.
const PAGES: &[(&str, &str)] = &[("/article.html", ARTICLE), ("/hostile.html", HOSTILE)];

fn chromedriver(scratch: &Path) -> (Killed, SocketAddr) {
    let driver = tool("chromedriver", "`apt-get install chromium-driver`");
    webdriver_server(
        &driver,
        |port| vec![format!("--port={port}")],
        &scratch.join("chromedriver.log"),
    )
}

fn chromium_session(addr: SocketAddr, scratch: &Path) -> Session {
    assert!(
        std::env::var_os("DISPLAY").is_some(),
        "no display: run under Xvfb (`make e2e` does, through xvfb-run)"
    );
    let extension = workspace_root().join("browser/dist/chromium");
    assert!(
        extension.join("manifest.json").is_file(),
        "the extension is not built: run `make extension` (node browser/build.mjs)"
    );
    let binary = tool("chromium", "`apt-get install chromium`");
    let profile = scratch.join("profile");
    let capabilities = json!({
        "capabilities": { "alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": binary.display().to_string(),
                "args": [
                    format!("--load-extension={}", extension.display()),
                    format!("--disable-extensions-except={}", extension.display()),
                    format!("--user-data-dir={}", profile.display()),
                    "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--disable-background-networking", "--disable-component-update",
                    "--disable-sync", "--no-first-run", "--no-default-browser-check",
                    "--disable-features=DisableLoadExtensionCommandLineSwitch",
                    "--lang=en-US", "--window-size=1200,800",
                ],
            },
        }},
    });
    Session::start_with(addr, &capabilities).expect("Chromium starts under chromedriver")
}

/// What the workspace holds, as the CLI lists it: equal before and after means nothing written.
fn snapshot(db: &Path) -> String {
    [
        vec!["info", "--json"],
        vec!["source", "list", "--json"],
        vec!["excerpt", "list", "--json"],
        vec!["question", "list", "--json"],
        vec!["connector", "tokens", "--json"],
        vec!["connector", "pair", "--json"],
    ]
    .iter()
    .map(|args| dossier(db, args))
    .collect::<Vec<_>>()
    .join("\n")
}

#[test]
fn save_a_page_and_a_selection_from_chromium() {
    let scratch = tempfile::tempdir().unwrap();
    let db = scratch.path().join("ws.sqlite");
    dossier(
        &db,
        &[
            "tag",
            "add",
            "agriculture/grain",
            "--label",
            "Grain",
            "--label-fr",
            "Céréales",
        ],
    );
    let (_server, port) = connector(&db);
    let pages = serve_pages(PAGES);
    let article = format!("http://127.0.0.1:{pages}/article.html");
    let (_driver, addr) = chromedriver(scratch.path());
    let s = chromium_session(addr, scratch.path());

    // The article, rendered by its script.
    s.navigate(&article).unwrap();
    wait_until(
        &s,
        "the article's script",
        "return document.body.dataset.ready === 'yes'",
        Duration::from_secs(10),
    );
    let article_tab = s.window_handle().unwrap();

    // The popup, on the article's tab: not paired yet, so it offers to pair.
    let popup_url = format!(
        "chrome-extension://{EXTENSION_ID}/popup.html?url={}",
        query_value(&article)
    );
    let popup_tab = s.new_tab().unwrap();
    s.switch_to_window(&popup_tab).unwrap();
    s.navigate(&popup_url).unwrap();
    let pair = s
        .wait_for(
            "#pairing:not([hidden]) #pair:not([disabled])",
            Duration::from_secs(15),
        )
        .unwrap();
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
    assert_eq!(approved["client"], "Chromium");
    assert_eq!(approved["token"].as_str().unwrap().len(), 64);
    wait_until(
        &s,
        "the token",
        "return document.body.dataset.pairing === 'paired'",
        Duration::from_secs(15),
    );
    let tokens = json_of(&dossier(&db, &["connector", "tokens", "--json"]));
    assert_eq!(tokens.as_array().unwrap().len(), 1);

    // Not saved yet; Save page.
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
    assert!(
        shown["title"].as_str().unwrap().contains("Grain silos"),
        "{shown}"
    );
    let body = shown["text"].as_str().unwrap();
    assert!(
        body.contains("nine dollars a tonne"),
        "the script-written paragraph was captured: {body}"
    );
    assert!(
        !body.contains("Home | Farm"),
        "the extractor, not the extension, chose the text"
    );

    // Select a passage in the script-written paragraph.
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

    // The popup again: it shows the selection and the excerpt form.
    s.switch_to_window(&popup_tab).unwrap();
    s.navigate(&popup_url).unwrap();
    s.wait_for("#excerpt-form:not([hidden])", Duration::from_secs(15))
        .unwrap();
    let shown_quote = s.find("#quote").unwrap().unwrap();
    assert_eq!(s.text(&shown_quote).unwrap(), quote);
    wait_until(
        &s,
        "already saved",
        "return document.getElementById('saved-state').dataset.saved === 'true'",
        Duration::from_secs(10),
    );
    let note = s.find("#note").unwrap().unwrap();
    s.send_keys(&note, "Storage costs for growers.").unwrap();
    // Tags autocomplete from Dossier, by the French label, without its accent.
    let tag_input = s.find("#tag-input").unwrap().unwrap();
    s.send_keys(&tag_input, "cereal").unwrap();
    wait_until(
        &s,
        "the tag suggestions",
        "return document.querySelector(\"#tag-list li[data-path='agriculture/grain']\") !== null",
        Duration::from_secs(10),
    );
    let suggestion = s
        .find("#tag-list li[data-path='agriculture/grain']")
        .unwrap()
        .unwrap();
    s.click(&suggestion).unwrap();
    s.wait_for(
        "#tags li[data-tag='agriculture/grain']",
        Duration::from_secs(5),
    )
    .unwrap();
    let question = s.find("#question").unwrap().unwrap();
    s.send_keys(&question, "Will the railway add the cars?")
        .unwrap();
    let save = s.find("#save-excerpt").unwrap().unwrap();
    s.click(&save).unwrap();
    wait_until(
        &s,
        "the excerpt",
        "return document.getElementById('result').dataset.status === 'excerpt'",
        Duration::from_secs(15),
    );

    // The CLI shows the excerpt: the exact quote at its offsets, its tag and note.
    let excerpts = json_of(&dossier(&db, &["excerpt", "list", "--json"]));
    let excerpts = excerpts.as_array().unwrap();
    assert_eq!(excerpts.len(), 1, "{excerpts:?}");
    let e = &excerpts[0];
    assert_eq!(e["source_id"], source_id);
    assert_eq!(e["quote"], quote);
    let (start, end) = (
        e["start"].as_u64().unwrap() as usize,
        e["end"].as_u64().unwrap() as usize,
    );
    let at: String = body.chars().skip(start).take(end - start).collect();
    assert_eq!(at, quote, "the offsets point at the quote");
    let e = json_of(&dossier(
        &db,
        &["excerpt", "show", &e["id"].to_string(), "--json"],
    ));
    assert_eq!(e["tags"], json!(["agriculture/grain"]));
    assert_eq!(e["note"], "Storage costs for growers.");
    let questions = json_of(&dossier(&db, &["question", "list", "--json"]));
    assert_eq!(questions[0]["text"], "Will the railway add the cars?");

    // A second save of the same page: already saved, with its one excerpt.
    s.navigate(&popup_url).unwrap();
    wait_until(
        &s,
        "already saved",
        "const e = document.getElementById('saved-state'); return e.dataset.saved === 'true' && e.dataset.excerpts === '1'",
        Duration::from_secs(15),
    );
    let save = s.wait_for("#save-page", Duration::from_secs(5)).unwrap();
    s.click(&save).unwrap();
    wait_until(
        &s,
        "the second save",
        "return document.getElementById('result').dataset.status === 'already_present'",
        Duration::from_secs(15),
    );
    assert_eq!(
        json_of(&dossier(&db, &["source", "list", "--json"]))
            .as_array()
            .unwrap()
            .len(),
        1
    );

    // A hostile page's fetch gets nothing, and nothing is written.
    let before = snapshot(&db);
    s.switch_to_window(&article_tab).unwrap();
    s.navigate(&format!(
        "http://127.0.0.1:{pages}/hostile.html?port={port}"
    ))
    .unwrap();
    let results = wait_until(
        &s,
        "the hostile page's attempts",
        "return window.__results || null",
        Duration::from_secs(20),
    );
    for r in results.as_array().unwrap() {
        let got = r["got"].as_str().unwrap();
        assert!(
            got.starts_with("refused")
                || (got.starts_with("opaque 0 ") && got.trim_end().ends_with('0')),
            "{}: the page read {got:?}",
            r["name"]
        );
    }
    assert_eq!(snapshot(&db), before, "the hostile page wrote nothing");
}

/// The app's own connector follows the workspace its window has open: the analyst opens the
/// sample workspace from the empty library, and ping names it and a save lands in it, not in
/// the workspace the app started on.
#[test]
fn the_apps_connector_follows_the_workspace_the_window_opens() {
    let scratch = tempfile::tempdir().unwrap();
    let db = scratch.path().join("desk.sqlite");
    let app = Desktop::launch_with(
        "connector-follows",
        &db,
        scratch.path(),
        &[
            ("WEBKIT_DISABLE_DMABUF_RENDERER", Path::new("1")),
            ("DOSSIER_UI_LANG", Path::new("en")),
            ("DOSSIER_CONNECTOR", Path::new("on")),
        ],
    );
    let port = connector_serving("desk")
        .expect("the app's connector answers on 47810–47819 and names the workspace it opened");

    app.click(
        "#open-sample",
        "the empty library offers the sample workspace",
    );
    app.expect(".source-row", "the library lists the sample");
    let sample = scratch.path().join("sample.sqlite");
    let (status, ping) = connector_call(port, "GET", "/v1/ping", None, None);
    assert_eq!(status, 200);
    assert_eq!(
        ping["workspace"], "sample",
        "ping names the workspace open now"
    );

    let token = json_of(&dossier(
        &sample,
        &[
            "connector",
            "pair",
            "--approve",
            "--new-token",
            "Firefox",
            "--json",
        ],
    ))["token"]
        .as_str()
        .unwrap()
        .to_owned();
    let before = json_of(&dossier(&sample, &["source", "list", "--json"]))
        .as_array()
        .unwrap()
        .len();
    let page = json!({
        "url": "https://courier.example/2026/grain-silos",
        "title": "Grain silos fill early",
        "html": ARTICLE,
    });
    let (status, saved) = connector_call(port, "POST", "/v1/pages", Some(&token), Some(&page));
    assert_eq!(status, 200, "{saved}");
    assert_eq!(saved["status"], "imported");
    let after = json_of(&dossier(&sample, &["source", "list", "--json"]));
    assert_eq!(after.as_array().unwrap().len(), before + 1);
    assert_eq!(
        json_of(&dossier(&db, &["source", "list", "--json"])),
        json!([]),
        "nothing went to the workspace the app started on"
    );
    app.quit();
}

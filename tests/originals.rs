//! A source's versions in the real window (issue 12): a web page's original shown inside the
//! app stays inert however hostile it is, a PDF's original goes to the system's viewer byte
//! for byte, and Compare marks what a re-import changed and which excerpts it orphaned.
//! Run under a display, like `desktop.rs`.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

use dossier_e2e::desktop::Desktop;
use dossier_e2e::workspace::dossier;
use serde_json::{Value, json};

/// Serves `page` for any path, recording every request's path; answers 404-free so a request
/// that slips through is seen, not refused.
fn serve_recording(
    page: impl Fn(u16) -> String + Send + 'static,
) -> (u16, Arc<Mutex<Vec<String>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind a local port");
    let port = listener.local_addr().expect("a local address").port();
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = Arc::clone(&seen);
    let html = page(port);
    thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let mut reader = BufReader::new(&stream);
            let mut line = String::new();
            if reader.read_line(&mut line).is_err() {
                continue;
            }
            let path = line.split_whitespace().nth(1).unwrap_or("?").to_owned();
            log.lock().expect("the request log").push(path);
            let mut header = String::new();
            while reader.read_line(&mut header).is_ok_and(|n| n > 2) {
                header.clear();
            }
            let mut stream = &stream;
            let _ = write!(
                stream,
                "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{html}",
                html.len()
            );
        }
    });
    (port, seen)
}

/// A page that tries every way out of its frame it can: a script phoning home and reaching
/// for the window, an image, a stylesheet, a font, a form that submits itself, a refresh, a
/// `<base>` and a nested frame, all pointing back at the test's server.
fn hostile_page(port: u16) -> String {
    let home = format!("http://127.0.0.1:{port}");
    format!(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">\
<title>Harbour levy consultation opens | Coastal Courier</title>\
<meta http-equiv=\"refresh\" content=\"0;url={home}/refresh\">\
<base href=\"{home}/base/\">\
<link rel=\"stylesheet\" href=\"{home}/style.css\">\
<style>@font-face {{ font-family: Tracker; src: url({home}/font.woff2); }} body {{ font-family: Tracker; }}</style>\
<script>fetch('{home}/phoned-home').catch(() => {{}}); \
try {{ parent.document.title = 'taken over'; }} catch (e) {{}} \
try {{ top.location = '{home}/top'; }} catch (e) {{}}</script>\
</head><body>\
<article><h1>Harbour levy consultation opens</h1>\
<p>The port authority opened a sixty-day consultation on a harbour levy that would fund \
breakwater repairs, a measure fishing cooperatives have asked about since the spring storms.</p>\
<p>Officials said the levy would be reviewed after two seasons and that small vessels under \
twelve metres would pay a reduced rate during the first year.</p>\
<img src=\"{home}/pixel.png\" alt=\"\">\
<img src=\"relative.png\" alt=\"\">\
<form id=\"f\" action=\"{home}/submitted\" method=\"post\"><input name=\"q\" value=\"x\"></form>\
<script>document.getElementById('f').submit();</script>\
<iframe src=\"{home}/framed\"></iframe>\
</article></body></html>"
    )
}

/// A script standing in for the system's browser and viewer (`DOSSIER_OPEN_WITH`): it appends
/// what it is handed to `log`.
fn recording_opener(dir: &Path, log: &Path) -> std::path::PathBuf {
    use std::os::unix::fs::PermissionsExt;

    let opener = dir.join("open-with.sh");
    std::fs::write(
        &opener,
        format!("#!/bin/sh\nprintf '%s\\n' \"$1\" >> '{}'\n", log.display()),
    )
    .expect("write the stand-in opener");
    std::fs::set_permissions(&opener, std::fs::Permissions::from_mode(0o755))
        .expect("make the opener executable");
    opener
}

fn json_of(db: &Path, args: &[&str]) -> Value {
    let mut all = vec!["--json"];
    all.extend_from_slice(args);
    serde_json::from_str(&dossier(db, &all)).expect("the CLI prints JSON with --json")
}

/// The id of the only source in `db`.
fn only_source(db: &Path) -> i64 {
    let sources = json_of(db, &["source", "list"]);
    let list = sources.as_array().expect("source list prints an array");
    assert_eq!(list.len(), 1, "one source: {sources}");
    list[0]["id"].as_i64().expect("a source id")
}

/// Opens the only source in the reader, then its Versions panel.
fn open_versions(app: &Desktop) {
    app.click(".source-row .source-link", "the library lists the source");
    app.expect("#reader-title", "the reader opens");
    app.click("#open-versions", "the reader offers the source's versions");
    app.expect("#versions-panel .version", "the panel lists the versions");
}

/// The hostile page imported from its URL, then viewed as an original in the window: nothing
/// it asks for is fetched, it cannot touch the window, and its text is there to read.
#[test]
fn a_hostile_original_is_shown_inert() {
    let scratch = tempfile::tempdir().expect("create a temp dir");
    let db = scratch.path().join("ws.sqlite");
    let (port, seen) = serve_recording(hostile_page);
    let url = format!("http://127.0.0.1:{port}/news/harbour-levy.html");
    dossier(&db, &["import", &url]);
    let fetched_by_import = seen.lock().expect("the request log").clone();
    assert_eq!(
        fetched_by_import,
        ["/news/harbour-levy.html"],
        "the import fetched the page, and only the page"
    );

    let handed = scratch.path().join("handed-to-browser.txt");
    let opener = recording_opener(scratch.path(), &handed);
    let app = Desktop::launch_with(
        "originals-hostile",
        &db,
        scratch.path(),
        &[
            ("WEBKIT_DISABLE_DMABUF_RENDERER", Path::new("1")),
            ("DOSSIER_OPEN_WITH", &opener),
        ],
    );
    let home_url = app.js("return location.href;", &[]);
    let home_title = app.js("return document.title;", &[]);
    open_versions(&app);
    app.click(
        ".version .view-original",
        "a web page's version can be viewed",
    );
    let frame = app.expect("#original-frame", "the original is shown in a frame");
    // Long enough for a refresh, a script, a form submission or an image to have gone out.
    thread::sleep(Duration::from_secs(4));
    app.screenshot("hostile-original");

    let requests = seen.lock().expect("the request log").clone();
    assert_eq!(
        requests, fetched_by_import,
        "showing the original made no request to the page's server (image, stylesheet, font, \
         script fetch, form, refresh, frame)"
    );
    assert_eq!(
        std::fs::read_to_string(&handed).unwrap_or_default(),
        "",
        "nothing the page points at was handed to the system's browser either"
    );
    assert_eq!(
        app.js("return location.href;", &[]),
        home_url,
        "the window stays on the app"
    );
    assert_eq!(
        app.js("return document.title;", &[]),
        home_title,
        "the page cannot retitle the window"
    );
    let frame_state = app.js(
        "const f = document.querySelector('#original-frame'); \
         return { sandbox: f.getAttribute('sandbox'), src: f.getAttribute('src'), \
                  head: (f.getAttribute('srcdoc') || '').slice(0, 200) };",
        &[],
    );
    assert_eq!(
        frame_state["sandbox"],
        json!(""),
        "the frame grants the page nothing: {frame_state}"
    );
    assert_eq!(
        frame_state["src"],
        Value::Null,
        "the frame loads no address: {frame_state}"
    );
    let head = frame_state["head"].as_str().unwrap_or_default();
    assert!(
        head.starts_with("<!DOCTYPE html><meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none';"),
        "the page's own first element forbids every load: {head}"
    );
    let srcdoc = app.js(
        "return document.querySelector('#original-frame').getAttribute('srcdoc');",
        &[],
    );
    let srcdoc = srcdoc.as_str().unwrap_or_default();
    assert!(
        !srcdoc.contains("http-equiv=\"refresh\""),
        "the refresh is gone"
    );
    assert!(!srcdoc.contains("<base"), "the base is gone");

    // The page's text, read inside the frame as the analyst sees it.
    app.session()
        .switch_to_frame(&frame)
        .expect("enter the original's frame");
    let body = app
        .session()
        .find("body")
        .expect("find the frame's body")
        .map(|b| app.session().text(&b).unwrap_or_default())
        .unwrap_or_default();
    let title_inside = app.js("return document.title;", &[]);
    app.session().switch_to_top().expect("back to the window");
    assert!(
        body.contains("sixty-day consultation on a harbour levy"),
        "the original's text is shown: {body:?}"
    );
    assert_eq!(
        title_inside,
        json!("Harbour levy consultation opens | Coastal Courier"),
        "the page's own title is as written: its script never ran"
    );
    assert_eq!(app.js("return document.title;", &[]), home_title);
    app.click("#close-original", "the original view closes");
    app.expect("#reader .reader-body:not([hidden])", "the text is back");
}

/// A PDF's original goes to the system's viewer (a script standing in for it through
/// `DOSSIER_OPEN_WITH`), written under the app's cache folder with the bytes imported.
#[test]
fn a_pdf_original_opens_in_the_system_viewer() {
    let scratch = tempfile::tempdir().expect("create a temp dir");
    let db = scratch.path().join("ws.sqlite");
    let pdf = scratch.path().join("levy-notice.pdf");
    let bytes = text_pdf(&[
        "Notice of harbour levy consultation",
        "Comments are invited from vessel owners until the end of the season.",
    ]);
    std::fs::write(&pdf, &bytes).expect("write the PDF");
    dossier(&db, &["import", pdf.to_str().expect("UTF-8 path")]);
    let id = only_source(&db);

    let opened = scratch.path().join("opened.txt");
    let opener = recording_opener(scratch.path(), &opened);
    let cache = scratch.path().join("cache");
    let app = Desktop::launch_with(
        "originals-pdf",
        &db,
        scratch.path(),
        &[
            ("WEBKIT_DISABLE_DMABUF_RENDERER", Path::new("1")),
            ("DOSSIER_OPEN_WITH", &opener),
            ("XDG_CACHE_HOME", &cache),
        ],
    );
    open_versions(&app);
    let listed = app.text("#versions-panel .version", "the version is listed");
    assert!(
        listed.contains("Version 1") && listed.contains("PDF"),
        "number and kind: {listed:?}"
    );
    assert!(
        listed.contains(" B") || listed.contains("KB"),
        "the original's size: {listed:?}"
    );
    app.click(".version .view-original", "a PDF's version can be viewed");
    let read = || std::fs::read_to_string(&opened).unwrap_or_default();
    for _ in 0..100 {
        if !read().is_empty() {
            break;
        }
        thread::sleep(Duration::from_millis(100));
    }
    let path = read().trim().to_owned();
    assert_eq!(
        Path::new(&path),
        cache.join(format!("ca.dossier.desktop/originals/source-{id}-v1.pdf")),
        "the viewer is handed the original saved in the app's cache folder"
    );
    assert_eq!(
        std::fs::read(&path).expect("the saved original exists"),
        bytes,
        "the viewer gets the original's bytes, exactly as imported"
    );
    assert!(
        app.js(
            "return document.querySelector('#original-frame') === null;",
            &[]
        ) == json!(true),
        "a PDF is never shown in the app's frame"
    );
}

/// Compare after a re-import: the words the new text inserted and deleted are marked, with
/// words for screen readers, and the excerpt whose quote went away is listed as orphaned.
#[test]
fn compare_marks_the_changes_and_lists_the_orphaned_excerpt() {
    let scratch = tempfile::tempdir().expect("create a temp dir");
    let db = scratch.path().join("ws.sqlite");
    let file = scratch.path().join("levy-briefing.txt");
    let filler = "The consultation documents describe the breakwater, the harbour's two basins \
and the vessels that use them through the year. ";
    let before = format!(
        "Harbour levy update\n\n{}The levy would start at four dollars per berth-metre. \
Small vessels would pay a reduced rate in the first year.\n\n{}Comments close at the end of the season.\n",
        filler.repeat(3),
        filler.repeat(3)
    );
    std::fs::write(&file, &before).expect("write version 1");
    dossier(&db, &["import", file.to_str().expect("UTF-8 path")]);
    let id = only_source(&db);
    let id_arg = id.to_string();
    let kept = json_of(
        &db,
        &[
            "excerpt",
            "add",
            &id_arg,
            "--quote",
            "Comments close at the end of the season.",
        ],
    );
    let lost = json_of(
        &db,
        &[
            "excerpt",
            "add",
            &id_arg,
            "--quote",
            "Small vessels would pay a reduced rate in the first year.",
        ],
    );
    let after = before
        .replace("four dollars", "six dollars")
        .replace(
            "Small vessels would pay a reduced rate in the first year. ",
            "",
        )
        .replace(
            "Small vessels would pay a reduced rate in the first year.",
            "",
        );
    assert_ne!(after, before);
    std::fs::write(&file, &after).expect("write version 2");
    dossier(&db, &["source", "reimport", &id_arg]);

    let app = Desktop::launch("originals-compare", &db, scratch.path());
    open_versions(&app);
    app.click(
        ".version[data-version='2'] .compare",
        "version 2 can be compared with version 1",
    );
    app.expect("#compare-diff", "the comparison is shown");
    app.wait_until(
        "document.querySelector('#compare-diff ins') !== null",
        "the insertions are marked",
    );
    let marks = app.js(
        "const d = document.querySelector('#compare-diff'); \
         return { ins: [...d.querySelectorAll('ins')].map(e => e.textContent), \
                  del: [...d.querySelectorAll('del')].map(e => e.textContent), \
                  folds: d.querySelectorAll('button.fold').length, \
                  from: document.querySelector('#compare-from').value, \
                  to: document.querySelector('#compare-to').value };",
        &[],
    );
    let joined = |key: &str| {
        marks[key]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(Value::as_str)
                    .collect::<Vec<_>>()
                    .join(" | ")
            })
            .unwrap_or_default()
    };
    assert!(
        joined("ins").contains("[added: six"),
        "the new word is marked inserted: {marks}"
    );
    assert!(
        joined("del").contains("[removed: four"),
        "the old word is marked deleted: {marks}"
    );
    assert!(
        joined("del").contains("Small vessels would pay a reduced rate"),
        "the removed sentence is marked deleted: {marks}"
    );
    assert!(
        !joined("ins").contains("Small vessels"),
        "and not inserted: {marks}"
    );
    assert_eq!(
        (marks["from"].clone(), marks["to"].clone()),
        (json!("1"), json!("2")),
        "{marks}"
    );
    assert!(
        marks["folds"].as_u64() > Some(0),
        "the long unchanged stretches are folded: {marks}"
    );

    let listed = app.js(
        "return [...document.querySelectorAll('#compare-excerpts li')].map(li => \
           ({ id: Number(li.dataset.excerptId), change: li.dataset.change, text: li.textContent }));",
        &[],
    );
    let list = listed.as_array().expect("a list of changed excerpts");
    let orphan = list
        .iter()
        .find(|e| e["id"] == lost["id"])
        .unwrap_or_else(|| panic!("the excerpt whose quote was removed is listed: {listed}"));
    assert_eq!(orphan["change"], json!("orphaned"), "{listed}");
    assert!(
        orphan["text"]
            .as_str()
            .is_some_and(|t| t.contains("Orphaned")),
        "{listed}"
    );
    assert!(
        list.iter()
            .all(|e| e["id"] != kept["id"] || e["change"] != json!("orphaned")),
        "the excerpt whose quote survived is not orphaned: {listed}"
    );
    app.screenshot("compare");
    app.set_theme("dark");
    app.screenshot("compare-dark");
    let violations = app.accessibility_violations();
    assert!(
        violations.is_empty(),
        "the comparison is accessible in dark mode: {violations:#?}"
    );

    // Opening a fold shows the unchanged text it hid.
    app.click("#compare-diff button.fold", "a folded stretch opens");
    app.wait_until(
        "document.querySelector('#compare-diff').textContent.includes('two basins')",
        "the folded words are shown",
    );
}

/// A one-page PDF of `lines` in Helvetica, written by hand (Latin-1 text only).
fn text_pdf(lines: &[&str]) -> Vec<u8> {
    let mut content = String::from("BT /F1 14 Tf 72 720 Td 20 TL\n");
    for line in lines {
        content.push_str(&format!("({line}) Tj T*\n"));
    }
    content.push_str("ET\n");
    let content: Vec<u8> = content.chars().map(|c| c as u32 as u8).collect();
    let objects: Vec<Vec<u8>> = vec![
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>".to_vec(),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>".to_vec(),
        [
            format!("<< /Length {} >>\nstream\n", content.len()).into_bytes(),
            content,
            b"endstream".to_vec(),
        ]
        .concat(),
    ];
    let mut pdf = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (i, body) in objects.iter().enumerate() {
        offsets.push(pdf.len());
        pdf.extend(format!("{} 0 obj\n", i + 1).into_bytes());
        pdf.extend(body);
        pdf.extend(b"\nendobj\n");
    }
    let xref = pdf.len();
    pdf.extend(format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).into_bytes());
    for o in offsets {
        pdf.extend(format!("{o:010} 00000 n \n").into_bytes());
    }
    pdf.extend(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .into_bytes(),
    );
    pdf
}

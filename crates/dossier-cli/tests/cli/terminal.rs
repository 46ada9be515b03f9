//! What reaches an analyst's terminal: an imported page's escape sequences never do, and the
//! bold Dossier adds to search matches follows `NO_COLOR`. The commands run under a real
//! pseudo-terminal (util-linux's `script`), since `dossier` styles only what goes to one.

use super::{Ws, path_str};

const PAGE: &str = "<html><head><title>Quota\u{1b}]0;pwned\u{7} on steel</title></head><body><article>\
    <h1>Quota on steel</h1>\
    <p>\u{1b}[2JOttawa set a quota on steel imports this week, answering the tariff with a \
    measure of its own, to be reviewed within ninety days by the department.</p>\
    <p>Producers welcomed the quota but asked for a firm date for the review.</p>\
    </article></body></html>";

/// Runs `dossier --db … args` with a terminal for stdout; returns what the terminal received.
fn on_terminal(ws: &Ws, args: &str, no_color: bool) -> String {
    let command = format!(
        "{} --db {} {args}",
        env!("CARGO_BIN_EXE_dossier"),
        path_str(&ws.db)
    );
    let mut script = std::process::Command::new("script");
    script
        .args(["-q", "-e", "-c", &command, "/dev/null"])
        .env("DOSSIER_NOW", "2026-11-26T12:00:00Z")
        .env_remove("NO_COLOR");
    if no_color {
        script.env("NO_COLOR", "1");
    }
    let out = script.output().expect("util-linux's script runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn an_imported_page_cannot_drive_the_terminal_and_bold_follows_no_color() {
    let ws = Ws::new();
    let page = ws.file("page.html", PAGE);
    ws.run(&["import", path_str(&page)]).ok();

    let shown = on_terminal(&ws, "source show 1", false);
    assert!(shown.contains("Ottawa set a quota"), "{shown:?}");
    assert!(
        !shown.contains('\u{1b}') && !shown.contains('\u{7}'),
        "{shown:?}"
    );
    let listed = on_terminal(&ws, "source list", false);
    assert!(!listed.contains('\u{1b}'), "{listed:?}");

    let styled = on_terminal(&ws, "search quota", false);
    assert!(
        styled.contains("\u{1b}[1m"),
        "matches are bold on a terminal: {styled:?}"
    );
    let plain = on_terminal(&ws, "search quota", true);
    assert!(
        !plain.contains('\u{1b}'),
        "NO_COLOR turns the bold off: {plain:?}"
    );
    assert!(plain.to_lowercase().contains("[quota]"), "{plain:?}");
}

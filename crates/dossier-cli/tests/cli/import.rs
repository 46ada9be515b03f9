//! `dossier import`, `source reimport`, `excerpt orphans` and `excerpt reattach`, end to end.

use super::{Ws, path_str};

const STORY_V1: &str = "Officials said that sector deals are being negotiated one by one.\n\n\
    Dairy remains off the table, according to a senior official.\n\nThe talks resume next month.";

#[test]
fn a_folder_imports_with_a_json_summary_and_exit_code_one_when_an_item_fails() {
    let ws = Ws::new();
    let dir = ws.dir.path().join("docs");
    std::fs::create_dir_all(dir.join("sub")).unwrap();
    std::fs::write(dir.join("a.txt"), STORY_V1).unwrap();
    std::fs::write(
        dir.join("sub/b.md"),
        "---\ntitle: Lumber\nauthor: Jeanne Roy\n---\n\nDuties on lumber rose.",
    )
    .unwrap();
    std::fs::write(dir.join("sub/c.png"), b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR").unwrap();
    let run = ws.run(&["--json", "import", path_str(&dir)]);
    assert_eq!(
        run.code, 0,
        "a skipped picture is not a failure: {}",
        run.stderr
    );
    let summary = run.json();
    assert_eq!(summary["imported"], 2);
    assert_eq!(summary["skipped"], 1);
    assert_eq!(summary["failed"], 0);
    let items = summary["items"].as_array().unwrap();
    assert_eq!(items[1]["status"], "imported");
    assert_eq!(items[1]["format"], "markdown");
    assert_eq!(items[2]["status"], "skipped");
    assert!(items[2]["reason"].as_str().unwrap().contains("a PNG image"));
    let show = ws
        .run(&["--json", "source", "show", &items[1]["id"].to_string()])
        .ok()
        .json();
    assert_eq!(show["title"], "Lumber");
    assert_eq!(show["authors"][0], "Jeanne Roy");

    let again = ws.run(&["--json", "import", path_str(&dir), "/nonexistent/file.pdf"]);
    assert_eq!(
        again.code, 1,
        "a named file that cannot be read fails the run"
    );
    let summary = again.json();
    assert_eq!(summary["already_present"], 2);
    assert_eq!(summary["failed"], 1);
    assert_eq!(summary["items"][3]["code"], "io");
    assert!(
        !again.stderr.contains("error:"),
        "the summary is the report: {}",
        again.stderr
    );
}

#[test]
fn plain_output_is_one_line_per_item() {
    let ws = Ws::new();
    let f = ws.file("a.txt", STORY_V1);
    let run = ws.run(&["import", path_str(&f), "--outlet", "Desk"]).ok();
    assert_eq!(run.stdout, format!("imported\t1\t{}\n", path_str(&f)));
    assert!(
        run.stderr
            .contains("1 imported, 0 updated, 0 already present, 0 skipped, 0 failed"),
        "{}",
        run.stderr
    );
    let s = ws.run(&["--json", "source", "show", "1"]).ok().json();
    assert_eq!(s["outlet"], "Desk");
    assert_eq!(s["lang"], "en", "detected");
}

#[test]
fn reimport_reports_orphans_which_can_be_listed_and_reattached() {
    let ws = Ws::new();
    let f = ws.file("story.txt", STORY_V1);
    ws.run(&["import", path_str(&f)]).ok();
    ws.run(&[
        "excerpt",
        "add",
        "1",
        "--quote",
        "sector deals are being negotiated one by one",
    ])
    .ok();
    ws.run(&[
        "excerpt",
        "add",
        "1",
        "--quote",
        "Dairy remains off the table",
        "--note",
        "key",
    ])
    .ok();

    let v2 = STORY_V1.replace(
        "Dairy remains off the table, according to a senior official.\n\n",
        "",
    );
    std::fs::write(&f, &v2).unwrap();
    let outcome = ws.run(&["--json", "source", "reimport", "1"]).ok().json();
    assert_eq!(outcome["changed"], true);
    assert_eq!(outcome["placed"], 1);
    assert_eq!(outcome["orphaned"], 1);
    assert_eq!(outcome["orphaned_ids"], serde_json::json!([2]));

    let orphans = ws.run(&["--json", "excerpt", "orphans"]).ok().json();
    assert_eq!(orphans[0]["id"], 2);
    assert_eq!(orphans[0]["quote"], "Dairy remains off the table");
    assert_eq!(orphans[0]["orphaned"], true);

    let start = v2.find("The talks").unwrap();
    let e = ws
        .run(&[
            "--json",
            "excerpt",
            "reattach",
            "2",
            "--start",
            &start.to_string(),
            "--end",
            &(start + 9).to_string(),
        ])
        .ok()
        .json();
    assert_eq!(e["quote"], "The talks");
    assert_eq!(e["orphaned"], false);
    assert_eq!(e["note"], "key");
    assert_eq!(
        ws.run(&["--json", "excerpt", "orphans"]).ok().json(),
        serde_json::json!([])
    );

    let same = ws.run(&["source", "reimport", "1"]).ok();
    assert_eq!(same.stdout, "source 1 is unchanged\n");
}

#[test]
fn source_add_reads_windows_1252_and_utf16() {
    let ws = Ws::new();
    let latin = ws.file(
        "latin.txt",
        b"Le minist\xe8re a d\xe9clar\xe9 la fin des n\xe9gociations.",
    );
    ws.run(&["source", "add", path_str(&latin)]).ok();
    let mut utf16 = vec![0xff, 0xfe];
    for u in "Énergie : l’Ontario réagit.".encode_utf16() {
        utf16.extend_from_slice(&u.to_le_bytes());
    }
    let wide = ws.file("wide.txt", utf16);
    ws.run(&["source", "add", path_str(&wide)]).ok();
    let one = ws.run(&["--json", "source", "show", "1"]).ok().json();
    assert_eq!(
        one["text"],
        "Le ministère a déclaré la fin des négociations."
    );
    let two = ws.run(&["--json", "source", "show", "2"]).ok().json();
    assert_eq!(two["text"], "Énergie : l’Ontario réagit.");
}

#[test]
fn reimport_of_a_pasted_source_is_refused_with_a_reason() {
    let ws = Ws::new();
    ws.run_with_stdin(&["source", "add", "-"], Some("Pasted words about steel."))
        .ok();
    let run = ws.run(&["source", "reimport", "1"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("not imported from a file or URL"),
        "{}",
        run.stderr
    );
}

use rstest::rstest;

use super::{Ws, path_str};

const TEXT: &str = "Tariffs on steel rose. Tariffs on aluminum held. Le règlement.\n";

/// A workspace with one source (id 1), one excerpt (id 1) and one question (id 1).
fn seeded() -> Ws {
    let ws = Ws::new();
    let f = ws.file("a.txt", TEXT);
    ws.run(&["source", "add", path_str(&f), "--title", "T"])
        .ok();
    ws.run(&[
        "excerpt",
        "add",
        "1",
        "--quote",
        "steel",
        "--tag",
        "sector/steel",
    ])
    .ok();
    ws.run(&["question", "add", "Q?", "--excerpt", "1"]).ok();
    ws
}

#[rstest]
#[case::absent_quote(&["excerpt", "add", "1", "--quote", "dairy"], 1, "does not occur")]
#[case::ambiguous_quote(&["excerpt", "add", "1", "--quote", "Tariffs on"], 1, "occurs 2 times")]
#[case::occurrence_out_of_range(&["excerpt", "add", "1", "--quote", "Tariffs on", "--occurrence", "3"], 1, "occurs 2 time")]
#[case::range_outside(&["excerpt", "add", "1", "--start", "5", "--end", "5000"], 1, "not inside")]
#[case::unknown_source(&["excerpt", "add", "42", "--quote", "steel"], 1, "no source with id 42")]
#[case::unknown_excerpt(&["excerpt", "show", "42"], 1, "no excerpt with id 42")]
#[case::unknown_question(&["question", "answer", "42", "x"], 1, "no follow-up with id 42")]
#[case::unknown_excerpt_in_answer(&["question", "answer", "1", "x", "--excerpt", "42"], 1, "no excerpt with id 42")]
#[case::unknown_source_delete(&["source", "delete", "42"], 1, "no source with id 42")]
#[case::bad_published(&["source", "edit", "1", "--published", "2025-02-30"], 2, "not a date")]
#[case::bad_due(&["question", "add", "Q", "--due", "next week"], 2, "not a date")]
#[case::bad_status(&["question", "list", "--status", "pending"], 2, "not a status")]
#[case::bad_id(&["source", "show", "one"], 2, "invalid value")]
#[case::unknown_tag_on_merge(&["tag", "merge", "sector/nothing", "sector/steel"], 1, "no tag matches \"sector/nothing\"")]
#[case::unknown_target_on_merge(&["tag", "merge", "sector/steel", "nothing/here"], 1, "no tag matches")]
#[case::rename_onto_existing(&["tag", "rename", "sector/steel", "sector/aluminum"], 1, "already exists")]
#[case::rename_unknown(&["tag", "rename", "sector/nothing", "sector/x"], 1, "no tag matches")]
#[case::bad_tag_path(&["excerpt", "add", "1", "--quote", "aluminum", "--tag", "bad tag"], 1, "contains \" \"")]
#[case::bad_color(&["tag", "edit", "steel", "--color", "blueish"], 1, "not a colour")]
#[case::tag_exists(&["tag", "add", "Sector/Steel"], 1, "already exists")]
#[case::quote_and_range(&["excerpt", "add", "1", "--quote", "steel", "--start", "1", "--end", "2"], 2, "cannot be used with")]
#[case::no_target(&["excerpt", "add", "1"], 2, "required")]
#[case::unknown_command(&["frobnicate"], 2, "unrecognized subcommand")]
#[case::missing_argument_named(&["briefing", "draft", "#steel"], 2, "--title")]
#[case::missing_file(&["source", "add", "/nonexistent/file.txt"], 1, "cannot read /nonexistent/file.txt")]
fn refused_with_a_message_and_the_workspace_unchanged(
    #[case] args: &[&str],
    #[case] code: i32,
    #[case] message: &str,
) {
    let ws = seeded();
    let before = ws.snapshot();
    let run = ws.run(args);
    assert_eq!(
        run.code, code,
        "exit code for {args:?}; stderr: {}",
        run.stderr
    );
    assert!(
        run.stderr.contains(message),
        "stderr for {args:?} should mention {message:?}: {}",
        run.stderr
    );
    assert_eq!(
        run.stderr.trim_end().lines().count(),
        1,
        "one line on stderr: {}",
        run.stderr
    );
    assert!(
        !run.stderr.contains("panicked") && !run.stderr.contains("SQLITE"),
        "{}",
        run.stderr
    );
    assert_eq!(
        ws.snapshot(),
        before,
        "the workspace is unchanged after {args:?}"
    );
}

#[rstest]
#[case::empty_file(b"" as &[u8], "is empty")]
#[case::blank_file(b" \n\t\n", "is empty")]
#[case::binary(b"\x89PNG\r\n\x1a\n\0\0\0", "binary file")]
#[case::duplicate(TEXT.as_bytes(), "already in the workspace as source 1")]
#[case::duplicate_other_line_endings(
    b"Tariffs on steel rose. Tariffs on aluminum held. Le re\xcc\x80glement.\r\n",
    "already in the workspace as source 1"
)]
fn bad_files_are_refused_and_nothing_is_added(#[case] contents: &[u8], #[case] message: &str) {
    let ws = seeded();
    let f = ws.file("input.txt", contents);
    let before = ws.snapshot();
    let run = ws.run(&["source", "add", path_str(&f)]);
    assert_eq!(run.code, 1, "stderr: {}", run.stderr);
    assert!(run.stderr.contains(message), "{}", run.stderr);
    assert_eq!(ws.snapshot(), before);
}

#[test]
fn a_duplicate_reports_the_existing_id_in_json() {
    let ws = seeded();
    let f = ws.file("again.txt", TEXT);
    let run = ws.run(&["--json", "source", "add", path_str(&f)]);
    assert_eq!(run.code, 1);
    let err = run.json();
    assert_eq!(err["error"]["code"], "duplicate_source");
    assert_eq!(err["error"]["existing_id"], 1);
}

#[test]
fn a_file_that_is_not_a_workspace_is_refused_and_kept() {
    let ws = Ws::new();
    std::fs::write(&ws.db, "not a database").unwrap();
    let run = ws.run(&["source", "list"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("not a Dossier workspace"),
        "{}",
        run.stderr
    );
    assert_eq!(std::fs::read_to_string(&ws.db).unwrap(), "not a database");
}

//! `source versions`, `source original`, `source compare` and the import flags for originals.

use rstest::rstest;

use super::{Ws, path_str};

const V1: &str = "Officials said that sector deals are being negotiated one by one.\n\n\
    Dairy remains off the table, a senior official said.\n";
const V2: &str = "Officials said that sector deals are being negotiated one by one.\n\n\
    Dairy is now on the table, a senior official said.\n";

/// Source 1 imported from `story.txt`, with an excerpt, then changed and imported again.
fn two_versions() -> (Ws, std::path::PathBuf) {
    let ws = Ws::new();
    let f = ws.file("story.txt", V1);
    ws.run(&["import", path_str(&f)]).ok();
    ws.run(&["excerpt", "add", "1", "--quote", "remains off"])
        .ok();
    std::fs::write(&f, V2).unwrap();
    ws.run(&["import", path_str(&f)]).ok();
    (ws, f)
}

#[test]
fn a_changed_file_imported_again_has_two_versions_and_the_first_bytes_come_back() {
    let (ws, _) = two_versions();
    let versions = ws.run(&["--json", "source", "versions", "1"]).ok().json();
    let versions = versions.as_array().unwrap();
    assert_eq!(versions.len(), 2, "{versions:?}");
    assert_eq!(versions[0]["number"], 1);
    assert_eq!(versions[0]["original_size"], V1.len());
    assert_eq!(versions[0]["not_kept"], serde_json::Value::Null);
    assert_eq!(versions[1]["reanchor"]["orphaned"], 1);
    assert_eq!(versions[1]["reanchor"]["orphaned_ids"][0], 1);

    let plain = ws.run(&["source", "versions", "1"]).ok();
    assert!(plain.stdout.lines().count() == 2, "{}", plain.stdout);
    assert!(plain.stdout.contains("1 orphaned"), "{}", plain.stdout);

    let out = ws.dir.path().join("v1.txt");
    let saved = ws
        .run(&[
            "--json",
            "source",
            "original",
            "1",
            "--version",
            "1",
            "-o",
            path_str(&out),
        ])
        .ok()
        .json();
    assert_eq!(saved["version"], 1);
    assert_eq!(saved["bytes"], V1.len());
    assert_eq!(
        std::fs::read(&out).unwrap(),
        V1.as_bytes(),
        "exactly the first bytes"
    );

    // An existing file is refused and left alone; --force replaces it.
    let refused = ws.run(&["source", "original", "1", "-o", path_str(&out)]);
    assert_eq!(refused.code, 1, "{}", refused.stderr);
    assert!(refused.stderr.contains("--force"), "{}", refused.stderr);
    assert_eq!(std::fs::read(&out).unwrap(), V1.as_bytes());
    ws.run(&["source", "original", "1", "-o", path_str(&out), "--force"])
        .ok();
    assert_eq!(
        std::fs::read(&out).unwrap(),
        V2.as_bytes(),
        "the latest by default"
    );

    let info = ws.run(&["--json", "info"]).ok().json();
    assert_eq!(info["originals"]["count"], 2);
    assert_eq!(info["originals"]["bytes"], V1.len() + V2.len());
}

#[test]
fn compare_marks_the_changed_words() {
    let (ws, _) = two_versions();
    let plain = ws.run(&["source", "compare", "1"]).ok();
    assert!(
        plain
            .stdout
            .contains("Dairy [-remains off-]{+is now on+} the table"),
        "{}",
        plain.stdout
    );
    assert!(
        plain.stdout.contains("2 word(s) deleted, 3 inserted"),
        "{}",
        plain.stdout
    );
    assert!(
        plain.stdout.contains("excerpt 1 orphaned"),
        "{}",
        plain.stdout
    );

    let json = ws
        .run(&[
            "--json", "source", "compare", "1", "--from", "1", "--to", "2",
        ])
        .ok()
        .json();
    assert_eq!(json["words_inserted"], 3);
    assert_eq!(json["words_deleted"], 2);
    let kinds: Vec<&str> = json["ops"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["equal", "delete", "insert", "equal"]);
    assert_eq!(json["excerpts"][0]["change"], "orphaned");
}

#[test]
fn no_original_and_a_cap_keep_the_text_only() {
    let ws = Ws::new();
    let a = ws.file("a.txt", V1);
    let b = ws.file("b.txt", V2);
    ws.run(&["import", "--no-original", path_str(&a)]).ok();
    ws.run(&["import", "--original-cap-mb", "1", path_str(&b)])
        .ok();
    let v1 = ws.run(&["--json", "source", "versions", "1"]).ok().json();
    assert_eq!(v1[0]["not_kept"], "no_original");
    let v2 = ws.run(&["--json", "source", "versions", "2"]).ok().json();
    assert_eq!(
        v2[0]["not_kept"],
        serde_json::Value::Null,
        "small enough for the cap"
    );

    let big = ws.file(
        "big.txt",
        format!("{}\n", "Steel quotas stay in force. ".repeat(40_000)),
    );
    ws.run(&["import", "--original-cap-mb", "1", path_str(&big)])
        .ok();
    let v3 = ws.run(&["--json", "source", "versions", "3"]).ok().json();
    assert_eq!(v3[0]["not_kept"], "over_cap", "{v3}");
    assert!(v3[0]["original_size"].as_u64().unwrap() > 1024 * 1024);

    let out = ws.dir.path().join("none.txt");
    let run = ws.run(&["--json", "source", "original", "1", "-o", path_str(&out)]);
    assert_eq!(run.code, 1);
    assert_eq!(run.json()["error"]["code"], "not_kept");
    assert!(!out.exists(), "nothing written");
}

#[rstest]
#[case::unknown_version(&["source", "original", "1", "--version", "9", "-o", "OUT"], 1, "no version 9")]
#[case::version_zero(&["source", "original", "1", "--version", "0", "-o", "OUT"], 2, "0")]
#[case::no_output(&["source", "original", "1"], 2, "--output")]
#[case::unknown_source(&["source", "original", "42", "-o", "OUT"], 1, "no source with id 42")]
#[case::compare_unknown(&["source", "compare", "1", "--to", "9"], 1, "no version 9")]
#[case::compare_one_version(&["source", "compare", "2"], 1, "nothing to compare")]
#[case::versions_unknown(&["source", "versions", "42"], 1, "no source with id 42")]
fn bad_input_fails_clearly_and_writes_nothing(
    #[case] args: &[&str],
    #[case] code: i32,
    #[case] message: &str,
) {
    let (ws, _) = two_versions();
    let single = ws.file("single.txt", "Only one version of this.\n");
    ws.run(&["import", path_str(&single)]).ok();
    let out = ws.dir.path().join("out.bin");
    let args: Vec<&str> = args
        .iter()
        .map(|a| if *a == "OUT" { path_str(&out) } else { a })
        .collect();
    let run = ws.run(&args);
    assert_eq!(run.code, code, "{}", run.stderr);
    assert!(run.stderr.contains(message), "{}", run.stderr);
    assert!(!out.exists(), "nothing is written");
}

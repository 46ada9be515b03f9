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
    std::fs::write(dir.join("sub/c.gif"), b"GIF89a\x01\0\x01\0\x80\0\0").unwrap();
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
    assert!(items[2]["reason"].as_str().unwrap().contains("a GIF image"));
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

/// `lines` as a gray PNG at 300 dpi, as a scanner would give them.
fn scanned_png(dir: &std::path::Path, name: &str, lines: &[&str]) -> std::path::PathBuf {
    let pdf = dir.join(format!("{name}.source.pdf"));
    std::fs::write(&pdf, text_pdf(lines)).unwrap();
    let out = dir.join(name);
    let ok = std::process::Command::new("pdftoppm")
        .args(["-r", "300", "-gray", "-png", "-singlefile"])
        .arg(&pdf)
        .arg(&out)
        .status()
        .expect("pdftoppm runs (make setup installs poppler-utils)")
        .success();
    assert!(ok);
    std::fs::remove_file(&pdf).unwrap();
    out.with_extension("png")
}

#[test]
fn a_scanned_image_becomes_searchable_text_marked_as_ocr_and_a_blank_one_is_skipped() {
    let ws = Ws::new();
    let dir = ws.dir.path().join("scans");
    std::fs::create_dir_all(&dir).unwrap();
    scanned_png(
        &dir,
        "letter",
        &[
            "Submission on the steel safeguard",
            "",
            "The association asks the department to extend the quota",
            "on imported steel wire for another two years.",
        ],
    );
    scanned_png(&dir, "blank", &[]);
    std::fs::write(dir.join("note.txt"), "A typed note about lumber deposits.").unwrap();

    let run = ws.run(&["--json", "import", path_str(&dir)]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let summary = run.json();
    let items = summary["items"].as_array().unwrap();
    let by_input = |end: &str| {
        items
            .iter()
            .find(|i| i["input"].as_str().unwrap().ends_with(end))
            .unwrap_or_else(|| panic!("{end} in {summary}"))
    };
    assert_eq!(by_input("blank.png")["status"], "skipped", "{summary}");
    assert_eq!(by_input("blank.png")["code"], "no_text");
    assert_eq!(by_input("note.txt")["status"], "imported");
    let letter = by_input("letter.png");
    assert_eq!(letter["status"], "imported", "{summary}");
    assert_eq!(letter["format"], "image");

    let show = ws
        .run(&["--json", "source", "show", &letter["id"].to_string()])
        .ok()
        .json();
    assert_eq!(show["format"], "image");
    assert_eq!(show["ocr"]["pages"], serde_json::json!([1]));
    let confidence = show["ocr"]["confidence"].as_f64().unwrap();
    assert!((0.5..=1.0).contains(&confidence), "{confidence}");
    let text = show["text"].as_str().unwrap();
    assert!(
        text.contains("extend the quota on imported steel wire"),
        "lines of a paragraph are joined: {text}"
    );
    assert_eq!(show["title"], "Submission on the steel safeguard");
    let plain = ws.run(&["source", "show", &letter["id"].to_string()]).ok();
    assert!(
        plain.stdout.contains("Format:    image\n")
            && plain.stdout.contains("OCR:       page 1 read from a scan"),
        "the plain listing says the text came from OCR: {}",
        plain.stdout
    );

    let found = ws.run(&["--json", "search", "safeguard"]).ok().json();
    assert!(
        found
            .to_string()
            .contains("Submission on the steel safeguard"),
        "{found}"
    );

    // A quote from the scanned text is an excerpt like any other.
    ws.run(&[
        "excerpt",
        "add",
        &letter["id"].to_string(),
        "--quote",
        "imported steel wire",
    ])
    .ok();
}

#[test]
fn an_unknown_ocr_language_is_a_usage_error_and_reads_nothing() {
    let ws = Ws::new();
    let png = scanned_png(ws.dir.path(), "page", &["Quota review"]);
    let run = ws.run(&["import", "--ocr-lang", "eng+klingon", path_str(&png)]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("klingon is not installed"),
        "{}",
        run.stderr
    );
    let listed = ws.run(&["--json", "source", "list"]).ok().json();
    assert_eq!(listed.as_array().map(Vec::len), Some(0), "{listed}");
    let french = ws.run(&["--json", "import", "--ocr-lang", "fra", path_str(&png)]);
    assert_eq!(french.code, 0, "{}", french.stderr);
}

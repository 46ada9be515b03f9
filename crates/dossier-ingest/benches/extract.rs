//! Article-extraction quality on the public benchmark (scrapinghub/article-extraction-benchmark:
//! 181 real news and blog pages with human-written ground truth). Every page goes through
//! `dossier_ingest::extract`, the same call `dossier import` makes, and the text is scored by
//! the benchmark's own `evaluate.py` (word-shingle F1, precision, recall), beside the figures
//! the benchmark publishes for other extractors.
//!
//! The pages are not ours to commit. Run with
//! `DOSSIER_EXTRACT_BENCH=/path/to/article-extraction-benchmark make bench-extract`; without the
//! variable this says how to get them and exits 2. CI does not run it.
//! `DOSSIER_EXTRACT_BOOTSTRAP` sets evaluate.py's bootstrap rounds (default 200).

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::Instant;

use dossier_ingest::{Hint, Limits, extract};

/// The published outputs shown beside Dossier's, by their file names in the benchmark's `output/`.
const PUBLISHED: &[&str] = &[
    "rs_trafilatura",
    "go_trafilatura",
    "trafilatura",
    "readability_js",
    "readability",
    "goose3",
    "dom_smoothie",
];

fn main() -> ExitCode {
    // `cargo bench` passes `--bench`; nothing else is read from the command line.
    let Some(root) = std::env::var_os("DOSSIER_EXTRACT_BENCH").map(PathBuf::from) else {
        eprintln!(
            "bench-extract needs the benchmark's pages, which are not part of Dossier.\n\
             Get them with\n\
             \n    git clone https://github.com/scrapinghub/article-extraction-benchmark\n\n\
             then run\n\
             \n    DOSSIER_EXTRACT_BENCH=$PWD/article-extraction-benchmark make bench-extract"
        );
        return ExitCode::from(2);
    };
    match run(&root) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("bench-extract: {message}");
            ExitCode::FAILURE
        }
    }
}

fn run(root: &Path) -> Result<(), String> {
    let truth_path = root.join("ground-truth.json");
    let truth: BTreeMap<String, serde_json::Value> = serde_json::from_slice(
        &std::fs::read(&truth_path).map_err(|e| format!("{}: {e}", truth_path.display()))?,
    )
    .map_err(|e| format!("{}: {e}", truth_path.display()))?;

    let mut output = serde_json::Map::new();
    let (mut refused, mut seconds) = (Vec::new(), Vec::new());
    let started = Instant::now();
    for (key, entry) in &truth {
        let page = root.join("html").join(format!("{key}.html.gz"));
        let mut bytes = Vec::new();
        flate2::read::GzDecoder::new(
            std::fs::File::open(&page).map_err(|e| format!("{}: {e}", page.display()))?,
        )
        .read_to_end(&mut bytes)
        .map_err(|e| format!("{}: {e}", page.display()))?;
        let hint = Hint {
            name: Some(format!("{key}.html")),
            url: entry["url"].as_str().map(str::to_string),
            content_type: None,
        };
        let one = Instant::now();
        let body = match extract(&bytes, &hint, &Limits::default()) {
            Ok(doc) => doc.text,
            Err(e) => {
                refused.push(format!("{key}: {e}"));
                String::new()
            }
        };
        seconds.push(one.elapsed().as_secs_f64());
        output.insert(key.clone(), serde_json::json!({ "articleBody": body }));
    }
    let total = started.elapsed().as_secs_f64();

    // evaluate.py reads ./ground-truth.json and scores every ./output/*.json.
    let scratch = tempfile::tempdir().map_err(|e| e.to_string())?;
    std::fs::copy(&truth_path, scratch.path().join("ground-truth.json"))
        .map_err(|e| e.to_string())?;
    std::fs::copy(root.join("evaluate.py"), scratch.path().join("evaluate.py"))
        .map_err(|e| e.to_string())?;
    let out_dir = scratch.path().join("output");
    std::fs::create_dir(&out_dir).map_err(|e| e.to_string())?;
    let ours = serde_json::json!({
        "version": env!("CARGO_PKG_VERSION"),
        "output": output,
    });
    std::fs::write(out_dir.join("DOSSIER.json"), ours.to_string()).map_err(|e| e.to_string())?;
    for name in PUBLISHED {
        let published = root.join("output").join(format!("{name}.json"));
        if published.exists() {
            std::fs::copy(&published, out_dir.join(format!("{name}.json")))
                .map_err(|e| e.to_string())?;
        }
    }
    if let Some(keep) = std::env::var_os("DOSSIER_EXTRACT_KEEP") {
        std::fs::copy(out_dir.join("DOSSIER.json"), &keep).map_err(|e| e.to_string())?;
    }

    seconds.sort_by(f64::total_cmp);
    println!(
        "{} pages read in {total:.2} s (median {:.1} ms a page, slowest {:.0} ms); {} refused",
        truth.len(),
        seconds[seconds.len() / 2] * 1e3,
        seconds.last().copied().unwrap_or(0.0) * 1e3,
        refused.len()
    );
    for line in &refused {
        println!("  refused {line}");
    }
    println!(
        "\nScored by the benchmark's evaluate.py (DOSSIER is this build; the others are the benchmark's published outputs):\n"
    );
    let rounds = std::env::var("DOSSIER_EXTRACT_BOOTSTRAP").unwrap_or_else(|_| "200".into());
    let status = Command::new("python3")
        .arg("evaluate.py")
        .args(["--n-bootstrap", &rounds])
        .current_dir(scratch.path())
        .status()
        .map_err(|e| format!("cannot run python3 evaluate.py: {e}"))?;
    if !status.success() {
        return Err(format!("evaluate.py failed ({status})"));
    }
    Ok(())
}

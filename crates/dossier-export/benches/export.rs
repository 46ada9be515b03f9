//! Export time per format for a briefing of 200 quoted excerpts: the median of N runs.
//! Run with `cargo bench -p dossier-export` (release). Targets: Word, HTML and Markdown under
//! 200 ms; PDF under 1 s.

use std::time::{Duration, Instant};

use dossier_core::Lang;
use dossier_core::briefing::{
    BriefingDocument, Citation, CitedExcerpt, Contact, Decision, DocumentSection, Marking, Purpose,
    SectionKind,
};
use dossier_export::Format;

const EXCERPTS: usize = 200;
const RUNS: usize = 15;

fn briefing() -> BriefingDocument {
    let sectors = [
        "Aluminum",
        "Automotive",
        "Critical minerals",
        "Energy",
        "Forestry (softwood lumber)",
        "Steel",
    ];
    let excerpts = (0..EXCERPTS)
        .map(|i| {
            let sector = sectors[i * sectors.len() / EXCERPTS];
            CitedExcerpt {
                group: Some(sector.into()),
                quote: format!(
                    "Passage {i}: officials in Ottawa and Washington said the {sector} file would \
                     be settled before the joint review, a claim that industry groups in Québec \
                     and Ontario treated with caution. « Les négociateurs ont refusé de \
                     commenter », a rapporté l’agence."
                ),
                note: format!("Why it matters: it dates the **{sector}** deal (passage {i})."),
                citation: Citation {
                    outlet: Some(
                        if i % 2 == 0 {
                            "Maple Wire"
                        } else {
                            "Le Devoir économique"
                        }
                        .into(),
                    ),
                    title: format!("Wire story {i} on the {sector} talks"),
                    authors: vec!["Jeanne Roy".into(), "Sam Park".into()],
                    published: Some(format!("2025-03-{:02}", 1 + i % 28)),
                    url: Some(format!("https://example.org/wire/{i}")),
                    page: (i % 3 == 0).then_some(i as u32 % 40 + 1),
                },
            }
        })
        .collect();
    let text = |kind| DocumentSection {
        kind,
        text:
            "Talks now proceed **sector by sector**.\n\n- steel and aluminum first\n- lumber last"
                .into(),
        excerpts: Vec::new(),
    };
    let mut sections: Vec<DocumentSection> = SectionKind::ALL.into_iter().map(text).collect();
    sections[SectionKind::CurrentStatus.index()].excerpts = excerpts;
    BriefingDocument {
        lang: Lang::En,
        marking: Marking::ProtectedB,
        addressee: Some("the Minister of International Trade".into()),
        file_number: Some("BN-2025-0143".into()),
        date: Some("2025-03-15".into()),
        title: "Canada–US tariff talks: state of play across sectors".into(),
        title_fr: Some("Négociations tarifaires Canada–États-Unis : état de la situation".into()),
        purpose: Purpose::Decision,
        deadline: Some("2025-03-20".into()),
        sections,
        prepared_by: Contact {
            name: Some("Élise Côté".into()),
            title: Some("Senior Policy Analyst".into()),
            phone: Some("613-555-0143".into()),
        },
        approved_by: Contact::default(),
        decision: Some(Decision::default()),
    }
}

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

fn main() {
    let doc = briefing();
    println!(
        "Export of a briefing with {EXCERPTS} quoted excerpts, median of {RUNS} runs (release)"
    );
    println!(
        "{:<10} {:>12} {:>12} {:>12} {:>8}",
        "format", "median", "first run", "size", "target"
    );
    for (format, target_ms) in [
        (Format::Docx, 200),
        (Format::Html, 200),
        (Format::Markdown, 200),
        (Format::Pdf, 1000),
    ] {
        // The first run also pays for loading fonts and Typst's library once per process (what
        // one `dossier export` pays); it is shown, not counted.
        let start = Instant::now();
        let bytes = dossier_export::export(&doc, format).expect("the benchmark note exports");
        let first = start.elapsed();
        let times: Vec<Duration> = (0..RUNS)
            .map(|_| {
                // Typst memoizes layout across compilations; an edited note would miss part
                // of that cache, so each run starts from none of it.
                dossier_export::forget_typesetting_caches();
                let start = Instant::now();
                let out = dossier_export::export(&doc, format).expect("exports");
                std::hint::black_box(out);
                start.elapsed()
            })
            .collect();
        let m = median(times);
        println!(
            "{:<10} {:>9.1} ms {:>9.1} ms {:>9} kB {:>5} ms {}",
            format.extension(),
            m.as_secs_f64() * 1000.0,
            first.as_secs_f64() * 1000.0,
            bytes.len() / 1024,
            target_ms,
            if m.as_millis() < target_ms {
                "ok"
            } else {
                "SLOW"
            }
        );
    }

    if std::env::var_os("EXPORT_BENCH_VARIANTS").is_some() {
        variants(&doc);
    }
}

/// Where the PDF's time goes: layout against PDF writing, and what footnotes and the page
/// total cost (set EXPORT_BENCH_VARIANTS=1).
fn variants(doc: &BriefingDocument) {
    let source = dossier_export::typst_source(doc);
    let no_notes = source.replace("#footnote[", "#box[");
    let link_colour_only = source.replace(
        "#show link: it => underline(text(fill: rgb(\"#1a4f8b\"), it))",
        "#show link: set text(fill: rgb(\"#1a4f8b\"))",
    );
    for (name, src) in [
        ("as shipped", &source),
        ("no footnotes", &no_notes),
        ("links not underlined", &link_colour_only),
    ] {
        let mut layout = Vec::new();
        let mut total = Vec::new();
        for _ in 0..5 {
            dossier_export::forget_typesetting_caches();
            let start = Instant::now();
            let mut at = None;
            dossier_export::typeset_source(src.clone(), &mut |_| at = Some(start.elapsed()))
                .unwrap();
            total.push(start.elapsed());
            layout.push(at.unwrap());
        }
        println!(
            "pdf {name:<14} layout {:>7.1} ms, total {:>7.1} ms",
            median(layout).as_secs_f64() * 1000.0,
            median(total).as_secs_f64() * 1000.0
        );
    }
}

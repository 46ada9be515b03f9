use std::path::PathBuf;
use std::process::Command;

use dossier_core::briefing::{BriefingDocument, SectionKind};

use super::{fixture, flat, pdf_pages, require_tool};

/// Converts the note's DOCX to PDF with LibreOffice, as a reader of the file would open it, and
/// returns the text of each page.
fn through_libreoffice(doc: &BriefingDocument) -> Vec<String> {
    require_tool("libreoffice", "libreoffice-writer");
    let dir = tempfile::tempdir().unwrap();
    let docx = dir.path().join("note.docx");
    std::fs::write(&docx, dossier_export::docx(doc).unwrap()).unwrap();
    // A profile of its own, so parallel tests do not fight over one.
    let profile = format!(
        "-env:UserInstallation=file://{}/profile",
        dir.path().display()
    );
    let out = Command::new("libreoffice")
        .args([&profile, "--headless", "--convert-to", "pdf", "--outdir"])
        .arg(dir.path())
        .arg(&docx)
        .output()
        .expect("libreoffice runs");
    let pdf: PathBuf = dir.path().join("note.pdf");
    assert!(
        out.status.success() && pdf.exists(),
        "LibreOffice could not open the DOCX: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    pdf_pages(&pdf)
}

#[test]
fn libreoffice_reads_the_title_headings_quotes_and_footnotes() {
    let doc = fixture::decision_note();
    let pages = through_libreoffice(&doc);
    let all = flat(&pages.join("\n"));
    for want in [
        "MEMORANDUM TO THE MINISTER OF INTERNATIONAL TRADE",
        "File: BN-2025-0143",
        "Date: 15 March 2025",
        "Canada–US steel and aluminum talks: state of play",
        "Négociations Canada–États-Unis sur l’acier et l’aluminium : état de la situation",
        "FOR DECISION — Decision needed by 20 March 2025",
        "« Nous ne signerons pas n’importe quel accord », a déclaré la ministre.",
        "Smelters in Québec asked for relief from the 25% tariff.",
        // A footnote: its number, a space, then the citation.
        "2 Sam Park and Amélie Gagnon, “Aluminum and the CUSMA joint review”, Trade Policy Quarterly, 28 February 2025, p. 12,",
        "“Bois d’œuvre : Ottawa maintient le cap”, La Presse canadienne, 10 March 2025",
        "Prepared by: Élise Côté",
        "DECISION OF THE MINISTER",
        "☐ Approved",
        "Sources",
    ] {
        assert!(all.contains(want), "LibreOffice shows {want:?} in:\n{all}");
    }
    for kind in SectionKind::ALL {
        assert!(all.contains(kind.heading()), "{} is shown", kind.heading());
    }
    for (n, page) in pages.iter().enumerate() {
        assert!(
            page.contains("PROTECTED A / PROTÉGÉ A"),
            "the marking heads page {} too:\n{page}",
            n + 1
        );
        assert!(
            flat(page).contains(&format!("Page {} of {}", n + 1, pages.len())),
            "page {} is numbered:\n{page}",
            n + 1
        );
    }
}

#[test]
fn a_long_note_carries_the_marking_on_every_page() {
    let pages = through_libreoffice(&fixture::long_note(40));
    assert!(
        pages.len() >= 3,
        "40 excerpts run over several pages, got {}",
        pages.len()
    );
    for (n, page) in pages.iter().enumerate() {
        assert!(
            page.contains("PROTECTED A / PROTÉGÉ A"),
            "page {} has the marking",
            n + 1
        );
    }
}

#[test]
fn hostile_text_opens_in_libreoffice_as_text() {
    let all = flat(&through_libreoffice(&fixture::hostile_note()).join("\n"));
    assert!(
        all.contains("Quote <script>alert(\"x\")</script> *not emphasis*"),
        "{all}"
    );
    assert!(
        all.contains("</w:t>"),
        "XML in an article stays text: {all}"
    );
}

#[test]
fn libreoffice_reads_a_french_note_in_french() {
    let pages = through_libreoffice(&fixture::long_french_note(30));
    assert!(
        pages.len() >= 2,
        "the long note runs over pages: {}",
        pages.len()
    );
    let all = flat(&pages.join("\n"));
    for want in [
        "NOTE À L’INTENTION DE LA MINISTRE DU COMMERCE INTERNATIONAL",
        "Numéro de dossier : NB-2026-0211",
        "Date : 1er décembre 2026",
        "Négociations Canada–États-Unis sur l’acier et l’aluminium : prochaine ronde",
        "Canada–US steel and aluminum talks: next round",
        "POUR DÉCISION — Décision requise d’ici le 2 décembre 2026",
        "Préparé par : Élise Côté",
        "DÉCISION DE LA MINISTRE",
        "☐ Non approuvé",
        "« Dépêche 0 sur les pourparlers », Le Fil économique, 1er novembre 2026",
        "Sources",
    ] {
        assert!(all.contains(want), "LibreOffice shows {want:?} in:\n{all}");
    }
    for kind in SectionKind::ALL {
        let heading = kind.heading_in(dossier_core::Lang::Fr);
        assert!(all.contains(heading), "{heading} is shown");
    }
    for (n, page) in pages.iter().enumerate() {
        assert!(
            page.contains("NON CLASSIFIÉ / UNCLASSIFIED"),
            "the French-first marking heads page {}:\n{page}",
            n + 1
        );
        assert!(
            flat(page).contains(&format!("Page {} de {}", n + 1, pages.len())),
            "Word's PAGE and NUMPAGES fields read « Page {} de {} »:\n{page}",
            n + 1,
            pages.len()
        );
    }
}

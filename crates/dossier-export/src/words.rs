//! The fixed words of a note that are not in dossier-core (labels, the memo line, the decision
//! block, page numbers), in each official language. Every writer takes them from here, through
//! `Prepared::words`, so the four formats say the same thing.
//!
//! French follows Canadian usage (the OQLF's *Le français au bureau*): a non-breaking space
//! (U+00A0) before a colon and inside « », and no space before ; ! ? in word-processed text.
//! No label here ends in ; ! or ?.

use dossier_core::Lang;

/// A non-breaking space: French typography's space before ":" and inside « ».
pub(crate) const NBSP: char = '\u{a0}';

#[derive(Debug)]
pub(crate) struct Words {
    /// "File:" — the label before the file number.
    pub file: &'static str,
    pub date: &'static str,
    pub prepared_by: &'static str,
    pub approved_by: &'static str,
    pub signature: &'static str,
    pub comments: &'static str,
    pub sources: &'static str,
    /// The HTML file's list of notes.
    pub notes: &'static str,
    /// The label of the link from a note back to its place in the text.
    pub back_to_text: &'static str,
    /// "Page" and "of", as in "Page 1 of 2".
    pub page: &'static str,
    pub of: &'static str,
    /// The heading of a note with no addressee.
    pub briefing_note: &'static str,
    /// The decision block's heading when no decision maker is named.
    pub decision: &'static str,
}

pub(crate) const EN: Words = Words {
    file: "File:",
    date: "Date:",
    prepared_by: "Prepared by:",
    approved_by: "Approved by:",
    signature: "Signature:",
    comments: "Comments:",
    sources: "Sources",
    notes: "Notes",
    back_to_text: "Back to the text",
    page: "Page",
    of: "of",
    briefing_note: "BRIEFING NOTE",
    decision: "DECISION",
};

pub(crate) const FR: Words = Words {
    // "Numéro de dossier" written out: the abbreviation "no" wants a superscript o that plain
    // text (Markdown, a PDF's text layer) cannot carry, and "N°" (a degree sign) is wrong.
    file: "Numéro de dossier\u{a0}:",
    date: "Date\u{a0}:",
    prepared_by: "Préparé par\u{a0}:",
    approved_by: "Approuvé par\u{a0}:",
    signature: "Signature\u{a0}:",
    comments: "Commentaires\u{a0}:",
    sources: "Sources",
    notes: "Notes",
    back_to_text: "Retour au texte",
    page: "Page",
    of: "de",
    // "Briefing note" is "note d’information" or "note de breffage" in federal French; "note
    // d’information" above "POUR DÉCISION" would contradict itself, so: breffage.
    briefing_note: "NOTE DE BREFFAGE",
    decision: "DÉCISION",
};

pub(crate) fn words(lang: Lang) -> &'static Words {
    match lang {
        Lang::En => &EN,
        Lang::Fr => &FR,
    }
}

/// "de" before a noun phrase, contracted and elided as French requires: "le ministre" → "du
/// ministre", "la ministre" → "de la ministre", "les" → "des", "l’honorable" → "de l’honorable",
/// "Anne Roy" → "d’Anne Roy". Anything else gets "de ".
fn of_fr(phrase: &str) -> String {
    let lower = phrase.to_lowercase();
    if let Some(rest) = strip_word(phrase, &lower, "le") {
        return format!("du {rest}");
    }
    if let Some(rest) = strip_word(phrase, &lower, "les") {
        return format!("des {rest}");
    }
    if lower.starts_with("la ") || lower.starts_with("l’") || lower.starts_with("l'") {
        return format!("de {phrase}");
    }
    // Elision before a vowel; "h" is left alone (h aspiré or not cannot be told from spelling).
    if lower
        .chars()
        .next()
        .is_some_and(|c| "aeiouyàâäéèêëîïôöùûü".contains(c))
    {
        return format!("d’{phrase}");
    }
    format!("de {phrase}")
}

/// The rest of `phrase` after its first word when that word is `word` (any case).
fn strip_word<'a>(phrase: &'a str, lower: &str, word: &str) -> Option<&'a str> {
    let prefix = format!("{word} ");
    lower
        .starts_with(&prefix)
        .then(|| phrase[prefix.len()..].trim_start())
}

/// The line at the head of the note: "MEMORANDUM TO THE MINISTER OF …", or the bare name of a
/// note when it has no addressee.
///
/// In French: "NOTE À L’INTENTION DE LA MINISTRE …". Federal departments head a French note to
/// the minister "Note à l’intention du/de la ministre" (or "Note au ministre"); "à l’intention
/// de" is chosen because it fits any addressee, a person by name included, where "au" needs a
/// title. Not "Mémorandum": in federal French that word goes with Cabinet ("mémoire au
/// Cabinet") and diplomacy. The analyst writes the addressee with its article ("la ministre du
/// Commerce international"); the "de" is contracted to fit it.
pub(crate) fn memo_heading(lang: Lang, addressee: Option<&str>) -> String {
    match (lang, addressee) {
        (Lang::En, Some(a)) => format!("MEMORANDUM TO {}", a.to_uppercase()),
        (Lang::Fr, Some(a)) => format!("NOTE À L’INTENTION {}", of_fr(a).to_uppercase()),
        (_, None) => words(lang).briefing_note.to_string(),
    }
}

/// The decision block's heading: "DECISION OF THE MINISTER", "DÉCISION DE LA MINISTRE".
pub(crate) fn decision_heading(lang: Lang, maker: Option<&str>) -> String {
    match (lang, maker) {
        (Lang::En, Some(m)) => format!("DECISION OF THE {}", m.to_uppercase()),
        (Lang::Fr, Some(m)) => format!("DÉCISION {}", of_fr(m).to_uppercase()),
        (_, None) => words(lang).decision.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    #[rstest]
    #[case(
        "la ministre du Commerce international",
        "NOTE À L’INTENTION DE LA MINISTRE DU COMMERCE INTERNATIONAL"
    )]
    #[case(
        "le ministre des Finances",
        "NOTE À L’INTENTION DU MINISTRE DES FINANCES"
    )]
    #[case("Le sous-ministre", "NOTE À L’INTENTION DU SOUS-MINISTRE")]
    #[case(
        "les sous-ministres adjoints",
        "NOTE À L’INTENTION DES SOUS-MINISTRES ADJOINTS"
    )]
    #[case("l’honorable Marie Roy", "NOTE À L’INTENTION DE L’HONORABLE MARIE ROY")]
    #[case("Anne Côté", "NOTE À L’INTENTION D’ANNE CÔTÉ")]
    #[case("Marc Tremblay", "NOTE À L’INTENTION DE MARC TREMBLAY")]
    // "lecteur" starts with "le" but is not the article.
    #[case("lecteurs", "NOTE À L’INTENTION DE LECTEURS")]
    fn the_french_memo_line_contracts_de(#[case] addressee: &str, #[case] want: &str) {
        assert_eq!(memo_heading(Lang::Fr, Some(addressee)), want);
    }

    #[test]
    fn english_is_as_before() {
        assert_eq!(
            memo_heading(Lang::En, Some("the Minister of International Trade")),
            "MEMORANDUM TO THE MINISTER OF INTERNATIONAL TRADE"
        );
        assert_eq!(memo_heading(Lang::En, None), "BRIEFING NOTE");
        assert_eq!(
            decision_heading(Lang::En, Some("Minister")),
            "DECISION OF THE MINISTER"
        );
        assert_eq!(
            decision_heading(Lang::Fr, Some("la ministre")),
            "DÉCISION DE LA MINISTRE"
        );
        assert_eq!(decision_heading(Lang::Fr, None), "DÉCISION");
    }

    #[test]
    fn french_labels_end_in_a_non_breaking_space_and_colon() {
        for label in [
            FR.file,
            FR.date,
            FR.prepared_by,
            FR.approved_by,
            FR.signature,
            FR.comments,
        ] {
            assert!(label.ends_with("\u{a0}:"), "{label:?}");
            assert!(!label.contains(" :"), "{label:?}");
        }
    }
}

//! Language detection (whatlang) for documents that do not declare theirs.
//!
//! Only a confident guess is recorded: an unreliable one (a short or mixed text) leaves the
//! language empty for the analyst to fill, because a wrong `lang` sends a source to the wrong
//! facet silently. Detection reads the first 3,000 characters: enough to tell languages apart,
//! and it keeps bulk import fast.
//!
//! The decision a reader might question: before whatlang, a count of function words ("the",
//! "and"… / "les", "et"…) settles the common case — a text plainly in English or plainly in
//! French — in a few microseconds instead of two trigram passes (a tenth of a bulk import's
//! time went to whatlang). It answers only when the evidence is overwhelming (many function
//! words, nearly all of one language, none of the other languages' telltale words); anything
//! short, mixed or in another language goes to whatlang exactly as before.

use std::sync::LazyLock;

use whatlang::{Detector, Lang};

/// The languages a Canadian trade file meets. Scoring seven profiles instead of every Latin-script
/// language keeps detection cheap in bulk, and a text in another language is simply left
/// without one.
static WIDE: LazyLock<Detector> = LazyLock::new(|| {
    Detector::with_allowlist(vec![
        Lang::Eng,
        Lang::Fra,
        Lang::Spa,
        Lang::Deu,
        Lang::Ita,
        Lang::Por,
        Lang::Nld,
    ])
});

/// English or French: choosing between the two makes whatlang confident on one sentence, where
/// among more languages a short English text came out unsure.
static EN_FR: LazyLock<Detector> =
    LazyLock::new(|| Detector::with_allowlist(vec![Lang::Eng, Lang::Fra]));

/// Enough text to tell languages apart; detection time grows with it.
const SAMPLE_CHARS: usize = 3_000;

/// Below this whatlang confidence (0..1) no language is recorded.
const MIN_CONFIDENCE: f64 = 0.5;

/// Function words the shortcut needs at least this many of, from one language.
const MIN_FUNCTION_WORDS: usize = 12;

/// Which language a frequent function word belongs to: English, French, or one of the other
/// languages whatlang is asked about (and Romanian, which shares French's articles), whose
/// words send the text to whatlang. Words two of them share ("de", "la", "a", "que", "en",
/// "un", "in", "is") count for none.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Cue {
    English,
    French,
    Other,
}

fn cue(word: &str) -> Option<Cue> {
    Some(match word {
        "the" | "and" | "of" | "to" | "that" | "with" | "for" | "was" | "were" | "this"
        | "which" | "from" | "have" | "has" | "are" | "it" | "its" | "by" | "on" | "at"
        | "would" | "will" | "be" | "been" | "not" | "or" | "they" | "their" | "said" => {
            Cue::English
        }
        "le" | "les" | "et" | "est" | "des" | "une" | "du" | "qui" | "dans" | "pour" | "pas"
        | "sur" | "avec" | "au" | "aux" | "cette" | "sont" | "été" | "était" | "mais" | "nous"
        | "vous" | "ils" | "leur" | "elle" | "ont" | "aussi" | "selon" => Cue::French,
        "el" | "los" | "las" | "y" | "del" | "por" | "con" | "para" | "una" | "es" | "os"
        | "do" | "da" | "em" | "não" | "il" | "di" | "che" | "per" | "della" | "non" | "sono"
        | "der" | "die" | "und" | "das" | "ist" | "nicht" | "mit" | "von" | "zu" | "den"
        | "het" | "een" | "van" | "niet" | "op" | "și" | "în" | "cu" | "pe" | "că" | "este" => {
            Cue::Other
        }
        _ => return None,
    })
}

/// English or French when the sample's function words leave no doubt, else `None` (ask
/// whatlang).
fn plainly_en_or_fr(sample: &str) -> Option<&'static str> {
    let (mut en, mut fr, mut other) = (0usize, 0usize, 0usize);
    let mut word = String::with_capacity(16);
    let mut count = |word: &str| match cue(word) {
        Some(Cue::English) => en += 1,
        Some(Cue::French) => fr += 1,
        Some(Cue::Other) => other += 1,
        None => {}
    };
    for c in sample.chars() {
        if c.is_alphabetic() {
            word.extend(c.to_lowercase());
        } else if !word.is_empty() {
            count(&word);
            word.clear();
        }
    }
    if !word.is_empty() {
        count(&word);
    }
    // Overwhelming means: enough cues, the other of the two at most a tenth of them, and
    // hardly any telltale word of a third language.
    let decide = |mine: usize, theirs: usize| {
        mine >= MIN_FUNCTION_WORDS && theirs * 10 <= mine && other * 20 <= mine
    };
    if decide(en, fr) {
        Some("en")
    } else if decide(fr, en) {
        Some("fr")
    } else {
        None
    }
}

pub(crate) fn detect(text: &str) -> Option<String> {
    let sample = match text.char_indices().nth(SAMPLE_CHARS) {
        Some((end, _)) => &text[..end],
        None => text,
    };
    if let Some(code) = plainly_en_or_fr(sample) {
        return Some(code.to_string());
    }
    whatlang_detect(sample)
}

fn whatlang_detect(sample: &str) -> Option<String> {
    let wide = WIDE.detect(sample)?;
    let info = if matches!(wide.lang(), Lang::Eng | Lang::Fra) {
        EN_FR.detect(sample)?
    } else {
        wide
    };
    if info.confidence() < MIN_CONFIDENCE {
        return None;
    }
    let code = match info.lang() {
        Lang::Eng => "en",
        Lang::Fra => "fr",
        Lang::Spa => "es",
        Lang::Deu => "de",
        Lang::Ita => "it",
        Lang::Por => "pt",
        Lang::Nld => "nl",
        Lang::Rus => "ru",
        Lang::Ukr => "uk",
        Lang::Pol => "pl",
        Lang::Cmn => "zh",
        Lang::Jpn => "ja",
        Lang::Kor => "ko",
        Lang::Ara => "ar",
        Lang::Hin => "hi",
        Lang::Tur => "tr",
        Lang::Swe => "sv",
        Lang::Dan => "da",
        Lang::Nob => "no",
        Lang::Fin => "fi",
        other => other.code(),
    };
    Some(code.to_string())
}

#[cfg(test)]
mod tests {
    use super::detect;
    use rstest::rstest;

    #[rstest]
    #[case(
        "Canadian and American negotiators met on Tuesday to discuss steel and aluminum tariffs.",
        Some("en")
    )]
    #[case(
        "Les négociateurs canadiens et américains se sont réunis mardi pour discuter des droits sur l'acier.",
        Some("fr")
    )]
    #[case("ok", None)]
    #[case(
        "Los negociadores se reunieron el martes para hablar de los aranceles sobre el acero y el aluminio en la frontera.",
        Some("es")
    )]
    fn english_and_french_are_told_apart(#[case] text: &str, #[case] lang: Option<&str>) {
        assert_eq!(detect(text).as_deref(), lang);
    }

    const ENGLISH: &str = "The minister said on Tuesday that the review of steel and aluminum \
        quotas would continue. Officials from the provinces were at the table, and the talks \
        on lumber have been slow. It is not clear which sector will be next, but the workers \
        at the plants said they expect a deal by the end of the year. The industry has asked \
        for a schedule, and the negotiators were told to report to the cabinet.";
    const FRENCH: &str = "Le ministre a déclaré mardi que l'examen des quotas sur l'acier et \
        l'aluminium se poursuivra. Les représentants des provinces étaient présents, et les \
        discussions sur le bois d'œuvre sont lentes. Il n'est pas clair quel secteur sera le \
        prochain, mais les travailleurs des usines disent qu'ils attendent une entente avant la \
        fin de l'année. L'industrie a demandé un calendrier, et les négociateurs doivent faire \
        rapport au cabinet avec les chiffres du mois.";
    const SPANISH: &str = "El ministro dijo el martes que la revisión de las cuotas del acero y \
        del aluminio continuará. Los representantes de las provincias estaban presentes, y las \
        conversaciones sobre la madera son lentas. No está claro qué sector será el siguiente, \
        pero los trabajadores de las plantas esperan un acuerdo para el fin del año con el \
        gobierno y los negociadores.";

    /// The shortcut answers only where whatlang gives the same answer, and stays out of the
    /// way of short, mixed and other-language texts.
    #[rstest]
    #[case(ENGLISH, Some("en"))]
    #[case(FRENCH, Some("fr"))]
    #[case(SPANISH, None)]
    #[case("The minister and the officials of the provinces.", None)]
    fn the_function_word_shortcut_agrees_with_whatlang(
        #[case] text: &str,
        #[case] shortcut: Option<&str>,
    ) {
        assert_eq!(
            super::plainly_en_or_fr(text),
            shortcut,
            "shortcut on {text:?}"
        );
        if let Some(code) = shortcut {
            assert_eq!(
                super::whatlang_detect(text).as_deref(),
                Some(code),
                "whatlang on {text:?}"
            );
        }
    }

    #[test]
    fn a_text_half_english_half_french_is_left_to_whatlang() {
        let mixed = format!("{ENGLISH}\n\n{FRENCH}");
        assert_eq!(super::plainly_en_or_fr(&mixed), None);
    }
}

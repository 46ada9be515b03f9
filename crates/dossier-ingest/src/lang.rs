//! Language detection (whatlang) for documents that do not declare theirs.
//!
//! Only a confident guess is recorded: an unreliable one (a short or mixed text) leaves the
//! language empty for the analyst to fill, because a wrong `lang` sends a source to the wrong
//! facet silently. Detection reads the first 3,000 characters: enough to tell languages apart,
//! and it keeps bulk import fast.

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

pub(crate) fn detect(text: &str) -> Option<String> {
    let sample: String = text.chars().take(SAMPLE_CHARS).collect();
    let wide = WIDE.detect(&sample)?;
    let info = if matches!(wide.lang(), Lang::Eng | Lang::Fra) {
        EN_FR.detect(&sample)?
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
}

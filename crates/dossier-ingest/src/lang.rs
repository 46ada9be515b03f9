//! Language detection (whatlang) for documents that do not declare theirs.
//!
//! Only a confident guess is recorded: an unreliable one (a short or mixed text) leaves the
//! language empty for the analyst to fill, because a wrong `lang` sends a source to the wrong
//! facet silently. Detection reads the first 20,000 characters: enough for any article, and it
//! keeps bulk import fast on long reports.

use std::sync::LazyLock;

use whatlang::{Detector, Lang};

/// English or French, the languages of the file. Choosing between the two makes whatlang
/// confident on a single sentence, where among all its languages a short English text came back
/// "unreliable". A text in a third language is recorded only when whatlang's full detection is
/// reliable about it.
static DETECTOR: LazyLock<Detector> =
    LazyLock::new(|| Detector::with_allowlist(vec![Lang::Eng, Lang::Fra]));

/// Below this whatlang confidence (0..1) no language is recorded.
const MIN_CONFIDENCE: f64 = 0.5;

pub(crate) fn detect(text: &str) -> Option<String> {
    let sample: String = text.chars().take(20_000).collect();
    let any = whatlang::detect(&sample)?;
    let info = if any.is_reliable() && !matches!(any.lang(), Lang::Eng | Lang::Fra) {
        any
    } else {
        let info = DETECTOR.detect(&sample)?;
        if info.confidence() < MIN_CONFIDENCE {
            return None;
        }
        info
    };
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
        // Other languages keep their three-letter ISO 639-3 code, which the store accepts.
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

//! Language detection (whatlang) for documents that do not declare theirs.
//!
//! Only a confident guess is recorded: an unreliable one (a short or mixed text) leaves the
//! language empty for the analyst to fill, because a wrong `lang` sends a source to the wrong
//! facet silently. Detection reads the first 20,000 characters: enough for any article, and it
//! keeps bulk import fast on long reports.

use whatlang::Lang;

pub(crate) fn detect(text: &str) -> Option<String> {
    let sample: String = text.chars().take(20_000).collect();
    let info = whatlang::detect(&sample)?;
    if !info.is_reliable() {
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
    fn english_and_french_are_told_apart(#[case] text: &str, #[case] lang: Option<&str>) {
        assert_eq!(detect(text).as_deref(), lang);
    }
}

//! Accent and case folding for matching what analysts type against what is stored: `energie`
//! finds `Énergie`, `bois d'oeuvre` finds `bois d'œuvre`.
//!
//! Folding is for keys and comparisons only; stored text keeps its accents.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// True for combining marks (accents written as separate code points).
pub fn is_mark(c: char) -> bool {
    is_combining_mark(c)
}

/// Lowercase, strip combining marks, expand the ligatures French uses, unify apostrophes and
/// dashes, and collapse runs of whitespace to one space.
pub fn fold(input: &str) -> String {
    let mut out = String::with_capacity(input.len());
    let mut last_space = true;
    for c in input.nfd() {
        if is_combining_mark(c) {
            continue;
        }
        match c {
            'œ' | 'Œ' => out.push_str("oe"),
            'æ' | 'Æ' => out.push_str("ae"),
            'ß' => out.push_str("ss"),
            '\u{2018}' | '\u{2019}' | '\u{02bc}' | '`' => out.push('\''),
            '\u{2010}'..='\u{2015}' => out.push('-'),
            c if c.is_whitespace() => {
                if !last_space {
                    out.push(' ');
                }
                last_space = true;
                continue;
            }
            c => out.extend(c.to_lowercase()),
        }
        last_space = false;
    }
    if out.ends_with(' ') {
        out.pop();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::fold;
    use rstest::rstest;

    #[rstest]
    #[case::accents("Énergie", "energie")]
    #[case::grave("Règlement", "reglement")]
    #[case::ligature("bois d’Œuvre", "bois d'oeuvre")]
    #[case::cedilla("Français", "francais")]
    #[case::spaces("  Critical \t Minerals ", "critical minerals")]
    #[case::path("Sector/Steel", "sector/steel")]
    #[case::cjk("中文", "中文")]
    fn folds(#[case] input: &str, #[case] expected: &str) {
        assert_eq!(fold(input), expected);
    }
}

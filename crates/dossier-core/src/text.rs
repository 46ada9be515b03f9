//! Normalization applied once, at capture, to every body of text, and the content hash that
//! detects a text already in the workspace.
//!
//! Normalization is deliberately small (BOM, line endings, NFC): anything more (collapsing spaces,
//! trimming lines) would change what an analyst sees and quotes, and an exact quote must stay exact.

use sha2::{Digest, Sha256};
use unicode_normalization::UnicodeNormalization;

/// UTF-8 text with a leading BOM removed, `\r\n` and lone `\r` turned into `\n`, and Unicode NFC.
pub fn normalize_body(input: &str) -> String {
    // Most text is already normalized (and is normalized again at each layer it crosses):
    // checking is several times cheaper than decomposing and recomposing it.
    if !input.starts_with('\u{feff}')
        && !input.contains('\r')
        && unicode_normalization::is_nfc_quick(input.chars())
            == unicode_normalization::IsNormalized::Yes
    {
        return input.to_string();
    }
    // Every leading byte-order mark, not only the first: normalizing twice must change nothing.
    let without_bom = input.trim_start_matches('\u{feff}');
    let unified = without_bom.replace("\r\n", "\n").replace('\r', "\n");
    unified.nfc().collect()
}

/// Same as [`normalize_body`] for a short field (a quote, a title): a quote pasted from a
/// Windows clipboard or typed decomposed must still match the stored body.
pub fn normalize_fragment(input: &str) -> String {
    normalize_body(input)
}

/// Hex SHA-256 of the normalized body. Two captures of the same text share it.
pub fn content_hash(normalized_body: &str) -> String {
    let digest = Sha256::digest(normalized_body.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// A name reduced for comparison ("The Canadian Press" and "Canadian press." agree): lower
/// case, letters and digits only, one space between words, and no leading article.
pub fn bare_name(name: &str) -> String {
    let lower = name.to_lowercase();
    let words: Vec<&str> = lower
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let skip =
        usize::from(words.len() > 1 && matches!(words[0], "the" | "la" | "le" | "les" | "l"));
    words[skip..].join(" ")
}

/// One line: runs of whitespace (newlines included) become one space, none at either end.
pub fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// [`one_line`], cut to its first `max` code points with `…` when it is longer: a title or a
/// snippet in a list.
pub fn one_line_head(text: &str, max: usize) -> String {
    let flat = one_line(text);
    if flat.chars().count() <= max {
        flat
    } else {
        format!("{}…", flat.chars().take(max).collect::<String>())
    }
}

/// True when the text has nothing but whitespace in it.
pub fn is_blank(text: &str) -> bool {
    text.chars().all(char::is_whitespace)
}

/// Number of Unicode code points.
pub fn char_len(text: &str) -> usize {
    text.chars().count()
}

/// Byte offset of the code point at `char_index`, or `text.len()` when it is the end.
/// Returns `None` past the end.
pub fn byte_offset(text: &str, char_index: usize) -> Option<usize> {
    if char_index == 0 {
        return Some(0);
    }
    let mut count = 0;
    for (byte, _) in text.char_indices() {
        if count == char_index {
            return Some(byte);
        }
        count += 1;
    }
    (count == char_index).then_some(text.len())
}

/// The substring between two code-point offsets, or `None` when the range is outside the text.
pub fn slice_chars(text: &str, start: usize, end: usize) -> Option<&str> {
    if start > end {
        return None;
    }
    let from = byte_offset(text, start)?;
    let to = from + byte_offset(&text[from..], end - start)?;
    Some(&text[from..to])
}

/// A one-line title guessed from a text: a Markdown `# heading` if the text opens with one,
/// else its first non-blank line, cut at 120 characters on a word boundary.
pub fn guess_title(body: &str) -> Option<String> {
    let line = body.lines().map(str::trim).find(|l| !l.is_empty())?;
    let line = line.trim_start_matches('#').trim();
    if line.is_empty() {
        return None;
    }
    if char_len(line) <= 120 {
        return Some(line.to_string());
    }
    let cut: String = line.chars().take(120).collect();
    let at_word = cut.rsplit_once(' ').map_or(cut.as_str(), |(head, _)| head);
    Some(format!("{}…", at_word.trim_end()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalization_unifies_line_endings_bom_and_composition() {
        let decomposed = "\u{feff}E\u{301}nergie\r\nligne\rfin";
        assert_eq!(normalize_body(decomposed), "Énergie\nligne\nfin");
    }

    #[test]
    fn normalizing_twice_changes_nothing_even_after_two_byte_order_marks() {
        let once = normalize_body("\u{feff}\u{feff}Tarifs\r\n");
        assert_eq!(once, "Tarifs\n");
        assert_eq!(normalize_body(&once), once);
    }

    #[test]
    fn same_text_in_two_encodings_of_accents_hashes_the_same() {
        let a = normalize_body("re\u{300}glement");
        let b = normalize_body("règlement");
        assert_eq!(content_hash(&a), content_hash(&b));
        assert_ne!(content_hash(&a), content_hash("reglement"));
    }

    #[test]
    fn slicing_counts_code_points_not_bytes() {
        let t = "a😀é中";
        assert_eq!(slice_chars(t, 1, 3), Some("😀é"));
        assert_eq!(slice_chars(t, 3, 4), Some("中"));
        assert_eq!(slice_chars(t, 4, 4), Some(""));
        assert_eq!(slice_chars(t, 2, 5), None);
        assert_eq!(slice_chars(t, 3, 2), None);
    }

    #[test]
    fn title_is_guessed_from_heading_or_first_line() {
        assert_eq!(
            guess_title("\n\n# Steel talks resume\n\nBody").as_deref(),
            Some("Steel talks resume")
        );
        assert_eq!(
            guess_title("  First line  \nSecond").as_deref(),
            Some("First line")
        );
        assert_eq!(guess_title(" \n\t\n"), None);
        let long = "word ".repeat(40);
        let title = guess_title(&long).unwrap();
        assert!(title.ends_with('…') && char_len(&title) <= 121, "{title}");
    }
}

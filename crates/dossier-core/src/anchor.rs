//! Anchors: how an excerpt finds its place in a source — the exact quote, up to 32 code points
//! of context on each side, and start/end offsets in code points of the stored body.
//!
//! A quote that occurs several times is never placed by guess: the caller must say which
//! occurrence (1-based, counted left to right without overlaps).

use serde::{Deserialize, Serialize};
use thiserror::Error;
use ts_rs::TS;

use crate::text::{char_len, is_blank, normalize_fragment, slice_chars};

/// Code points of context kept before and after a quote.
pub const CONTEXT_CHARS: usize = 32;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Anchor {
    pub quote: String,
    pub prefix: String,
    pub suffix: String,
    pub start: usize,
    pub end: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum AnchorError {
    #[error("the quote is empty")]
    EmptyQuote,
    #[error("the quote \"{quote}\" does not occur in the source's text")]
    QuoteAbsent { quote: String },
    #[error(
        "the quote \"{quote}\" occurs {count} times in the source; say which one with an occurrence number (1 to {count})"
    )]
    QuoteAmbiguous { quote: String, count: usize },
    #[error("occurrence {occurrence} asked for, but the quote occurs {count} time(s)")]
    OccurrenceOutOfRange { occurrence: usize, count: usize },
    #[error("the range {start}..{end} is not inside the source's text ({len} characters)")]
    RangeOutside {
        start: usize,
        end: usize,
        len: usize,
    },
    #[error("the range {start}..{end} is empty or reversed")]
    RangeEmpty { start: usize, end: usize },
    #[error("the selected range {start}..{end} holds only whitespace")]
    RangeBlank { start: usize, end: usize },
}

impl Anchor {
    /// Builds the anchor of `body[start..end]` (code points).
    pub fn from_range(body: &str, start: usize, end: usize) -> Result<Anchor, AnchorError> {
        if start >= end {
            return Err(AnchorError::RangeEmpty { start, end });
        }
        let len = char_len(body);
        let quote =
            slice_chars(body, start, end).ok_or(AnchorError::RangeOutside { start, end, len })?;
        if is_blank(quote) {
            return Err(AnchorError::RangeBlank { start, end });
        }
        let prefix_start = start.saturating_sub(CONTEXT_CHARS);
        let suffix_end = (end + CONTEXT_CHARS).min(len);
        Ok(Anchor {
            quote: quote.to_string(),
            prefix: slice_chars(body, prefix_start, start)
                .unwrap_or_default()
                .to_string(),
            suffix: slice_chars(body, end, suffix_end)
                .unwrap_or_default()
                .to_string(),
            start,
            end,
        })
    }

    /// Finds `quote` in `body`. `occurrence` (1-based) is required when the quote occurs more
    /// than once.
    pub fn locate(
        body: &str,
        quote: &str,
        occurrence: Option<usize>,
    ) -> Result<Anchor, AnchorError> {
        let quote = normalize_fragment(quote);
        if quote.is_empty() || is_blank(&quote) {
            return Err(AnchorError::EmptyQuote);
        }
        let matches: Vec<usize> = body.match_indices(quote.as_str()).map(|(b, _)| b).collect();
        let count = matches.len();
        let byte_start = match (count, occurrence) {
            (0, _) => return Err(AnchorError::QuoteAbsent { quote }),
            (_, Some(n)) if n == 0 || n > count => {
                return Err(AnchorError::OccurrenceOutOfRange {
                    occurrence: n,
                    count,
                });
            }
            (_, Some(n)) => matches[n - 1],
            (1, None) => matches[0],
            (_, None) => return Err(AnchorError::QuoteAmbiguous { quote, count }),
        };
        let start = char_len(&body[..byte_start]);
        Anchor::from_range(body, start, start + char_len(&quote))
    }

    /// True when the anchor still points at its quote in `body`.
    pub fn holds_in(&self, body: &str) -> bool {
        slice_chars(body, self.start, self.end) == Some(self.quote.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    const MIXED: &str =
        "Intro 😀 Le règlement sur l’acier 中文 مرحبا بالعالم — fin. Le règlement revient.";

    #[rstest]
    #[case::ascii("Intro")]
    #[case::after_emoji("Le règlement sur l’acier")]
    #[case::cjk("中文")]
    #[case::rtl("مرحبا بالعالم")]
    #[case::across_scripts("😀 Le")]
    fn located_quote_is_exactly_the_body_slice(#[case] quote: &str) {
        let a = Anchor::locate(MIXED, quote, None).unwrap();
        assert_eq!(
            slice_chars(MIXED, a.start, a.end),
            Some(quote),
            "offsets must count code points"
        );
        assert!(a.holds_in(MIXED));
        assert_eq!(a.end - a.start, quote.chars().count());
    }

    #[test]
    fn context_is_bounded_to_32_code_points() {
        let body = format!("{}QUOTE{}", "é".repeat(50), "😀".repeat(50));
        let a = Anchor::locate(&body, "QUOTE", None).unwrap();
        assert_eq!(a.prefix, "é".repeat(32));
        assert_eq!(a.suffix, "😀".repeat(32));
        assert_eq!(a.start, 50);
    }

    #[test]
    fn repeated_quote_needs_an_occurrence() {
        let err = Anchor::locate(MIXED, "Le règlement", None).unwrap_err();
        assert_eq!(
            err,
            AnchorError::QuoteAmbiguous {
                quote: "Le règlement".into(),
                count: 2
            }
        );
        let second = Anchor::locate(MIXED, "Le règlement", Some(2)).unwrap();
        let first = Anchor::locate(MIXED, "Le règlement", Some(1)).unwrap();
        assert!(second.start > first.start);
        assert_eq!(
            Anchor::locate(MIXED, "Le règlement", Some(3)).unwrap_err(),
            AnchorError::OccurrenceOutOfRange {
                occurrence: 3,
                count: 2
            }
        );
    }

    #[test]
    fn decomposed_quote_matches_composed_body() {
        let a = Anchor::locate(MIXED, "re\u{300}glement sur", None).unwrap();
        assert_eq!(a.quote, "règlement sur");
    }

    #[rstest]
    #[case::absent(Anchor::locate(MIXED, "aluminium", None))]
    #[case::empty(Anchor::locate(MIXED, "  ", None))]
    #[case::outside(Anchor::from_range(MIXED, 5, 10_000))]
    #[case::reversed(Anchor::from_range(MIXED, 5, 5))]
    fn bad_anchors_are_refused(#[case] result: Result<Anchor, AnchorError>) {
        assert!(result.is_err());
    }
}

//! Tag paths such as `sector/steel`: lowercase segments joined by `/`.
//!
//! Segments hold letters, digits, `-`, `_` and `.` only — no spaces — so that a path can be typed
//! in a search query (`tag:sector/critical-minerals`) without quoting. Labels carry the prose.

use std::fmt;

use serde::{Deserialize, Serialize};
use thiserror::Error;
use unicode_normalization::UnicodeNormalization;

pub const MAX_DEPTH: usize = 8;
pub const MAX_SEGMENT_CHARS: usize = 64;

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct TagPath(String);

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum TagPathError {
    #[error("a tag path cannot be empty")]
    Empty,
    #[error(
        "the tag path \"{0}\" has an empty part; write parts separated by single slashes, like sector/steel"
    )]
    EmptySegment(String),
    #[error(
        "the tag path \"{path}\" contains \"{ch}\"; use letters, digits, '-', '_' or '.' (for example sector/critical-minerals)"
    )]
    BadCharacter { path: String, ch: char },
    #[error("the tag path \"{0}\" is too deep (at most {MAX_DEPTH} levels)")]
    TooDeep(String),
    #[error("a part of the tag path \"{0}\" is longer than {MAX_SEGMENT_CHARS} characters")]
    SegmentTooLong(String),
}

impl TagPath {
    pub fn parse(input: &str) -> Result<TagPath, TagPathError> {
        let trimmed = input.trim().trim_start_matches('#');
        if trimmed.is_empty() {
            return Err(TagPathError::Empty);
        }
        let lowered: String = trimmed.nfc().flat_map(char::to_lowercase).collect();
        let segments: Vec<&str> = lowered.split('/').collect();
        if segments.len() > MAX_DEPTH {
            return Err(TagPathError::TooDeep(input.to_string()));
        }
        for seg in &segments {
            if seg.is_empty() {
                return Err(TagPathError::EmptySegment(input.to_string()));
            }
            if seg.chars().count() > MAX_SEGMENT_CHARS {
                return Err(TagPathError::SegmentTooLong(input.to_string()));
            }
            if let Some(ch) = seg
                .chars()
                .find(|c| !(c.is_alphanumeric() || matches!(c, '-' | '_' | '.')))
            {
                return Err(TagPathError::BadCharacter {
                    path: input.to_string(),
                    ch,
                });
            }
        }
        Ok(TagPath(lowered))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn parent(&self) -> Option<TagPath> {
        self.0
            .rsplit_once('/')
            .map(|(head, _)| TagPath(head.to_string()))
    }

    /// Every ancestor, root first, not including the path itself.
    pub fn ancestors(&self) -> Vec<TagPath> {
        let mut out = Vec::new();
        let mut cur = self.parent();
        while let Some(p) = cur {
            cur = p.parent();
            out.push(p);
        }
        out.reverse();
        out
    }

    pub fn last_segment(&self) -> &str {
        self.0.rsplit('/').next().unwrap_or(&self.0)
    }

    /// True when `self` is `other` or lies under it.
    pub fn is_within(&self, other: &TagPath) -> bool {
        self.0 == other.0
            || (self.0.starts_with(&other.0) && self.0.as_bytes().get(other.0.len()) == Some(&b'/'))
    }

    /// `self` moved from under `from` to under `to` (`sector/autos/parts`, from `sector/autos`,
    /// to `sector/automotive` → `sector/automotive/parts`). `None` when `self` is not within `from`.
    pub fn rebase(&self, from: &TagPath, to: &TagPath) -> Option<TagPath> {
        if !self.is_within(from) {
            return None;
        }
        Some(TagPath(format!("{}{}", to.0, &self.0[from.0.len()..])))
    }

    /// A readable default label: the last segment with `-`/`_` as spaces, first letter upper.
    pub fn default_label(&self) -> String {
        let words = self.last_segment().replace(['-', '_'], " ");
        let mut chars = words.chars();
        match chars.next() {
            Some(first) => first.to_uppercase().chain(chars).collect(),
            None => words,
        }
    }
}

impl fmt::Display for TagPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for TagPath {
    type Error = TagPathError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        TagPath::parse(&value)
    }
}

impl From<TagPath> for String {
    fn from(value: TagPath) -> Self {
        value.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    #[rstest]
    #[case("sector/steel", "sector/steel")]
    #[case(" Sector/Steel ", "sector/steel")]
    #[case("#actor/canada", "actor/canada")]
    #[case("sector/énergie", "sector/énergie")]
    #[case("instrument/cusma-review", "instrument/cusma-review")]
    fn valid_paths(#[case] input: &str, #[case] expected: &str) {
        assert_eq!(TagPath::parse(input).unwrap().as_str(), expected);
    }

    #[rstest]
    #[case("")]
    #[case("/steel")]
    #[case("sector//steel")]
    #[case("sector/steel/")]
    #[case("sector/soft wood")]
    #[case("sector:steel")]
    #[case("a/b/c/d/e/f/g/h/i")]
    fn invalid_paths(#[case] input: &str) {
        assert!(
            TagPath::parse(input).is_err(),
            "{input:?} should be refused"
        );
    }

    #[test]
    fn hierarchy_helpers() {
        let p = TagPath::parse("sector/autos/parts").unwrap();
        let autos = TagPath::parse("sector/autos").unwrap();
        let auto = TagPath::parse("sector/auto").unwrap();
        assert!(p.is_within(&autos));
        assert!(
            !autos.is_within(&auto),
            "a prefix of a segment is not a parent"
        );
        let moved = p
            .rebase(&autos, &TagPath::parse("sector/automotive").unwrap())
            .unwrap();
        assert_eq!(moved.as_str(), "sector/automotive/parts");
        assert_eq!(
            p.ancestors()
                .iter()
                .map(TagPath::as_str)
                .collect::<Vec<_>>(),
            ["sector", "sector/autos"]
        );
        assert_eq!(
            TagPath::parse("instrument/cusma-review")
                .unwrap()
                .default_label(),
            "Cusma review"
        );
    }
}

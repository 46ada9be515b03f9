//! Near-duplicate texts: the same story carried by several outlets (another headline and
//! dateline, a credit line, the end trimmed, house spelling, a "related" line inserted), or the
//! same page captured twice with different boilerplate.
//!
//! A text becomes the set of its [`SHINGLE`]-word shingles, over words folded as tag lookups fold
//! them (accents, case, ligatures) plus a few house-spelling rules (`colour`/`color`,
//! `centre`/`center`, `organise`/`organize`). A MinHash signature of [`HASHES`] values estimates
//! the Jaccard similarity of two sets; cut into [`BANDS`] bands of [`ROWS`] values, each band
//! hashed to one key, two texts sharing any key become candidates (locality-sensitive hashing).
//! The store indexes the keys, so finding candidates for a new text is one indexed query
//! whatever the workspace's size.
//!
//! The decision a reader may question: a candidate is *confirmed* on the true sets, not on the
//! estimate, and by containment (the share of the shorter text's shingles found in the other)
//! rather than Jaccard, because a trimmed copy keeps most of what it has while losing much of
//! what the original had. Two guards keep containment honest: the shorter text must be at least
//! [`MIN_RATIO`] of the longer (a paragraph quoted inside a long analysis is not the same
//! story), and both must have [`MIN_SHINGLES`] shingles (three-line notes are never copies).
//! Banding with 2 rows finds a pair whose Jaccard is 0.35 in 99% of cases; copies that keep 70%
//! of the words are above 0.4.

use crate::fold::fold;

/// Words per shingle.
pub const SHINGLE: usize = 4;
/// MinHash values per signature.
pub const HASHES: usize = BANDS * ROWS;
/// Bands in the LSH index, each one key per source.
pub const BANDS: usize = 40;
/// Values per band.
pub const ROWS: usize = 2;
/// Containment from which two texts are the same story. On the bench (`make bench-stories`:
/// real prose, copies keeping 70–95% of the words with headers, footers, datelines, credits,
/// related lines and house spelling) true copies are all above 0.74 and other passages all
/// below 0.52: the line sits where a wrong pair costs the most margin, since a wrong pair is
/// worse than a missed one.
pub const THRESHOLD: f64 = 0.6;
/// The shorter text's share of the longer's shingles below which they are never copies.
pub const MIN_RATIO: f64 = 0.3;
/// Texts with fewer shingles than this are never grouped.
pub const MIN_SHINGLES: usize = 12;

/// The words of a text, folded and with house spelling evened out.
pub fn words(text: &str) -> Vec<String> {
    let folded = fold(text);
    let mut out: Vec<String> = Vec::new();
    for w in folded
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        // "per cent" and "percent" are one word.
        if w == "cent" && out.last().is_some_and(|p| p == "per") {
            out.pop();
            out.push("percent".into());
            continue;
        }
        out.push(house_spelling(w));
    }
    out
}

/// British, Canadian and American spellings of the same word, made one. Applied to both sides
/// of every comparison, so a rule that also changes some unrelated word costs nothing.
fn house_spelling(w: &str) -> String {
    let n = w.chars().count();
    if n > 4 {
        if let Some(stem) = w.strip_suffix("our") {
            return format!("{stem}or");
        }
        if let Some(stem) = w.strip_suffix("tre") {
            return format!("{stem}ter");
        }
        if let Some(stem) = w.strip_suffix("programme") {
            return format!("{stem}program");
        }
        for (from, to) in [
            ("isation", "ization"),
            ("ising", "izing"),
            ("ised", "ized"),
            ("ises", "izes"),
            ("ise", "ize"),
            ("yse", "yze"),
            ("ysed", "yzed"),
            ("ogue", "og"),
            ("elled", "eled"),
            ("elling", "eling"),
            ("ence", "ense"),
        ] {
            if let Some(stem) = w.strip_suffix(from)
                && stem.chars().count() >= 3
            {
                return format!("{stem}{to}");
            }
        }
    }
    w.to_string()
}

/// FNV-1a, fixed for good: shingle hashes are stored in workspaces.
fn fnv(bytes: &[u8], mut h: u64) -> u64 {
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

/// SplitMix64's finaliser: a fixed, well-mixed permutation of 64-bit values.
fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// The text's shingles as sorted, distinct 64-bit hashes.
pub fn shingles(text: &str) -> Vec<u64> {
    let words = words(text);
    let hashes: Vec<u64> = words
        .iter()
        .map(|w| fnv(w.as_bytes(), 0xcbf2_9ce4_8422_2325))
        .collect();
    let mut out: Vec<u64> = if hashes.len() < SHINGLE {
        Vec::new()
    } else {
        hashes
            .windows(SHINGLE)
            .map(|win| {
                win.iter()
                    .fold(0x9e37_79b9_7f4a_7c15u64, |h, w| mix(h ^ *w).rotate_left(5))
            })
            .collect()
    };
    out.sort_unstable();
    out.dedup();
    out
}

/// The MinHash signature of a shingle set; `None` when it is too small to be compared.
pub fn signature(shingles: &[u64]) -> Option<Vec<u64>> {
    if shingles.len() < MIN_SHINGLES {
        return None;
    }
    let seeds: Vec<u64> = (0..HASHES as u64)
        .map(|i| mix(i.wrapping_add(0x5851_f42d_4c95_7f2d)))
        .collect();
    let mut sig = vec![u64::MAX; HASHES];
    for &s in shingles {
        for (slot, seed) in sig.iter_mut().zip(&seeds) {
            let v = mix(s ^ seed);
            if v < *slot {
                *slot = v;
            }
        }
    }
    Some(sig)
}

/// One key per band: texts sharing a key are candidates. Keys of different bands never
/// collide by construction of the hash (the band number is mixed in).
pub fn band_keys(signature: &[u64]) -> Vec<i64> {
    signature
        .chunks(ROWS)
        .enumerate()
        .map(|(band, rows)| {
            let h = rows
                .iter()
                .fold(mix(band as u64 + 1), |h, v| mix(h ^ *v).rotate_left(17));
            h as i64
        })
        .collect()
}

/// How many values two sorted sets share.
fn shared(a: &[u64], b: &[u64]) -> usize {
    let (mut i, mut j, mut n) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                n += 1;
                i += 1;
                j += 1;
            }
        }
    }
    n
}

/// The similarity of two texts' shingle sets (sorted, distinct): the share of the smaller set
/// found in the larger one, or 0 when they are too small or too unequal to be copies.
pub fn similarity(a: &[u64], b: &[u64]) -> f64 {
    let (small, large) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    if small.len() < MIN_SHINGLES || (small.len() as f64) < MIN_RATIO * large.len() as f64 {
        return 0.0;
    }
    shared(small, large) as f64 / small.len() as f64
}

/// Whether two shingle sets are the same story.
pub fn same_story(a: &[u64], b: &[u64]) -> bool {
    similarity(a, b) >= THRESHOLD
}

/// The Jaccard similarity a pair of signatures estimates.
pub fn estimate(a: &[u64], b: &[u64]) -> f64 {
    let same = a.iter().zip(b).filter(|(x, y)| x == y).count();
    same as f64 / a.len().max(1) as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "Ottawa will lower the duty on imported steel beams from next month, the finance \
        minister said on Tuesday, after talks with producers in Hamilton and Sault Ste. Marie. \
        The measure follows a year of complaints from builders about the price of structural \
        steel, which rose by nearly a third. Producers warned that cheaper imports could cost \
        jobs in the mills, and the union asked for a review in six months. The minister said the \
        government would watch prices closely and act again if the market turned. Officials \
        expect the change to lower the cost of a mid-size warehouse by about two per cent.";

    #[test]
    fn folds_case_accents_and_house_spelling() {
        assert_eq!(
            words("Le Règlement — COLOUR, centre"),
            ["le", "reglement", "color", "center"]
        );
        assert_eq!(words("two per cent"), ["two", "percent"]);
        assert_eq!(words("organised labour"), words("organized labor"));
        assert_eq!(
            shingles("The Colour of the Centre stage"),
            shingles("the color of the center STAGE")
        );
    }

    #[test]
    fn a_copy_with_another_headline_and_credit_is_the_same_story() {
        let copy = format!(
            "Steel duty to fall next month\nHAMILTON — {}\nWith files from The Wire Service",
            TEXT.replace("two per cent", "two percent")
        );
        let (a, b) = (shingles(TEXT), shingles(&copy));
        assert!(similarity(&a, &b) > 0.9, "{}", similarity(&a, &b));
        assert!(same_story(&a, &b));
    }

    #[test]
    fn a_trimmed_copy_is_the_same_story_and_a_small_quote_is_not() {
        let cut = &TEXT[..TEXT.len() * 7 / 10];
        assert!(same_story(&shingles(TEXT), &shingles(cut)));
        let quote = &TEXT[..120];
        assert!(!same_story(&shingles(TEXT), &shingles(quote)));
    }

    #[test]
    fn another_article_on_the_subject_is_not() {
        let other = "Builders in Hamilton welcomed the lower duty on imported steel beams, saying \
            the price of structural steel had held back projects for a year. The finance minister \
            met producers on Tuesday. Union leaders said they would ask for a review in six months \
            and warned about jobs in the mills. A developer said a warehouse would now cost less.";
        let (a, b) = (shingles(TEXT), shingles(other));
        assert!(similarity(&a, &b) < 0.2, "{}", similarity(&a, &b));
    }

    #[test]
    fn signatures_estimate_jaccard_and_share_band_keys_when_close() {
        let a = shingles(TEXT);
        let b = shingles(&format!("{TEXT} Related: steel quotas explained."));
        let (sa, sb) = (signature(&a).unwrap(), signature(&b).unwrap());
        assert!(estimate(&sa, &sb) > 0.7);
        let (ka, kb) = (band_keys(&sa), band_keys(&sb));
        assert_eq!(ka.len(), BANDS);
        assert!(ka.iter().zip(&kb).filter(|(x, y)| x == y).count() > BANDS / 2);
        assert!(signature(&shingles("too short to compare")).is_none());
    }
}

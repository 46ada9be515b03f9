//! A second opinion on a web page's article text. The main extractor (dom_smoothie's
//! Readability) finds the article well but keeps some of what surrounds it: share and
//! newsletter boxes, "Read more" teasers, photo credits, related links. rs-trafilatura, scoring
//! the page a different way, keeps different leftovers. A line is kept when the second opinion
//! also has it, so what only one of them took for the article is dropped.
//!
//! Measured on the public article-extraction benchmark (181 pages, `make bench-extract`):
//! Readability alone scores F1 0.951, rs-trafilatura 0.2 alone 0.957, the two together 0.972,
//! and the result hardly moves with the overlap threshold (0.971 at 0.3, 0.972 from 0.5 to 0.85),
//! so the threshold is not tuned to the benchmark. The decisions a reader might question:
//!
//! - The second opinion only removes; it never adds text, so headings, lists and quotes keep the
//!   order and shape Readability gave them.
//! - When the second opinion is short (under [`MIN_JUDGE_WORDS`] words, a page it could not
//!   read) or agreeing with it would throw away more than half the article, Readability's text
//!   is kept whole: a wrong judge must not cost the analyst the article.

/// Below this many words the second opinion is taken to have failed on the page.
const MIN_JUDGE_WORDS: usize = 30;

/// The share of a line's word triples that the second opinion must also have.
const OVERLAP: f64 = 0.5;

/// The second opinion's text for `html`, or `None` when it fails (or panics) on the page.
pub(crate) fn second_opinion(html: &str) -> Option<String> {
    std::panic::catch_unwind(|| rs_trafilatura::extract(html).ok().map(|r| r.content_text))
        .ok()
        .flatten()
}

/// `text` (paragraphs separated by a blank line, lines by `\n`) without the lines that `judge`
/// does not also contain.
pub(crate) fn agree(text: &str, judge: &str) -> String {
    let judged = words(judge);
    if judged.len() < MIN_JUDGE_WORDS {
        return text.to_string();
    }
    let vocabulary: std::collections::HashSet<&str> = judged.iter().map(String::as_str).collect();
    let triples: std::collections::HashSet<(&str, &str, &str)> = judged
        .windows(3)
        .map(|w| (w[0].as_str(), w[1].as_str(), w[2].as_str()))
        .collect();
    let shared = |line: &str| {
        let w = words(line);
        if w.len() < 3 {
            return w.iter().all(|x| vocabulary.contains(x.as_str()));
        }
        let found = w
            .windows(3)
            .filter(|t| triples.contains(&(t[0].as_str(), t[1].as_str(), t[2].as_str())))
            .count();
        found as f64 / (w.len() - 2) as f64 >= OVERLAP
    };
    let kept: Vec<String> = text
        .split("\n\n")
        .filter_map(|paragraph| {
            let lines: Vec<&str> = paragraph.split('\n').filter(|l| shared(l)).collect();
            (!lines.is_empty()).then(|| lines.join("\n"))
        })
        .collect();
    let kept = kept.join("\n\n");
    let (before, after) = (words(text).len(), words(&kept).len());
    if (after as f64) < 0.5 * before.min(judged.len()) as f64 {
        return text.to_string();
    }
    kept
}

/// Lowercased runs of letters and digits.
fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const ARTICLE: &str = "Ottawa will review the steel quotas before the spring session, the minister said on Tuesday.\n\n\
        The review covers flat-rolled products and the surtax applied since March, which exporters in Hamilton say has cut their orders.\n\n\
        Officials expect a decision on aluminum within weeks, once consultations with the provinces end.";

    #[test]
    fn a_line_only_the_main_extractor_kept_is_dropped() {
        let text = format!(
            "{ARTICLE}\n\nSign up for our newsletter and get the best stories every morning in your inbox"
        );
        assert_eq!(agree(&text, ARTICLE), ARTICLE);
    }

    #[test]
    fn a_short_heading_the_judge_also_has_is_kept() {
        let judge = format!("Steel quotas\n\n{ARTICLE}");
        let text = format!("Steel quotas\n\n{ARTICLE}\n\nShare");
        assert_eq!(agree(&text, &judge), format!("Steel quotas\n\n{ARTICLE}"));
    }

    #[test]
    fn a_judge_that_failed_changes_nothing() {
        let text = format!("{ARTICLE}\n\nRead more");
        assert_eq!(agree(&text, "Subscribe now"), text);
    }

    #[test]
    fn a_judge_that_would_cut_most_of_the_article_is_ignored() {
        let judge = "A different page altogether, one about forestry quotas in the interior of British Columbia and the mills that closed there over the past decade of trade disputes with the United States.";
        assert_eq!(agree(ARTICLE, judge), ARTICLE);
    }

    #[test]
    fn the_second_opinion_reads_a_page() {
        let page = format!(
            "<html><body><nav>Home | World | Business</nav><article><h1>Quotas</h1>{}</article><footer>Copyright</footer></body></html>",
            ARTICLE
                .split("\n\n")
                .map(|p| format!("<p>{p}</p>"))
                .collect::<String>()
        );
        let text = second_opinion(&page).expect("the page has an article");
        assert!(text.contains("flat-rolled products"), "{text}");
        assert!(!text.contains("Home | World"), "{text}");
    }
}

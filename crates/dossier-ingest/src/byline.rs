//! Who wrote a web page. A page names its authors in several places that often disagree: the
//! JSON-LD and meta tags (frequently the wire agency that syndicated the story, or a name from
//! another scope of the page), and the visible byline under the headline ("Par Sébastien
//! Farcis", "By Jane Smith, The Canadian Press"). The rules, in order:
//!
//! 1. A person beats a credit: a name that is an agency or organisation ("AFP", "The Canadian
//!    Press", "Staff", the outlet itself) is kept only when no source names a person.
//! 2. The visible byline nearest the headline beats the metadata, and a byline element beats a
//!    name found anywhere else (related stories, photo credits and comments are never read).
//! 3. Within a source, the names keep their order; a credit alone on a story stays its author.

use dossier_core::text::bare_name as bare;
use std::collections::HashSet;

use dom_query::{Document as Dom, NodeId, NodeRef};

/// How a name reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// Two to five capitalised words: a person.
    Person,
    /// An agency, a newsroom or the outlet itself.
    Credit,
    /// A single word or something else that is not clearly either ("admin", "Jeanne").
    Other,
    /// Not a name: a date, a role, a sentence.
    Junk,
}

/// Wire agencies and syndication credits, compared by [`bare`] form (lower case, no leading
/// article, no punctuation).
const AGENCIES: &[&str] = &[
    "afp",
    "agence france presse",
    "ap",
    "associated press",
    "ap news",
    "cp",
    "pc",
    "canadian press",
    "presse canadienne",
    "reuters",
    "thomson reuters",
    "bloomberg",
    "upi",
    "united press international",
    "dpa",
    "efe",
    "ansa",
    "anp",
    "apa",
    "ats",
    "ats sda",
    "keystone ats",
    "sda",
    "belga",
    "tass",
    "itar tass",
    "ria novosti",
    "xinhua",
    "kyodo",
    "yonhap",
    "anadolu",
    "aap",
    "pa",
    "pa media",
    "qmi",
    "agence qmi",
    "relaxnews",
    "afp relaxnews",
    "epa",
    "getty images",
];

/// Words no person's name holds but organisations' names do.
const ORG_WORDS: &[&str] = &[
    "press",
    "presse",
    "agence",
    "agency",
    "associated",
    "news",
    "newswire",
    "wire",
    "wires",
    "staff",
    "rédaction",
    "redaction",
    "newsroom",
    "desk",
    "service",
    "services",
    "media",
    "médias",
    "medias",
    "inc",
    "ltd",
    "llc",
    "group",
    "groupe",
    "team",
    "équipe",
    "equipe",
    "editors",
    "editorial",
    "éditorial",
    "radio",
    "tv",
    "television",
    "télévision",
    "broadcasting",
    "corporation",
    "magazine",
    "journal",
    "blog",
    "online",
    "network",
];

/// Words after which a byline stops naming people: roles, dates, page furniture.
const STOP_WORDS: &[&str] = &[
    "updated",
    "update",
    "published",
    "posted",
    "publié",
    "publiée",
    "mis",
    "mise",
    "modifié",
    "reporter",
    "correspondent",
    "correspondant",
    "correspondante",
    "journaliste",
    "journalist",
    "columnist",
    "chroniqueur",
    "chroniqueuse",
    "contributor",
    "writer",
    "editor",
    "senior",
    "special",
    "spécial",
    "envoyé",
    "envoyée",
    "photo",
    "photos",
    "photographer",
    "photographe",
    "illustration",
    "read",
    "follow",
    "share",
    "minutes",
    "min",
    "ago",
];

/// Lower-case words that belong inside names: "Anne de la Tour", "Jan van Dijk".
const PARTICLES: &[&str] = &[
    "de", "du", "des", "d'", "da", "das", "do", "dos", "di", "del", "della", "van", "von", "der",
    "den", "ter", "la", "le", "y", "e", "bin", "ibn", "al", "el", "st",
];

/// What follows "By", "By:", "Par", "Par :" at the start of `text`, or `None` when it does not
/// start so ("Byron", "Paris" do not).
pub(crate) fn after_by(text: &str) -> Option<&str> {
    let t = text.trim_start();
    let head: String = t.chars().take(3).collect::<String>().to_lowercase();
    let len = if head.starts_with("by") {
        2
    } else if head == "par" {
        3
    } else {
        return None;
    };
    let rest = &t[len..];
    match rest.chars().next() {
        None => Some(""),
        Some(c) if c.is_whitespace() || c == ':' => {
            Some(rest.trim_start_matches(|c: char| c.is_whitespace() || c == ':'))
        }
        _ => None,
    }
}

fn is_credit_bare(b: &str, outlet: Option<&str>) -> bool {
    if b.is_empty() {
        return false;
    }
    AGENCIES.contains(&b)
        || outlet.is_some_and(|o| bare(o) == b)
        || b.split(' ').any(|w| ORG_WORDS.contains(&w))
}

/// Whether `name` is an agency, a newsroom or the outlet rather than a person.
pub(crate) fn is_credit(name: &str, outlet: Option<&str>) -> bool {
    let first = name.split_whitespace().next().unwrap_or("");
    first.eq_ignore_ascii_case("the") || is_credit_bare(&bare(name), outlet) || is_acronym(name)
}

/// "AFP", "CP": one word of two to six capitals.
fn is_acronym(word: &str) -> bool {
    let n = word.chars().count();
    (2..=6).contains(&n) && word.chars().all(|c| c.is_uppercase())
}

fn is_name_word(w: &str) -> bool {
    let lower = w.to_lowercase();
    if PARTICLES.contains(&lower.as_str()) {
        return true;
    }
    w.chars().next().is_some_and(char::is_uppercase)
        && w.chars()
            .all(|c| c.is_alphabetic() || matches!(c, '-' | '\'' | '’' | '.'))
}

/// How `name` reads, with `outlet` counted as a credit.
pub(crate) fn kind(name: &str, outlet: Option<&str>) -> Kind {
    let lower = name.to_lowercase();
    if name.is_empty()
        || name.chars().count() > 60
        || name.chars().any(|c| c.is_ascii_digit() || c == '@')
        || lower.contains("http")
        || lower.contains("www.")
        || after_by(name) == Some("")
    {
        return Kind::Junk;
    }
    if is_credit(name, outlet) {
        return Kind::Credit;
    }
    let words: Vec<&str> = name.split_whitespace().collect();
    if words
        .iter()
        .any(|w| STOP_WORDS.contains(&w.to_lowercase().as_str()))
    {
        return Kind::Junk;
    }
    if words.len() == 1 {
        return Kind::Other;
    }
    if words.len() <= 5
        && words.iter().all(|w| is_name_word(w))
        && words
            .iter()
            .any(|w| w.chars().next().is_some_and(char::is_uppercase))
    {
        Kind::Person
    } else {
        Kind::Junk
    }
}

/// Splits a part of a byline that runs a name and a credit together ("Jane Smith The Canadian
/// Press", "Jane Smith AFP"), and cuts what follows a name ("Jane Smith Updated 3 hours ago").
fn untangle(part: &str, outlet: Option<&str>) -> Vec<String> {
    let words: Vec<&str> = part.split_whitespace().collect();
    // Cut at the first word that cannot continue a name: a role, a date, a lower-case word.
    let end = words
        .iter()
        .enumerate()
        .position(|(i, w)| {
            let lower = w.to_lowercase();
            i >= 2
                && (STOP_WORDS.contains(&lower.as_str())
                    || w.chars().any(|c| c.is_ascii_digit())
                    || (!PARTICLES.contains(&lower.as_str())
                        && w.chars().next().is_some_and(char::is_lowercase)))
        })
        .unwrap_or(words.len());
    let words = &words[..end];
    let head_all_caps = |head: &[&str]| head.iter().all(|w| !w.chars().any(char::is_lowercase));
    for i in 2..words.len() {
        let (head, tail) = words.split_at(i);
        let tail_text = tail.join(" ");
        let tail_bare = bare(&tail_text);
        let first = tail[0].to_lowercase();
        let splits = AGENCIES.contains(&tail_bare.as_str())
            || outlet.is_some_and(|o| bare(o) == tail_bare)
            || (matches!(first.as_str(), "the" | "la" | "le" | "l'")
                && is_credit(&tail_text, outlet))
            || first == "the"
            || (is_acronym(tail[0]) && !head_all_caps(head));
        if splits && head.iter().all(|w| is_name_word(w)) {
            return vec![head.join(" "), tail_text];
        }
    }
    vec![words.join(" ")]
}

/// Whether the first part of a byline runs on as a sentence: a lower-case word (not a particle
/// of a name, not a role or a date that ends the name) before anything else ends it.
fn reads_as_sentence(rest: &str) -> bool {
    rest.split([',', ';', '|', '/', '·', '•', '(', ')'])
        .next()
        .unwrap_or("")
        .split_whitespace()
        .take_while(|w| {
            let lower = w.to_lowercase();
            !STOP_WORDS.contains(&lower.as_str()) && !w.chars().any(|c| c.is_ascii_digit())
        })
        .any(|w| {
            let lower = w.to_lowercase();
            w.chars().next().is_some_and(char::is_lowercase)
                && !PARTICLES.contains(&lower.as_str())
                && !matches!(lower.as_str(), "and" | "et" | "with" | "avec")
        })
}

/// The names in a byline, each part stripped of "By"/"Par" and of what follows the name.
pub(crate) fn names(byline: &str, outlet: Option<&str>) -> Vec<String> {
    let flat = byline.split_whitespace().collect::<Vec<_>>().join(" ");
    let lower = flat.to_lowercase();
    let flat = ["with files from ", "avec des informations de ", "d'après "]
        .iter()
        .find_map(|p| lower.starts_with(p).then(|| &flat[p.len()..]))
        .unwrap_or(&flat);
    crate::html::split_names(flat)
        .iter()
        .flat_map(|part| {
            let part = after_by(part).unwrap_or(part);
            untangle(part, outlet)
        })
        .map(|n| {
            n.trim_end_matches(['.', ':', '-', '—', '–'])
                .trim()
                .to_string()
        })
        .filter(|n| !n.is_empty())
        .collect()
}

/// The authors, from the sources in the order they are trusted: the persons of the first
/// source that names one; failing that, the credits of the first that has one; failing that,
/// whatever the first non-empty source says. A person the visible byline writes in capitals or
/// without accents takes the spelling a later source gives the same name.
pub(crate) fn choose(sources: &[Vec<String>], outlet: Option<&str>) -> Vec<String> {
    let pick = |wanted: Kind| {
        sources.iter().find_map(|names| {
            let mut found: Vec<String> = Vec::new();
            for n in names {
                if kind(n, outlet) == wanted && !found.iter().any(|f| bare(f) == bare(n)) {
                    found.push(n.clone());
                }
            }
            (!found.is_empty()).then_some(found)
        })
    };
    let spelled = |n: String| {
        if n.chars().any(char::is_lowercase) {
            return n;
        }
        let b = dossier_core::fold(&bare(&n));
        sources
            .iter()
            .flatten()
            .find(|m| m.chars().any(char::is_lowercase) && dossier_core::fold(&bare(m)) == b)
            .cloned()
            .unwrap_or(n)
    };
    if let Some(persons) = pick(Kind::Person) {
        return persons.into_iter().map(spelled).collect();
    }
    pick(Kind::Credit)
        .or_else(|| pick(Kind::Other))
        .unwrap_or_default()
}

/// A byline found in the page: its text as shown, and the names in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Visible {
    pub text: String,
    pub names: Vec<String>,
}

/// Class or id fragments of containers whose names are not the article's authors.
const ELSEWHERE: &[&str] = &[
    "related",
    "recommend",
    "sidebar",
    "comment",
    "caption",
    "credit",
    "photo",
    "promo",
    "teaser",
    "newsletter",
    "trending",
    "popular",
    "most-read",
    "mostread",
    "outbrain",
    "taboola",
    "sponsor",
    "footer",
    "widget",
    "read-more",
    "readmore",
    "more-from",
    "morefrom",
    "next-article",
    "share",
    "social",
];

/// Elements whose names are not the article's authors.
const ELSEWHERE_TAGS: &[&str] = &[
    "aside",
    "nav",
    "footer",
    "figure",
    "figcaption",
    "form",
    "button",
    "select",
    "blockquote",
];

/// Markers of a byline element in its class or id.
const BYLINE_MARKS: &[&str] = &["byline", "author", "auteur", "writtenby", "signature"];

/// Longest text a byline element may have: longer is an author's biography or a paragraph.
const MAX_BYLINE: usize = 150;

/// More candidates than this are not looked at: a page is not written by hundreds of people.
const MAX_CANDIDATES: usize = 200;

fn class_and_id(node: &NodeRef) -> String {
    let mut s = node
        .attr("class")
        .map(|c| c.to_lowercase())
        .unwrap_or_default();
    if let Some(id) = node.attr("id") {
        s.push(' ');
        s.push_str(&id.to_lowercase());
    }
    s
}

/// Whether `node` sits in an aside, a figure, a related-story box or the like. The walk up
/// stops at the first element that also holds the headline (`scope`): that one is the article.
fn is_elsewhere(node: &NodeRef, scope: &HashSet<NodeId>) -> bool {
    std::iter::once(*node)
        .chain(node.ancestors_it(None))
        .take_while(|n| !scope.contains(&n.id) && !n.has_name("body"))
        .filter(|n| n.is_element())
        .any(|n| {
            let name = n.node_name().map(|t| t.to_lowercase()).unwrap_or_default();
            if ELSEWHERE_TAGS.contains(&name.as_str()) {
                return true;
            }
            let marks = class_and_id(&n);
            // A byline's own wrapper ("byline-share") is judged by its byline mark.
            !BYLINE_MARKS.iter().any(|m| marks.contains(m))
                && ELSEWHERE.iter().any(|m| marks.contains(m))
        })
}

fn is_marked(node: &NodeRef) -> bool {
    node.attr("rel").is_some_and(|r| {
        r.split_whitespace()
            .any(|t| t.eq_ignore_ascii_case("author"))
    }) || node
        .attr("itemprop")
        .is_some_and(|p| p.to_lowercase().contains("author"))
        || {
            let marks = class_and_id(node);
            BYLINE_MARKS.iter().any(|m| marks.contains(m))
        }
}

/// An element's text with " | " where two elements' texts meet without a space
/// (`<span>Jane Smith</span><span>Reporter</span>`), so that they do not run together.
fn spaced_text(node: &NodeRef) -> String {
    let mut out = String::new();
    for d in node.descendants_it() {
        if d.is_text() {
            let t = d.text();
            if t.is_empty() {
                continue;
            }
            let glued = !out.is_empty()
                && !out.ends_with(char::is_whitespace)
                && !t.starts_with(char::is_whitespace);
            if glued {
                out.push_str(" | ");
            }
            out.push_str(&t);
        } else if d.has_name("br") {
            out.push_str(" | ");
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn flat_text(node: &NodeRef) -> String {
    node.text().split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The byline the page shows: among elements marked as one (`rel=author`, an `author` or
/// `byline` class, id or itemprop) and short elements that start "By"/"Par", the first after
/// the headline that names someone, else the nearest before it. Elements in asides, figures,
/// related-story boxes and the like are never read.
pub(crate) fn visible(dom: &Dom, title: Option<&str>, outlet: Option<&str>) -> Option<Visible> {
    let body = dom.body()?;
    let title = title.map(bare).unwrap_or_default();
    let mut headline: Option<(usize, NodeRef)> = None;
    let mut first_h1: Option<(usize, NodeRef)> = None;
    let mut candidates: Vec<(usize, NodeRef)> = Vec::new();
    for (pos, node) in body.descendants_it().enumerate() {
        if candidates.len() >= MAX_CANDIDATES {
            break;
        }
        if node.is_element() {
            if node.has_name("h1") {
                first_h1.get_or_insert((pos, node));
                let h = bare(&node.text());
                if headline.is_none()
                    && !h.is_empty()
                    && !title.is_empty()
                    && (title.contains(&h) || h.contains(&title))
                {
                    headline = Some((pos, node));
                }
            } else if is_marked(&node) {
                candidates.push((pos, node));
            }
        } else if node.is_text() && after_by(&node.text()).is_some() {
            // The largest element around the text that still starts with "By" and is short.
            let mut best = None;
            let mut at = node.parent();
            for _ in 0..4 {
                let Some(el) = at else { break };
                let text = flat_text(&el);
                if text.chars().count() > MAX_BYLINE || after_by(&text).is_none() {
                    break;
                }
                at = el.parent();
                best = Some(el);
            }
            if let Some(el) = best {
                candidates.push((pos, el));
            }
        }
    }
    let headline = headline.or(first_h1);
    let anchor = headline.map(|(pos, _)| pos);
    let scope: HashSet<NodeId> = headline
        .map(|(_, h1)| {
            std::iter::once(h1.id)
                .chain(h1.ancestors_it(None).map(|a| a.id))
                .collect()
        })
        .unwrap_or_default();
    let read = |node: &NodeRef| -> Option<Visible> {
        let len = flat_text(node).chars().count();
        if len == 0 || len > MAX_BYLINE || is_elsewhere(node, &scope) {
            return None;
        }
        let text = spaced_text(node);
        // A paragraph that merely starts "By" ("By noon, the police had closed the road") is
        // not a byline: unmarked, what follows "By" must read as names.
        if !is_marked(node) && after_by(&text).is_some_and(reads_as_sentence) {
            return None;
        }
        let names = names(&text, outlet);
        names
            .iter()
            .any(|n| matches!(kind(n, outlet), Kind::Person | Kind::Credit))
            .then(|| Visible {
                text: flat_text(node),
                names,
            })
    };
    let after = candidates
        .iter()
        .filter(|(pos, _)| anchor.is_none_or(|a| *pos > a))
        .find_map(|(_, n)| read(n));
    after.or_else(|| {
        candidates
            .iter()
            .rev()
            .filter(|(pos, _)| anchor.is_some_and(|a| *pos < a))
            .find_map(|(_, n)| read(n))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    #[rstest]
    #[case("By Jane Smith", Some("Jane Smith"))]
    #[case("by: Jane Smith", Some("Jane Smith"))]
    #[case("BY JANE SMITH", Some("JANE SMITH"))]
    #[case("Par Sébastien Farcis", Some("Sébastien Farcis"))]
    #[case("Par : Sébastien Farcis", Some("Sébastien Farcis"))]
    #[case("PAR\u{a0}Sébastien Farcis", Some("Sébastien Farcis"))]
    #[case("By", Some(""))]
    #[case("Byron Smith", None)]
    #[case("Paris, mardi", None)]
    #[case("Ottawa", None)]
    fn by_and_par_are_recognised(#[case] text: &str, #[case] rest: Option<&str>) {
        assert_eq!(after_by(text), rest);
    }

    #[rstest]
    #[case("noon, the police had closed the road", true)]
    #[case("Ottawa standards, the deal is small", true)]
    #[case("the end of the year", true)]
    #[case("Jane Smith and Paul Roy", false)]
    #[case("Anne de la Tour, correspondante à Paris", false)]
    #[case("Jane Smith updated 3 hours ago", false)]
    #[case("Jane Smith Updated 3 hours ago", false)]
    #[case("JANE SMITH", false)]
    fn a_sentence_starting_by_is_told_from_a_byline(#[case] rest: &str, #[case] want: bool) {
        assert_eq!(reads_as_sentence(rest), want, "{rest}");
    }

    #[rstest]
    #[case("Jane Smith", Kind::Person)]
    #[case("Sébastien Farcis", Kind::Person)]
    #[case("Anne-Marie de la Tour", Kind::Person)]
    #[case("JANE SMITH", Kind::Person)]
    #[case("AFP", Kind::Credit)]
    #[case("AP", Kind::Credit)]
    #[case("Reuters", Kind::Credit)]
    #[case("Associated Press", Kind::Credit)]
    #[case("The Associated Press", Kind::Credit)]
    #[case("The Canadian Press", Kind::Credit)]
    #[case("La Presse Canadienne", Kind::Credit)]
    #[case("Agence France-Presse", Kind::Credit)]
    #[case("Staff", Kind::Credit)]
    #[case("Maple Wire", Kind::Credit)]
    #[case("Le Quotidien", Kind::Credit)] // the outlet
    #[case("Jeanne", Kind::Other)]
    #[case("Updated March 3", Kind::Junk)]
    #[case("correspondant à Londres", Kind::Junk)]
    #[case("Senior Reporter", Kind::Junk)]
    fn names_are_persons_or_credits(#[case] name: &str, #[case] want: Kind) {
        assert_eq!(kind(name, Some("Le Quotidien")), want, "{name}");
    }

    #[rstest]
    #[case("By Jane Smith, The Canadian Press", &["Jane Smith", "The Canadian Press"])]
    #[case("By Jane Smith The Canadian Press", &["Jane Smith", "The Canadian Press"])]
    #[case("Jane Smith AFP", &["Jane Smith", "AFP"])]
    #[case("Par Sébastien Farcis avec AFP", &["Sébastien Farcis", "AFP"])]
    #[case("Par : Sébastien Farcis | Publié le 3 mars", &["Sébastien Farcis", "Publié le"])]
    #[case("By | Jane Smith | Reporter", &["Jane Smith", "Reporter"])]
    #[case("Jane Smith Updated 3 hours ago", &["Jane Smith"])]
    #[case("With files from The Canadian Press", &["The Canadian Press"])]
    #[case("AFP/Reuters", &["AFP", "Reuters"])]
    fn bylines_give_their_names(#[case] byline: &str, #[case] want: &[&str]) {
        assert_eq!(names(byline, None), want);
    }

    fn v(names: &[&str]) -> Vec<String> {
        names.iter().map(|n| n.to_string()).collect()
    }

    #[rstest]
    #[case::person_over_agency(vec![v(&["AFP"]), v(&["Sébastien Farcis"])], &["Sébastien Farcis"])]
    #[case::byline_person_over_meta_person(vec![v(&["Jane Smith", "The Canadian Press"]), v(&["Paul Other"])], &["Jane Smith"])]
    #[case::agency_alone_kept(vec![v(&[]), v(&["The Canadian Press"]), v(&["The Canadian Press"])], &["The Canadian Press"])]
    #[case::other_last(vec![v(&["admin"]), v(&[])], &["admin"])]
    #[case::spelling_from_metadata(vec![v(&["JANE SMITH"]), v(&["Jane Smith"])], &["Jane Smith"])]
    #[case::nothing(vec![v(&[]), v(&[])], &[])]
    fn authors_are_chosen(#[case] sources: Vec<Vec<String>>, #[case] want: &[&str]) {
        assert_eq!(choose(&sources, Some("Maple Wire")), want);
    }
}

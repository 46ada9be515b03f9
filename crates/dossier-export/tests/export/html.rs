use std::collections::BTreeSet;

use super::fixture;

fn ids_and_refs(html: &str) -> (BTreeSet<String>, BTreeSet<String>) {
    let grab = |pat: &str| -> BTreeSet<String> {
        html.match_indices(pat)
            .map(|(i, _)| {
                let rest = &html[i + pat.len()..];
                rest[..rest.find('"').unwrap()].to_string()
            })
            .collect()
    };
    (grab("id=\"note-"), grab("href=\"#note-"))
}

#[test]
fn every_citation_is_linked_both_ways_and_to_its_source() {
    let doc = fixture::decision_note();
    let html = dossier_export::html(&doc);
    let (notes, refs) = ids_and_refs(&html);
    assert_eq!(notes.len(), 4, "one note per quoted excerpt");
    assert_eq!(
        notes, refs,
        "every reference points to a note and every note is referenced"
    );
    let backs: BTreeSet<String> = html
        .match_indices("href=\"#ref-")
        .map(|(i, _)| html[i + 11..].split('"').next().unwrap().to_string())
        .collect();
    assert_eq!(
        backs, notes,
        "every note links back to its place in the text"
    );
    for s in &doc.sections {
        for e in &s.excerpts {
            let url = e.citation.url.as_deref().unwrap();
            assert!(
                html.contains(&format!("<a href=\"{url}\">{url}</a>")),
                "the citation links to {url}"
            );
        }
    }
}

#[test]
fn the_file_is_self_contained_and_has_no_script() {
    let html = dossier_export::html(&fixture::hostile_note());
    let lower = html.to_lowercase();
    assert!(!lower.contains("<script"), "no script element");
    for (i, _) in lower.match_indices("href=\"") {
        let target = &lower[i + 6..];
        assert!(
            ["https://", "http://", "mailto:", "#"]
                .iter()
                .any(|ok| target.starts_with(ok)),
            "every link goes to the web, mail or this page: {}",
            &target[..target.find('"').unwrap()]
        );
    }
    for tag in lower
        .split('<')
        .skip(1)
        .map(|t| &t[..t.find('>').unwrap_or(t.len())])
    {
        let handler = tag.split_whitespace().skip(1).any(|attr| {
            attr.starts_with("on")
                && attr[2..]
                    .chars()
                    .take_while(char::is_ascii_alphabetic)
                    .count()
                    > 0
                && attr.contains('=')
        });
        assert!(!handler, "no event handler attribute in <{tag}>");
    }
    for remote in ["<link", "<img", "src=", "@import", "url("] {
        assert!(
            !lower.contains(remote),
            "nothing loaded from elsewhere ({remote})"
        );
    }
    assert!(
        html.contains(
            "Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\""
        ),
        "the file forbids scripts itself"
    );
    assert!(
        html.contains("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;"),
        "hostile text shows as text"
    );
}

#[test]
fn print_styles_put_the_marking_on_every_page() {
    let html = dossier_export::html(&fixture::decision_note());
    assert!(html.contains("@page"));
    assert!(html.contains("@top-right { content: \"PROTECTED A / PROT\\c9 G\\c9  A\""));
    assert!(html.contains("counter(page) \" of \" counter(pages)"));
    assert!(html.contains("<p class=\"title-fr\" lang=\"fr-CA\">Négociations Canada–États-Unis"));
}

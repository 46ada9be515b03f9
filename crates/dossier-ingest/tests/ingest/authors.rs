//! Who wrote a web page, when its metadata, its byline and the rest of the page disagree. The
//! pages are written for these tests; the names and the stories are invented.

use rstest::rstest;

use super::read;

const BODY: &str = "<p>Negotiators met again on Tuesday to discuss the tariff schedule for \
    softwood lumber, and officials on both sides said the talks had been constructive.</p>\
    <p>A second round is expected next month, when the technical working groups are due to \
    report on the quota formula and the review clause.</p>";

/// A page with `head` in its head and `top` between its headline and its text.
fn page(head: &str, top: &str, rest: &str) -> String {
    format!(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <title>Lumber talks resume</title><meta property=\"og:site_name\" content=\"Northern Ledger\">{head}</head>\
         <body><article><h1>Lumber talks resume</h1>{top}{BODY}{rest}</article></body></html>"
    )
}

fn json_ld(author: &str) -> String {
    format!(
        "<script type=\"application/ld+json\">{{\"@context\":\"https://schema.org\",\
         \"@type\":\"NewsArticle\",\"headline\":\"Lumber talks resume\",\"author\":{author}}}</script>"
    )
}

fn org(name: &str) -> String {
    json_ld(&format!(
        "{{\"@type\":\"Organization\",\"name\":\"{name}\"}}"
    ))
}

fn meta(name: &str) -> String {
    format!("<meta name=\"author\" content=\"{name}\">")
}

#[test]
fn a_french_byline_beats_the_agency_in_the_metadata() {
    let doc = read(
        include_bytes!("fixtures/agency-meta-french-byline.html"),
        "crabe.html",
    );
    assert_eq!(doc.authors, ["Mathilde Garnier"]);
    assert_eq!(doc.outlet.as_deref(), Some("Le Courrier du Golfe"));
    assert!(
        !doc.text.contains("Par : Mathilde Garnier"),
        "the byline is not part of the text: {}",
        doc.text
    );
}

#[test]
fn the_byline_beats_other_names_on_the_page() {
    let doc = read(
        include_bytes!("fixtures/person-byline-other-names.html"),
        "port.html",
    );
    assert_eq!(
        doc.authors,
        ["Priya Nand"],
        "not the top-stories box, the photo credit, the related story or the page's meta author"
    );
}

#[test]
fn an_agency_alone_stays_the_author_and_is_cited_once() {
    let doc = read(include_bytes!("fixtures/agency-only.html"), "rail.html");
    assert_eq!(doc.authors, ["The Canadian Press"]);
    assert_eq!(doc.outlet.as_deref(), Some("The Canadian Press"));
    let citation = dossier_core::briefing::Citation {
        outlet: doc.outlet.clone(),
        title: doc.title.clone().unwrap_or_default(),
        authors: doc.authors.clone(),
        published: doc.published.clone(),
        url: None,
        page: None,
    };
    assert_eq!(
        citation.plain(false),
        "The Canadian Press, “Rail strike vote set for next week”, 20 May 2026."
    );
}

#[rstest]
#[case::cp_in_meta(meta("The Canadian Press"), "<p>By Jane Smith</p>", &["Jane Smith"])]
#[case::reuters_in_json_ld(org("Reuters"), "<p class=\"byline\">By Jane Smith</p>", &["Jane Smith"])]
#[case::ap_in_json_ld(org("AP"), "<p>BY: Jane Smith</p>", &["Jane Smith"])]
#[case::associated_press(org("Associated Press"), "<div class=\"author\">Jane Smith</div>", &["Jane Smith"])]
#[case::afp_article_author(
    "<meta property=\"article:author\" content=\"AFP\">".to_string(),
    "<p>Par Jeanne Lavoie</p>",
    &["Jeanne Lavoie"]
)]
#[case::agence_france_presse(org("Agence France-Presse"), "<p>PAR : Jeanne Lavoie</p>", &["Jeanne Lavoie"])]
#[case::la_presse_canadienne(meta("La Presse Canadienne"), "<p>Par Jeanne Lavoie et Luc Côté</p>", &["Jeanne Lavoie", "Luc Côté"])]
#[case::credit_in_the_byline_too(
    org("The Canadian Press"),
    "<p class=\"byline\">By <a href=\"/a/js\">Jane Smith</a>, The Canadian Press</p>",
    &["Jane Smith"]
)]
#[case::credit_run_into_the_name(
    org("The Canadian Press"),
    "<div class=\"byline\"><span>By Jane Smith</span><span>The Canadian Press</span></div>",
    &["Jane Smith"]
)]
#[case::name_and_date_in_one_line(
    org("Reuters"),
    "<p class=\"byline\">By Jane Smith | Updated March 3, 2026</p>",
    &["Jane Smith"]
)]
#[case::person_in_json_ld_when_no_byline(
    json_ld("{\"@type\":\"Person\",\"name\":\"Jane Smith\"}"),
    "",
    &["Jane Smith"]
)]
#[case::person_in_json_ld_beats_the_meta_agency(
    format!("{}{}", meta("AFP"), json_ld("[{\"@type\":\"Person\",\"name\":\"Jane Smith\"}]")),
    "",
    &["Jane Smith"]
)]
#[case::agency_alone(org("Reuters"), "", &["Reuters"])]
#[case::agency_byline_alone(String::new(), "<p class=\"byline\">The Associated Press</p>", &["The Associated Press"])]
#[case::meta_person_from_another_scope(
    meta("Harold Quinn"),
    "<p class=\"byline\">By Jane Smith</p>",
    &["Jane Smith"]
)]
#[case::a_sentence_starting_by_is_no_byline(
    json_ld("{\"@type\":\"Person\",\"name\":\"Jane Smith\"}"),
    "<p>By noon, Ottawa Police had closed the road.</p>",
    &["Jane Smith"]
)]
#[case::nor_for_an_agency_story(
    org("Reuters"),
    "<p>By Monday Ottawa Hydro had restored power.</p>",
    &["Reuters"]
)]
fn a_person_named_on_the_page_is_the_author(
    #[case] head: String,
    #[case] top: &str,
    #[case] want: &[&str],
) {
    let html = page(&head, top, "");
    let doc = read(html.as_bytes(), "page.html");
    assert_eq!(doc.authors, want, "{html}");
    assert!(doc.text.contains("Negotiators met again"), "{}", doc.text);
}

#[rstest]
#[case::related_box(
    "<div class=\"related\"><p class=\"byline\">By Other Writer</p><a href=\"/z\">Mills reopen</a></div>"
)]
#[case::aside("<aside><p>By Other Writer</p><a href=\"/z\">Mills reopen</a></aside>")]
#[case::photo_credit(
    "<figure><img src=\"/a.jpg\" alt=\"\"><figcaption>A mill. Photo by Other Writer</figcaption></figure>"
)]
#[case::comments(
    "<section class=\"comments\"><div class=\"comment-author\">Other Writer</div><p>Great piece.</p></section>"
)]
fn a_name_elsewhere_on_the_page_does_not_replace_the_byline(#[case] rest: &str) {
    let html = page(&org("AFP"), "<p>By Jane Smith</p>", rest);
    let doc = read(html.as_bytes(), "page.html");
    assert_eq!(doc.authors, ["Jane Smith"], "{html}");
}

#[rstest]
#[case::related_box(
    "<div class=\"related\"><p class=\"byline\">By Other Writer</p><a href=\"/z\">Mills reopen</a></div>"
)]
#[case::photo_credit(
    "<figure><img src=\"/a.jpg\" alt=\"\"><figcaption>Photo by Other Writer</figcaption></figure>"
)]
fn a_name_elsewhere_is_not_taken_for_the_author_of_an_agency_story(#[case] rest: &str) {
    let html = page(&org("The Canadian Press"), "", rest);
    let doc = read(html.as_bytes(), "page.html");
    assert_eq!(doc.authors, ["The Canadian Press"], "{html}");
}

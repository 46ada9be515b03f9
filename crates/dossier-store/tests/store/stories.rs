//! One story across outlets, and alerts on saved searches, on real workspace files.
//! Every text here is written for these tests.

use dossier_core::{NewSource, SourcePatch};
use dossier_store::Workspace;

use super::{LATER, NOW, workspace};

const WIRE: &str = "The port authority in Prince Rupert will add two container berths by 2029, its \
chief executive said on Monday, after a year in which traffic through the northern terminal grew \
faster than at any other Canadian port. The expansion, estimated at 1.4 billion dollars, is to be \
paid for in part by a federal infrastructure fund and in part by fees charged to shipping lines. \
Local First Nations leaders said they had been consulted from the start and would hold a share of \
the new terminal company. Shippers welcomed the plan but warned that rail capacity along the \
corridor to Prince George would have to grow at the same pace, or the new berths would sit idle \
while trains waited on sidings. The authority said it was talking with both railways about \
double tracking two sections of the line. Environmental groups asked for a full review of the \
effects on salmon habitat in the estuary, and the minister of transport said an assessment would \
begin this autumn. The labour council in the region estimated that construction would employ \
about nine hundred workers at its peak and that the finished terminal would need three hundred \
permanent staff. Officials expect the first ships to call at the new berths in the spring of \
2029, if the review ends on time and the financing holds.";

fn add(ws: &mut Workspace, title: &str, outlet: &str, body: &str) -> i64 {
    ws.add_source(
        NewSource {
            title: title.into(),
            outlet: Some(outlet.into()),
            body: body.into(),
            ..Default::default()
        },
        NOW,
    )
    .unwrap()
    .id
}

/// The wire text cut to `share` of its words.
fn trimmed(share: f64) -> String {
    let words: Vec<&str> = WIRE.split(' ').collect();
    words[..(words.len() as f64 * share) as usize].join(" ")
}

fn copies() -> Vec<(&'static str, String)> {
    vec![
        (
            "headline and dateline",
            format!("Northern port to grow\n\nPRINCE RUPERT, B.C. — {WIRE}"),
        ),
        (
            "credit line",
            format!("{WIRE}\n\nWith files from The Northern Wire. Photo: Harbour Services."),
        ),
        ("end trimmed", trimmed(0.7)),
        (
            "related line",
            WIRE.replacen(
                "Shippers welcomed",
                "RELATED: Rail freight rates to rise in March\n\nShippers welcomed",
                1,
            ),
        ),
        (
            "house spelling",
            WIRE.replace("labour", "labor")
                .replace("autumn", "fall")
                .replace("Harbour", "Harbor"),
        ),
        (
            "all at once",
            format!(
                "Port expansion announced | Coast Daily\n{}\nRead more: ferries\n— The Coast Daily staff",
                trimmed(0.75).replace("labour", "labor")
            ),
        ),
    ]
}

const SAME_SUBJECT: &str = "Container traffic through Prince Rupert grew again this year, and the \
port authority now plans two more berths at the northern terminal. Rail remains the weak link: \
trains to Prince George share a single track for long stretches, and shippers say delays already \
cost them days. Both railways have said they would study double tracking. The federal \
infrastructure fund is expected to cover part of the 1.4 billion dollar cost. First Nations in the \
area will hold a stake in the terminal company, and an environmental assessment of the estuary \
starts in the autumn. Construction could employ some nine hundred people.";

const SPEECH_ONE: &str = "Thank you all for coming. Today I want to talk about our ports, and \
about the people who work in them. For a generation we have asked our ports to do more with less. \
We asked them to move more grain, more potash and more containers through terminals built for \
another century. They delivered, because the people in them delivered. Longshore workers, pilots, \
rail crews and truck drivers kept the goods moving through floods, fires and a pandemic.";

const SPEECH_TWO: &str = "So what comes next? First, money that arrives on time. A port cannot \
plan a berth on a budget that changes every spring. Second, rail that keeps pace. There is no \
point in building a berth if the trains cannot reach it. Third, respect for the land and the water, \
and for the nations who have lived beside them for thousands of years. Those three things are the \
plan I will bring to cabinet.";

const NEXT_ADDRESS: &str = "Thank you all for coming. Today I want to talk about our airports, and \
about the travellers who rely on them. Last summer too many families waited hours at security and \
lost bags on the way home. Airports were asked to recover from the pandemic in a single season, \
with staff who had left for other work. Some did better than others, and we learned from those \
who did. This fall we will set service standards that every major airport must publish.";

#[test]
fn copies_share_a_story_and_other_articles_do_not() {
    let (_d, mut ws) = workspace();
    let original = add(&mut ws, "Port to add berths", "The Northern Wire", WIRE);
    let mut ids = Vec::new();
    for (what, text) in copies() {
        ids.push((what, add(&mut ws, what, "Some Outlet", &text)));
    }
    let subject = add(&mut ws, "Rail the weak link", "Coast Daily", SAME_SUBJECT);
    let one = add(&mut ws, "Speech, part 1", "Transcripts", SPEECH_ONE);
    let two = add(&mut ws, "Speech, part 2", "Transcripts", SPEECH_TWO);
    let next = add(&mut ws, "Airports speech", "Transcripts", NEXT_ADDRESS);

    let story = ws.get_source(original).unwrap().summary.story;
    assert!(story.is_some(), "the wire story has copies");
    for (what, id) in &ids {
        assert_eq!(ws.get_source(*id).unwrap().summary.story, story, "{what}");
    }
    for id in [subject, one, two, next] {
        let s = ws.get_source(id).unwrap();
        assert_eq!(
            s.summary.story, None,
            "{} is its own story",
            s.summary.title
        );
        assert!(s.copies.is_empty());
    }
    let shown = ws.get_source(original).unwrap();
    assert_eq!(shown.copies.len(), ids.len());
    assert!(
        shown
            .copies
            .iter()
            .all(|c| c.similarity >= 0.5 && c.similarity <= 1.0)
    );
    // The list carries the same story id.
    let listed = ws.list_sources().unwrap();
    assert_eq!(
        listed.iter().filter(|s| s.story == story).count(),
        ids.len() + 1
    );
}

#[test]
fn a_split_source_stays_out_even_after_its_text_changes_or_the_index_is_rebuilt() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ws.sqlite");
    let mut ws = Workspace::open(&path).unwrap();
    let a = add(&mut ws, "Port", "Wire", WIRE);
    let b = add(&mut ws, "Port copy", "Daily", &copies()[0].1);
    let c = add(&mut ws, "Port copy 2", "Weekly", &copies()[1].1);
    let story = ws.get_source(a).unwrap().summary.story.unwrap();
    let out = ws.split_source(b, NOW).unwrap();
    assert_eq!(out.story, Some(story));
    assert_eq!(ws.get_source(b).unwrap().summary.story, None);
    assert_eq!(ws.get_source(a).unwrap().copies.len(), 1, "c stays with a");
    // Rebuilding the derived index (as after an archive import) does not undo the split.
    ws.conn()
        .execute_batch(
            "DELETE FROM source_neardup; DELETE FROM source_band; DELETE FROM story_member;",
        )
        .unwrap();
    drop(ws);
    let mut ws = Workspace::open(&path).unwrap();
    assert_eq!(ws.get_source(b).unwrap().summary.story, None);
    assert_eq!(
        ws.get_source(c).unwrap().summary.story,
        ws.get_source(a).unwrap().summary.story
    );
    assert!(ws.get_source(a).unwrap().summary.story.is_some());
    // A new copy joins the story, not the split source.
    let d = add(&mut ws, "Port copy 3", "Monthly", &trimmed(0.8));
    let again = ws.get_source(d).unwrap();
    assert!(again.copies.iter().all(|x| x.id != b));
    assert_eq!(again.copies.len(), 2);
    // Splitting the representative leaves the others together.
    ws.split_source(a, LATER).unwrap();
    assert_eq!(
        ws.get_source(c).unwrap().summary.story,
        ws.get_source(d).unwrap().summary.story
    );
    assert!(ws.get_source(c).unwrap().summary.story.is_some());
    assert!(ws.split_source(9999, LATER).is_err());
}

#[test]
fn deleting_a_copy_leaves_a_lone_source_without_a_story() {
    let (_d, mut ws) = workspace();
    let a = add(&mut ws, "Port", "Wire", WIRE);
    let b = add(&mut ws, "Port copy", "Daily", &copies()[2].1);
    assert!(ws.get_source(a).unwrap().summary.story.is_some());
    ws.delete_source(b).unwrap();
    // The remaining member is alone now: no copies, whatever the story row says.
    assert!(ws.get_source(a).unwrap().copies.is_empty());
    assert_eq!(ws.get_source(a).unwrap().summary.story, None);
}

#[test]
fn alerts_count_new_matches_until_seen() {
    let (_d, mut ws) = workspace();
    add(
        &mut ws,
        "Berths",
        "Wire",
        "Prince Rupert berths are growing quickly this year.",
    );
    let s = ws.save_search_alert("Ports", "berths", true, NOW).unwrap();
    assert!(s.alert);
    let count = |ws: &Workspace| {
        let all = ws.saved_search_statuses().unwrap();
        assert_eq!(all.len(), 1);
        all[0].new_count
    };
    assert_eq!(count(&ws), 0, "what matched when saved counts as seen");
    add(
        &mut ws,
        "More berths",
        "Daily",
        "Two more berths for the northern terminal.",
    );
    assert_eq!(count(&ws), 1);
    let other = add(
        &mut ws,
        "Rail",
        "Daily",
        "Rail capacity to Prince George is short.",
    );
    assert_eq!(count(&ws), 1, "a source that does not match is not new");
    // An old source edited into matching is new to the search.
    ws.edit_source(
        other,
        SourcePatch {
            title: Some("Rail and berths".into()),
            ..Default::default()
        },
        LATER,
    )
    .unwrap();
    assert_eq!(count(&ws), 2);
    ws.mark_search_seen("ports").unwrap();
    assert_eq!(count(&ws), 0);
    add(
        &mut ws,
        "Berths again",
        "Weekly",
        "The berths will open in spring.",
    );
    assert_eq!(count(&ws), 1);
    // Saving again (the user is looking) resets it too, and can turn the alert off.
    let s = ws
        .save_search_alert("Ports", "berths", false, LATER)
        .unwrap();
    assert!(!s.alert);
    assert_eq!(count(&ws), 0);
}

#[test]
fn search_shows_a_story_once_with_its_copies_unless_the_query_names_an_outlet() {
    use dossier_store::search::SearchOptions;
    let (_d, mut ws) = workspace();
    let wire = add(&mut ws, "Port to add berths", "The Northern Wire", WIRE);
    let daily = add(
        &mut ws,
        "Northern port to grow",
        "Coast Daily",
        &copies()[0].1,
    );
    let weekly = add(
        &mut ws,
        "Berths for Prince Rupert",
        "Harbour Weekly",
        &trimmed(0.8),
    );
    let subject = add(&mut ws, "Rail the weak link", "Coast Daily", SAME_SUBJECT);
    let opts = SearchOptions::default();
    let source_hits = |ws: &Workspace, q: &str, facets: bool| {
        let opts = SearchOptions {
            facets,
            ..opts.clone()
        };
        let res = ws.search(q, &opts).unwrap();
        let hits: Vec<(i64, Vec<i64>)> = res
            .results
            .iter()
            .filter(|h| h.kind == dossier_core::query::ItemKind::Source)
            .map(|h| (h.id, h.copies.iter().map(|c| c.id).collect()))
            .collect();
        (hits, res.total)
    };
    for facets in [false, true] {
        // Words and filters alike: one hit for the three copies, then the other article.
        for q in ["berths", "berths type:source", "type:source"] {
            let (hits, total) = source_hits(&ws, q, facets);
            assert_eq!(hits.len(), 2, "{q} (facets {facets}): {hits:?}");
            assert_eq!(total, 2, "{q}: the total counts stories");
            let story_hit = hits.iter().find(|(id, _)| *id != subject).unwrap();
            let mut all: Vec<i64> = story_hit.1.clone();
            all.push(story_hit.0);
            all.sort();
            assert_eq!(all, vec![wire, daily, weekly], "{q}: the copies are listed");
            assert!(hits.iter().any(|(id, c)| *id == subject && c.is_empty()));
        }
        // Naming an outlet: every copy is a hit of its own (its copies still listed).
        let (hits, _) = source_hits(&ws, "berths -outlet:\"Harbour Weekly\"", facets);
        let ids: Vec<i64> = hits.iter().map(|h| h.0).collect();
        assert_eq!(ids.len(), 3, "{hits:?}");
        assert!(
            ids.contains(&wire) && ids.contains(&daily) && !ids.contains(&weekly),
            "{hits:?}"
        );
        let (hits, _) = source_hits(&ws, "outlet:\"Coast Daily\"", facets);
        let ids: Vec<i64> = hits.iter().map(|h| h.0).collect();
        assert_eq!(ids.len(), 2);
        assert!(ids.contains(&daily) && ids.contains(&subject));
        let daily_hit = hits.iter().find(|h| h.0 == daily).unwrap();
        assert_eq!(daily_hit.1.len(), 2);
    }
    // After a split, the copy is a hit of its own again.
    ws.split_source(weekly, NOW).unwrap();
    let (hits, total) = source_hits(&ws, "berths type:source", false);
    assert_eq!((hits.len(), total), (3, 3), "{hits:?}");
}

#[test]
fn an_alert_counts_a_story_once_and_not_a_new_copy_of_one_seen() {
    let (_d, mut ws) = workspace();
    add(&mut ws, "Port to add berths", "The Northern Wire", WIRE);
    ws.save_search_alert("Ports", "berths", true, NOW).unwrap();
    let count = |ws: &Workspace| ws.saved_search_statuses().unwrap()[0].new_count;
    // Another outlet's copy of the story already seen: nothing new to read.
    add(
        &mut ws,
        "Northern port to grow",
        "Coast Daily",
        &copies()[0].1,
    );
    assert_eq!(count(&ws), 0);
    // A new article, then two outlets' copies of it: one new story.
    let fresh = SAME_SUBJECT.replace("Container traffic", "Ship traffic");
    add(&mut ws, "Rail the weak link", "Coast Daily", &fresh);
    assert_eq!(count(&ws), 1);
    add(
        &mut ws,
        "Weak link: rail",
        "Harbour Weekly",
        &format!("PRINCE RUPERT — {fresh}\n\nWith files from Coast Daily."),
    );
    add(
        &mut ws,
        "Rail lags",
        "Prairie Daily",
        &format!("{fresh}\n\nRelated: grain by rail"),
    );
    assert_eq!(count(&ws), 1, "three outlets, one new story");
    ws.mark_search_seen("ports").unwrap();
    assert_eq!(count(&ws), 0);
}

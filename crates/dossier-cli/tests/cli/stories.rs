//! One story across outlets and alerts, from the command line. The texts are written here.

use super::{Ws, path_str};

const WIRE: &str = "The harbour commission in Saint John will dredge the main channel next \
summer so that larger container ships can reach the east terminal, its chair said on Thursday, \
after a season in which three vessels had to wait offshore for the tide. The work is expected to \
cost two hundred million dollars, shared between the commission, the province and a federal \
fund for trade corridors. Fishers in the bay asked for the dredging to avoid the weeks when \
lobster move inshore, and the commission said it would publish a schedule this winter. Shipping \
lines said the deeper channel would let them add a weekly call from northern Europe, and the \
port expects traffic to grow by a fifth within three years of the work ending.";

fn add(ws: &Ws, name: &str, text: &str, title: &str, outlet: &str) -> i64 {
    let file = ws.file(name, text);
    let out = ws
        .run(&[
            "--json",
            "source",
            "add",
            path_str(&file),
            "--title",
            title,
            "--outlet",
            outlet,
        ])
        .ok()
        .json();
    out["id"].as_i64().unwrap()
}

#[test]
fn copies_show_as_one_story_in_search_list_and_show_until_split() {
    let ws = Ws::new();
    let wire = add(&ws, "a.txt", WIRE, "Channel to be dredged", "Maple Wire");
    let copy = add(
        &ws,
        "b.txt",
        &format!(
            "SAINT JOHN, N.B. — {}\n\nWith files from Maple Wire.",
            WIRE.replace("harbour", "harbor")
        ),
        "Saint John to deepen its channel",
        "CTV News",
    );
    let other = add(
        &ws,
        "c.txt",
        "Lobster fishers in the bay of Fundy say dredging in Saint John must wait for the \
         autumn, when the season closes. The harbour commission has not yet chosen dates, and a \
         schedule is promised for the winter. Fishers also want a say in where the spoil goes.",
        "Fishers want a say on dredging",
        "Global News",
    );

    let list = ws.run(&["--json", "source", "list"]).ok().json();
    let story = |id: i64| {
        list.as_array()
            .unwrap()
            .iter()
            .find(|s| s["id"] == id)
            .unwrap()["story"]
            .clone()
    };
    assert!(story(wire).is_i64(), "{list}");
    assert_eq!(story(wire), story(copy));
    assert!(story(other).is_null());

    let shown = ws
        .run(&["--json", "source", "show", &wire.to_string()])
        .ok()
        .json();
    assert_eq!(shown["copies"][0]["id"], copy);
    assert!(shown["copies"][0]["similarity"].as_f64().unwrap() > 0.8);
    let text = ws.run(&["source", "show", &wire.to_string()]).ok().stdout;
    assert!(
        text.contains(&format!("Copies:    source {copy}")),
        "{text}"
    );

    // Search: one hit for the story, the copy listed on it.
    let res = ws
        .run(&["--json", "search", "dredg* type:source"])
        .ok()
        .json();
    assert_eq!(res["total"], 2, "{res}");
    let hit = res["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|h| h["id"] == wire || h["id"] == copy)
        .unwrap();
    assert_eq!(hit["copies"].as_array().unwrap().len(), 1, "{hit}");
    let text = ws.run(&["search", "dredg* type:source"]).ok().stdout;
    assert!(text.contains("also in: "), "{text}");
    // Naming an outlet shows each copy.
    let res = ws
        .run(&["--json", "search", "dredge outlet:\"CTV News\""])
        .ok()
        .json();
    assert_eq!(res["results"][0]["id"], copy, "{res}");

    // Split: the copy leaves the story and stays out.
    let split = ws
        .run(&["--json", "source", "split", &copy.to_string()])
        .ok()
        .json();
    assert_eq!(split["id"], copy);
    assert_eq!(split["story"], story(wire));
    let shown = ws
        .run(&["--json", "source", "show", &wire.to_string()])
        .ok()
        .json();
    assert_eq!(shown["copies"], serde_json::json!([]));
    let res = ws
        .run(&["--json", "search", "dredg* type:source"])
        .ok()
        .json();
    assert_eq!(res["total"], 3);
    let missing = ws.run(&["source", "split", "999"]);
    assert_eq!(missing.code, 1, "{}", missing.stderr);
}

#[test]
fn an_alert_counts_new_matches_until_run_or_seen() {
    let ws = Ws::new();
    add(&ws, "a.txt", WIRE, "Channel to be dredged", "Maple Wire");
    let saved = ws
        .run(&["--json", "search", "save", "Dredging", "dredge", "--alert"])
        .ok()
        .json();
    assert_eq!(saved["alert"], true);
    let list = ws.run(&["--json", "search", "saved"]).ok().json();
    assert_eq!(list[0]["new_count"], 0, "{list}");
    add(
        &ws,
        "b.txt",
        "The province will not pay its share of the dredge work before an environmental review \
         of the bay is finished, the minister said, and the review could take a year or more \
         according to officials who asked not to be named in this report.",
        "Province waits on review",
        "Global News",
    );
    let list = ws.run(&["--json", "search", "saved"]).ok().json();
    assert_eq!(list[0]["new_count"], 1, "{list}");
    let text = ws.run(&["search", "saved"]).ok().stdout;
    assert!(
        text.contains("[alert]") && text.contains("(1 new)"),
        "{text}"
    );
    ws.run(&["search", "seen", "dredging"]).ok();
    let list = ws.run(&["--json", "search", "saved"]).ok().json();
    assert_eq!(list[0]["new_count"], 0);
    add(
        &ws,
        "c.txt",
        "Work boats arrived in the harbour on Monday to prepare the dredge, a week before the \
         work is to begin, and the commission asked boaters to keep clear of the channel \
         markers while the crews set anchors and lay the pipe to the disposal site offshore.",
        "Work boats arrive",
        "CTV News",
    );
    let list = ws.run(&["--json", "search", "saved"]).ok().json();
    assert_eq!(list[0]["new_count"], 1);
    ws.run(&["search", "run", "Dredging"]).ok();
    let list = ws.run(&["--json", "search", "saved"]).ok().json();
    assert_eq!(list[0]["new_count"], 0);
    let missing = ws.run(&["search", "seen", "nope"]);
    assert_eq!(missing.code, 1);
}

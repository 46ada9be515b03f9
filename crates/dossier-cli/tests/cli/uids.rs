//! Every synced item's JSON carries its global `uid` (issue 16): the same on every read, never
//! shared with another item, and the same whether the item is listed or shown.

use std::collections::{HashMap, HashSet};

use serde_json::Value;

use super::{Ws, path_str};

const ARTICLE: &str = "OTTAWA — Officials said on Tuesday that sector deals are being negotiated \
one by one, starting with steel and aluminum.\n\nPort operators expect more berths at the harbour \
by spring.\n";

const OTHER: &str = "HALIFAX — The port authority said dredging of the outer channel resumes in \
March.\n\nLumber shippers asked for a second berth.\n";

/// A UUIDv7 as migration 14 writes it: `xxxxxxxx-xxxx-7xxx-[89ab]xxx-xxxxxxxxxxxx`, lower case.
fn is_uuid_v7(uid: &str) -> bool {
    let groups: Vec<&str> = uid.split('-').collect();
    groups.iter().map(|g| g.len()).collect::<Vec<_>>() == [8, 4, 4, 4, 12]
        && groups
            .iter()
            .all(|g| g.chars().all(|c| matches!(c, '0'..='9' | 'a'..='f')))
        && groups[2].starts_with('7')
        && groups[3].starts_with(['8', '9', 'a', 'b'])
}

fn uid_of<'a>(item: &'a Value, what: &str) -> &'a str {
    let uid = item["uid"]
        .as_str()
        .unwrap_or_else(|| panic!("{what} has no string uid: {item}"));
    assert!(!uid.is_empty(), "{what} has an empty uid: {item}");
    uid
}

/// `key → uid` over a JSON array, checking that no two items share a uid.
fn uids_by(list: &Value, key: &str, what: &str) -> HashMap<String, String> {
    let items = list
        .as_array()
        .unwrap_or_else(|| panic!("{what} is not an array: {list}"));
    let mut by = HashMap::new();
    let mut seen = HashSet::new();
    for item in items {
        let uid = uid_of(item, what).to_owned();
        assert!(
            seen.insert(uid.clone()),
            "{what}: two items share uid {uid}"
        );
        by.insert(item[key].to_string(), uid);
    }
    by
}

#[test]
fn every_item_carries_a_stable_distinct_uid() {
    let ws = Ws::new();
    let mut sources = Vec::new();
    for (name, text, title) in [
        ("talks.md", ARTICLE, "Sector deals"),
        ("port.md", OTHER, "Dredging resumes"),
    ] {
        let file = ws.file(name, text);
        let s = ws
            .run(&["--json", "source", "add", path_str(&file), "--title", title])
            .ok()
            .json();
        assert!(is_uuid_v7(uid_of(&s, "source add")), "{s}");
        sources.push(s["id"].to_string());
    }
    let mut excerpts = Vec::new();
    for (source, quote, tag) in [
        (
            &sources[0],
            "sector deals are being negotiated",
            "sector/steel",
        ),
        (&sources[0], "more berths at the harbour", "transport/ports"),
        (
            &sources[1],
            "dredging of the outer channel",
            "transport/ports",
        ),
    ] {
        let e = ws
            .run(&[
                "--json", "excerpt", "add", source, "--quote", quote, "--tag", tag,
            ])
            .ok()
            .json();
        assert!(is_uuid_v7(uid_of(&e, "excerpt add")), "{e}");
        excerpts.push(e["id"].to_string());
    }
    for (text, excerpt) in [
        ("Which sectors come next?", &excerpts[0]),
        ("When do the berths open?", &excerpts[1]),
    ] {
        ws.run(&["question", "add", text, "--excerpt", excerpt])
            .ok();
    }
    let briefing = ws
        .run(&["briefing", "new", "--title", "Ports"])
        .ok()
        .stdout
        .trim()
        .to_string();
    ws.run(&[
        "briefing",
        "edit",
        &briefing,
        "--section",
        "background",
        "--add",
        &excerpts[1],
        "--add",
        &excerpts[2],
    ])
    .ok();
    ws.run(&["briefing", "new", "--title", "Steel"]).ok();
    ws.run(&["search", "save", "Ports", "berths"]).ok();
    ws.run(&["search", "save", "Steel", "#sector/steel"]).ok();

    // Lists: (command, key, how many at least); read twice, the same uids both times.
    let lists: [(&[&str], &str, usize); 6] = [
        (&["source", "list"], "id", 2),
        (&["excerpt", "list"], "id", 3),
        (&["tag", "list"], "path", 2),
        (&["question", "list"], "id", 2),
        (&["briefing", "list"], "id", 2),
        (&["search", "saved"], "id", 2),
    ];
    let mut every_uid: HashMap<String, String> = HashMap::new();
    let mut listed = HashMap::new();
    for (args, key, at_least) in lists {
        let what = args.join(" ");
        let read = |ws: &Ws| {
            let mut full = vec!["--json"];
            full.extend_from_slice(args);
            uids_by(&ws.run(&full).ok().json(), key, &what)
        };
        let first = read(&ws);
        assert!(
            first.len() >= at_least,
            "{what} lists {} items: {first:?}",
            first.len()
        );
        assert_eq!(read(&ws), first, "{what}: uids change between two reads");
        for (k, uid) in &first {
            assert!(is_uuid_v7(uid), "{what} {k}: {uid} is not a UUIDv7");
            if let Some(other) = every_uid.insert(uid.clone(), format!("{what} {k}")) {
                panic!("{what} {k} has the uid of {other}: {uid}");
            }
        }
        listed.insert(args[0], first);
    }

    // Shown one by one: the uid it was listed with.
    for (command, key) in [
        ("source", "id"),
        ("excerpt", "id"),
        ("tag", "path"),
        ("question", "id"),
        ("briefing", "id"),
    ] {
        for (k, uid) in &listed[command] {
            let k = k.trim_matches('"');
            let shown = ws.run(&["--json", command, "show", k]).ok().json();
            assert_eq!(
                uid_of(&shown, command),
                uid,
                "{command} show {k} and {command} list disagree ({key})"
            );
        }
    }

    // Briefing items have their own, distinct from the excerpts they quote.
    let shown = ws
        .run(&["--json", "briefing", "show", &briefing])
        .ok()
        .json();
    let items: Vec<&Value> = shown["sections"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| s["items"].as_array().unwrap())
        .collect();
    assert_eq!(items.len(), 2, "{shown}");
    let item_uids: HashSet<&str> = items.iter().map(|i| uid_of(i, "briefing item")).collect();
    assert_eq!(item_uids.len(), 2, "two items, one uid: {shown}");
    for uid in item_uids {
        assert!(is_uuid_v7(uid), "briefing item uid {uid}");
        assert!(
            !every_uid.contains_key(uid),
            "a briefing item shares the uid of {}",
            every_uid[uid]
        );
    }

    // A source's versions keep their own uid (migration 09), stable too.
    let versions = |ws: &Ws| {
        ws.run(&["--json", "source", "versions", &sources[0]])
            .ok()
            .json()
    };
    let v = versions(&ws);
    assert!(!uid_of(&v[0], "source version").is_empty());
    assert_eq!(versions(&ws), v);

    // A delete says which item went, by its uid too.
    for (command, id) in [
        ("excerpt", &excerpts[0]),
        ("briefing", &briefing),
        ("source", &sources[1]),
    ] {
        let deleted = ws.run(&["--json", command, "delete", id]).ok().json();
        assert_eq!(
            uid_of(&deleted["deleted"], command),
            listed[command][id.as_str()],
            "{command} delete {id}: {deleted}"
        );
    }
}

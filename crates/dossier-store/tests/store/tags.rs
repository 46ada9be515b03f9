use dossier_core::{ExcerptTarget, TagSpec, fold};
use dossier_store::StoreError;
use rstest::rstest;

use super::{NOW, dump, source, workspace};

#[test]
fn the_seeded_taxonomy_is_bilingual_and_its_keys_fold_like_the_code() {
    let (_d, ws) = workspace();
    let tags = ws.list_tags().unwrap();
    let paths: Vec<&str> = tags.iter().map(|t| t.path.as_str()).collect();
    for p in [
        "sector/steel",
        "sector/aluminum",
        "sector/forestry",
        "sector/automotive",
        "sector/energy",
        "sector/agriculture",
        "sector/dairy",
        "sector/critical-minerals",
        "sector/digital-services",
        "actor",
        "instrument/tariff",
        "instrument/quota",
        "instrument/cusma-review",
    ] {
        assert!(paths.contains(&p), "{p} is seeded");
    }
    let forestry = tags.iter().find(|t| t.path == "sector/forestry").unwrap();
    assert_eq!(
        forestry.label_fr.as_deref(),
        Some("Foresterie / bois d’œuvre")
    );
    // The seed SQL carries hand-written folded keys: they must equal what fold() computes.
    let mut stmt = ws
        .conn()
        .prepare("SELECT path, path_key, label, label_key, label_fr, label_fr_key FROM tag")
        .unwrap();
    let rows = stmt
        .query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, Option<String>>(4)?,
                r.get::<_, Option<String>>(5)?,
            ))
        })
        .unwrap();
    for row in rows {
        let (path, path_key, label, label_key, fr, fr_key) = row.unwrap();
        assert_eq!(fold(&path), path_key);
        assert_eq!(fold(&label), label_key);
        assert_eq!(fr.as_deref().map(fold), fr_key);
    }
    let mut stmt = ws
        .conn()
        .prepare("SELECT alias, alias_key FROM tag_alias")
        .unwrap();
    for row in stmt
        .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))
        .unwrap()
    {
        let (alias, key) = row.unwrap();
        assert_eq!(fold(&alias), key, "alias {alias}");
    }
}

#[rstest]
#[case::path("sector/steel", "sector/steel")]
#[case::label_any_case("STEEL", "sector/steel")]
#[case::french_label_no_accents("energie", "sector/energy")]
#[case::french_label_accents("Énergie", "sector/energy")]
#[case::alias_ligature("bois d'oeuvre", "sector/forestry")]
#[case::alias("softwood lumber", "sector/forestry")]
#[case::hash("#autos", "sector/automotive")]
#[case::last_segment("critical-minerals", "sector/critical-minerals")]
#[case::french_alias_accents("mineraux critiques", "sector/critical-minerals")]
fn tags_are_found_by_any_of_their_names(#[case] input: &str, #[case] path: &str) {
    let (_d, ws) = workspace();
    assert_eq!(ws.get_tag(input).unwrap().path, path);
}

#[test]
fn rename_moves_descendants_and_keeps_attachments() {
    let (_d, mut ws) = workspace();
    let s = ws
        .add_source(source("S", "Auto parts tariffs."), NOW)
        .unwrap()
        .id;
    let e = ws
        .add_excerpt(
            s,
            ExcerptTarget::Quote {
                quote: "Auto parts".into(),
                occurrence: None,
            },
            "",
            &["sector/autos/parts".into()],
            NOW,
        )
        .unwrap();
    let r = ws
        .rename_tag("sector/autos", "sector/vehicles", NOW)
        .unwrap();
    assert_eq!(
        r.renamed,
        [
            ("sector/autos".into(), "sector/vehicles".into()),
            ("sector/autos/parts".into(), "sector/vehicles/parts".into())
        ]
    );
    assert_eq!(
        ws.get_excerpt(e.id).unwrap().tags,
        ["sector/vehicles/parts"]
    );
    assert_eq!(
        ws.get_tag("sector/vehicles").unwrap().label,
        "Vehicles",
        "a default label follows the rename"
    );
    assert!(matches!(
        ws.get_tag("sector/autos"),
        Err(StoreError::TagNotFound(_))
    ));
}

#[test]
fn rename_onto_an_existing_path_is_refused_unchanged() {
    let (_d, mut ws) = workspace();
    let before = dump(&ws);
    let err = ws
        .rename_tag("sector/steel", "sector/aluminum", NOW)
        .unwrap_err();
    assert!(err.to_string().contains("already exists"), "{err}");
    assert!(
        err.to_string().contains("merge"),
        "the message points to merge: {err}"
    );
    assert_eq!(dump(&ws), before);
}

#[test]
fn merge_moves_every_attachment_once_and_keeps_old_names_as_aliases() {
    let (_d, mut ws) = workspace();
    let s = ws
        .add_source(source("S", "Lumber and wood."), NOW)
        .unwrap()
        .id;
    let both = ws
        .add_excerpt(
            s,
            ExcerptTarget::Quote {
                quote: "Lumber".into(),
                occurrence: None,
            },
            "",
            &["theme/wood".into(), "sector/forestry".into()],
            NOW,
        )
        .unwrap();
    let only = ws
        .add_excerpt(
            s,
            ExcerptTarget::Quote {
                quote: "wood".into(),
                occurrence: None,
            },
            "",
            &["theme/wood/pulp".into()],
            NOW,
        )
        .unwrap();
    ws.add_tag("sector/forestry/pulp", TagSpec::default(), NOW)
        .unwrap();
    let m = ws.merge_tag("theme/wood", "sector/forestry", NOW).unwrap();
    assert_eq!(m.removed, ["theme/wood", "theme/wood/pulp"]);
    assert_eq!(
        ws.get_excerpt(both.id).unwrap().tags,
        ["sector/forestry"],
        "no duplicate attachment"
    );
    assert_eq!(
        ws.get_excerpt(only.id).unwrap().tags,
        ["sector/forestry/pulp"],
        "children merge with children"
    );
    let forestry = ws.get_tag("sector/forestry").unwrap();
    assert_eq!(forestry.excerpt_count, 1);
    assert!(
        forestry.aliases.iter().any(|a| a == "Wood"),
        "old label kept as alias: {:?}",
        forestry.aliases
    );
    assert_eq!(
        ws.get_tag("wood").unwrap().path,
        "sector/forestry",
        "the old name still finds it"
    );
}

#[rstest]
#[case::unknown_from("theme/nothing", "sector/steel", "no tag matches")]
#[case::unknown_into("sector/steel", "theme/nothing", "no tag matches")]
#[case::into_descendant("sector", "sector/steel", "lies under it")]
#[case::same("steel", "acier", "same tag")]
fn bad_merges_are_refused_unchanged(#[case] from: &str, #[case] into: &str, #[case] message: &str) {
    let (_d, mut ws) = workspace();
    let before = dump(&ws);
    let err = ws.merge_tag(from, into, NOW).unwrap_err();
    assert!(err.to_string().contains(message), "{err}");
    assert_eq!(dump(&ws), before);
}

#[test]
fn add_edit_delete_and_counts() {
    let (_d, mut ws) = workspace();
    let t = ws
        .add_tag(
            "actor/official/trade-minister",
            TagSpec {
                label_fr: Some("Ministre du Commerce".into()),
                add_aliases: vec!["Minister".into()],
                color: Some("#ABC".into()),
                ..Default::default()
            },
            NOW,
        )
        .unwrap();
    assert_eq!(
        (t.label.as_str(), t.color.as_deref()),
        ("Trade minister", Some("#aabbcc"))
    );
    assert!(ws.get_tag("actor/official").is_ok(), "parents are created");
    assert!(matches!(
        ws.add_tag("Actor/Official/Trade-Minister", TagSpec::default(), NOW),
        Err(StoreError::TagExists(_))
    ));
    let err = ws
        .edit_tag(
            "trade minister",
            TagSpec {
                color: Some("blue".into()),
                ..Default::default()
            },
        )
        .unwrap_err();
    assert!(err.to_string().contains("not a colour"), "{err}");
    let s = ws
        .add_source(
            dossier_core::NewSource {
                tags: vec!["ministre du commerce".into()],
                ..source("S", "x")
            },
            NOW,
        )
        .unwrap()
        .id;
    assert_eq!(ws.get_tag("minister").unwrap().source_count, 1);
    assert_eq!(
        ws.delete_tag("actor/official").unwrap(),
        ["actor/official", "actor/official/trade-minister"]
    );
    assert!(
        ws.get_source(s).unwrap().summary.tags.is_empty(),
        "the source stays, untagged"
    );
}

/// Each tag's counts as the list shows them, and as counting the attachments finds them.
fn listed_and_recounted(ws: &dossier_store::Workspace) -> (Vec<String>, Vec<String>) {
    let listed = ws
        .list_tags()
        .unwrap()
        .into_iter()
        .filter(|t| t.count > 0)
        .map(|t| {
            format!(
                "{} e{} s{} q{} ={}",
                t.path, t.excerpt_count, t.source_count, t.question_count, t.count
            )
        })
        .collect();
    let mut stmt = ws
        .conn()
        .prepare(
            "SELECT t.path, e, s, q, e + s + q FROM (SELECT t.id, t.path,
                 (SELECT count(*) FROM excerpt_tag WHERE tag_id = t.id) AS e,
                 (SELECT count(*) FROM source_tag WHERE tag_id = t.id) AS s,
                 (SELECT count(*) FROM followup_tag WHERE tag_id = t.id) AS q FROM tag t) t
             WHERE e + s + q > 0 ORDER BY t.path",
        )
        .unwrap();
    let recounted = stmt
        .query_map([], |r| {
            Ok(format!(
                "{} e{} s{} q{} ={}",
                r.get::<_, String>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, i64>(2)?,
                r.get::<_, i64>(3)?,
                r.get::<_, i64>(4)?
            ))
        })
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    (listed, recounted)
}

fn assert_counts_agree(ws: &dossier_store::Workspace, after: &str) {
    let (listed, recounted) = listed_and_recounted(ws);
    assert_eq!(
        listed, recounted,
        "after {after}, the tag list's counts are the attachments' counts"
    );
    let stale: i64 = ws
        .conn()
        .query_row(
            "SELECT count(*) FROM tag_count WHERE excerpts + sources + questions = 0",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(
        stale, 0,
        "after {after}, no count row is left for a tag nothing carries"
    );
}

fn tag_count(ws: &dossier_store::Workspace, path: &str) -> (i64, i64, i64) {
    let t = ws.get_tag(path).unwrap();
    (t.excerpt_count, t.source_count, t.question_count)
}

/// The counts kept by triggers (migration 07) follow every way an attachment comes and goes.
#[test]
fn tag_counts_follow_every_attach_detach_merge_rename_and_delete() {
    use dossier_core::{ExcerptPatch, FollowUpPatch, NewFollowUp, SourcePatch};
    let (_d, mut ws) = workspace();
    let mut s = source(
        "Steel note",
        "Steel tariffs rise. Dairy quotas hold. Lumber duties fall.",
    );
    s.tags = vec!["sector/steel".into(), "topic/trade".into()];
    let a = ws.add_source(s, NOW).unwrap().id;
    let mut s = source("Dairy note", "Dairy quotas hold firm. Steel is quiet.");
    s.tags = vec!["sector/dairy".into()];
    let b = ws.add_source(s, NOW).unwrap().id;
    assert_counts_agree(&ws, "adding tagged sources");
    assert_eq!(
        tag_count(&ws, "topic/trade"),
        (0, 1, 0),
        "a new path counts its source"
    );

    let quote = |q: &str| ExcerptTarget::Quote {
        quote: q.into(),
        occurrence: None,
    };
    let tags = |ts: &[&str]| ts.iter().map(|t| t.to_string()).collect::<Vec<_>>();
    let x1 = ws
        .add_excerpt(
            a,
            quote("Steel tariffs rise"),
            "",
            &tags(&["sector/steel", "instrument/tariff"]),
            NOW,
        )
        .unwrap()
        .id;
    let x2 = ws
        .add_excerpt(
            a,
            quote("Dairy quotas hold"),
            "",
            &tags(&["sector/dairy", "topic/trade/dairy"]),
            NOW,
        )
        .unwrap()
        .id;
    let x3 = ws
        .add_excerpt(
            b,
            quote("Dairy quotas hold firm"),
            "",
            &tags(&["sector/dairy"]),
            NOW,
        )
        .unwrap()
        .id;
    assert_counts_agree(&ws, "adding tagged excerpts");
    assert_eq!(tag_count(&ws, "sector/dairy"), (2, 1, 0));

    // The same tag twice is one attachment (INSERT OR IGNORE).
    ws.edit_excerpt(
        x1,
        ExcerptPatch {
            add_tags: tags(&["sector/steel", "steel", "sector/energy"]),
            remove_tags: tags(&["instrument/tariff"]),
            ..Default::default()
        },
        NOW,
    )
    .unwrap();
    assert_counts_agree(&ws, "retagging an excerpt");
    assert_eq!(
        tag_count(&ws, "sector/steel"),
        (1, 1, 0),
        "attaching twice counts once"
    );
    assert_eq!(tag_count(&ws, "instrument/tariff"), (0, 0, 0));

    ws.edit_source(
        b,
        SourcePatch {
            add_tags: tags(&["sector/steel"]),
            remove_tags: tags(&["sector/dairy"]),
            ..Default::default()
        },
        NOW,
    )
    .unwrap();
    assert_counts_agree(&ws, "retagging a source");

    let q = ws
        .add_followup(
            NewFollowUp {
                text: "Will the dairy quota hold?".into(),
                excerpt_ids: vec![x2],
                tags: tags(&["sector/dairy", "topic/trade"]),
                ..Default::default()
            },
            NOW,
        )
        .unwrap()
        .id;
    assert_counts_agree(&ws, "adding a tagged question");
    ws.edit_followup(
        q,
        FollowUpPatch {
            add_tags: tags(&["sector/steel"]),
            remove_tags: tags(&["topic/trade"]),
            ..Default::default()
        },
        NOW,
    )
    .unwrap();
    assert_counts_agree(&ws, "retagging a question");
    assert_eq!(tag_count(&ws, "sector/steel"), (1, 2, 1));

    ws.rename_tag("topic", "subject", NOW).unwrap();
    assert_counts_agree(&ws, "renaming a tag with children");
    assert_eq!(
        tag_count(&ws, "subject/trade/dairy"),
        (1, 0, 0),
        "counts follow a rename"
    );

    // Merge: the excerpt carrying both keeps one; children merge with same-named children.
    ws.merge_tag("sector/dairy", "sector/steel", NOW).unwrap();
    assert_counts_agree(&ws, "merging a tag");
    assert_eq!(tag_count(&ws, "sector/steel"), (3, 2, 1));
    ws.merge_tag("subject/trade", "sector", NOW).unwrap();
    assert_counts_agree(&ws, "merging a subtree");

    let deleted = ws.delete_excerpt(x2).unwrap();
    assert_counts_agree(&ws, "deleting an excerpt");
    ws.restore_excerpt(&deleted, NOW).unwrap();
    assert_counts_agree(&ws, "restoring a deleted excerpt");

    ws.delete_followup(q).unwrap();
    assert_counts_agree(&ws, "deleting a question");

    ws.delete_tag("sector/energy").unwrap();
    assert_counts_agree(&ws, "deleting a tag");
    ws.delete_source(b).unwrap();
    assert_counts_agree(&ws, "deleting a source (its excerpts and tags cascade)");
    assert_eq!(tag_count(&ws, "sector/steel"), (2, 1, 0));
    let _ = x3;
    ws.delete_source(a).unwrap();
    assert_counts_agree(&ws, "deleting the last source");
    let rows: i64 = ws
        .conn()
        .query_row("SELECT count(*) FROM tag_count", [], |r| r.get(0))
        .unwrap();
    assert_eq!(rows, 0, "nothing carries a tag, so no count rows are left");

    // A write that bypasses the triggers' arithmetic (an archive import copies every table)
    // is recounted.
    let mut s = source("Third", "Aluminum prices climb.");
    s.tags = vec!["sector/aluminum".into()];
    ws.add_source(s, NOW).unwrap();
    ws.conn()
        .execute(
            "INSERT INTO tag_count (tag_id, excerpts, sources, questions)
             SELECT id, 40, 2, 7 FROM tag WHERE path = 'sector/aluminum'",
            [],
        )
        .unwrap();
    assert_counts_agree(&ws, "writing a count row directly");
}

/// An archive carries the count rows like every table; importing it recounts them, so an
/// archive with wrong counts (hand-edited, or from a build with a bug) cannot make them wrong.
#[test]
fn tag_counts_survive_archive_round_trips_and_restores() {
    use dossier_store::{archive, backup};
    let (dir, mut ws) = workspace();
    for (i, tag) in ["sector/steel", "sector/dairy", "sector/steel"]
        .iter()
        .enumerate()
    {
        let mut s = source(&format!("S{i}"), &format!("Body {i} about trade."));
        s.tags = vec![(*tag).into(), "instrument/quota".into()];
        let id = ws.add_source(s, NOW).unwrap().id;
        ws.add_excerpt(
            id,
            ExcerptTarget::Quote {
                quote: format!("Body {i}"),
                occurrence: None,
            },
            "",
            &[(*tag).into()],
            NOW,
        )
        .unwrap();
    }
    assert_counts_agree(&ws, "setting up");
    let before = listed_and_recounted(&ws).0;

    let mut exported = archive::export(&ws, NOW).unwrap();
    let rows = exported
        .tables
        .get_mut("tag_count")
        .expect("the archive carries the count table");
    assert!(!rows.is_empty());
    for row in rows.iter_mut() {
        row.insert("excerpts".into(), 99.into());
    }
    let copy = dir.path().join("copy.sqlite");
    archive::import_into_new(&copy, &exported).unwrap();
    let imported = dossier_store::Workspace::open(&copy).unwrap();
    assert_counts_agree(&imported, "importing an archive with wrong counts");
    assert_eq!(listed_and_recounted(&imported).0, before);

    // An archive of schema 6 has no count table: the migration counts.
    let mut old = archive::export(&ws, NOW).unwrap();
    old.tables.remove("tag_count");
    // Nor the tables and columns later migrations added.
    for row in old.tables.get_mut("source").unwrap().iter_mut() {
        row.remove("ocr");
        row.remove("marking");
    }
    for (table, column) in [
        ("excerpt", "marking"),
        ("briefing", "lang"),
        ("briefing_item", "frozen_marking"),
    ] {
        for row in old.tables.get_mut(table).into_iter().flatten() {
            row.remove(column);
        }
    }
    // Nor the uids schema 14 gave every synced row.
    for table in [
        "source",
        "excerpt",
        "tag",
        "followup",
        "briefing",
        "briefing_item",
        "saved_search",
    ] {
        for row in old.tables.get_mut(table).into_iter().flatten() {
            row.remove("uid");
        }
    }
    old.tables.remove("original");
    old.tables.remove("source_version");
    old.tables.remove("story_split");
    old.tables.remove("saved_search_seen");
    for row in old.tables.get_mut("saved_search").into_iter().flatten() {
        row.remove("alert");
    }
    old.tables.remove("feed");
    old.tables.remove("feed_entry");
    old.schema_version = 6;
    let older = dir.path().join("older.sqlite");
    archive::import_into_new(&older, &old).unwrap();
    let older_ws = dossier_store::Workspace::open(&older).unwrap();
    assert_counts_agree(&older_ws, "importing a schema 6 archive");
    assert_eq!(listed_and_recounted(&older_ws).0, before);

    // Restore replaces the pages wholesale, counts included.
    let kept = backup::write_manual(&ws, NOW).unwrap();
    ws.delete_tag("sector/steel").unwrap();
    assert_counts_agree(&ws, "deleting a tag");
    drop(ws);
    backup::restore(&dir.path().join("ws.sqlite"), &kept.path, super::LATER).unwrap();
    let restored = dossier_store::Workspace::open(&dir.path().join("ws.sqlite")).unwrap();
    assert_counts_agree(&restored, "restoring a backup");
    assert_eq!(listed_and_recounted(&restored).0, before);
}

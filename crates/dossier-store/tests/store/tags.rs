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

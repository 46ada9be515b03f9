//! Tags: hierarchical paths with English and French labels, aliases and a colour, attached to
//! excerpts, sources and follow-ups.
//!
//! Invariant kept by every function here: a tag's parent path always exists as a tag, so the
//! taxonomy is a tree with no gaps. Looking a tag up accepts its path, label, French label,
//! alias or last path segment, compared after accent and case folding; a name that fits several
//! tags is refused rather than guessed.

use std::collections::HashMap;

use dossier_core::{Tag, TagPath, TagSpec, fold};
use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;

use crate::error::{Result, StoreError};

/// The three kinds of thing a tag attaches to. Table and column names come from this closed
/// set only, which is why they may be formatted into SQL.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Owner {
    Excerpt,
    Source,
    FollowUp,
}

impl Owner {
    fn table(self) -> &'static str {
        match self {
            Owner::Excerpt => "excerpt_tag",
            Owner::Source => "source_tag",
            Owner::FollowUp => "followup_tag",
        }
    }
    fn column(self) -> &'static str {
        match self {
            Owner::Excerpt => "excerpt_id",
            Owner::Source => "source_id",
            Owner::FollowUp => "followup_id",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct RenamedTag {
    pub from: String,
    pub to: String,
    /// Every path that changed, descendants included, as `(old, new)`.
    pub renamed: Vec<(String, String)>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct MergedTag {
    pub from: String,
    pub into: String,
    /// Attachments moved onto the surviving tags (duplicates are dropped, not counted).
    pub moved: usize,
    /// Tags that no longer exist.
    pub removed: Vec<String>,
}

fn input_key(input: &str) -> Result<String> {
    let key = fold(input.trim().trim_start_matches('#'));
    if key.is_empty() {
        return Err(StoreError::invalid("a tag name cannot be empty"));
    }
    Ok(key)
}

/// Finds the tag `input` names, if any.
pub(crate) fn resolve(conn: &Connection, input: &str) -> Result<Option<(i64, String)>> {
    let key = input_key(input)?;
    let found = resolve_key(conn, input, &key)?;
    // `#produits-laitiers`: a name typed where spaces cannot go (a query) may use `-` or `_`.
    let spaced = key.replace(['-', '_'], " ");
    if found.is_none() && spaced != key {
        return resolve_key(conn, input, &spaced);
    }
    Ok(found)
}

fn resolve_key(conn: &Connection, input: &str, key: &str) -> Result<Option<(i64, String)>> {
    let by_path = conn
        .query_row(
            "SELECT id, path FROM tag WHERE path_key = ?1",
            [&key],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    if by_path.is_some() {
        return Ok(by_path);
    }
    let mut stmt = conn.prepare_cached(
        "SELECT id, path FROM tag WHERE label_key = ?1 OR label_fr_key = ?1
         UNION
         SELECT t.id, t.path FROM tag_alias a JOIN tag t ON t.id = a.tag_id WHERE a.alias_key = ?1
         ORDER BY 2",
    )?;
    let mut found: Vec<(i64, String)> = stmt
        .query_map([&key], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<Result<_, _>>()?;
    if found.is_empty() {
        let mut stmt = conn.prepare_cached(
            "SELECT id, path FROM tag WHERE substr(path_key, -length(?1) - 1) = '/' || ?1 ORDER BY path",
        )?;
        found = stmt
            .query_map([&key], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<Result<_, _>>()?;
    }
    match found.len() {
        0 => Ok(None),
        1 => Ok(found.pop()),
        _ => Err(StoreError::TagAmbiguous {
            input: input.to_string(),
            candidates: found.into_iter().map(|(_, p)| p).collect(),
        }),
    }
}

/// Like [`resolve`], but a tag that does not exist is an error.
pub(crate) fn require(conn: &Connection, input: &str) -> Result<(i64, String)> {
    resolve(conn, input)?.ok_or_else(|| StoreError::TagNotFound(input.trim().to_string()))
}

/// The tag `input` names, created (with any missing ancestors) when nothing matches it.
pub(crate) fn resolve_or_create(conn: &Connection, input: &str, now: &str) -> Result<i64> {
    if let Some((id, _)) = resolve(conn, input)? {
        return Ok(id);
    }
    let path = TagPath::parse(input)?;
    create_path(conn, &path, now)
}

fn id_by_path(conn: &Connection, path: &TagPath) -> Result<Option<i64>> {
    Ok(conn
        .query_row(
            "SELECT id FROM tag WHERE path_key = ?1",
            [fold(path.as_str())],
            |r| r.get(0),
        )
        .optional()?)
}

/// Creates `path` and any missing ancestors, with default labels; returns the id of `path`.
fn create_path(conn: &Connection, path: &TagPath, now: &str) -> Result<i64> {
    let mut id = 0;
    for p in path.ancestors().iter().chain(std::iter::once(path)) {
        id = match id_by_path(conn, p)? {
            Some(existing) => existing,
            None => {
                let label = p.default_label();
                conn.execute(
                    "INSERT INTO tag (path, path_key, label, label_key, created_at)
                     VALUES (?1, ?2, ?3, ?4, ?5)",
                    params![p.as_str(), fold(p.as_str()), label, fold(&label), now],
                )?;
                conn.last_insert_rowid()
            }
        };
    }
    Ok(id)
}

/// Creates a new tag; an existing path is an error.
pub fn add(conn: &Connection, input: &str, spec: &TagSpec, now: &str) -> Result<String> {
    let path = TagPath::parse(input)?;
    if id_by_path(conn, &path)?.is_some() {
        return Err(StoreError::TagExists(path.to_string()));
    }
    let id = create_path(conn, &path, now)?;
    apply_spec(conn, id, &path, spec)?;
    Ok(path.to_string())
}

/// Changes labels, aliases or colour of an existing tag.
pub fn edit(conn: &Connection, input: &str, spec: &TagSpec) -> Result<String> {
    let (id, path) = require(conn, input)?;
    let parsed = TagPath::parse(&path)?;
    apply_spec(conn, id, &parsed, spec)?;
    Ok(path)
}

fn normalize_color(input: &str) -> Result<Option<String>> {
    let c = input.trim().to_ascii_lowercase();
    if c.is_empty() {
        return Ok(None);
    }
    let hex = c.strip_prefix('#').unwrap_or(&c);
    let ok = hex.chars().all(|ch| ch.is_ascii_hexdigit());
    match hex.len() {
        6 if ok => Ok(Some(format!("#{hex}"))),
        3 if ok => Ok(Some(format!(
            "#{}",
            hex.chars().flat_map(|ch| [ch, ch]).collect::<String>()
        ))),
        _ => Err(StoreError::invalid(format!(
            "\"{input}\" is not a colour; write it as #rrggbb, for example #c62828"
        ))),
    }
}

fn apply_spec(conn: &Connection, id: i64, path: &TagPath, spec: &TagSpec) -> Result<()> {
    if let Some(label) = &spec.label {
        let label = label.trim();
        let label = if label.is_empty() {
            path.default_label()
        } else {
            label.to_string()
        };
        conn.execute(
            "UPDATE tag SET label = ?2, label_key = ?3 WHERE id = ?1",
            params![id, label, fold(&label)],
        )?;
    }
    if let Some(label_fr) = &spec.label_fr {
        let label_fr = label_fr.trim();
        let (value, key) = if label_fr.is_empty() {
            (None, None)
        } else {
            (Some(label_fr.to_string()), Some(fold(label_fr)))
        };
        conn.execute(
            "UPDATE tag SET label_fr = ?2, label_fr_key = ?3 WHERE id = ?1",
            params![id, value, key],
        )?;
    }
    if let Some(color) = &spec.color {
        conn.execute(
            "UPDATE tag SET color = ?2 WHERE id = ?1",
            params![id, normalize_color(color)?],
        )?;
    }
    for alias in &spec.add_aliases {
        let alias = alias.trim();
        if alias.is_empty() {
            return Err(StoreError::invalid("an alias cannot be empty"));
        }
        conn.execute(
            "INSERT OR IGNORE INTO tag_alias (tag_id, alias, alias_key) VALUES (?1, ?2, ?3)",
            params![id, alias, fold(alias)],
        )?;
    }
    for alias in &spec.remove_aliases {
        conn.execute(
            "DELETE FROM tag_alias WHERE tag_id = ?1 AND alias_key = ?2",
            params![id, fold(alias)],
        )?;
    }
    Ok(())
}

fn aliases_by_tag(conn: &Connection, only: Option<i64>) -> Result<HashMap<i64, Vec<String>>> {
    let mut stmt = conn.prepare_cached(
        "SELECT tag_id, alias FROM tag_alias WHERE ?1 IS NULL OR tag_id = ?1 ORDER BY tag_id, alias_key",
    )?;
    let mut map: HashMap<i64, Vec<String>> = HashMap::new();
    for row in stmt.query_map([only], |r| {
        Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?))
    })? {
        let (id, alias) = row?;
        map.entry(id).or_default().push(alias);
    }
    Ok(map)
}

// The counts come from `tag_count`, which triggers keep (migration 07): counting the
// attachments of every tag on each listing read every attachment row, ~10 ms at 150,000.
const TAG_SELECT: &str = "SELECT t.id, t.path, t.label, t.label_fr, t.color,
        coalesce(c.excerpts, 0), coalesce(c.sources, 0), coalesce(c.questions, 0), t.uid
     FROM tag t LEFT JOIN tag_count c ON c.tag_id = t.id";

fn tag_from_row(
    r: &rusqlite::Row<'_>,
    aliases: &mut HashMap<i64, Vec<String>>,
) -> rusqlite::Result<Tag> {
    let id: i64 = r.get(0)?;
    let (excerpt_count, source_count, question_count): (i64, i64, i64) =
        (r.get(5)?, r.get(6)?, r.get(7)?);
    Ok(Tag {
        uid: r.get(8)?,
        path: r.get(1)?,
        label: r.get(2)?,
        label_fr: r.get(3)?,
        aliases: aliases.remove(&id).unwrap_or_default(),
        color: r.get(4)?,
        count: excerpt_count + source_count + question_count,
        excerpt_count,
        source_count,
        question_count,
    })
}

/// Every tag, by path, with what it is attached to.
pub fn list(conn: &Connection) -> Result<Vec<Tag>> {
    let mut aliases = aliases_by_tag(conn, None)?;
    let mut stmt = conn.prepare_cached(&format!("{TAG_SELECT} ORDER BY t.path"))?;
    let tags = stmt
        .query_map([], |r| tag_from_row(r, &mut aliases))?
        .collect::<Result<_, _>>()?;
    Ok(tags)
}

pub fn get(conn: &Connection, input: &str) -> Result<Tag> {
    let (id, _) = require(conn, input)?;
    let mut aliases = aliases_by_tag(conn, Some(id))?;
    Ok(
        conn.query_row(&format!("{TAG_SELECT} WHERE t.id = ?1"), [id], |r| {
            tag_from_row(r, &mut aliases)
        })?,
    )
}

/// The tag and everything under it, as `(id, path)`, parents before children.
pub(crate) fn subtree(conn: &Connection, path: &str) -> Result<Vec<(i64, String)>> {
    // A range on `path` rather than LIKE: paths may contain `_`, a LIKE wildcard, and the range
    // uses the unique index. '0' is the character after '/'.
    let mut stmt = conn.prepare_cached(
        "SELECT id, path FROM tag WHERE path = ?1 OR (path > ?1 || '/' AND path < ?1 || '0') ORDER BY path",
    )?;
    let rows = stmt
        .query_map([path], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<Result<_, _>>()?;
    Ok(rows)
}

/// Renames a tag and every tag under it. Refused onto a path that already exists.
pub fn rename(conn: &Connection, old: &str, new: &str, now: &str) -> Result<RenamedTag> {
    let (_, old_path) = require(conn, old)?;
    let old_path = TagPath::parse(&old_path)?;
    let new_path = TagPath::parse(new)?;
    if fold(new_path.as_str()) == fold(old_path.as_str()) {
        return Err(StoreError::invalid(format!(
            "the tag is already called {new_path}"
        )));
    }
    if new_path.is_within(&old_path) {
        return Err(StoreError::invalid(format!(
            "cannot move {old_path} under itself ({new_path})"
        )));
    }
    let renamed = rename_subtree(conn, &old_path, &new_path, now)?;
    Ok(RenamedTag {
        from: old_path.to_string(),
        to: new_path.to_string(),
        renamed,
    })
}

fn rename_subtree(
    conn: &Connection,
    old_path: &TagPath,
    new_path: &TagPath,
    now: &str,
) -> Result<Vec<(String, String)>> {
    let nodes = subtree(conn, old_path.as_str())?;
    let mut plan = Vec::with_capacity(nodes.len());
    for (id, path) in nodes {
        let from = TagPath::parse(&path)?;
        let to = from
            .rebase(old_path, new_path)
            .expect("subtree members are within the root");
        if id_by_path(conn, &to)?.is_some() {
            return Err(StoreError::RenameOntoExisting(to.to_string()));
        }
        plan.push((id, from, to));
    }
    if let Some(parent) = new_path.parent() {
        create_path(conn, &parent, now)?;
    }
    let mut out = Vec::with_capacity(plan.len());
    for (id, from, to) in plan {
        // A label still equal to the old default follows the new name; a chosen label stays.
        conn.execute(
            "UPDATE tag SET path = ?2, path_key = ?3,
                 label = CASE WHEN label = ?4 THEN ?5 ELSE label END,
                 label_key = CASE WHEN label = ?4 THEN ?6 ELSE label_key END
             WHERE id = ?1",
            params![
                id,
                to.as_str(),
                fold(to.as_str()),
                from.default_label(),
                to.default_label(),
                fold(&to.default_label())
            ],
        )?;
        out.push((from.to_string(), to.to_string()));
    }
    Ok(out)
}

/// Folds `from` into `into`: every attachment moves (an item that had both keeps one), `from`'s
/// label and aliases become aliases of `into` so old names still find it, and `from`'s children
/// move under `into` (merging with same-named children there).
pub fn merge(conn: &Connection, from: &str, into: &str, now: &str) -> Result<MergedTag> {
    let (_, from_path) = require(conn, from)?;
    let (_, into_path) = require(conn, into)?;
    let from_path = TagPath::parse(&from_path)?;
    let into_path = TagPath::parse(&into_path)?;
    if from_path == into_path {
        return Err(StoreError::invalid(format!(
            "{from_path} and {into_path} are the same tag"
        )));
    }
    if into_path.is_within(&from_path) {
        return Err(StoreError::invalid(format!(
            "cannot merge {from_path} into {into_path}, which lies under it"
        )));
    }
    let mut moved = 0;
    for (_, path) in subtree(conn, from_path.as_str())? {
        let node = TagPath::parse(&path)?;
        let Some(node_id) = id_by_path(conn, &node)? else {
            continue; // already carried along by a subtree rename below
        };
        let target = node.rebase(&from_path, &into_path).expect("within from");
        match id_by_path(conn, &target)? {
            Some(target_id) => {
                moved += move_attachments(conn, node_id, target_id)?;
                carry_names(conn, node_id, target_id)?;
            }
            None => {
                rename_subtree(conn, &node, &target, now)?;
            }
        }
    }
    let removed: Vec<String> = subtree(conn, from_path.as_str())?
        .into_iter()
        .map(|(_, p)| p)
        .collect();
    conn.execute(
        "DELETE FROM tag WHERE path = ?1 OR (path > ?1 || '/' AND path < ?1 || '0')",
        [from_path.as_str()],
    )?;
    Ok(MergedTag {
        from: from_path.to_string(),
        into: into_path.to_string(),
        moved,
        removed,
    })
}

fn move_attachments(conn: &Connection, from_id: i64, into_id: i64) -> Result<usize> {
    let mut moved = 0;
    for owner in [Owner::Excerpt, Owner::Source, Owner::FollowUp] {
        let (table, col) = (owner.table(), owner.column());
        moved += conn.execute(
            &format!(
                "INSERT OR IGNORE INTO {table} ({col}, tag_id, position)
                 SELECT {col}, ?2, position FROM {table} WHERE tag_id = ?1"
            ),
            params![from_id, into_id],
        )?;
        conn.execute(&format!("DELETE FROM {table} WHERE tag_id = ?1"), [from_id])?;
    }
    Ok(moved)
}

fn carry_names(conn: &Connection, from_id: i64, into_id: i64) -> Result<()> {
    conn.execute(
        "INSERT OR IGNORE INTO tag_alias (tag_id, alias, alias_key)
         SELECT ?2, label, label_key FROM tag WHERE id = ?1
         UNION ALL
         SELECT ?2, alias, alias_key FROM tag_alias WHERE tag_id = ?1",
        params![from_id, into_id],
    )?;
    // An alias equal to the surviving tag's own label adds nothing.
    conn.execute(
        "DELETE FROM tag_alias WHERE tag_id = ?1
           AND alias_key IN (SELECT label_key FROM tag WHERE id = ?1
                             UNION SELECT label_fr_key FROM tag WHERE id = ?1 AND label_fr_key IS NOT NULL)",
        [into_id],
    )?;
    Ok(())
}

/// Deletes a tag and every tag under it; what they were attached to stays. Returns the paths
/// removed.
pub fn delete(conn: &Connection, input: &str) -> Result<Vec<String>> {
    let (_, path) = require(conn, input)?;
    let removed: Vec<String> = subtree(conn, &path)?.into_iter().map(|(_, p)| p).collect();
    conn.execute(
        "DELETE FROM tag WHERE path = ?1 OR (path > ?1 || '/' AND path < ?1 || '0')",
        [&path],
    )?;
    Ok(removed)
}

pub(crate) fn attach(conn: &Connection, owner: Owner, owner_id: i64, tag_id: i64) -> Result<()> {
    let (table, col) = (owner.table(), owner.column());
    conn.execute(
        &format!(
            "INSERT OR IGNORE INTO {table} ({col}, tag_id, position)
             VALUES (?1, ?2, (SELECT coalesce(max(position), 0) + 1 FROM {table} WHERE {col} = ?1))"
        ),
        params![owner_id, tag_id],
    )?;
    Ok(())
}

pub(crate) fn detach(conn: &Connection, owner: Owner, owner_id: i64, tag_id: i64) -> Result<()> {
    let (table, col) = (owner.table(), owner.column());
    conn.execute(
        &format!("DELETE FROM {table} WHERE {col} = ?1 AND tag_id = ?2"),
        params![owner_id, tag_id],
    )?;
    Ok(())
}

/// Attaches each named tag (creating unknown paths) and detaches each of `remove` (which must
/// exist).
pub(crate) fn retag(
    conn: &Connection,
    owner: Owner,
    owner_id: i64,
    add: &[String],
    remove: &[String],
    now: &str,
) -> Result<()> {
    for input in remove {
        let (tag_id, _) = require(conn, input)?;
        detach(conn, owner, owner_id, tag_id)?;
    }
    for input in add {
        let tag_id = resolve_or_create(conn, input, now)?;
        attach(conn, owner, owner_id, tag_id)?;
    }
    Ok(())
}

/// Tag paths of one item, in attachment order.
pub(crate) fn paths_of(conn: &Connection, owner: Owner, owner_id: i64) -> Result<Vec<String>> {
    let (table, col) = (owner.table(), owner.column());
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT t.path FROM {table} x JOIN tag t ON t.id = x.tag_id WHERE x.{col} = ?1 ORDER BY x.position, t.path"
    ))?;
    let paths = stmt
        .query_map([owner_id], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    Ok(paths)
}

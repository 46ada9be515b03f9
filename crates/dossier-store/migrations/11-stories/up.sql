-- One story across outlets (near-duplicates) and alerts on saved searches.

-- Derived, rebuilt locally (no uid): a row per source whose shingles were computed (shingles is
-- 0 for a text too short to compare), and its MinHash band keys. A source without a row here
-- is indexed when the workspace next opens.
CREATE TABLE source_neardup (
    source_id INTEGER PRIMARY KEY REFERENCES source(id) ON DELETE CASCADE,
    shingles INTEGER NOT NULL
);
CREATE TABLE source_band (
    key INTEGER NOT NULL,
    source_id INTEGER NOT NULL REFERENCES source(id) ON DELETE CASCADE,
    PRIMARY KEY (key, source_id)
) WITHOUT ROWID;
CREATE INDEX source_band_source ON source_band(source_id);

-- Derived: the story a source belongs to, when it has copies. `story` is an id shared by the
-- copies (the first representative's source id); the representative is the member with the
-- smallest source id.
CREATE TABLE story_member (
    source_id INTEGER PRIMARY KEY REFERENCES source(id) ON DELETE CASCADE,
    story INTEGER NOT NULL
);
CREATE INDEX story_member_story ON story_member(story);

-- The analyst's decision that a source is its own story: synced.
CREATE TABLE story_split (
    id INTEGER PRIMARY KEY,
    uid TEXT NOT NULL UNIQUE,
    source_id INTEGER NOT NULL UNIQUE REFERENCES source(id) ON DELETE CASCADE,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

-- Alerts: a saved search may be one; each remembers what it matched when the user last looked
-- (a set, not a high-water mark: an old item edited into matching is new to the search).
ALTER TABLE saved_search ADD COLUMN alert INTEGER NOT NULL DEFAULT 0 CHECK (alert IN (0, 1));
CREATE TABLE saved_search_seen (
    saved_search_id INTEGER NOT NULL REFERENCES saved_search(id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('excerpt', 'source', 'question')),
    item_id INTEGER NOT NULL,
    PRIMARY KEY (saved_search_id, kind, item_id)
) WITHOUT ROWID;

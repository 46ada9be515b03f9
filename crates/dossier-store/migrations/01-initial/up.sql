-- Dossier workspace schema, version 1. Append-only: fix forward in a new folder, never edit.
-- Times are RFC 3339 UTC text; dates are YYYY-MM-DD text (both sort correctly as text).

CREATE TABLE source (
    id           INTEGER PRIMARY KEY,
    title        TEXT NOT NULL CHECK (title <> ''),
    outlet       TEXT,
    -- A JSON array of names: authors are shown and searched, never joined on.
    authors      TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(authors) AND json_type(authors) = 'array'),
    published    TEXT CHECK (published IS NULL OR published GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    url          TEXT,
    lang         TEXT,
    captured_at  TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    -- Normalized once at capture (UTF-8, \n, NFC); excerpt offsets count code points of it.
    body         TEXT NOT NULL,
    -- SHA-256 of body: the same text is never kept twice.
    content_hash TEXT NOT NULL UNIQUE,
    notes        TEXT NOT NULL DEFAULT '',
    -- The file path or URL it came from, so a re-import finds it again.
    origin       TEXT
) STRICT;

CREATE INDEX source_published ON source (published);
CREATE INDEX source_origin ON source (origin) WHERE origin IS NOT NULL;

CREATE TABLE excerpt (
    id         INTEGER PRIMARY KEY,
    source_id  INTEGER NOT NULL REFERENCES source (id) ON DELETE CASCADE,
    -- The quote is stored as well as its offsets, so an excerpt survives edits to its source
    -- and can be re-anchored (or shown as orphaned) rather than silently pointing elsewhere.
    quote      TEXT NOT NULL CHECK (quote <> ''),
    prefix     TEXT NOT NULL DEFAULT '',
    suffix     TEXT NOT NULL DEFAULT '',
    start      INTEGER NOT NULL CHECK (start >= 0),
    "end"      INTEGER NOT NULL CHECK ("end" > start),
    note       TEXT NOT NULL DEFAULT '',
    orphaned   INTEGER NOT NULL DEFAULT 0 CHECK (orphaned IN (0, 1)),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
) STRICT;

CREATE INDEX excerpt_source ON excerpt (source_id, start);

CREATE TABLE tag (
    id          INTEGER PRIMARY KEY,
    path        TEXT NOT NULL UNIQUE,
    -- Folded (lowercase, no accents) copies for case- and accent-insensitive lookups.
    path_key    TEXT NOT NULL UNIQUE,
    label       TEXT NOT NULL,
    label_key   TEXT NOT NULL,
    label_fr    TEXT,
    label_fr_key TEXT,
    color       TEXT CHECK (color IS NULL OR color GLOB '#[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]'),
    created_at  TEXT NOT NULL
) STRICT;

CREATE INDEX tag_label_key ON tag (label_key);
CREATE INDEX tag_label_fr_key ON tag (label_fr_key);

CREATE TABLE tag_alias (
    tag_id    INTEGER NOT NULL REFERENCES tag (id) ON DELETE CASCADE,
    alias     TEXT NOT NULL,
    alias_key TEXT NOT NULL,
    PRIMARY KEY (tag_id, alias_key)
) STRICT, WITHOUT ROWID;

CREATE INDEX tag_alias_key ON tag_alias (alias_key);

-- Attachments. `position` keeps the order tags were put on an excerpt: the first one colours
-- its highlight.
CREATE TABLE excerpt_tag (
    excerpt_id INTEGER NOT NULL REFERENCES excerpt (id) ON DELETE CASCADE,
    tag_id     INTEGER NOT NULL REFERENCES tag (id) ON DELETE CASCADE,
    position   INTEGER NOT NULL,
    PRIMARY KEY (excerpt_id, tag_id)
) STRICT, WITHOUT ROWID;

CREATE INDEX excerpt_tag_tag ON excerpt_tag (tag_id, excerpt_id);

CREATE TABLE source_tag (
    source_id INTEGER NOT NULL REFERENCES source (id) ON DELETE CASCADE,
    tag_id    INTEGER NOT NULL REFERENCES tag (id) ON DELETE CASCADE,
    position  INTEGER NOT NULL,
    PRIMARY KEY (source_id, tag_id)
) STRICT, WITHOUT ROWID;

CREATE INDEX source_tag_tag ON source_tag (tag_id, source_id);

CREATE TABLE followup (
    id          INTEGER PRIMARY KEY,
    question    TEXT NOT NULL CHECK (question <> ''),
    status      TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'answered', 'dropped')),
    due         TEXT CHECK (due IS NULL OR due GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    owner       TEXT,
    answer      TEXT,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    answered_at TEXT
) STRICT;

CREATE INDEX followup_status ON followup (status, due);

-- `role` separates the excerpts a question concerns from those that support its answer;
-- one excerpt can be both.
CREATE TABLE followup_excerpt (
    followup_id INTEGER NOT NULL REFERENCES followup (id) ON DELETE CASCADE,
    excerpt_id  INTEGER NOT NULL REFERENCES excerpt (id) ON DELETE CASCADE,
    role        TEXT NOT NULL CHECK (role IN ('concerns', 'answer')),
    position    INTEGER NOT NULL,
    PRIMARY KEY (followup_id, role, excerpt_id)
) STRICT, WITHOUT ROWID;

CREATE INDEX followup_excerpt_excerpt ON followup_excerpt (excerpt_id);

CREATE TABLE followup_source (
    followup_id INTEGER NOT NULL REFERENCES followup (id) ON DELETE CASCADE,
    source_id   INTEGER NOT NULL REFERENCES source (id) ON DELETE CASCADE,
    position    INTEGER NOT NULL,
    PRIMARY KEY (followup_id, source_id)
) STRICT, WITHOUT ROWID;

CREATE INDEX followup_source_source ON followup_source (source_id);

CREATE TABLE followup_tag (
    followup_id INTEGER NOT NULL REFERENCES followup (id) ON DELETE CASCADE,
    tag_id      INTEGER NOT NULL REFERENCES tag (id) ON DELETE CASCADE,
    position    INTEGER NOT NULL,
    PRIMARY KEY (followup_id, tag_id)
) STRICT, WITHOUT ROWID;

CREATE INDEX followup_tag_tag ON followup_tag (tag_id, followup_id);

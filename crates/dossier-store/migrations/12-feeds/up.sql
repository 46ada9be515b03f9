-- Feed subscriptions and the inbox of their entries.
--
-- A feed keeps its own polling state (validators for conditional GET, when it is due next, how
-- many polls in a row failed) beside what the analyst set. Tags are a JSON array of tag paths,
-- applied to what is kept from the feed; they are not attachments of their own.
CREATE TABLE feed (
    id            INTEGER PRIMARY KEY,
    uid           TEXT NOT NULL UNIQUE,
    url           TEXT NOT NULL UNIQUE CHECK (url <> ''),
    title         TEXT NOT NULL DEFAULT '',
    tags          TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(tags) AND json_type(tags) = 'array'),
    every_minutes INTEGER NOT NULL DEFAULT 60 CHECK (every_minutes >= 1),
    full_text     INTEGER NOT NULL DEFAULT 0 CHECK (full_text IN (0, 1)),
    -- A query in the search language: entries matching it are kept at poll.
    auto_query    TEXT,
    etag          TEXT,
    last_modified TEXT,
    last_polled   TEXT,
    -- NULL: due now.
    next_poll     TEXT,
    last_error    TEXT,
    failures      INTEGER NOT NULL DEFAULT 0 CHECK (failures >= 0),
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
) STRICT;

-- One row per entry ever seen: `entry_key` (the guid, else the link, else a hash of the text)
-- is unique per feed, so an entry seen once never comes back, even with a new title. Summaries
-- are plain text, never HTML. Removing a feed removes its entries (the sources kept from them
-- stay).
CREATE TABLE feed_entry (
    id         INTEGER PRIMARY KEY,
    uid        TEXT NOT NULL UNIQUE,
    feed_id    INTEGER NOT NULL REFERENCES feed (id) ON DELETE CASCADE,
    entry_key  TEXT NOT NULL CHECK (entry_key <> ''),
    title      TEXT NOT NULL,
    link       TEXT,
    published  TEXT,
    summary    TEXT NOT NULL DEFAULT '',
    status     TEXT NOT NULL DEFAULT 'new' CHECK (status IN ('new', 'kept', 'dismissed')),
    source_id  INTEGER REFERENCES source (id) ON DELETE SET NULL,
    seen_at    TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (feed_id, entry_key)
) STRICT;

CREATE INDEX feed_entry_status ON feed_entry (status, feed_id);
CREATE INDEX feed_entry_link ON feed_entry (link) WHERE link IS NOT NULL;
-- An entry whose article is already a source is not taken: looked up by the source's URL.
CREATE INDEX source_url ON source (url) WHERE url IS NOT NULL;

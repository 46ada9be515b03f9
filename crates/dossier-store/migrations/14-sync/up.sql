-- A team workspace: every synced row gets a global id, and the tables a replica keeps to sync.
--
-- `uid` is a UUIDv7 (time-ordered, 122 bits of which random enough that two replicas never pick
-- the same). The local integer ids stay for the CLI and the UI; rows travel between replicas by
-- uid. Link tables (excerpt_tag, followup_source, ...) and briefing_section are known by the uids
-- of what they link, so they need no column of their own. Code that inserts a row may leave uid
-- out: a trigger gives it one in the same statement.

ALTER TABLE source ADD COLUMN uid TEXT;
UPDATE source SET uid = lower(printf('%08x-%04x-7%03x-%04x-%012x', (CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) >> 16) & 4294967295, CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) & 65535, abs(random() % 4096), 32768 + abs(random() % 16384), abs(random() % 281474976710656)));
CREATE UNIQUE INDEX source_uid ON source (uid);
CREATE TRIGGER source_uid_fill AFTER INSERT ON source WHEN NEW.uid IS NULL BEGIN
    UPDATE source SET uid = lower(printf('%08x-%04x-7%03x-%04x-%012x', (CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) >> 16) & 4294967295, CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) & 65535, abs(random() % 4096), 32768 + abs(random() % 16384), abs(random() % 281474976710656))) WHERE rowid = NEW.rowid;
END;

ALTER TABLE excerpt ADD COLUMN uid TEXT;
UPDATE excerpt SET uid = lower(printf('%08x-%04x-7%03x-%04x-%012x', (CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) >> 16) & 4294967295, CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) & 65535, abs(random() % 4096), 32768 + abs(random() % 16384), abs(random() % 281474976710656)));
CREATE UNIQUE INDEX excerpt_uid ON excerpt (uid);
CREATE TRIGGER excerpt_uid_fill AFTER INSERT ON excerpt WHEN NEW.uid IS NULL BEGIN
    UPDATE excerpt SET uid = lower(printf('%08x-%04x-7%03x-%04x-%012x', (CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) >> 16) & 4294967295, CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) & 65535, abs(random() % 4096), 32768 + abs(random() % 16384), abs(random() % 281474976710656))) WHERE rowid = NEW.rowid;
END;

ALTER TABLE tag ADD COLUMN uid TEXT;
UPDATE tag SET uid = lower(printf('%08x-%04x-7%03x-%04x-%012x', (CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) >> 16) & 4294967295, CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) & 65535, abs(random() % 4096), 32768 + abs(random() % 16384), abs(random() % 281474976710656)));
CREATE UNIQUE INDEX tag_uid ON tag (uid);
CREATE TRIGGER tag_uid_fill AFTER INSERT ON tag WHEN NEW.uid IS NULL BEGIN
    UPDATE tag SET uid = lower(printf('%08x-%04x-7%03x-%04x-%012x', (CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) >> 16) & 4294967295, CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) & 65535, abs(random() % 4096), 32768 + abs(random() % 16384), abs(random() % 281474976710656))) WHERE rowid = NEW.rowid;
END;

ALTER TABLE followup ADD COLUMN uid TEXT;
UPDATE followup SET uid = lower(printf('%08x-%04x-7%03x-%04x-%012x', (CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) >> 16) & 4294967295, CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) & 65535, abs(random() % 4096), 32768 + abs(random() % 16384), abs(random() % 281474976710656)));
CREATE UNIQUE INDEX followup_uid ON followup (uid);
CREATE TRIGGER followup_uid_fill AFTER INSERT ON followup WHEN NEW.uid IS NULL BEGIN
    UPDATE followup SET uid = lower(printf('%08x-%04x-7%03x-%04x-%012x', (CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) >> 16) & 4294967295, CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) & 65535, abs(random() % 4096), 32768 + abs(random() % 16384), abs(random() % 281474976710656))) WHERE rowid = NEW.rowid;
END;

ALTER TABLE briefing ADD COLUMN uid TEXT;
UPDATE briefing SET uid = lower(printf('%08x-%04x-7%03x-%04x-%012x', (CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) >> 16) & 4294967295, CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) & 65535, abs(random() % 4096), 32768 + abs(random() % 16384), abs(random() % 281474976710656)));
CREATE UNIQUE INDEX briefing_uid ON briefing (uid);
CREATE TRIGGER briefing_uid_fill AFTER INSERT ON briefing WHEN NEW.uid IS NULL BEGIN
    UPDATE briefing SET uid = lower(printf('%08x-%04x-7%03x-%04x-%012x', (CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) >> 16) & 4294967295, CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) & 65535, abs(random() % 4096), 32768 + abs(random() % 16384), abs(random() % 281474976710656))) WHERE rowid = NEW.rowid;
END;

ALTER TABLE briefing_item ADD COLUMN uid TEXT;
UPDATE briefing_item SET uid = lower(printf('%08x-%04x-7%03x-%04x-%012x', (CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) >> 16) & 4294967295, CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) & 65535, abs(random() % 4096), 32768 + abs(random() % 16384), abs(random() % 281474976710656)));
CREATE UNIQUE INDEX briefing_item_uid ON briefing_item (uid);
CREATE TRIGGER briefing_item_uid_fill AFTER INSERT ON briefing_item WHEN NEW.uid IS NULL BEGIN
    UPDATE briefing_item SET uid = lower(printf('%08x-%04x-7%03x-%04x-%012x', (CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) >> 16) & 4294967295, CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) & 65535, abs(random() % 4096), 32768 + abs(random() % 16384), abs(random() % 281474976710656))) WHERE rowid = NEW.rowid;
END;

ALTER TABLE saved_search ADD COLUMN uid TEXT;
UPDATE saved_search SET uid = lower(printf('%08x-%04x-7%03x-%04x-%012x', (CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) >> 16) & 4294967295, CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) & 65535, abs(random() % 4096), 32768 + abs(random() % 16384), abs(random() % 281474976710656)));
CREATE UNIQUE INDEX saved_search_uid ON saved_search (uid);
CREATE TRIGGER saved_search_uid_fill AFTER INSERT ON saved_search WHEN NEW.uid IS NULL BEGIN
    UPDATE saved_search SET uid = lower(printf('%08x-%04x-7%03x-%04x-%012x', (CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) >> 16) & 4294967295, CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) & 65535, abs(random() % 4096), 32768 + abs(random() % 16384), abs(random() % 281474976710656))) WHERE rowid = NEW.rowid;
END;


-- The replica's side of the team: one row once the workspace joined a team, none before.
CREATE TABLE sync_state (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    team        TEXT NOT NULL,
    server      TEXT NOT NULL,
    replica     TEXT NOT NULL,
    role        TEXT NOT NULL,
    last_pulled INTEGER NOT NULL DEFAULT 0,
    last_sync   TEXT,
    last_error  TEXT,
    joined_at   TEXT NOT NULL
) STRICT;

-- Every change made here, captured by triggers in the same transaction as the change itself.
-- `seq` is the position the server gave it; NULL while it waits to be pushed.
CREATE TABLE sync_outbox (
    id         INTEGER PRIMARY KEY,
    change_uid TEXT NOT NULL UNIQUE,
    tx_uid     TEXT NOT NULL,
    tbl        TEXT NOT NULL,
    row_uid    TEXT NOT NULL,
    op         TEXT NOT NULL CHECK (op IN ('insert', 'update', 'delete')),
    old        TEXT CHECK (old IS NULL OR json_valid(old)),
    new        TEXT CHECK (new IS NULL OR json_valid(new)),
    made_at    TEXT NOT NULL,
    seq        INTEGER,
    -- The row as it was before this change was last replayed over newer changes of the team
    -- ({"image": {...}} or {"absent": true}); NULL: as `old` says.
    undo       TEXT CHECK (undo IS NULL OR json_valid(undo))
) STRICT;

CREATE INDEX sync_outbox_pending ON sync_outbox (id) WHERE seq IS NULL;
CREATE INDEX sync_outbox_row ON sync_outbox (tbl, row_uid);

-- The change that last set each field of each row, so a concurrent edit knows what it displaced
-- (and who made it).
CREATE TABLE sync_field_clock (
    tbl        TEXT NOT NULL,
    row_uid    TEXT NOT NULL,
    field      TEXT NOT NULL,
    change_uid TEXT NOT NULL,
    seq        INTEGER NOT NULL,
    author     TEXT NOT NULL,
    at         TEXT NOT NULL,
    PRIMARY KEY (tbl, row_uid, field)
) STRICT, WITHOUT ROWID;

-- Who last changed each row, and when (shown on the item).
CREATE TABLE sync_row_author (
    tbl     TEXT NOT NULL,
    row_uid TEXT NOT NULL,
    author  TEXT NOT NULL,
    at      TEXT NOT NULL,
    PRIMARY KEY (tbl, row_uid)
) STRICT, WITHOUT ROWID;

-- The last image of each deleted row, so an edit concurrent with its delete can bring it back.
CREATE TABLE sync_tombstone (
    tbl        TEXT NOT NULL,
    row_uid    TEXT NOT NULL,
    image      TEXT NOT NULL CHECK (json_valid(image)),
    change_uid TEXT NOT NULL,
    PRIMARY KEY (tbl, row_uid)
) STRICT, WITHOUT ROWID;

-- Two replicas that created the same thing (a tag path, the same article): the later uid is an
-- alias of the first in the team's order.
CREATE TABLE sync_alias (
    tbl       TEXT NOT NULL,
    uid       TEXT NOT NULL,
    canonical TEXT NOT NULL,
    PRIMARY KEY (tbl, uid)
) STRICT, WITHOUT ROWID;

-- Concurrent edits: the value that lost is kept here, beside the one that stands. Every replica
-- derives the same conflicts from the team's log (`uid` is made from the losing change), and
-- resolving one is itself a change that syncs.
CREATE TABLE sync_conflict (
    id          INTEGER PRIMARY KEY,
    uid         TEXT NOT NULL UNIQUE,
    kind        TEXT NOT NULL CHECK (kind IN ('edit', 'edit_delete', 'rejected')),
    tbl         TEXT NOT NULL,
    item_uid    TEXT NOT NULL,
    field       TEXT,
    kept        TEXT,
    kept_by     TEXT NOT NULL,
    kept_at     TEXT NOT NULL,
    other       TEXT,
    other_by    TEXT NOT NULL,
    other_at    TEXT NOT NULL,
    resolved    TEXT CHECK (resolved IS NULL OR resolved IN ('kept', 'other')),
    resolved_by TEXT,
    resolved_at TEXT,
    -- Found while replaying changes made here over the team's: found again at each sync until
    -- those changes are in the log.
    provisional INTEGER NOT NULL DEFAULT 0 CHECK (provisional IN (0, 1)),
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
) STRICT;

CREATE INDEX sync_conflict_open ON sync_conflict (id) WHERE resolved IS NULL;

-- Set (one row) while a replica applies the team's changes, which must not be captured again.
-- Written and cleared inside the applying transaction, so it is never seen committed.
CREATE TABLE sync_applying (
    id INTEGER PRIMARY KEY CHECK (id = 1)
) STRICT;

-- While a row is being deleted, its uid, so the rows its delete cascades to can still name it.
CREATE TABLE sync_deleting (
    tbl TEXT NOT NULL,
    id  INTEGER NOT NULL,
    uid TEXT NOT NULL,
    PRIMARY KEY (tbl, id)
) STRICT, WITHOUT ROWID;

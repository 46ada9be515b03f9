-- Full-text search: one FTS5 index per kind of item, over the base tables (external content,
-- so text is stored once), kept in sync by triggers so no write path can forget them.
-- `unicode61 remove_diacritics 2` folds case and accents at index and query time (energie finds
-- énergie); prefix indexes on 2 and 3 characters keep `tar*` fast. Ligatures (œ) are not
-- diacritics: the query compiler searches both spellings instead.

CREATE VIRTUAL TABLE source_fts USING fts5 (
    title, outlet, body,
    content = 'source', content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3'
);

CREATE VIRTUAL TABLE excerpt_fts USING fts5 (
    quote, note,
    content = 'excerpt', content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3'
);

CREATE VIRTUAL TABLE followup_fts USING fts5 (
    question, answer,
    content = 'followup', content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3'
);

CREATE TRIGGER source_fts_insert AFTER INSERT ON source BEGIN
    INSERT INTO source_fts (rowid, title, outlet, body) VALUES (new.id, new.title, new.outlet, new.body);
END;
CREATE TRIGGER source_fts_delete AFTER DELETE ON source BEGIN
    INSERT INTO source_fts (source_fts, rowid, title, outlet, body) VALUES ('delete', old.id, old.title, old.outlet, old.body);
END;
CREATE TRIGGER source_fts_update AFTER UPDATE OF title, outlet, body ON source BEGIN
    INSERT INTO source_fts (source_fts, rowid, title, outlet, body) VALUES ('delete', old.id, old.title, old.outlet, old.body);
    INSERT INTO source_fts (rowid, title, outlet, body) VALUES (new.id, new.title, new.outlet, new.body);
END;

CREATE TRIGGER excerpt_fts_insert AFTER INSERT ON excerpt BEGIN
    INSERT INTO excerpt_fts (rowid, quote, note) VALUES (new.id, new.quote, new.note);
END;
CREATE TRIGGER excerpt_fts_delete AFTER DELETE ON excerpt BEGIN
    INSERT INTO excerpt_fts (excerpt_fts, rowid, quote, note) VALUES ('delete', old.id, old.quote, old.note);
END;
CREATE TRIGGER excerpt_fts_update AFTER UPDATE OF quote, note ON excerpt BEGIN
    INSERT INTO excerpt_fts (excerpt_fts, rowid, quote, note) VALUES ('delete', old.id, old.quote, old.note);
    INSERT INTO excerpt_fts (rowid, quote, note) VALUES (new.id, new.quote, new.note);
END;

CREATE TRIGGER followup_fts_insert AFTER INSERT ON followup BEGIN
    INSERT INTO followup_fts (rowid, question, answer) VALUES (new.id, new.question, new.answer);
END;
CREATE TRIGGER followup_fts_delete AFTER DELETE ON followup BEGIN
    INSERT INTO followup_fts (followup_fts, rowid, question, answer) VALUES ('delete', old.id, old.question, old.answer);
END;
CREATE TRIGGER followup_fts_update AFTER UPDATE OF question, answer ON followup BEGIN
    INSERT INTO followup_fts (followup_fts, rowid, question, answer) VALUES ('delete', old.id, old.question, old.answer);
    INSERT INTO followup_fts (rowid, question, answer) VALUES (new.id, new.question, new.answer);
END;

-- Workspaces created before this migration get their existing text indexed.
INSERT INTO source_fts (source_fts) VALUES ('rebuild');
INSERT INTO excerpt_fts (excerpt_fts) VALUES ('rebuild');
INSERT INTO followup_fts (followup_fts) VALUES ('rebuild');

CREATE TABLE saved_search (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL CHECK (name <> ''),
    -- Names are unique regardless of case and accents.
    name_key   TEXT NOT NULL UNIQUE,
    query      TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
) STRICT;

-- Date filters scan these.
CREATE INDEX source_captured_at ON source (captured_at);
CREATE INDEX followup_due ON followup (due);

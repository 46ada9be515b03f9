-- How many excerpts, sources and questions carry each tag, kept by triggers so the tag list
-- (shown after every edit) reads 300 rows instead of counting 150,000 attachments.
--
-- Derived data only: every row can be recomputed from the attachment tables, and is keyed by
-- the local tag id. A tag has a row exactly while something carries it (a row whose counts
-- fall to zero is removed), so a workspace with no attachments has no rows here.
--
-- The triggers cover every write: attach (INSERT OR IGNORE fires only for rows it inserts),
-- detach, tag merge (moves are inserts then deletes), tag delete and source, excerpt or
-- question delete (foreign-key cascades fire delete triggers). Attachments must never be
-- written with OR REPLACE, whose implicit delete fires no trigger.
CREATE TABLE tag_count (
    tag_id    INTEGER PRIMARY KEY REFERENCES tag (id) ON DELETE CASCADE,
    -- No CHECK (>= 0): a miscount must never stop an analyst deleting something.
    excerpts  INTEGER NOT NULL DEFAULT 0,
    sources   INTEGER NOT NULL DEFAULT 0,
    questions INTEGER NOT NULL DEFAULT 0
) STRICT;

INSERT INTO tag_count (tag_id, excerpts, sources, questions)
SELECT tag_id, sum(e), sum(s), sum(q) FROM (
    SELECT tag_id, count(*) AS e, 0 AS s, 0 AS q FROM excerpt_tag GROUP BY tag_id
    UNION ALL SELECT tag_id, 0, count(*), 0 FROM source_tag GROUP BY tag_id
    UNION ALL SELECT tag_id, 0, 0, count(*) FROM followup_tag GROUP BY tag_id
) GROUP BY tag_id;

-- A row written from outside the triggers — an archive import, which copies every table —
-- replaces the one there and is then recounted from the attachments, so it can never be
-- wrong, whatever order the tables arrive in.
CREATE TRIGGER tag_count_replace BEFORE INSERT ON tag_count BEGIN
    DELETE FROM tag_count WHERE tag_id = new.tag_id;
END;
CREATE TRIGGER tag_count_recount AFTER INSERT ON tag_count BEGIN
    UPDATE tag_count SET
        excerpts  = (SELECT count(*) FROM excerpt_tag WHERE tag_id = new.tag_id),
        sources   = (SELECT count(*) FROM source_tag WHERE tag_id = new.tag_id),
        questions = (SELECT count(*) FROM followup_tag WHERE tag_id = new.tag_id)
    WHERE tag_id = new.tag_id;
END;

-- Attach: one more on an existing row, or a first row (recounted by the trigger above).
CREATE TRIGGER tag_count_excerpt_insert AFTER INSERT ON excerpt_tag BEGIN
    UPDATE tag_count SET excerpts = excerpts + 1 WHERE tag_id = new.tag_id;
    INSERT INTO tag_count (tag_id) SELECT new.tag_id
        WHERE NOT EXISTS (SELECT 1 FROM tag_count WHERE tag_id = new.tag_id);
END;
CREATE TRIGGER tag_count_source_insert AFTER INSERT ON source_tag BEGIN
    UPDATE tag_count SET sources = sources + 1 WHERE tag_id = new.tag_id;
    INSERT INTO tag_count (tag_id) SELECT new.tag_id
        WHERE NOT EXISTS (SELECT 1 FROM tag_count WHERE tag_id = new.tag_id);
END;
CREATE TRIGGER tag_count_followup_insert AFTER INSERT ON followup_tag BEGIN
    UPDATE tag_count SET questions = questions + 1 WHERE tag_id = new.tag_id;
    INSERT INTO tag_count (tag_id) SELECT new.tag_id
        WHERE NOT EXISTS (SELECT 1 FROM tag_count WHERE tag_id = new.tag_id);
END;

-- Detach (or a cascade): one fewer, and no row once nothing carries the tag. When the tag
-- itself is being deleted its row may already be gone; the statements then change nothing.
CREATE TRIGGER tag_count_excerpt_delete AFTER DELETE ON excerpt_tag BEGIN
    UPDATE tag_count SET excerpts = excerpts - 1 WHERE tag_id = old.tag_id;
    DELETE FROM tag_count WHERE tag_id = old.tag_id AND excerpts = 0 AND sources = 0 AND questions = 0;
END;
CREATE TRIGGER tag_count_source_delete AFTER DELETE ON source_tag BEGIN
    UPDATE tag_count SET sources = sources - 1 WHERE tag_id = old.tag_id;
    DELETE FROM tag_count WHERE tag_id = old.tag_id AND excerpts = 0 AND sources = 0 AND questions = 0;
END;
CREATE TRIGGER tag_count_followup_delete AFTER DELETE ON followup_tag BEGIN
    UPDATE tag_count SET questions = questions - 1 WHERE tag_id = old.tag_id;
    DELETE FROM tag_count WHERE tag_id = old.tag_id AND excerpts = 0 AND sources = 0 AND questions = 0;
END;

-- No code moves an attachment by UPDATE today; if some does, the counts still follow.
CREATE TRIGGER tag_count_excerpt_update AFTER UPDATE OF tag_id ON excerpt_tag
WHEN old.tag_id IS NOT new.tag_id BEGIN
    UPDATE tag_count SET excerpts = excerpts - 1 WHERE tag_id = old.tag_id;
    DELETE FROM tag_count WHERE tag_id = old.tag_id AND excerpts = 0 AND sources = 0 AND questions = 0;
    UPDATE tag_count SET excerpts = excerpts + 1 WHERE tag_id = new.tag_id;
    INSERT INTO tag_count (tag_id) SELECT new.tag_id
        WHERE NOT EXISTS (SELECT 1 FROM tag_count WHERE tag_id = new.tag_id);
END;
CREATE TRIGGER tag_count_source_update AFTER UPDATE OF tag_id ON source_tag
WHEN old.tag_id IS NOT new.tag_id BEGIN
    UPDATE tag_count SET sources = sources - 1 WHERE tag_id = old.tag_id;
    DELETE FROM tag_count WHERE tag_id = old.tag_id AND excerpts = 0 AND sources = 0 AND questions = 0;
    UPDATE tag_count SET sources = sources + 1 WHERE tag_id = new.tag_id;
    INSERT INTO tag_count (tag_id) SELECT new.tag_id
        WHERE NOT EXISTS (SELECT 1 FROM tag_count WHERE tag_id = new.tag_id);
END;
CREATE TRIGGER tag_count_followup_update AFTER UPDATE OF tag_id ON followup_tag
WHEN old.tag_id IS NOT new.tag_id BEGIN
    UPDATE tag_count SET questions = questions - 1 WHERE tag_id = old.tag_id;
    DELETE FROM tag_count WHERE tag_id = old.tag_id AND excerpts = 0 AND sources = 0 AND questions = 0;
    UPDATE tag_count SET questions = questions + 1 WHERE tag_id = new.tag_id;
    INSERT INTO tag_count (tag_id) SELECT new.tag_id
        WHERE NOT EXISTS (SELECT 1 FROM tag_count WHERE tag_id = new.tag_id);
END;

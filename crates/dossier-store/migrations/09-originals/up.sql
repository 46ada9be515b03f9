-- Originals: the bytes each capture came from (the HTML as fetched or read, the PDF, the Word
-- file, the text file), and a source's versions — one per import whose text differed.
--
-- Content-addressed by SHA-256 of the bytes as read, so the same file captured twice (two
-- sources, or a re-import whose extracted text changed but whose file did not) is kept once.
-- `data` is deflated when that makes it smaller, else stored as read (`compression = 'none'`):
-- PDFs and Word files are compressed already.
CREATE TABLE original (
    sha256      TEXT PRIMARY KEY CHECK (length(sha256) = 64),
    size        INTEGER NOT NULL CHECK (size >= 0),
    stored_size INTEGER NOT NULL CHECK (stored_size >= 0),
    compression TEXT NOT NULL CHECK (compression IN ('none', 'deflate')),
    data        BLOB NOT NULL
) STRICT;

-- Version 1 is the first capture; every re-import whose text changed appends the next number.
-- `body` is that version's normalized text (the latest equals source.body), so two versions can
-- be compared without reading their originals again.
CREATE TABLE source_version (
    id              INTEGER PRIMARY KEY,
    -- Random (128 bits, hex), stable across machines: for a future sync, where local ids differ.
    uid             TEXT NOT NULL UNIQUE,
    source_id       INTEGER NOT NULL REFERENCES source (id) ON DELETE CASCADE,
    number          INTEGER NOT NULL CHECK (number >= 1),
    captured_at     TEXT NOT NULL,
    body            TEXT NOT NULL,
    -- No CHECK here, unlike source.format: a version records what was read, and new readers
    -- (OCR of images) must not need a table rebuild to say so.
    format          TEXT,
    original_sha256 TEXT REFERENCES original (sha256),
    original_size   INTEGER,
    -- Why there is no original: 'no_original' (pasted text, or import --no-original),
    -- 'over_cap' (larger than the import's cap), 'before_versions' (captured before this table).
    not_kept        TEXT CHECK (not_kept IN ('no_original', 'over_cap', 'before_versions')),
    -- What this version's import did to the excerpts, as JSON:
    -- {"moved":n,"orphaned":n,"unchanged":n,"moved_ids":[…],"orphaned_ids":[…]}; NULL for version 1.
    reanchor        TEXT CHECK (reanchor IS NULL OR json_valid(reanchor)),
    UNIQUE (source_id, number),
    CHECK ((original_sha256 IS NULL) = (not_kept IS NOT NULL))
) STRICT;

CREATE INDEX source_version_original ON source_version (original_sha256)
    WHERE original_sha256 IS NOT NULL;

-- Every source captured so far becomes its own version 1, without an original: the bytes were
-- never kept.
INSERT INTO source_version (uid, source_id, number, captured_at, body, format, not_kept)
SELECT lower(hex(randomblob(16))), id, 1, captured_at, body, format, 'before_versions'
FROM source ORDER BY id;

-- An original nothing refers to any more (its source was deleted, or the version dropped) is
-- removed with the last version that referred to it. A trigger rather than store code, so a
-- source deleted by any path — a foreign-key cascade included — never leaves megabytes behind.
CREATE TRIGGER original_release AFTER DELETE ON source_version
WHEN old.original_sha256 IS NOT NULL BEGIN
    DELETE FROM original WHERE sha256 = old.original_sha256
        AND NOT EXISTS (SELECT 1 FROM source_version WHERE original_sha256 = old.original_sha256);
END;

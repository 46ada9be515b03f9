-- Import: what a source was read from and how, so a re-import can replace its text in place.
-- `pages` is a JSON array of the code-point offsets in `body` where each page begins (PDF only):
-- an excerpt's page is derived from its start, so re-anchoring never has to track pages.
ALTER TABLE source ADD COLUMN pages TEXT
    CHECK (pages IS NULL OR (json_valid(pages) AND json_type(pages) = 'array'));
ALTER TABLE source ADD COLUMN format TEXT
    CHECK (format IS NULL OR format IN ('text', 'markdown', 'html', 'pdf', 'docx'));
-- When the text was last fetched from its URL (RFC 3339 UTC); NULL for files and pasted text.
ALTER TABLE source ADD COLUMN retrieved_at TEXT;

-- The orphan list is read on every launch of the app; orphans are few.
CREATE INDEX excerpt_orphaned ON excerpt (source_id) WHERE orphaned = 1;

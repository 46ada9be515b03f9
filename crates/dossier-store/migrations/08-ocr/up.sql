-- OCR: which pages of a source were read from a scan and how confidently, as
-- {"pages": [1, 3], "confidence": 0.93}; NULL when none were.
ALTER TABLE source ADD COLUMN ocr TEXT
    CHECK (ocr IS NULL OR (json_valid(ocr) AND json_type(ocr) = 'object'));

-- Scans and photos are a new format, 'image'. The list of formats was a CHECK on the column
-- (05-import), which SQLite cannot alter; rebuilding `source` would cascade-delete every excerpt
-- (foreign keys are on). So the CHECK is removed from the stored table definition, the one schema
-- change SQLite documents as safe this way (it changes no stored data: "Making Other Kinds Of
-- Table Schema Changes", sqlite.org/lang_altertable.html), and the list moves into triggers,
-- which a later migration can replace with DROP TRIGGER / CREATE TRIGGER.
PRAGMA writable_schema = ON;
UPDATE sqlite_schema
SET sql = replace(sql,
    'format TEXT
    CHECK (format IS NULL OR format IN (''text'', ''markdown'', ''html'', ''pdf'', ''docx''))',
    'format TEXT')
WHERE type = 'table' AND name = 'source';
-- RESET turns schema writing off and reloads the schema from the edited text.
PRAGMA writable_schema = RESET;

CREATE TRIGGER source_format_insert BEFORE INSERT ON source
WHEN NEW.format IS NOT NULL
     AND NEW.format NOT IN ('text', 'markdown', 'html', 'pdf', 'docx', 'image')
BEGIN
    SELECT RAISE(ABORT, 'CHECK constraint failed: source format');
END;

CREATE TRIGGER source_format_update BEFORE UPDATE OF format ON source
WHEN NEW.format IS NOT NULL
     AND NEW.format NOT IN ('text', 'markdown', 'html', 'pdf', 'docx', 'image')
BEGIN
    SELECT RAISE(ABORT, 'CHECK constraint failed: source format');
END;

-- Briefing notes (issue 6): the structured fields, section text, and the excerpts placed in
-- each section. Markings, purposes, sections and outcomes are stored as the snake_case words of
-- the JSON contract; dates as YYYY-MM-DD text.

CREATE TABLE briefing (
    id                INTEGER PRIMARY KEY,
    marking           TEXT NOT NULL DEFAULT 'unclassified'
                      CHECK (marking IN ('unclassified', 'protected_a', 'protected_b')),
    addressee         TEXT,
    file_number       TEXT,
    date              TEXT CHECK (date IS NULL OR date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    title             TEXT NOT NULL CHECK (title <> ''),
    title_fr          TEXT,
    purpose           TEXT NOT NULL DEFAULT 'information'
                      CHECK (purpose IN ('decision', 'information', 'signature')),
    deadline          TEXT CHECK (deadline IS NULL OR deadline GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    -- The prepared-by and approved-by blocks are one person each: columns, not a child table.
    prepared_name     TEXT,
    prepared_title    TEXT,
    prepared_phone    TEXT,
    approved_name     TEXT,
    approved_title    TEXT,
    approved_phone    TEXT,
    -- Kept whatever the purpose, so switching a note to "for information" and back loses nothing;
    -- only decision notes print it.
    decision_maker    TEXT,
    decision_outcome  TEXT CHECK (decision_outcome IS NULL
                                  OR decision_outcome IN ('approved', 'not_approved', 'approved_with_changes')),
    decided_on        TEXT CHECK (decided_on IS NULL OR decided_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    decision_comments TEXT,
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL
) STRICT;

-- A section's Markdown text; a section without a row has none.
CREATE TABLE briefing_section (
    briefing_id INTEGER NOT NULL REFERENCES briefing (id) ON DELETE CASCADE,
    section     TEXT NOT NULL CHECK (section IN ('summary', 'issue', 'background', 'current_status',
                                                 'considerations', 'options', 'recommendation', 'next_steps')),
    text        TEXT NOT NULL,
    PRIMARY KEY (briefing_id, section)
) STRICT, WITHOUT ROWID;

-- An excerpt placed in a section. While the excerpt lives, the item shows its current quote,
-- note and source metadata. Deleting the excerpt must not take evidence out of a note the analyst
-- may already have circulated, nor leave it pointing at another passage: the triggers below
-- freeze a copy of the quote, note and citation into the item first, then the foreign key sets
-- excerpt_id to NULL and the item is shown as detached.
CREATE TABLE briefing_item (
    id               INTEGER PRIMARY KEY,
    briefing_id      INTEGER NOT NULL REFERENCES briefing (id) ON DELETE CASCADE,
    section          TEXT NOT NULL CHECK (section IN ('summary', 'issue', 'background', 'current_status',
                                                      'considerations', 'options', 'recommendation', 'next_steps')),
    position         INTEGER NOT NULL,
    excerpt_id       INTEGER REFERENCES excerpt (id) ON DELETE SET NULL,
    -- The sub-heading the item sits under in its section (a draft groups Current Status by sector).
    group_label      TEXT,
    frozen_quote     TEXT,
    frozen_note      TEXT,
    -- No foreign key: the source may be gone too; this only says where the quote came from.
    frozen_source_id INTEGER,
    frozen_citation  TEXT CHECK (frozen_citation IS NULL OR json_valid(frozen_citation)),
    CHECK (excerpt_id IS NOT NULL OR frozen_quote IS NOT NULL)
) STRICT;

CREATE INDEX briefing_item_order ON briefing_item (briefing_id, section, position);
CREATE INDEX briefing_item_excerpt ON briefing_item (excerpt_id) WHERE excerpt_id IS NOT NULL;
-- One excerpt at most once per section (it may appear in several sections).
CREATE UNIQUE INDEX briefing_item_once ON briefing_item (briefing_id, section, excerpt_id)
    WHERE excerpt_id IS NOT NULL;

-- Deleting a source cascades to its excerpts only after the source row is gone, so the citation
-- must be frozen here, before; the excerpt trigger then keeps it (coalesce) and adds the quote.
CREATE TRIGGER briefing_item_freeze_source BEFORE DELETE ON source BEGIN
    UPDATE briefing_item
    SET frozen_citation = json_object('outlet', OLD.outlet, 'title', OLD.title,
                                      'authors', json(OLD.authors), 'published', OLD.published,
                                      'url', OLD.url, 'page', NULL)
    WHERE excerpt_id IN (SELECT id FROM excerpt WHERE source_id = OLD.id);
END;

CREATE TRIGGER briefing_item_freeze_excerpt BEFORE DELETE ON excerpt BEGIN
    UPDATE briefing_item
    SET frozen_quote = OLD.quote,
        frozen_note = OLD.note,
        frozen_source_id = OLD.source_id,
        frozen_citation = coalesce(
            (SELECT json_object('outlet', s.outlet, 'title', s.title, 'authors', json(s.authors),
                                'published', s.published, 'url', s.url, 'page', NULL)
             FROM source s WHERE s.id = OLD.source_id),
            frozen_citation)
    WHERE excerpt_id = OLD.id;
END;

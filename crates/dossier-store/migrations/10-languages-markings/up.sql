-- The language a briefing note is written in: every fixed word of its export follows it.
ALTER TABLE briefing ADD COLUMN lang TEXT NOT NULL DEFAULT 'en' CHECK (lang IN ('en', 'fr'));

-- Security markings that follow the evidence. A source is unclassified unless marked; an
-- excerpt carries its own marking only when the analyst set one (NULL: its source's).
ALTER TABLE source ADD COLUMN marking TEXT NOT NULL DEFAULT 'unclassified'
    CHECK (marking IN ('unclassified', 'protected_a', 'protected_b'));
ALTER TABLE excerpt ADD COLUMN marking TEXT
    CHECK (marking IS NULL OR marking IN ('unclassified', 'protected_a', 'protected_b'));

-- A briefing item keeps the marking of what it quotes when the excerpt goes, as it keeps the
-- quote: a frozen protected quote must still hold its note's marking up. The freezing triggers
-- of 06 are replaced by the same ones with the marking added.
ALTER TABLE briefing_item ADD COLUMN frozen_marking TEXT
    CHECK (frozen_marking IS NULL OR frozen_marking IN ('unclassified', 'protected_a', 'protected_b'));

DROP TRIGGER briefing_item_freeze_source;
DROP TRIGGER briefing_item_freeze_excerpt;

CREATE TRIGGER briefing_item_freeze_source BEFORE DELETE ON source BEGIN
    UPDATE briefing_item
    SET frozen_citation = json_object('outlet', OLD.outlet, 'title', OLD.title,
            'authors', json(OLD.authors), 'published', OLD.published, 'url', OLD.url,
            'page', (SELECT CASE WHEN OLD.pages IS NULL OR e.orphaned THEN NULL
                                 ELSE (SELECT count(*) FROM json_each(OLD.pages) p
                                       WHERE p.value <= e.start) END
                     FROM excerpt e WHERE e.id = briefing_item.excerpt_id)),
        frozen_marking = (SELECT coalesce(e.marking, OLD.marking)
                          FROM excerpt e WHERE e.id = briefing_item.excerpt_id)
    WHERE excerpt_id IN (SELECT id FROM excerpt WHERE source_id = OLD.id);
END;

CREATE TRIGGER briefing_item_freeze_excerpt BEFORE DELETE ON excerpt BEGIN
    UPDATE briefing_item
    SET frozen_quote = OLD.quote,
        frozen_note = OLD.note,
        frozen_source_id = OLD.source_id,
        frozen_citation = coalesce(
            (SELECT json_object('outlet', s.outlet, 'title', s.title, 'authors', json(s.authors),
                                'published', s.published, 'url', s.url,
                                'page', CASE WHEN s.pages IS NULL OR OLD.orphaned THEN NULL
                                             ELSE (SELECT count(*) FROM json_each(s.pages) p
                                                   WHERE p.value <= OLD.start) END)
             FROM source s WHERE s.id = OLD.source_id),
            frozen_citation),
        frozen_marking = coalesce(
            OLD.marking,
            (SELECT s.marking FROM source s WHERE s.id = OLD.source_id),
            frozen_marking)
    WHERE excerpt_id = OLD.id;
END;

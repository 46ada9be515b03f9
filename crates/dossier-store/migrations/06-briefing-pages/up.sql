-- Briefing items keep the page of a quote they freeze. Migration 04 froze a deleted excerpt's
-- citation without its page, because page maps arrived with migration 05; now that sources can
-- carry one, the freezing triggers compute the page the same way the app does (the number of
-- page starts at or before the quote's start), so "p. 12" survives the excerpt's deletion.

DROP TRIGGER briefing_item_freeze_source;
DROP TRIGGER briefing_item_freeze_excerpt;

CREATE TRIGGER briefing_item_freeze_source BEFORE DELETE ON source BEGIN
    UPDATE briefing_item
    SET frozen_citation = json_object('outlet', OLD.outlet, 'title', OLD.title,
            'authors', json(OLD.authors), 'published', OLD.published, 'url', OLD.url,
            'page', (SELECT CASE WHEN OLD.pages IS NULL OR e.orphaned THEN NULL
                                 ELSE (SELECT count(*) FROM json_each(OLD.pages) p
                                       WHERE p.value <= e.start) END
                     FROM excerpt e WHERE e.id = briefing_item.excerpt_id))
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
            frozen_citation)
    WHERE excerpt_id = OLD.id;
END;

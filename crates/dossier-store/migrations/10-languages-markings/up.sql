-- The language a briefing note is written in: every fixed word of its export follows it.
ALTER TABLE briefing ADD COLUMN lang TEXT NOT NULL DEFAULT 'en' CHECK (lang IN ('en', 'fr'));

-- Security markings that follow the evidence. A source is unclassified unless marked; an
-- excerpt carries its own marking only when the analyst set one (NULL: its source's).
ALTER TABLE source ADD COLUMN marking TEXT NOT NULL DEFAULT 'unclassified'
    CHECK (marking IN ('unclassified', 'protected_a', 'protected_b'));
ALTER TABLE excerpt ADD COLUMN marking TEXT
    CHECK (marking IS NULL OR marking IN ('unclassified', 'protected_a', 'protected_b'));

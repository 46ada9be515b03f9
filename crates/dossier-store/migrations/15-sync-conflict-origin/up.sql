-- Which change made here, replayed over the team's, found a provisional conflict. A pull then
-- takes back and replays only the changes made here that touch what the team changed, so it
-- must know which provisional conflicts to find again, and which became final once their change
-- reached the log in place. NULL: final, or found before this column existed (found again by
-- the next pull that replays anything).
ALTER TABLE sync_conflict ADD COLUMN by_change TEXT;

-- The synced tables whose rows this team workspace has queued once (at `team init`/`join`, or
-- when a later version first syncs a table: source versions and originals, from this one on).
CREATE TABLE sync_queued (
    tbl TEXT PRIMARY KEY
) STRICT, WITHOUT ROWID;

INSERT INTO sync_queued (tbl)
SELECT value FROM json_each('["tag", "tag_alias", "source", "excerpt", "excerpt_tag",
    "source_tag", "followup", "followup_excerpt", "followup_source", "followup_tag", "briefing",
    "briefing_section", "briefing_item", "saved_search", "feed", "feed_entry", "story_split"]')
WHERE EXISTS (SELECT 1 FROM sync_state);

-- Which change made here, replayed over the team's, found a provisional conflict. A pull then
-- takes back and replays only the changes made here that touch what the team changed, so it
-- must know which provisional conflicts to find again, and which became final once their change
-- reached the log in place. NULL: final, or found before this column existed (found again by
-- the next pull that replays anything).
ALTER TABLE sync_conflict ADD COLUMN by_change TEXT;

-- A session file counts towards "safe to undock", and may be wiped, only once its item's original and
-- manifest were read back locked from the store (issue 18: nothing is wiped or shown safe before it is locked).
ALTER TABLE session_files ADD COLUMN protected_at timestamptz;
-- Files recorded before this column existed were locked by the step that recorded them.
UPDATE session_files SET protected_at = now() WHERE state IN ('secured', 'duplicate') AND item_id IS NOT NULL;

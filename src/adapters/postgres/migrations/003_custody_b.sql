-- The check for log rows without a place in the chain runs at every connect: keep it an index lookup.
CREATE INDEX custody_events_unchained ON custody_events (id) WHERE seq IS NULL;

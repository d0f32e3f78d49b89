-- Admin: alerts raised by the scheduled deadline check, and items flagged as secured past the 24-hour rule.

-- One row per alert: raised when a check first finds its condition, cleared when a check no longer does.
-- At most one active alert per condition key, so concurrent checks on several dock hosts raise it once.
-- Ids are ULIDs, not a sequence: delivery job ids carry them, and Redis may outlive a rebuilt database.
CREATE TABLE alerts (
  id                     text PRIMARY KEY,
  key                    text NOT NULL,
  kind                   text NOT NULL,
  severity               text NOT NULL,
  subject                text NOT NULL,
  message                text NOT NULL,
  details                jsonb NOT NULL DEFAULT '{}',
  once                   boolean NOT NULL,
  raised_at              timestamptz NOT NULL,
  seen_at                timestamptz NOT NULL,
  cleared_at             timestamptz,
  -- Webhook deliveries of the `firing` and `resolved` messages, and the last refusal.
  firing_delivered_at    timestamptz,
  resolved_delivered_at  timestamptz,
  delivery_error         text
);
CREATE UNIQUE INDEX alerts_active_key ON alerts (key) WHERE cleared_at IS NULL;
CREATE INDEX alerts_raised ON alerts (raised_at);
CREATE INDEX alerts_cleared ON alerts (cleared_at) WHERE cleared_at IS NOT NULL;

-- Regulation B7: an item secured more than 24 h after capture is a compliance breach, flagged once on the
-- item (with a custody event) and kept: the flag is a fact about how the item was handled.
CREATE TABLE compliance_breaches (
  item_id     text NOT NULL REFERENCES evidence_items(id),
  rule        text NOT NULL,
  delay_ms    bigint NOT NULL,
  flagged_at  timestamptz NOT NULL,
  PRIMARY KEY (item_id, rule)
);
-- The check asks for items whose capture → secured time is over the limit: an index on that interval.
CREATE INDEX evidence_items_secure_delay ON evidence_items ((secured_at - captured_at));

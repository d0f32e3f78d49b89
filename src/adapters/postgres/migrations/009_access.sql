-- Access (issue 13): links revoked when their holder may no longer use what they name, people disabled,
-- privileged roles granted by two people, failed logins counted rather than chained one by one.

-- A link is revoked (not deleted) when a reclassification puts its subject above its holder's clearance:
-- lowering the level again does not bring it back.
ALTER TABLE links ADD COLUMN revoked_at timestamptz, ADD COLUMN revoked_reason text;
CREATE INDEX links_subject ON links (subject);

-- A disabled person keeps their history; their sessions and tokens stop working at once.
ALTER TABLE people ADD COLUMN disabled_at timestamptz, ADD COLUMN disabled_by text;

-- Separation of duties: a role that approves, exports or administers is proposed by one person and
-- confirmed by another (the head or a second admin). Both are kept.
CREATE TABLE role_grants (
  id            text PRIMARY KEY,            -- ULID
  person_id     text NOT NULL,
  role          text NOT NULL,
  name          text NOT NULL,
  unit          text,
  proposed_at   timestamptz NOT NULL,
  proposed_by   text NOT NULL,
  reason        text,
  decided_at    timestamptz,
  decided_by    text,
  decision      text CHECK (decision IN ('confirmed', 'withdrawn'))
);
CREATE INDEX role_grants_open ON role_grants (person_id) WHERE decided_at IS NULL;

-- Failed logins per badge (as typed) and minute: an anonymous flood adds to a counter, not to the chain.
CREATE TABLE failed_logins (
  badge     text NOT NULL,
  minute    timestamptz NOT NULL,
  attempts  int NOT NULL,
  last_from text,
  PRIMARY KEY (badge, minute)
);

-- A token's scope: `full` (its holder's role) or `metrics` (GET /metrics only, for a Prometheus scraper).
ALTER TABLE api_tokens ADD COLUMN scope text NOT NULL DEFAULT 'full' CHECK (scope IN ('full', 'metrics'));

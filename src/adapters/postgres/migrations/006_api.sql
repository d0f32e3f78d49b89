-- HTTP API: credentials (tokens, passwords, web sessions), confidentiality, case closures, case files,
-- copy requests and their export links. Secrets are stored only as SHA-256 (tokens) or scrypt (passwords).

-- Personal API tokens, created by an admin with the CLI. Only the token's SHA-256 is kept.
CREATE TABLE api_tokens (
  id            text PRIMARY KEY,              -- ULID, shown in lists and used to revoke
  person_id     text NOT NULL REFERENCES people(id),
  token_sha256  text NOT NULL UNIQUE,
  label         text,
  created_at    timestamptz NOT NULL,
  created_by    text NOT NULL,
  expires_at    timestamptz NOT NULL,
  revoked_at    timestamptz,
  revoked_by    text
);
CREATE INDEX api_tokens_person ON api_tokens (person_id);

-- Web login passwords (scrypt), set with `evidock passwords set`.
CREATE TABLE person_passwords (
  person_id  text PRIMARY KEY REFERENCES people(id),
  hash       text NOT NULL,
  set_at     timestamptz NOT NULL,
  set_by     text NOT NULL
);

-- Web sessions behind the httpOnly cookie; only the cookie value's SHA-256 is kept.
CREATE TABLE api_sessions (
  id_sha256   text PRIMARY KEY,
  person_id   text NOT NULL REFERENCES people(id),
  created_at  timestamptz NOT NULL,
  expires_at  timestamptz NOT NULL,
  ended_at    timestamptz,
  from_addr   text
);

-- Confidentiality (regulation B9): each change appended with who, when and why; the current level is
-- kept on the item for searches.
CREATE TABLE confidentiality_events (
  id        bigserial PRIMARY KEY,
  item_id   text NOT NULL REFERENCES evidence_items(id),
  previous  text NOT NULL,
  level     text NOT NULL CHECK (level IN ('normal', 'restricted', 'confidential')),
  at        timestamptz NOT NULL,
  actor     text NOT NULL,
  reason    text NOT NULL
);
CREATE INDEX confidentiality_events_item ON confidentiality_events (item_id, id);
ALTER TABLE evidence_items
  ADD COLUMN confidentiality text NOT NULL DEFAULT 'normal' CHECK (confidentiality IN ('normal', 'restricted', 'confidential'));

-- Searches page by (captured_at, id); these keep the common ones on an index.
CREATE INDEX evidence_items_case_page ON evidence_items (case_id, captured_at, id);
CREATE INDEX evidence_items_officer_page ON evidence_items (officer_id, captured_at, id);
CREATE INDEX evidence_items_page ON evidence_items (captured_at, id);

-- A case ends when an enforcement act is over: the 30-day case-file deadline (B8) runs from `ended_at`.
-- Appended; the latest row per case is in force (a correction is a new row with its reason).
CREATE TABLE case_closures (
  id         bigserial PRIMARY KEY,
  case_id    text NOT NULL,
  ended_at   timestamptz NOT NULL,
  closed_at  timestamptz NOT NULL,
  closed_by  text NOT NULL,
  reason     text
);
CREATE INDEX case_closures_case ON case_closures (case_id, id);

-- Case files (案卷): a case's recordings and manifests frozen into a locked manifest in MinIO.
CREATE TABLE case_files (
  id                 text PRIMARY KEY,        -- ULID
  case_id            text NOT NULL UNIQUE,
  case_ended_at      timestamptz NOT NULL,
  due_at             timestamptz NOT NULL,
  filed_at           timestamptz NOT NULL,
  filed_by           text NOT NULL,
  item_count         int NOT NULL,
  manifest_key       text NOT NULL,
  manifest_version   text,
  manifest_sha256    text NOT NULL
);
-- Status changes after filing (archived), appended.
CREATE TABLE case_file_events (
  id            bigserial PRIMARY KEY,
  case_file_id  text NOT NULL REFERENCES case_files(id),
  status        text NOT NULL CHECK (status IN ('archived')),
  at            timestamptz NOT NULL,
  actor         text NOT NULL,
  reason        text
);
CREATE INDEX case_file_events_file ON case_file_events (case_file_id, id);

-- Copy requests from a party (B8): created with items and a reason, decided by the head, then exported.
CREATE TABLE copy_requests (
  id          text PRIMARY KEY,             -- ULID
  party       text NOT NULL,
  reason      text NOT NULL,
  item_ids    text[] NOT NULL,
  created_at  timestamptz NOT NULL,
  created_by  text NOT NULL
);
CREATE INDEX copy_requests_created ON copy_requests (created_at);
CREATE TABLE copy_request_events (
  id          bigserial PRIMARY KEY,
  request_id  text NOT NULL REFERENCES copy_requests(id),
  action      text NOT NULL CHECK (action IN ('approved', 'refused', 'packaged')),
  at          timestamptz NOT NULL,
  actor       text NOT NULL,
  reason      text,
  details     jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX copy_request_events_request ON copy_request_events (request_id, id);

-- Time-limited links: media playback URLs (purpose `media`, subject `<itemId>/<role>`) and export
-- packages (purpose `export`, subject the copy request). The link token is the secret; only its SHA-256 is kept.
CREATE TABLE links (
  token_sha256  text PRIMARY KEY,
  purpose       text NOT NULL CHECK (purpose IN ('media', 'export')),
  subject       text NOT NULL,
  created_at    timestamptz NOT NULL,
  created_by    text NOT NULL,
  expires_at    timestamptz NOT NULL
);

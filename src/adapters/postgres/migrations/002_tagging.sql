-- Tagging: the device register, enforcement activities, what devices say about a recording, and tag history.

-- Device register (regulation B6): model, type and the designated custodian. A device registered before it
-- was ever docked has not been seen yet.
ALTER TABLE devices
  ADD COLUMN model         text,
  ADD COLUMN device_type   text,
  ADD COLUMN custodian_id  text REFERENCES people(id),
  ALTER COLUMN first_seen_at DROP NOT NULL,
  ALTER COLUMN last_seen_at DROP NOT NULL;

-- One row per `evidock import activities` run: who imported what, when.
CREATE TABLE activity_imports (
  id           bigserial PRIMARY KEY,
  file_name    text NOT NULL,
  file_sha256  text NOT NULL,
  row_count    int NOT NULL,
  added        int NOT NULL,
  imported_by  text NOT NULL,
  imported_at  timestamptz NOT NULL
);

-- Enforcement activities, one row per officer and window (a CAD row). Appended; the same row imported
-- again is recognised and not added twice. The window as written (with its offset) is kept beside UTC.
CREATE TABLE activities (
  id          bigserial PRIMARY KEY,
  case_id     text NOT NULL,
  category    text NOT NULL,
  phase       text NOT NULL,
  officer_id  text NOT NULL REFERENCES people(id),
  starts_at   timestamptz NOT NULL,
  ends_at     timestamptz NOT NULL,
  starts_raw  text NOT NULL,
  ends_raw    text NOT NULL,
  place       text,
  import_id   bigint NOT NULL REFERENCES activity_imports(id),
  source_row  int NOT NULL,
  UNIQUE (officer_id, case_id, category, phase, starts_at, ends_at)
);
CREATE INDEX activities_officer_time ON activities (officer_id, starts_at, ends_at);
CREATE INDEX activities_case ON activities (case_id);

-- What the device says about a recording, read when it was secured (the device is gone afterwards):
-- the vendor parser, the raw name, and the device id, badge and capture time it names (UTC + offset).
CREATE TABLE item_device_hints (
  item_id             text PRIMARY KEY REFERENCES evidence_items(id),
  parser              text,
  raw_name            text NOT NULL,
  device_id           text,
  badge               text,
  captured_at         timestamptz,
  captured_local      text,
  utc_offset_minutes  int,
  checklist_row       text,
  sidecar             jsonb,
  recorded_at         timestamptz NOT NULL
);

-- Tag history: every change of an item's tags, appended with who, when, why, the values before and after,
-- and the candidates when matching was ambiguous. The current tags are the latest row's `current`.
CREATE TABLE tag_events (
  id          bigserial PRIMARY KEY,
  item_id     text NOT NULL REFERENCES evidence_items(id),
  at          timestamptz NOT NULL,
  actor       text NOT NULL,
  reason      text NOT NULL,
  source      text NOT NULL,
  previous    jsonb NOT NULL,
  current     jsonb NOT NULL,
  candidates  jsonb NOT NULL DEFAULT '[]'
);
CREATE INDEX tag_events_item ON tag_events (item_id, id);

-- The current tags, derived from tag_events and kept on the item for queries.
ALTER TABLE evidence_items
  ADD COLUMN checklist_row   text,
  ADD COLUMN unit            text,
  ADD COLUMN tag_source      text NOT NULL DEFAULT 'untagged',
  ADD COLUMN officer_source  text;
CREATE INDEX evidence_items_untagged ON evidence_items (captured_at) WHERE tag_source = 'untagged';

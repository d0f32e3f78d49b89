-- Ingest core: devices, dock sessions, evidence items, device files, custody events.

CREATE TABLE devices (
  serial         text PRIMARY KEY,
  serial_source  text NOT NULL,
  label          text,
  first_seen_at  timestamptz NOT NULL,
  last_seen_at   timestamptz NOT NULL
);

CREATE TABLE people (
  id    text PRIMARY KEY,            -- badge number
  name  text NOT NULL,
  unit  text,
  role  text NOT NULL
);

-- Assignments are appended, never overwritten: the officer at a time is the latest row starting before it.
CREATE TABLE device_assignments (
  id             bigserial PRIMARY KEY,
  device_serial  text NOT NULL REFERENCES devices(serial),
  officer_id     text REFERENCES people(id),
  valid_from     timestamptz NOT NULL,
  assigned_by    text NOT NULL,
  recorded_at    timestamptz NOT NULL DEFAULT now(),
  reason         text
);
CREATE INDEX device_assignments_by_device ON device_assignments (device_serial, valid_from DESC);

CREATE TABLE dock_sessions (
  id             text PRIMARY KEY,   -- ULID
  device_serial  text NOT NULL REFERENCES devices(serial),
  dock_host      text NOT NULL,
  mount_path     text NOT NULL,
  state          text NOT NULL,
  reason         text,
  started_at     timestamptz NOT NULL,
  ended_at       timestamptz
);
CREATE INDEX dock_sessions_open ON dock_sessions (dock_host, mount_path) WHERE ended_at IS NULL;

CREATE TABLE evidence_items (
  id                  text PRIMARY KEY,  -- ULID
  sha256              text NOT NULL UNIQUE,
  size                bigint NOT NULL,
  kind                text NOT NULL,
  device_serial       text NOT NULL REFERENCES devices(serial),
  original_path       text NOT NULL,
  officer_id          text,
  case_id             text,
  category            text,
  phase               text,
  captured_at         timestamptz NOT NULL,
  captured_at_source  text NOT NULL,
  secured_at          timestamptz NOT NULL,
  status              text NOT NULL,
  session_id          text NOT NULL REFERENCES dock_sessions(id),
  object_original     text NOT NULL,
  object_original_version text,
  object_manifest     text NOT NULL
);
CREATE INDEX evidence_items_device ON evidence_items (device_serial, captured_at);
CREATE INDEX evidence_items_officer ON evidence_items (officer_id, captured_at);
CREATE INDEX evidence_items_case ON evidence_items (case_id);
CREATE INDEX evidence_items_captured ON evidence_items (captured_at);

-- Every file seen on a device that was secured (or found to be an existing item): the re-dock lookup.
CREATE TABLE device_files (
  device_serial  text NOT NULL,
  rel_path       text NOT NULL,
  size           bigint NOT NULL,
  mtime_ms       bigint NOT NULL,
  item_id        text NOT NULL REFERENCES evidence_items(id),
  first_session  text NOT NULL REFERENCES dock_sessions(id),
  PRIMARY KEY (device_serial, rel_path, size, mtime_ms)
);

CREATE TABLE session_files (
  session_id  text NOT NULL REFERENCES dock_sessions(id),
  rel_path    text NOT NULL,
  size        bigint NOT NULL,
  mtime_ms    bigint NOT NULL,
  kind        text,
  state       text NOT NULL,
  item_id     text REFERENCES evidence_items(id),
  reason      text,
  PRIMARY KEY (session_id, rel_path)
);
-- Each finished file asks whether its session has media left to secure: keep that lookup small.
CREATE INDEX session_files_pending ON session_files (session_id) WHERE state = 'pending' AND kind IS NOT NULL;

CREATE TABLE custody_events (
  id             bigserial PRIMARY KEY,
  type           text NOT NULL,
  at             timestamptz NOT NULL,
  actor          text NOT NULL,
  item_id        text REFERENCES evidence_items(id),
  session_id     text REFERENCES dock_sessions(id),
  device_serial  text,
  file_path      text,
  details        jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX custody_events_item ON custody_events (item_id, id);
CREATE INDEX custody_events_session ON custody_events (session_id, id);

-- Device detection: approval of devices, the bay each session runs in, admission, wiping and clock drift.

-- A device is `approved` (ingested when docked) or `pending` (a recorder of no configured model, held
-- until an admin approves it, unless the pending policy ingests it). Rows from before, and devices an
-- admin registers, are approved. Each change is appended below with who, when and why.
ALTER TABLE devices ADD COLUMN status text NOT NULL DEFAULT 'approved' CHECK (status IN ('approved', 'pending'));

CREATE TABLE device_status_changes (
  id             bigserial PRIMARY KEY,
  device_serial  text NOT NULL REFERENCES devices(serial),
  status         text NOT NULL,
  at             timestamptz NOT NULL,
  actor          text NOT NULL,
  reason         text
);
CREATE INDEX device_status_changes_device ON device_status_changes (device_serial, id);

ALTER TABLE dock_sessions
  ADD COLUMN via              text NOT NULL DEFAULT 'folder',
  ADD COLUMN bay              text,
  ADD COLUMN model            text,
  ADD COLUMN device_type      text,
  ADD COLUMN usb              jsonb,
  ADD COLUMN fs_type          text,
  ADD COLUMN read_only        boolean NOT NULL DEFAULT false,
  ADD COLUMN device_dev       bigint,
  ADD COLUMN wipe_policy      text NOT NULL DEFAULT 'never',
  ADD COLUMN wipe_state       text,
  ADD COLUMN wipe_reason      text,
  ADD COLUMN clock_drift_ms   bigint,
  ADD COLUMN clock_source     text,
  ADD COLUMN clock_flagged    boolean NOT NULL DEFAULT false;
-- Admission takes the oldest waiting session of a host; the duplicate-serial check looks up open sessions.
CREATE INDEX dock_sessions_waiting ON dock_sessions (dock_host, started_at) WHERE state = 'waiting';
CREATE INDEX dock_sessions_open_serial ON dock_sessions (device_serial) WHERE ended_at IS NULL;

-- When a file was deleted from the device after its stored copy was verified.
ALTER TABLE session_files ADD COLUMN wiped_at timestamptz;

-- The device clock's drift, on items secured in a session whose drift was over the threshold.
ALTER TABLE evidence_items ADD COLUMN clock_drift_ms bigint;

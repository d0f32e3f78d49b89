-- Custody and integrity: custody_events becomes the one append-only, hash-chained log (custody and audit
-- events), with its chain id; object-lock retention and legal holds as appended facts.

ALTER TABLE custody_events
  ADD COLUMN kind      text NOT NULL DEFAULT 'custody',
  ADD COLUMN seq       bigint UNIQUE,
  ADD COLUMN prev_hash text,
  ADD COLUMN hash      text;
-- Every new row is chained (NOT VALID: rows written before this migration are chained once by the
-- adapter at its next start, see pg-audit-log.ts).
ALTER TABLE custody_events ADD CONSTRAINT custody_events_chained
  CHECK (seq IS NOT NULL AND prev_hash IS NOT NULL AND hash IS NOT NULL) NOT VALID;
CREATE INDEX custody_events_actor ON custody_events (actor, seq);
CREATE INDEX custody_events_audit_items ON custody_events USING gin ((details -> 'itemIds'));

-- One chain per database: seals in MinIO are filed under its id, so a database rebuilt by reindex starts
-- a new chain and the old chain's seals stay recognisable.
CREATE TABLE audit_chain (
  chain_id    text PRIMARY KEY,
  created_at  timestamptz NOT NULL DEFAULT now(),
  singleton   boolean NOT NULL DEFAULT true UNIQUE CHECK (singleton)
);
INSERT INTO audit_chain (chain_id) VALUES (gen_random_uuid()::text);

-- Rejects every change to the log but one: giving a row from before the chain existed its place in it.
CREATE FUNCTION evidock_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND TG_TABLE_NAME = 'custody_events' AND OLD.seq IS NULL
     AND (NEW.id, NEW.kind, NEW.type, NEW.at, NEW.actor, NEW.item_id, NEW.session_id, NEW.device_serial, NEW.file_path, NEW.details)
         IS NOT DISTINCT FROM
         (OLD.id, OLD.kind, OLD.type, OLD.at, OLD.actor, OLD.item_id, OLD.session_id, OLD.device_serial, OLD.file_path, OLD.details) THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP USING ERRCODE = 'insufficient_privilege';
END
$$;
CREATE TRIGGER custody_events_append_only BEFORE UPDATE OR DELETE ON custody_events
  FOR EACH ROW EXECUTE FUNCTION evidock_log_append_only();
CREATE TRIGGER custody_events_no_truncate BEFORE TRUNCATE ON custody_events
  FOR EACH STATEMENT EXECUTE FUNCTION evidock_log_append_only();
CREATE TRIGGER audit_chain_append_only BEFORE UPDATE OR DELETE ON audit_chain
  FOR EACH ROW EXECUTE FUNCTION evidock_log_append_only();

-- The role that runs migrations is the daemon's role: it keeps INSERT and SELECT, and may only fill the
-- chain columns (of unchained rows, the trigger says). docs/decisions.md: how a DBA moves ownership away.
REVOKE UPDATE, DELETE, TRUNCATE ON custody_events, audit_chain FROM PUBLIC;
REVOKE UPDATE, DELETE, TRUNCATE ON custody_events, audit_chain FROM CURRENT_USER;
GRANT UPDATE (seq, prev_hash, hash) ON custody_events TO CURRENT_USER;

-- Object-lock retention set on stored objects (originals, manifests, case-file manifests, seals):
-- appended whenever a retention is set or extended; the current one is the latest per object version.
CREATE TABLE object_locks (
  id               bigserial PRIMARY KEY,
  item_id          text REFERENCES evidence_items(id),
  object_key       text NOT NULL,
  version_id       text,
  retention_class  text NOT NULL,
  mode             text NOT NULL,
  retain_until     timestamptz NOT NULL,
  set_at           timestamptz NOT NULL
);
CREATE INDEX object_locks_object ON object_locks (object_key, version_id, id);
CREATE INDEX object_locks_item ON object_locks (item_id);
CREATE INDEX object_locks_until ON object_locks (retain_until);

-- Legal holds per case: placed while a case is open, lifted when its case file is archived.
CREATE TABLE legal_hold_events (
  id         bigserial PRIMARY KEY,
  item_id    text NOT NULL REFERENCES evidence_items(id),
  case_id    text NOT NULL,
  action     text NOT NULL CHECK (action IN ('placed', 'lifted')),
  at         timestamptz NOT NULL,
  actor      text NOT NULL,
  reason     text
);
CREATE INDEX legal_hold_events_item ON legal_hold_events (item_id, case_id, id);
CREATE INDEX legal_hold_events_case ON legal_hold_events (case_id, id);

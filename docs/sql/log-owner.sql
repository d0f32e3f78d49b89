-- Run once as a superuser (or the database owner) in evidock's database, after evidock applied migration 003,
-- when evidock connects with a configured postgres.url. Afterwards the daemon's role (here "evidock"; change
-- the name if yours differs) can only read and append the chained log: it can no longer grant itself UPDATE or
-- DELETE, disable the append-only trigger, or drop the table. It still creates the tables of later migrations; one
-- that alters the log must be applied by running an evidock command with postgres.url naming the log's owner.
DO $$ BEGIN CREATE ROLE evidock_log_owner NOLOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$;
ALTER TABLE custody_events OWNER TO evidock_log_owner;
ALTER TABLE audit_chain OWNER TO evidock_log_owner;
ALTER FUNCTION evidock_log_append_only() OWNER TO evidock_log_owner;
GRANT SELECT, INSERT ON custody_events TO evidock;
GRANT UPDATE (seq, prev_hash, hash) ON custody_events TO evidock;
GRANT SELECT ON audit_chain TO evidock;
GRANT USAGE ON SEQUENCE custody_events_id_seq TO evidock;
-- The owner of a schema may drop any table in it: public must not belong to the daemon's role.
ALTER SCHEMA public OWNER TO evidock_log_owner;
GRANT USAGE, CREATE ON SCHEMA public TO evidock;

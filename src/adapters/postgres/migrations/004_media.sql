-- Media pipeline: what the probe found, the derivatives made from each original, how each stage ended,
-- and the item's media state. Originals are never touched; only these tables and captured_at (when the
-- probe finds a better capture time, with a custody event) change.

CREATE TABLE media_probes (
  item_id    text PRIMARY KEY REFERENCES evidence_items(id),
  plan       text NOT NULL,             -- video | photo | audio: what is made
  info       jsonb NOT NULL,            -- MediaInfo (src/domain/media-info.ts)
  probed_at  timestamptz NOT NULL
);

-- One row per role; a derivative made again (a retry after the outcome was lost) points at its newest version.
CREATE TABLE media_derivatives (
  item_id         text NOT NULL REFERENCES evidence_items(id),
  role            text NOT NULL,        -- proxy | poster | thumbnail | strip | display | waveform
  object_key      text NOT NULL,
  object_version  text,
  content_type    text NOT NULL,
  size            bigint NOT NULL,
  sha256          text NOT NULL,
  width           integer,
  height          integer,
  duration_sec    double precision,
  made_at         timestamptz NOT NULL,
  PRIMARY KEY (item_id, role)
);

CREATE TABLE media_stage_outcomes (
  item_id  text NOT NULL REFERENCES evidence_items(id),
  stage    text NOT NULL,               -- probe | transcode | thumbnails | publish
  outcome  text NOT NULL CHECK (outcome IN ('done', 'unplayable', 'failed')),
  reason   text,
  at       timestamptz NOT NULL,
  PRIMARY KEY (item_id, stage)
);

-- No row: pending (queued or running).
CREATE TABLE media_states (
  item_id     text PRIMARY KEY REFERENCES evidence_items(id),
  state       text NOT NULL CHECK (state IN ('ready', 'unplayable', 'failed')),
  reason      text,
  updated_at  timestamptz NOT NULL
);

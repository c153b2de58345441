-- V5 (PostgreSQL): artifacts' live events (stream chunks, versions, storage writes), shared by
-- the nodes on this database so that a stream read by one node reaches viewers on another.
-- Released scripts never change (schema_version keeps their checksum); add V6 instead.
-- Statements end with ';' at the end of a line; lines starting with '--' are comments.
--
-- Ids come from one sequence for all artifacts. A publisher takes its id while holding the
-- artifact's head row, so one artifact's ids grow in the order its events commit, and each
-- event names the artifact's event before it (previous_id, 0 for none): a node resuming a
-- viewer from the table can tell whether events in between were pruned.
CREATE SEQUENCE live_event_ids;

CREATE TABLE live_event_heads (
    artifact_id TEXT COLLATE "C" NOT NULL PRIMARY KEY,
    last_id     BIGINT NOT NULL,
    previous_id BIGINT NOT NULL
);

-- No foreign key to artifacts: events outlive a deleted artifact until they are pruned, and a
-- publisher never waits on the artifact row.
CREATE TABLE live_events (
    artifact_id TEXT COLLATE "C" NOT NULL,
    id          BIGINT  NOT NULL,
    previous_id BIGINT  NOT NULL,
    type        TEXT    NOT NULL,
    mark        TEXT    NOT NULL,
    data        TEXT    NOT NULL,
    created_at  BIGINT  NOT NULL,
    PRIMARY KEY (artifact_id, id)
);

CREATE INDEX live_events_by_time ON live_events (created_at);

-- V3 (SQLite): audit_events becomes one append-only trail per artifact: created, version,
-- rejected, storage_write, violation and deleted events, kept after the artifact is deleted
-- until retention prunes them.
-- Released scripts never change (schema_version keeps their checksum); add V4 instead.
-- Statements end with ';' at the end of a line; lines starting with '--' are comments.
--
-- SQLite cannot drop a foreign key or a CHECK, so the table is rebuilt: new table, copy, drop,
-- rename. The V2 rows were all storage writes; their action ('set' or 'delete') moves to
-- operation. sqlite_sequence is carried over before the copy, so a sequence number handed out
-- before the upgrade (even one whose row is gone) is never handed out again.

-- No foreign key: the trail outlives its artifact. Columns after "at" belong to one kind of
-- event each and are null for the others; the CHECKs at the end say which kind needs which.
--   storage_write: viewer, shared, operation ('set' or 'delete'), key, bytes (the entry's size
--                  after a set, or the size a delete freed)
--   created:       artifact_type, sha256 and bytes of the content (version 1)
--   version:       sha256 and bytes of the new version's content
--   rejected:      code and message of the refusal; no artifact_version (none was made)
--   violation:     what the browser reported, cut to length: directive, blocked_url,
--                  source_file, line_number, column_number, sample
--   deleted:       nothing more; artifact_version is the latest version the artifact had
CREATE TABLE audit_events_v3 (
    sequence         INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    artifact_id      TEXT    NOT NULL,
    artifact_version INTEGER CHECK (artifact_version >= 1),
    action           TEXT    NOT NULL CHECK (action IN ('created', 'version', 'rejected', 'storage_write', 'violation', 'deleted')),
    at               INTEGER NOT NULL,
    viewer           TEXT,
    shared           INTEGER CHECK (shared IN (0, 1)),
    operation        TEXT    CHECK (operation IN ('set', 'delete')),
    key              TEXT,
    bytes            INTEGER CHECK (bytes >= 0),
    artifact_type    TEXT,
    sha256           TEXT,
    code             TEXT,
    message          TEXT,
    directive        TEXT,
    blocked_url      TEXT,
    source_file      TEXT,
    line_number      INTEGER CHECK (line_number >= 0),
    column_number    INTEGER CHECK (column_number >= 0),
    sample           TEXT,
    CHECK ((action = 'rejected') = (artifact_version IS NULL)),
    CHECK (action <> 'storage_write' OR (viewer IS NOT NULL AND shared IS NOT NULL AND operation IS NOT NULL
        AND key IS NOT NULL AND bytes IS NOT NULL)),
    CHECK (action <> 'created' OR (artifact_type IS NOT NULL AND sha256 IS NOT NULL AND bytes IS NOT NULL)),
    CHECK (action <> 'version' OR (sha256 IS NOT NULL AND bytes IS NOT NULL)),
    CHECK (action <> 'rejected' OR (code IS NOT NULL AND message IS NOT NULL)),
    CHECK (action <> 'violation' OR (directive IS NOT NULL AND blocked_url IS NOT NULL AND source_file IS NOT NULL
        AND line_number IS NOT NULL AND column_number IS NOT NULL AND sample IS NOT NULL))
) STRICT;

INSERT INTO sqlite_sequence (name, seq)
    SELECT 'audit_events_v3', seq FROM sqlite_sequence WHERE name = 'audit_events';

INSERT INTO audit_events_v3 (sequence, artifact_id, artifact_version, action, at, viewer, shared, operation, key, bytes)
    SELECT sequence, artifact_id, artifact_version, 'storage_write', at, viewer, shared, action, key, bytes
    FROM audit_events;

DROP TABLE audit_events;

-- Renaming also renames the table's sqlite_sequence row.
ALTER TABLE audit_events_v3 RENAME TO audit_events;

-- Serves one artifact's trail in order, and the "is this artifact known" check.
CREATE INDEX audit_events_by_artifact ON audit_events (artifact_id, sequence);

-- Serves the per-artifact violation count that caps stored reports.
CREATE INDEX audit_events_violations ON audit_events (artifact_id) WHERE action = 'violation';

-- Serves retention: everything recorded before a cut-off.
CREATE INDEX audit_events_by_time ON audit_events (at);

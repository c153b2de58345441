-- V3 (PostgreSQL): audit_events becomes one append-only trail per artifact: created, version,
-- rejected, storage_write, violation and deleted events, kept after the artifact is deleted
-- until retention prunes them.
-- Released scripts never change (schema_version keeps their checksum); add V4 instead.
-- Statements end with ';' at the end of a line; lines starting with '--' are comments.
--
-- Same resulting table as the SQLite script (see there for what each column means), reached
-- with ALTER TABLE: PostgreSQL can drop a constraint, and altering in place keeps the identity
-- sequence, so no sequence number is ever handed out twice. The constraint names are the ones
-- PostgreSQL gave V2's unnamed constraints. The V2 rows were all storage writes; their action
-- ('set' or 'delete') moves to operation.

ALTER TABLE audit_events DROP CONSTRAINT audit_events_artifact_id_fkey;
ALTER TABLE audit_events DROP CONSTRAINT audit_events_action_check;
ALTER TABLE audit_events ALTER COLUMN artifact_version DROP NOT NULL;
ALTER TABLE audit_events ALTER COLUMN shared DROP NOT NULL;
ALTER TABLE audit_events ALTER COLUMN key DROP NOT NULL;
ALTER TABLE audit_events ALTER COLUMN bytes DROP NOT NULL;

ALTER TABLE audit_events
    ADD COLUMN operation     TEXT CHECK (operation IN ('set', 'delete')),
    ADD COLUMN artifact_type TEXT,
    ADD COLUMN sha256        TEXT,
    ADD COLUMN code          TEXT,
    ADD COLUMN message       TEXT,
    ADD COLUMN directive     TEXT,
    ADD COLUMN blocked_url   TEXT,
    ADD COLUMN source_file   TEXT,
    ADD COLUMN line_number   INTEGER CHECK (line_number >= 0),
    ADD COLUMN column_number INTEGER CHECK (column_number >= 0),
    ADD COLUMN sample        TEXT;

UPDATE audit_events SET operation = action, action = 'storage_write';

ALTER TABLE audit_events
    ADD CONSTRAINT audit_events_action_check
        CHECK (action IN ('created', 'version', 'rejected', 'storage_write', 'violation', 'deleted')),
    ADD CONSTRAINT audit_events_version_check CHECK ((action = 'rejected') = (artifact_version IS NULL)),
    ADD CONSTRAINT audit_events_storage_write_check CHECK (action <> 'storage_write' OR (viewer IS NOT NULL
        AND shared IS NOT NULL AND operation IS NOT NULL AND key IS NOT NULL AND bytes IS NOT NULL)),
    ADD CONSTRAINT audit_events_created_check
        CHECK (action <> 'created' OR (artifact_type IS NOT NULL AND sha256 IS NOT NULL AND bytes IS NOT NULL)),
    ADD CONSTRAINT audit_events_version_added_check
        CHECK (action <> 'version' OR (sha256 IS NOT NULL AND bytes IS NOT NULL)),
    ADD CONSTRAINT audit_events_rejected_check
        CHECK (action <> 'rejected' OR (code IS NOT NULL AND message IS NOT NULL)),
    ADD CONSTRAINT audit_events_violation_check CHECK (action <> 'violation' OR (directive IS NOT NULL
        AND blocked_url IS NOT NULL AND source_file IS NOT NULL AND line_number IS NOT NULL
        AND column_number IS NOT NULL AND sample IS NOT NULL));

-- Serves one artifact's trail in order, and the "is this artifact known" check.
DROP INDEX audit_events_by_artifact;
CREATE INDEX audit_events_by_artifact ON audit_events (artifact_id, sequence);

-- Serves the per-artifact violation count that caps stored reports.
CREATE INDEX audit_events_violations ON audit_events (artifact_id) WHERE action = 'violation';

-- Serves retention: everything recorded before a cut-off.
CREATE INDEX audit_events_by_time ON audit_events (at);

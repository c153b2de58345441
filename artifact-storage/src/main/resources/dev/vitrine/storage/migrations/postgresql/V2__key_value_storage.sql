-- V2 (PostgreSQL): per-artifact key-value storage (window.storage), its quota bookkeeping, an
-- audit trail of writes, and secrets every node of a deployment shares.
-- Released scripts never change (schema_version keeps their checksum); add V3 instead.
-- Statements end with ';' at the end of a line; lines starting with '--' are comments.
--
-- Same tables as the SQLite script; see there for what each column means. Text that is
-- compared or sorted uses the "C" collation, so keys list in UTF-8 byte order as in SQLite.

CREATE TABLE storage_usage (
    artifact_id TEXT COLLATE "C" NOT NULL REFERENCES artifacts (id) ON DELETE CASCADE,
    scope_owner TEXT COLLATE "C" NOT NULL,
    bytes       BIGINT  NOT NULL CHECK (bytes >= 0),
    keys        INTEGER NOT NULL CHECK (keys >= 0),
    generation  BIGINT  NOT NULL CHECK (generation >= 0),
    PRIMARY KEY (artifact_id, scope_owner)
);

CREATE TABLE storage_entries (
    artifact_id TEXT COLLATE "C" NOT NULL REFERENCES artifacts (id) ON DELETE CASCADE,
    scope_owner TEXT COLLATE "C" NOT NULL,
    key         TEXT COLLATE "C" NOT NULL,
    value       TEXT    NOT NULL,
    bytes       BIGINT  NOT NULL CHECK (bytes > 0),
    updated_at  BIGINT  NOT NULL,
    PRIMARY KEY (artifact_id, scope_owner, key)
);

CREATE TABLE audit_events (
    sequence         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    artifact_id      TEXT COLLATE "C" NOT NULL REFERENCES artifacts (id) ON DELETE CASCADE,
    artifact_version INTEGER NOT NULL CHECK (artifact_version >= 1),
    viewer           TEXT COLLATE "C",
    shared           BOOLEAN NOT NULL,
    action           TEXT    NOT NULL CHECK (action IN ('set', 'delete')),
    key              TEXT COLLATE "C" NOT NULL,
    bytes            BIGINT  NOT NULL CHECK (bytes >= 0),
    at               BIGINT  NOT NULL
);

CREATE INDEX audit_events_by_artifact ON audit_events (artifact_id, sequence DESC);

CREATE TABLE server_secrets (
    name       TEXT COLLATE "C" NOT NULL PRIMARY KEY,
    value      BYTEA  NOT NULL,
    created_at BIGINT NOT NULL
);

-- V2 (SQLite): per-artifact key-value storage (window.storage), its quota bookkeeping, an
-- audit trail of writes, and secrets every node of a deployment shares.
-- Released scripts never change (schema_version keeps their checksum); add V3 instead.
-- Statements end with ';' at the end of a line; lines starting with '--' are comments.
--
-- A scope is one artifact's shared data (scope_owner '') or one viewer's personal data on it
-- (scope_owner = the viewer id, which is never empty). Every table that belongs to an
-- artifact references it ON DELETE CASCADE, so deleting the artifact deletes its storage,
-- usage and audit rows in the same statement.

-- One row per scope that was ever written. Writers of a scope lock this row first, so the
-- quota check and the write it allows happen as one step; bytes and keys are the sums over
-- the scope's entries, kept in the same transaction as every change to them. generation goes
-- up by one with every write to the scope and never resets (the row stays when the scope
-- empties), which is what read caches compare against.
CREATE TABLE storage_usage (
    artifact_id TEXT    NOT NULL REFERENCES artifacts (id) ON DELETE CASCADE,
    scope_owner TEXT    NOT NULL,
    bytes       INTEGER NOT NULL CHECK (bytes >= 0),
    keys        INTEGER NOT NULL CHECK (keys >= 0),
    generation  INTEGER NOT NULL CHECK (generation >= 0),
    PRIMARY KEY (artifact_id, scope_owner)
) STRICT;

-- bytes is the entry's share of the quota: UTF-8 bytes of key plus value. The primary key
-- orders a scope's keys, which serves keys() and prefix listing without a sort.
CREATE TABLE storage_entries (
    artifact_id TEXT    NOT NULL REFERENCES artifacts (id) ON DELETE CASCADE,
    scope_owner TEXT    NOT NULL,
    key         TEXT    NOT NULL,
    value       TEXT    NOT NULL,
    bytes       INTEGER NOT NULL CHECK (bytes > 0),
    updated_at  INTEGER NOT NULL,
    PRIMARY KEY (artifact_id, scope_owner, key)
) STRICT;

-- AUTOINCREMENT, not a plain rowid: a sequence number must never be handed out twice, even
-- after the newest events were deleted with their artifact.
CREATE TABLE audit_events (
    sequence         INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    artifact_id      TEXT    NOT NULL REFERENCES artifacts (id) ON DELETE CASCADE,
    artifact_version INTEGER NOT NULL CHECK (artifact_version >= 1),
    viewer           TEXT,
    shared           INTEGER NOT NULL CHECK (shared IN (0, 1)),
    action           TEXT    NOT NULL CHECK (action IN ('set', 'delete')),
    key              TEXT    NOT NULL,
    bytes            INTEGER NOT NULL CHECK (bytes >= 0),
    at               INTEGER NOT NULL
) STRICT;

-- Serves audit(): one artifact's events, newest first; also indexes the foreign key.
CREATE INDEX audit_events_by_artifact ON audit_events (artifact_id, sequence DESC);

-- Random keys the nodes must agree on (token signing). Created once by whichever node asks
-- first; never changed afterwards.
CREATE TABLE server_secrets (
    name       TEXT    NOT NULL PRIMARY KEY,
    value      BLOB    NOT NULL,
    created_at INTEGER NOT NULL
) STRICT;

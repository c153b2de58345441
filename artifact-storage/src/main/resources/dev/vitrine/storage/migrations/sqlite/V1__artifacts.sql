-- V1 (SQLite): artifacts and their immutable, numbered versions.
-- Released scripts never change (schema_version keeps their checksum); add V2 instead.
-- Statements end with ';' at the end of a line; lines starting with '--' are comments.
--
-- STRICT makes SQLite reject values of the wrong type, as PostgreSQL does, so a bug cannot
-- store text in a timestamp column on one backend only. STRICT knows no BIGINT: its INTEGER is
-- already 64-bit, so epoch-millisecond instants are INTEGER here and BIGINT in PostgreSQL.
-- Text compares with SQLite's default BINARY collation, which PostgreSQL matches with "C".

CREATE TABLE artifacts (
    id             TEXT    NOT NULL PRIMARY KEY,
    type           TEXT    NOT NULL,
    title          TEXT    NOT NULL,
    created_at     INTEGER NOT NULL,
    updated_at     INTEGER NOT NULL,
    latest_version INTEGER NOT NULL CHECK (latest_version >= 1)
) STRICT;

-- Serves list(): newest first, ties by id.
CREATE INDEX artifacts_by_recency ON artifacts (updated_at DESC, id DESC);

-- Deleting an artifact deletes its versions in the same statement; this needs
-- PRAGMA foreign_keys=ON, which the connection pool sets on every connection.
CREATE TABLE artifact_versions (
    artifact_id TEXT    NOT NULL REFERENCES artifacts (id) ON DELETE CASCADE,
    number      INTEGER NOT NULL CHECK (number >= 1),
    content     TEXT    NOT NULL,
    sha256      TEXT    NOT NULL,
    created_at  INTEGER NOT NULL,
    PRIMARY KEY (artifact_id, number)
) STRICT;

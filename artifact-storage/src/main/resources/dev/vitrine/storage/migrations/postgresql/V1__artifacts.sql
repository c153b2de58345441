-- V1 (PostgreSQL): artifacts and their immutable, numbered versions.
-- Released scripts never change (schema_version keeps their checksum); add V2 instead.
-- Statements end with ';' at the end of a line; lines starting with '--' are comments.
--
-- Same tables as the SQLite script. Ids use the "C" collation so that ordering by id (the
-- tie-break of list()) is byte order, as in SQLite, whatever the database's locale.

CREATE TABLE artifacts (
    id             TEXT COLLATE "C" NOT NULL PRIMARY KEY,
    type           TEXT    NOT NULL,
    title          TEXT    NOT NULL,
    created_at     BIGINT  NOT NULL,
    updated_at     BIGINT  NOT NULL,
    latest_version INTEGER NOT NULL CHECK (latest_version >= 1)
);

-- Serves list(): newest first, ties by id.
CREATE INDEX artifacts_by_recency ON artifacts (updated_at DESC, id DESC);

-- The primary key's leading column also indexes the foreign key, so cascading deletes
-- do not scan the table.
CREATE TABLE artifact_versions (
    artifact_id TEXT COLLATE "C" NOT NULL REFERENCES artifacts (id) ON DELETE CASCADE,
    number      INTEGER NOT NULL CHECK (number >= 1),
    content     TEXT    NOT NULL,
    sha256      TEXT    NOT NULL,
    created_at  BIGINT  NOT NULL,
    PRIMARY KEY (artifact_id, number)
);

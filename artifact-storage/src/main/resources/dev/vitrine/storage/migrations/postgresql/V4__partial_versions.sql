-- V4 (PostgreSQL): partial versions, the text of streamed versions that never completed (the
-- client disconnected or went idle, sent invalid input, or the text did not compile).
-- Released scripts never change (schema_version keeps their checksum); add V5 instead.
-- Statements end with ';' at the end of a line; lines starting with '--' are comments.
--
-- Same table as the SQLite script: apart from artifact_versions, so a partial never takes a
-- version number, never becomes latest_version and is never served. The primary key's leading
-- column also indexes the foreign key, so cascading deletes do not scan the table.
CREATE TABLE partial_versions (
    artifact_id   TEXT COLLATE "C" NOT NULL REFERENCES artifacts (id) ON DELETE CASCADE,
    number        INTEGER NOT NULL CHECK (number >= 1),
    after_version INTEGER NOT NULL CHECK (after_version >= 1),
    content       TEXT    NOT NULL,
    sha256        TEXT    NOT NULL,
    code          TEXT    NOT NULL,
    message       TEXT    NOT NULL,
    created_at    BIGINT  NOT NULL,
    PRIMARY KEY (artifact_id, number)
);

-- V4 (SQLite): partial versions, the text of streamed versions that never completed (the
-- client disconnected or went idle, sent invalid input, or the text did not compile).
-- Released scripts never change (schema_version keeps their checksum); add V5 instead.
-- Statements end with ';' at the end of a line; lines starting with '--' are comments.
--
-- A table apart from artifact_versions, so a partial never takes a version number, never
-- becomes latest_version and is never served (PartialVersionStore says why). number is the
-- partial's own series per artifact; after_version is the artifact's latest complete version
-- when the partial was recorded; code and message say why it is not a version, as the
-- matching 'rejected' audit event does.
CREATE TABLE partial_versions (
    artifact_id   TEXT    NOT NULL REFERENCES artifacts (id) ON DELETE CASCADE,
    number        INTEGER NOT NULL CHECK (number >= 1),
    after_version INTEGER NOT NULL CHECK (after_version >= 1),
    content       TEXT    NOT NULL,
    sha256        TEXT    NOT NULL,
    code          TEXT    NOT NULL,
    message       TEXT    NOT NULL,
    created_at    INTEGER NOT NULL,
    PRIMARY KEY (artifact_id, number)
) STRICT;

package dev.vitrine.storage;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The one {@link ArtifactStore} implementation, for every dialect: its SQL is portable
 * (SQLite 3.35+ and PostgreSQL both accept it), and what differs lives in the pool set-up in
 * {@link ConnectionPools} and in {@link Dialect}. It shares its {@link Storage}'s pool.
 */
final class JdbcArtifactStore implements ArtifactStore {

    private static final String ARTIFACT_COLUMNS = "id, type, title, created_at, updated_at, latest_version";
    private static final String VERSION_COLUMNS = "artifact_id, number, content, sha256, created_at";

    private final Transactions transactions;
    private final Dialect dialect;
    private final Runnable closePool;
    private final Clock clock;
    private final SecureRandom random;

    /** @param closePool what {@link #close()} does: closes the pool this store shares */
    JdbcArtifactStore(Transactions transactions, Dialect dialect, Runnable closePool, Clock clock, SecureRandom random) {
        this.transactions = transactions;
        this.dialect = dialect;
        this.closePool = closePool;
        this.clock = clock;
        this.random = random;
    }

    @Override
    public Artifact create(ArtifactType type, String title, String content) {
        requireArgument(type, "type");
        requireText(title, "title");
        requireText(content, "content");
        ArtifactId id = ArtifactId.random(random);
        Instant now = now();
        Artifact artifact = new Artifact(id, type, title, now, now, 1);
        ArtifactVersion first = ArtifactVersion.of(id, 1, content, now);
        return transactions.write("create artifact " + id, connection -> {
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO artifacts (" + ARTIFACT_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?)")) {
                insert.setString(1, id.value());
                insert.setString(2, type.wireName());
                insert.setString(3, title);
                insert.setLong(4, now.toEpochMilli());
                insert.setLong(5, now.toEpochMilli());
                insert.setInt(6, 1);
                insert.executeUpdate();
            }
            insertVersion(connection, first);
            JdbcAuditLog.append(connection, id, OptionalInt.of(1), now,
                    new AuditDetail.Created(type, first.sha256(), utf8Bytes(content)));
            return artifact;
        });
    }

    @Override
    public Optional<Artifact> find(ArtifactId id) {
        requireArgument(id, "id");
        return transactions.read("find artifact " + id, connection -> {
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT " + ARTIFACT_COLUMNS + " FROM artifacts WHERE id = ?")) {
                select.setString(1, id.value());
                try (ResultSet rows = select.executeQuery()) {
                    return rows.next() ? Optional.of(artifact(rows)) : Optional.empty();
                }
            }
        });
    }

    @Override
    public List<Artifact> list(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be 1 or more; was " + limit);
        }
        return transactions.read("list " + limit + " artifacts", connection -> {
            try (PreparedStatement select = connection.prepareStatement("SELECT " + ARTIFACT_COLUMNS
                    + " FROM artifacts ORDER BY updated_at DESC, id DESC LIMIT ?")) {
                select.setInt(1, limit);
                try (ResultSet rows = select.executeQuery()) {
                    List<Artifact> artifacts = new ArrayList<>();
                    while (rows.next()) {
                        artifacts.add(artifact(rows));
                    }
                    return List.copyOf(artifacts);
                }
            }
        });
    }

    @Override
    public Optional<ArtifactVersion> version(ArtifactId id, int number) {
        requireArgument(id, "id");
        if (number < 1) {
            throw new IllegalArgumentException("version number must be 1 or more; was " + number);
        }
        return transactions.read("read version " + number + " of artifact " + id, connection -> {
            try (PreparedStatement select = connection.prepareStatement("SELECT " + VERSION_COLUMNS
                    + " FROM artifact_versions WHERE artifact_id = ? AND number = ?")) {
                select.setString(1, id.value());
                select.setInt(2, number);
                return singleVersion(select);
            }
        });
    }

    @Override
    public Optional<ArtifactVersion> latestVersion(ArtifactId id) {
        requireArgument(id, "id");
        return transactions.read("read latest version of artifact " + id, connection -> {
            try (PreparedStatement select = connection.prepareStatement("SELECT " + VERSION_COLUMNS
                    + " FROM artifact_versions WHERE artifact_id = ? ORDER BY number DESC LIMIT 1")) {
                select.setString(1, id.value());
                return singleVersion(select);
            }
        });
    }

    /**
     * The artifact row is the version counter. Incrementing it first serialises appenders on
     * that row: PostgreSQL makes a second UPDATE wait for the first transaction and then
     * re-reads the committed count; SQLite already let only one writer in with BEGIN
     * IMMEDIATE. Each appender thus reads a number nobody else can get, with no retry loop,
     * and the primary key on (artifact_id, number) would reject a duplicate if that ever broke.
     * An UPDATE that matches no row means the artifact does not exist, or was deleted by a
     * transaction that committed first.
     */
    @Override
    public ArtifactVersion appendVersion(ArtifactId id, String content) {
        requireArgument(id, "id");
        requireText(content, "content");
        return append(id, content, OptionalInt.empty());
    }

    /**
     * The same UPDATE with the expected count in its WHERE clause. On PostgreSQL (read
     * committed) a second writer's UPDATE waits for the first one's commit, re-checks the
     * condition on the row it committed, and matches nothing: the version moved on. Only then
     * is the row read again, to tell a conflict from a missing artifact.
     */
    @Override
    public ArtifactVersion appendVersion(ArtifactId id, String content, int expectedLatest) {
        requireArgument(id, "id");
        requireText(content, "content");
        if (expectedLatest < 1) {
            throw new IllegalArgumentException("expected latest version must be 1 or more; was " + expectedLatest);
        }
        return append(id, content, OptionalInt.of(expectedLatest));
    }

    private ArtifactVersion append(ArtifactId id, String content, OptionalInt expectedLatest) {
        Instant now = now();
        return transactions.write("append version to artifact " + id, connection -> {
            int number;
            try (PreparedStatement bump = connection.prepareStatement(
                    "UPDATE artifacts SET latest_version = latest_version + 1, updated_at = ?"
                            + " WHERE id = ?" + (expectedLatest.isPresent() ? " AND latest_version = ?" : "")
                            + " RETURNING latest_version")) {
                bump.setLong(1, now.toEpochMilli());
                bump.setString(2, id.value());
                if (expectedLatest.isPresent()) {
                    bump.setInt(3, expectedLatest.getAsInt());
                }
                try (ResultSet rows = bump.executeQuery()) {
                    if (!rows.next()) {
                        throw expectedLatest.isPresent()
                                ? conflictOrMissing(connection, id, expectedLatest.getAsInt())
                                : new NoSuchArtifactException(id);
                    }
                    number = rows.getInt(1);
                }
            }
            ArtifactVersion version = ArtifactVersion.of(id, number, content, now);
            insertVersion(connection, version);
            JdbcAuditLog.append(connection, id, OptionalInt.of(number), now,
                    new AuditDetail.VersionAdded(version.sha256(), utf8Bytes(content)));
            return version;
        });
    }

    private static RuntimeException conflictOrMissing(Connection connection, ArtifactId id, int expectedLatest)
            throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT latest_version FROM artifacts WHERE id = ?")) {
            select.setString(1, id.value());
            try (ResultSet rows = select.executeQuery()) {
                return rows.next()
                        ? new VersionConflictException(id, expectedLatest, rows.getInt(1))
                        : new NoSuchArtifactException(id);
            }
        }
    }

    /**
     * Versions, storage entries and usage rows go with the artifact through ON DELETE CASCADE,
     * in the same statement; the audit trail stays and gets a {@code deleted} event in the same
     * transaction. The artifact's delete lock comes first (see
     * {@link Dialect#artifactDeleteLock()}): it waits for storage writes under way and keeps new
     * ones out, which then find no artifact, so nothing follows {@code deleted} in the trail.
     */
    @Override
    public boolean delete(ArtifactId id) {
        requireArgument(id, "id");
        Instant now = now();
        return transactions.write("delete artifact " + id, connection -> {
            if (dialect.artifactDeleteLock().isPresent()) {
                try (PreparedStatement lock = connection.prepareStatement(dialect.artifactDeleteLock().get())) {
                    lock.setInt(1, Dialect.artifactLockKey(id));
                    lock.execute();
                }
            }
            try (PreparedStatement delete = connection.prepareStatement(
                    "DELETE FROM artifacts WHERE id = ? RETURNING latest_version")) {
                delete.setString(1, id.value());
                try (ResultSet rows = delete.executeQuery()) {
                    if (!rows.next()) {
                        return false;
                    }
                    JdbcAuditLog.append(connection, id, OptionalInt.of(rows.getInt(1)), now, new AuditDetail.Deleted());
                    return true;
                }
            }
        });
    }

    @Override
    public void close() {
        closePool.run();
    }

    private static void insertVersion(Connection connection, ArtifactVersion version) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO artifact_versions (" + VERSION_COLUMNS + ") VALUES (?, ?, ?, ?, ?)")) {
            insert.setString(1, version.artifactId().value());
            insert.setInt(2, version.number());
            insert.setString(3, version.content());
            insert.setString(4, version.sha256());
            insert.setLong(5, version.createdAt().toEpochMilli());
            insert.executeUpdate();
        }
    }

    private static Artifact artifact(ResultSet row) throws SQLException {
        String id = row.getString("id");
        try {
            return new Artifact(
                    new ArtifactId(id),
                    ArtifactType.fromWireName(row.getString("type")),
                    row.getString("title"),
                    Instant.ofEpochMilli(row.getLong("created_at")),
                    Instant.ofEpochMilli(row.getLong("updated_at")),
                    row.getInt("latest_version"));
        } catch (IllegalArgumentException e) {
            // A row this build cannot represent, e.g. a type added by a newer build: the
            // database is the problem, not the caller's input.
            throw new StorageException("artifact " + UntrustedText.quote(id) + " in the database is not readable", e);
        }
    }

    private static Optional<ArtifactVersion> singleVersion(PreparedStatement select) throws SQLException {
        try (ResultSet rows = select.executeQuery()) {
            if (!rows.next()) {
                return Optional.empty();
            }
            return Optional.of(new ArtifactVersion(
                    new ArtifactId(rows.getString("artifact_id")),
                    rows.getInt("number"),
                    rows.getString("content"),
                    rows.getString("sha256"),
                    Instant.ofEpochMilli(rows.getLong("created_at"))));
        }
    }

    private static long utf8Bytes(String content) {
        return content.getBytes(StandardCharsets.UTF_8).length;
    }

    /** Stored instants have millisecond precision; truncating here makes create() equal find(). */
    private Instant now() {
        return Instant.ofEpochMilli(clock.millis());
    }

    private static void requireArgument(Object value, String name) {
        if (value == null) {
            throw new IllegalArgumentException(name + " must not be null");
        }
    }

    /**
     * PostgreSQL cannot store U+0000 in text, while SQLite can; rejecting it on every backend
     * keeps one contract instead of a 500 on one database and success on the other.
     */
    private static void requireText(String value, String name) {
        requireArgument(value, name);
        int nul = value.indexOf('\u0000');
        if (nul >= 0) {
            throw new IllegalArgumentException(name + " must not contain U+0000 (NUL); found at index " + nul);
        }
    }
}

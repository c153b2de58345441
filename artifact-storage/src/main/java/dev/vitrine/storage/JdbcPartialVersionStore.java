package dev.vitrine.storage;

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
 * The one {@link PartialVersionStore} implementation, for every dialect, on the table of
 * migration V4. It shares its {@link Storage}'s pool.
 */
final class JdbcPartialVersionStore implements PartialVersionStore {

    private static final String COLUMNS = "artifact_id, number, after_version, content, sha256, code, message, created_at";

    private final Transactions transactions;
    private final Dialect dialect;
    private final Clock clock;

    JdbcPartialVersionStore(Transactions transactions, Dialect dialect, Clock clock) {
        this.transactions = transactions;
        this.dialect = dialect;
        this.clock = clock;
    }

    /**
     * Locking the artifact row first (SQLite's BEGIN IMMEDIATE already lets one writer in)
     * serialises recorders of one artifact, so each reads a next number nobody else gets, and
     * keeps the artifact from being deleted until the partial and its audit event are written.
     * An artifact that is gone reads no row.
     */
    @Override
    public PartialVersion add(ArtifactId artifact, String content, AuditDetail.Rejected reason) {
        if (artifact == null || content == null || reason == null) {
            throw new IllegalArgumentException("artifact, content and reason must not be null");
        }
        int nul = content.indexOf('\u0000');
        if (nul >= 0) {
            throw new IllegalArgumentException("content must not contain U+0000 (NUL); found at index " + nul);
        }
        Instant now = Instant.ofEpochMilli(clock.millis());
        return transactions.write("record partial version of artifact " + artifact, connection -> {
            int latest;
            try (PreparedStatement lock = connection.prepareStatement(
                    "SELECT latest_version FROM artifacts WHERE id = ?" + dialect.lockArtifactRowClause())) {
                lock.setString(1, artifact.value());
                try (ResultSet rows = lock.executeQuery()) {
                    if (!rows.next()) {
                        throw new NoSuchArtifactException(artifact);
                    }
                    latest = rows.getInt(1);
                }
            }
            int number;
            try (PreparedStatement next = connection.prepareStatement(
                    "SELECT COALESCE(MAX(number), 0) + 1 FROM partial_versions WHERE artifact_id = ?")) {
                next.setString(1, artifact.value());
                try (ResultSet rows = next.executeQuery()) {
                    rows.next();
                    number = rows.getInt(1);
                }
            }
            PartialVersion partial = new PartialVersion(artifact, number, latest, content, Sha256.hex(content),
                    reason.code(), reason.message(), now);
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO partial_versions (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
                insert.setString(1, artifact.value());
                insert.setInt(2, number);
                insert.setInt(3, latest);
                insert.setString(4, content);
                insert.setString(5, partial.sha256());
                insert.setString(6, reason.code());
                insert.setString(7, reason.message());
                insert.setLong(8, now.toEpochMilli());
                insert.executeUpdate();
            }
            try (PreparedStatement prune = connection.prepareStatement(
                    "DELETE FROM partial_versions WHERE artifact_id = ? AND number <= ?")) {
                prune.setString(1, artifact.value());
                prune.setInt(2, number - KEPT_PER_ARTIFACT);
                prune.executeUpdate();
            }
            JdbcAuditLog.append(connection, artifact, OptionalInt.empty(), now, reason);
            return partial;
        });
    }

    @Override
    public List<PartialVersion> list(ArtifactId artifact) {
        if (artifact == null) {
            throw new IllegalArgumentException("artifact must not be null");
        }
        return transactions.read("list partial versions of artifact " + artifact, connection -> {
            try (PreparedStatement select = connection.prepareStatement("SELECT " + COLUMNS
                    + " FROM partial_versions WHERE artifact_id = ? ORDER BY number DESC")) {
                select.setString(1, artifact.value());
                return partials(select);
            }
        });
    }

    @Override
    public Optional<PartialVersion> find(ArtifactId artifact, int number) {
        if (artifact == null) {
            throw new IllegalArgumentException("artifact must not be null");
        }
        if (number < 1) {
            throw new IllegalArgumentException("partial number must be 1 or more; was " + number);
        }
        return transactions.read("read partial " + number + " of artifact " + artifact, connection -> {
            try (PreparedStatement select = connection.prepareStatement("SELECT " + COLUMNS
                    + " FROM partial_versions WHERE artifact_id = ? AND number = ?")) {
                select.setString(1, artifact.value());
                select.setInt(2, number);
                return partials(select).stream().findFirst();
            }
        });
    }

    private static List<PartialVersion> partials(PreparedStatement select) throws SQLException {
        List<PartialVersion> partials = new ArrayList<>();
        try (ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
                partials.add(new PartialVersion(
                        new ArtifactId(rows.getString("artifact_id")),
                        rows.getInt("number"),
                        rows.getInt("after_version"),
                        rows.getString("content"),
                        rows.getString("sha256"),
                        rows.getString("code"),
                        rows.getString("message"),
                        Instant.ofEpochMilli(rows.getLong("created_at"))));
            }
        }
        return List.copyOf(partials);
    }
}

package dev.vitrine.storage;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;

/**
 * The one {@link AuditLog} implementation, for every dialect, and the one place that maps
 * events to rows of {@code audit_events}: the artifact and key-value stores call
 * {@link #append} inside their own transactions.
 *
 * <p>One table holds every kind of event. Columns that belong to one kind are null for the
 * others, and CHECK constraints (migration V3) require each kind's columns, so a row the code
 * cannot read back is refused when it is written, not when an operator needs it.
 */
final class JdbcAuditLog implements AuditLog {

    /** Rows deleted per transaction by {@link #prune}: short enough that writers barely wait. */
    static final int PRUNE_BATCH = 5_000;

    private static final String COLUMNS = "sequence, artifact_id, artifact_version, action, at, viewer, shared,"
            + " operation, key, bytes, artifact_type, sha256, code, message, directive, blocked_url, source_file,"
            + " line_number, column_number, sample";

    private final Transactions transactions;
    private final Dialect dialect;
    private final Clock clock;

    JdbcAuditLog(Transactions transactions, Dialect dialect, Clock clock) {
        this.transactions = transactions;
        this.dialect = dialect;
        this.clock = clock;
    }

    @Override
    public List<AuditEvent> events(ArtifactId artifact, long after, int limit) {
        requireArgument(artifact, "artifact");
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be 1 or more; was " + limit);
        }
        if (after < 0) {
            throw new IllegalArgumentException("after must be 0 or more; was " + after);
        }
        return transactions.read("read audit events of artifact " + artifact, connection -> {
            try (PreparedStatement select = connection.prepareStatement("SELECT " + COLUMNS + " FROM audit_events"
                    + " WHERE artifact_id = ? AND sequence > ? ORDER BY sequence LIMIT ?")) {
                select.setString(1, artifact.value());
                select.setLong(2, after);
                select.setInt(3, limit);
                try (ResultSet rows = select.executeQuery()) {
                    List<AuditEvent> events = new ArrayList<>();
                    while (rows.next()) {
                        events.add(event(artifact, rows));
                    }
                    return List.copyOf(events);
                }
            }
        });
    }

    @Override
    public boolean known(ArtifactId artifact) {
        requireArgument(artifact, "artifact");
        return transactions.read("look up artifact " + artifact, connection -> {
            try (PreparedStatement select = connection.prepareStatement("SELECT 1 FROM artifacts WHERE id = ?"
                    + " UNION ALL SELECT 1 FROM audit_events WHERE artifact_id = ? LIMIT 1")) {
                select.setString(1, artifact.value());
                select.setString(2, artifact.value());
                try (ResultSet rows = select.executeQuery()) {
                    return rows.next();
                }
            }
        });
    }

    @Override
    public boolean recordRejected(ArtifactId artifact, AuditDetail.Rejected rejected) {
        requireArgument(artifact, "artifact");
        requireArgument(rejected, "rejected");
        Instant now = now();
        return transactions.write("record rejected content of artifact " + artifact, connection -> {
            if (lockLatestVersion(connection, artifact).isEmpty()) {
                return false;
            }
            append(connection, artifact, OptionalInt.empty(), now, rejected);
            return true;
        });
    }

    /**
     * Locking the artifact row first makes the count and the insert one step for this artifact:
     * on PostgreSQL the next reporter of the artifact waits here and then counts this insert,
     * and SQLite's {@code BEGIN IMMEDIATE} already lets one writer in at a time. It also keeps a
     * delete from slipping between the check and the insert, so no violation follows
     * {@code deleted} in a trail.
     */
    @Override
    public ViolationOutcome recordViolation(ArtifactId artifact, int version, AuditDetail.Violation violation,
            int maxPerArtifact) {
        requireArgument(artifact, "artifact");
        requireArgument(violation, "violation");
        if (version < 1) {
            throw new IllegalArgumentException("version must be 1 or more; was " + version);
        }
        if (maxPerArtifact < 1) {
            throw new IllegalArgumentException("maxPerArtifact must be 1 or more; was " + maxPerArtifact);
        }
        Instant now = now();
        return transactions.write("record a CSP violation of artifact " + artifact, connection -> {
            OptionalInt latest = lockLatestVersion(connection, artifact);
            if (latest.isEmpty() || version > latest.getAsInt()) {
                return ViolationOutcome.UNKNOWN_VERSION;
            }
            try (PreparedStatement count = connection.prepareStatement(
                    "SELECT COUNT(*) FROM audit_events WHERE artifact_id = ? AND action = ?")) {
                count.setString(1, artifact.value());
                count.setString(2, AuditDetail.Violation.TYPE);
                try (ResultSet rows = count.executeQuery()) {
                    rows.next();
                    if (rows.getLong(1) >= maxPerArtifact) {
                        return ViolationOutcome.LIMIT_REACHED;
                    }
                }
            }
            append(connection, artifact, OptionalInt.of(version), now, violation);
            return ViolationOutcome.RECORDED;
        });
    }

    @Override
    public long prune(Instant cutoff) {
        requireArgument(cutoff, "cutoff");
        long total = 0;
        while (true) {
            int deleted = transactions.write("prune audit events before " + cutoff, connection -> {
                try (PreparedStatement delete = connection.prepareStatement("DELETE FROM audit_events WHERE sequence IN"
                        + " (SELECT sequence FROM audit_events WHERE at < ? ORDER BY sequence LIMIT ?)")) {
                    delete.setLong(1, cutoff.toEpochMilli());
                    delete.setInt(2, PRUNE_BATCH);
                    return delete.executeUpdate();
                }
            });
            total += deleted;
            if (deleted < PRUNE_BATCH) {
                return total;
            }
        }
    }

    /**
     * Appends one event in the caller's transaction.
     *
     * @param version the artifact version concerned, if any
     */
    static void append(Connection connection, ArtifactId artifact, OptionalInt version, Instant at, AuditDetail detail)
            throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO audit_events (artifact_id,"
                + " artifact_version, action, at, viewer, shared, operation, key, bytes, artifact_type, sha256, code,"
                + " message, directive, blocked_url, source_file, line_number, column_number, sample)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            insert.setString(1, artifact.value());
            if (version.isPresent()) {
                insert.setInt(2, version.getAsInt());
            } else {
                insert.setNull(2, Types.INTEGER);
            }
            insert.setString(3, detail.type());
            insert.setLong(4, at.toEpochMilli());
            for (int column = 5; column <= 19; column++) {
                insert.setNull(column, switch (column) {
                    case 6 -> Types.BOOLEAN;
                    case 9 -> Types.BIGINT;
                    case 17, 18 -> Types.INTEGER;
                    default -> Types.VARCHAR;
                });
            }
            switch (detail) {
                case AuditDetail.Created created -> {
                    insert.setLong(9, created.bytes());
                    insert.setString(10, created.artifactType().wireName());
                    insert.setString(11, created.sha256());
                }
                case AuditDetail.VersionAdded added -> {
                    insert.setLong(9, added.bytes());
                    insert.setString(11, added.sha256());
                }
                case AuditDetail.Rejected rejected -> {
                    insert.setString(12, rejected.code());
                    insert.setString(13, rejected.message());
                }
                case AuditDetail.StorageWrite write -> {
                    insert.setString(5, write.viewer().value());
                    insert.setBoolean(6, write.shared());
                    insert.setString(7, write.operation().wireName());
                    insert.setString(8, write.key());
                    insert.setLong(9, write.bytes());
                }
                case AuditDetail.Violation violation -> {
                    insert.setString(14, violation.directive());
                    insert.setString(15, violation.blockedUrl());
                    insert.setString(16, violation.sourceFile());
                    insert.setInt(17, violation.line());
                    insert.setInt(18, violation.column());
                    insert.setString(19, violation.sample());
                }
                case AuditDetail.Deleted deleted -> {
                    // The action says it all.
                }
            }
            insert.executeUpdate();
        }
    }

    /** Locks the artifact row (see {@link Dialect#lockArtifactRowClause()}) and returns its latest version. */
    private OptionalInt lockLatestVersion(Connection connection, ArtifactId artifact) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT latest_version FROM artifacts WHERE id = ?" + dialect.lockArtifactRowClause())) {
            select.setString(1, artifact.value());
            try (ResultSet rows = select.executeQuery()) {
                return rows.next() ? OptionalInt.of(rows.getInt(1)) : OptionalInt.empty();
            }
        }
    }

    private static AuditEvent event(ArtifactId artifact, ResultSet row) throws SQLException {
        long sequence = row.getLong("sequence");
        int version = row.getInt("artifact_version");
        OptionalInt artifactVersion = row.wasNull() ? OptionalInt.empty() : OptionalInt.of(version);
        String action = row.getString("action");
        try {
            AuditDetail detail = switch (action) {
                case AuditDetail.Created.TYPE -> new AuditDetail.Created(
                        ArtifactType.fromWireName(row.getString("artifact_type")), row.getString("sha256"), row.getLong("bytes"));
                case AuditDetail.VersionAdded.TYPE -> new AuditDetail.VersionAdded(row.getString("sha256"), row.getLong("bytes"));
                case AuditDetail.Rejected.TYPE -> new AuditDetail.Rejected(row.getString("code"), row.getString("message"));
                case AuditDetail.StorageWrite.TYPE -> new AuditDetail.StorageWrite(
                        new ViewerId(row.getString("viewer")), row.getBoolean("shared"),
                        AuditDetail.StorageWrite.Operation.fromWireName(row.getString("operation")),
                        row.getString("key"), row.getLong("bytes"));
                case AuditDetail.Violation.TYPE -> new AuditDetail.Violation(row.getString("directive"),
                        row.getString("blocked_url"), row.getString("source_file"), row.getInt("line_number"),
                        row.getInt("column_number"), row.getString("sample"));
                case AuditDetail.Deleted.TYPE -> new AuditDetail.Deleted();
                default -> throw new IllegalArgumentException("unknown action " + UntrustedText.quote(action));
            };
            return new AuditEvent(sequence, artifact, artifactVersion, Instant.ofEpochMilli(row.getLong("at")), detail);
        } catch (IllegalArgumentException e) {
            // A row this build cannot represent, e.g. an action added by a newer build: the
            // database is the problem, not the caller's input.
            throw new StorageException("audit event " + sequence + " in the database is not readable", e);
        }
    }

    /** Stored instants have millisecond precision; truncating here makes events compare equal. */
    private Instant now() {
        return Instant.ofEpochMilli(clock.millis());
    }

    private static void requireArgument(Object value, String name) {
        if (value == null) {
            throw new IllegalArgumentException(name + " must not be null");
        }
    }
}

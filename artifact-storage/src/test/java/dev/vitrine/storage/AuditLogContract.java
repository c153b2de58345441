package dev.vitrine.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What {@link Storage#audit()} must do on every backend: one ordered trail per artifact that
 * the stores append to in their own transactions, which outlives the artifact, caps reported
 * violations under concurrent reporters, and is pruned by retention. Each backend's test class
 * says only how to reach its database.
 */
abstract class AuditLogContract {

    static final Instant START = Instant.parse("2025-03-14T15:09:26.535Z");
    static final String CONTENT = "<p>board ✓</p>";
    static final ViewerId ALICE = new ViewerId("alice");
    static final AuditDetail.Violation IMAGE = AuditDetail.Violation.truncating("img-src", "http://evil.test/x.png",
            "", 0, 0, "");

    MutableClock clock;
    Storage storage;
    AuditLog audit;
    ArtifactId artifact;

    /** Settings for this test's own database. */
    abstract StorageSettings settings();

    /** A plain JDBC connection to {@link #settings()}'s database, to check and set up rows. */
    abstract Connection rawConnection() throws SQLException;

    /** Leaves the database of {@link #settings()} without rows, if an earlier test left some. */
    abstract void emptyDatabase() throws Exception;

    /** The dialect of {@link #settings()}'s database, to run its migration scripts by hand. */
    abstract Dialect dialect();

    Storage open() {
        return Storage.open(settings(), StorageLimits.defaults(), clock, new SecureRandom());
    }

    @BeforeEach
    void openStorage() throws Exception {
        clock = new MutableClock(START);
        storage = open();
        emptyDatabase();
        audit = storage.audit();
        artifact = storage.artifacts().create(ArtifactType.HTML, "Board", CONTENT).id();
    }

    @AfterEach
    void closeStorage() {
        storage.close();
    }

    @Test
    void theTrailRecordsCreationVersionsAndDeletionInOrder() {
        clock.advance(Duration.ofSeconds(1));
        ArtifactVersion second = storage.artifacts().appendVersion(artifact, "<p>two</p>");
        clock.advance(Duration.ofSeconds(1));
        storage.artifacts().appendVersion(artifact, "<p>three</p>");
        clock.advance(Duration.ofSeconds(1));
        assertTrue(storage.artifacts().delete(artifact));

        List<AuditEvent> events = audit.events(artifact, 0, 10);

        assertEquals(4, events.size(), events.toString());
        assertEquals(new AuditEvent(events.get(0).sequence(), artifact, OptionalInt.of(1), START,
                new AuditDetail.Created(ArtifactType.HTML, Sha256.hex(CONTENT), CONTENT.getBytes(StandardCharsets.UTF_8).length)),
                events.get(0));
        assertEquals(new AuditEvent(events.get(1).sequence(), artifact, OptionalInt.of(2), START.plusSeconds(1),
                new AuditDetail.VersionAdded(second.sha256(), 10)), events.get(1));
        assertEquals(OptionalInt.of(3), events.get(2).version());
        assertEquals(new AuditEvent(events.get(3).sequence(), artifact, OptionalInt.of(3), START.plusSeconds(3),
                new AuditDetail.Deleted()), events.get(3), "deleted names the latest version the artifact had");
        for (int i = 1; i < events.size(); i++) {
            assertTrue(events.get(i - 1).sequence() < events.get(i).sequence());
        }
    }

    @Test
    void theTrailOutlivesItsArtifactWhichStaysKnown() {
        ArtifactId neverCreated = ArtifactId.random(new SecureRandom());
        assertTrue(audit.known(artifact));
        assertFalse(audit.known(neverCreated));

        storage.artifacts().delete(artifact);

        assertTrue(audit.known(artifact), "a deleted artifact's trail is still readable");
        assertEquals(List.of("created", "deleted"), types(audit.events(artifact, 0, 10)));
        assertEquals(List.of(), audit.events(neverCreated, 0, 10));
    }

    @Test
    void eventsArePagedOldestFirstAfterTheLastSequenceSeen() {
        for (int i = 2; i <= 5; i++) {
            storage.artifacts().appendVersion(artifact, "<p>" + i + "</p>");
        }
        ArtifactId other = storage.artifacts().create(ArtifactType.SVG, "Other", "<svg/>").id();

        List<AuditEvent> first = audit.events(artifact, 0, 2);
        List<AuditEvent> second = audit.events(artifact, first.getLast().sequence(), 2);
        List<AuditEvent> third = audit.events(artifact, second.getLast().sequence(), 2);

        assertEquals(List.of(1, 2, 3, 4, 5), versions(concat(first, second, third)));
        assertEquals(1, third.size());
        assertEquals(List.of(), audit.events(artifact, third.getLast().sequence(), 2));
        assertEquals(List.of("created"), types(audit.events(other, 0, 10)), "another artifact's trail is its own");
        assertThrows(IllegalArgumentException.class, () -> audit.events(artifact, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> audit.events(artifact, -1, 10));
    }

    @Test
    void rejectedContentIsRecordedWithoutAVersionAndOnlyForAnExistingArtifact() {
        AuditDetail.Rejected rejected = AuditDetail.Rejected.truncating("compile_error", "line 2: unexpected '<'");

        assertTrue(audit.recordRejected(artifact, rejected));
        storage.artifacts().delete(artifact);
        assertFalse(audit.recordRejected(artifact, rejected), "deleted: nothing follows 'deleted'");
        assertFalse(audit.recordRejected(ArtifactId.random(new SecureRandom()), rejected));

        List<AuditEvent> events = audit.events(artifact, 0, 10);
        assertEquals(List.of("created", "rejected", "deleted"), types(events));
        assertEquals(new AuditEvent(events.get(1).sequence(), artifact, OptionalInt.empty(), START, rejected), events.get(1));
    }

    @Test
    void aViolationIsRecordedOnlyForAVersionThatExists() {
        AuditDetail.Violation full = AuditDetail.Violation.truncating("connect-src", "http://evil.test/leak?d=1",
                "http://127.0.0.1:8081/f/x/1", 12, 7, "fetch(");

        assertEquals(AuditLog.ViolationOutcome.RECORDED, audit.recordViolation(artifact, 1, full, 10));
        assertEquals(AuditLog.ViolationOutcome.UNKNOWN_VERSION, audit.recordViolation(artifact, 2, IMAGE, 10));
        assertEquals(AuditLog.ViolationOutcome.UNKNOWN_VERSION,
                audit.recordViolation(ArtifactId.random(new SecureRandom()), 1, IMAGE, 10));
        storage.artifacts().delete(artifact);
        assertEquals(AuditLog.ViolationOutcome.UNKNOWN_VERSION, audit.recordViolation(artifact, 1, IMAGE, 10));

        List<AuditEvent> events = audit.events(artifact, 0, 10);
        assertEquals(List.of("created", "violation", "deleted"), types(events));
        assertEquals(new AuditEvent(events.get(1).sequence(), artifact, OptionalInt.of(1), START, full), events.get(1));
    }

    @Test
    void untrustedReportTextIsCutAndMadeStorableOnEveryBackend() {
        String nul = "a\u0000b";
        String lone = "x\ud800y\ude00";
        String pair = "😀".repeat(600); // 1200 chars: cut at 1024 without splitting a pair

        AuditDetail.Violation violation = AuditDetail.Violation.truncating(nul, lone, pair, -5, 1L << 40, "s".repeat(300));
        assertEquals(AuditLog.ViolationOutcome.RECORDED, audit.recordViolation(artifact, 1, violation, 10));

        AuditDetail.Violation stored = (AuditDetail.Violation) audit.events(artifact, 0, 10).get(1).detail();
        assertEquals("a\ufffdb", stored.directive());
        assertEquals("x\ufffdy\ufffd", stored.blockedUrl());
        assertEquals("😀".repeat(512), stored.sourceFile());
        assertEquals(0, stored.line());
        assertEquals(Integer.MAX_VALUE, stored.column());
        assertEquals(AuditDetail.Violation.MAX_SAMPLE, stored.sample().length());
        assertThrows(IllegalArgumentException.class, () -> new AuditDetail.Violation("img-src", "x".repeat(1025), "", 0, 0, ""));
        assertThrows(IllegalArgumentException.class, () -> new AuditDetail.Violation("", "x", "", 0, 0, ""));
        assertThrows(IllegalArgumentException.class, () -> new AuditDetail.Violation("img\u0000", "x", "", 0, 0, ""));
    }

    @Test
    void violationsStopAtThePerArtifactLimitWithoutAffectingOtherArtifacts() {
        ArtifactId other = storage.artifacts().create(ArtifactType.HTML, "Other", "<p/>").id();
        for (int i = 0; i < 3; i++) {
            assertEquals(AuditLog.ViolationOutcome.RECORDED, audit.recordViolation(artifact, 1, IMAGE, 3));
        }

        assertEquals(AuditLog.ViolationOutcome.LIMIT_REACHED, audit.recordViolation(artifact, 1, IMAGE, 3));
        assertEquals(AuditLog.ViolationOutcome.RECORDED, audit.recordViolation(other, 1, IMAGE, 3));
        assertEquals(AuditLog.ViolationOutcome.RECORDED, audit.recordViolation(artifact, 1, IMAGE, 4), "a higher limit has room");

        assertEquals(4, types(audit.events(artifact, 0, 100)).stream().filter("violation"::equals).count());
    }

    @Test
    void concurrentReportersNeverTakeAnArtifactPastItsViolationLimit() throws Exception {
        int reporters = 16;
        int limit = 40;
        AtomicInteger recorded = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        try (Storage otherNode = open(); ExecutorService executor = Executors.newFixedThreadPool(reporters)) {
            List<Future<?>> running = new ArrayList<>();
            for (int r = 0; r < reporters; r++) {
                AuditLog node = r % 2 == 0 ? audit : otherNode.audit();
                running.add(executor.submit(() -> {
                    start.await();
                    for (int i = 0; i < 5; i++) {
                        if (node.recordViolation(artifact, 1, IMAGE, limit) == AuditLog.ViolationOutcome.RECORDED) {
                            recorded.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> reporter : running) {
                reporter.get(2, TimeUnit.MINUTES);
            }
        }

        assertEquals(limit, recorded.get());
        assertEquals(limit, types(audit.events(artifact, 0, 1_000)).stream().filter("violation"::equals).count());
    }

    @Test
    void pruneRemovesEventsOlderThanTheCutoffOfLiveAndDeletedArtifacts() {
        ArtifactId gone = storage.artifacts().create(ArtifactType.HTML, "Gone", "<p/>").id();
        audit.recordViolation(artifact, 1, IMAGE, 2);
        audit.recordViolation(artifact, 1, IMAGE, 2);
        storage.artifacts().delete(gone);
        clock.advance(Duration.ofDays(10));
        storage.artifacts().appendVersion(artifact, "<p>later</p>");
        assertEquals(AuditLog.ViolationOutcome.LIMIT_REACHED, audit.recordViolation(artifact, 2, IMAGE, 2));

        long pruned = audit.prune(START.plus(Duration.ofDays(5)));

        assertEquals(5, pruned, "artifact's created and two violations, gone's created and deleted");
        assertEquals(List.of("version"), types(audit.events(artifact, 0, 10)));
        assertFalse(audit.known(gone), "nothing of a deleted artifact is left once its trail is pruned");
        assertTrue(audit.known(artifact), "a live artifact stays known");
        assertEquals(AuditLog.ViolationOutcome.RECORDED, audit.recordViolation(artifact, 2, IMAGE, 2),
                "pruned violations no longer count against the limit");
        assertEquals(0, audit.prune(START.plus(Duration.ofDays(5))));
    }

    @Test
    void pruneDeletesMoreThanOneBatch() throws SQLException {
        int rows = JdbcAuditLog.PRUNE_BATCH * 2 + 1;
        try (Connection connection = rawConnection()) {
            connection.setAutoCommit(false);
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO audit_events"
                    + " (artifact_id, artifact_version, action, at) VALUES (?, 1, 'deleted', ?)")) {
                for (int i = 0; i < rows; i++) {
                    insert.setString(1, ArtifactId.random(new SecureRandom()).value());
                    insert.setLong(2, START.minusSeconds(60).toEpochMilli());
                    insert.addBatch();
                }
                insert.executeBatch();
            }
            connection.commit();
        }

        assertEquals(rows, audit.prune(START));
        assertEquals(List.of("created"), types(audit.events(artifact, 0, 10)), "what is not older than the cutoff stays");
    }

    @Test
    void aDatabaseWithVersionTwoStorageEventsKeepsThemAndTheirSequencesThroughTheUpgrade() throws SQLException {
        storage.close();
        SchemaMigrations.Migration v2 = SchemaMigrations.ALL.get(1);
        try (Connection connection = rawConnection(); Statement statement = connection.createStatement()) {
            OlderSchemas.dropLiveEvents(statement); // V5 and V4, newer than the database this test imitates
            statement.execute("DROP TABLE partial_versions");
            statement.execute("DROP TABLE audit_events");
            statement.execute("DELETE FROM schema_version WHERE version >= 3");
            for (String sql : SchemaMigrations.statements(SchemaMigrations.load(dialect(), v2))) {
                if (sql.startsWith("CREATE TABLE audit_events") || sql.startsWith("CREATE INDEX audit_events")) {
                    statement.execute(sql);
                }
            }
            statement.execute("INSERT INTO audit_events (artifact_id, artifact_version, viewer, shared, action, key, bytes, at)"
                    + " VALUES ('" + artifact + "', 1, 'alice', " + sqlBoolean(false) + ", 'set', 'note', 9, " + START.toEpochMilli() + ")");
            statement.execute("INSERT INTO audit_events (artifact_id, artifact_version, viewer, shared, action, key, bytes, at)"
                    + " VALUES ('" + artifact + "', 2, 'alice', " + sqlBoolean(true) + ", 'delete', 'board', 4, " + START.toEpochMilli() + ")");
            statement.execute("INSERT INTO audit_events (artifact_id, artifact_version, viewer, shared, action, key, bytes, at)"
                    + " VALUES ('" + artifact + "', 1, 'alice', " + sqlBoolean(false) + ", 'set', 'last', 4, " + START.toEpochMilli() + ")");
            // The newest event goes (as with an artifact deleted under V2); its number must not come back.
            statement.execute("DELETE FROM audit_events WHERE key = 'last'");
        }

        storage = open();
        audit = storage.audit();
        storage.artifacts().appendVersion(artifact, "<p>after the upgrade</p>");

        List<AuditEvent> events = audit.events(artifact, 0, 10);
        assertEquals(List.of("storage_write", "storage_write", "version"), types(events));
        assertEquals(new AuditDetail.StorageWrite(ALICE, false, AuditDetail.StorageWrite.Operation.SET, "note", 9),
                events.get(0).detail());
        assertEquals(new AuditDetail.StorageWrite(ALICE, true, AuditDetail.StorageWrite.Operation.DELETE, "board", 4),
                events.get(1).detail());
        assertEquals(OptionalInt.of(2), events.get(1).version());
        assertTrue(events.get(2).sequence() > events.get(1).sequence() + 1,
                "sequence " + events.get(2).sequence() + " reuses the number of the deleted third V2 event");
        assertEquals(SchemaMigrations.ALL.size(), countRows("schema_version"));
    }

    @Test
    void theDatabaseRefusesAnEventMissingTheColumnsOfItsKind() throws SQLException {
        try (Connection connection = rawConnection(); Statement statement = connection.createStatement()) {
            for (String action : List.of("storage_write", "created", "version", "violation")) {
                assertThrows(SQLException.class, () -> statement.execute("INSERT INTO audit_events"
                        + " (artifact_id, artifact_version, action, at) VALUES ('" + artifact + "', 1, '" + action + "', 0)"), action);
            }
            assertThrows(SQLException.class, () -> statement.execute("INSERT INTO audit_events (artifact_id,"
                    + " artifact_version, action, at, code, message) VALUES ('" + artifact + "', 1, 'rejected', 0, 'c', 'm')"),
                    "a rejection has no version");
            assertThrows(SQLException.class, () -> statement.execute("INSERT INTO audit_events"
                    + " (artifact_id, artifact_version, action, at) VALUES ('" + artifact + "', 1, 'renamed', 0)"));
        }
        assertEquals(List.of("created"), types(audit.events(artifact, 0, 10)));
    }

    String sqlBoolean(boolean value) {
        return dialect() == Dialect.POSTGRESQL ? String.valueOf(value) : value ? "1" : "0";
    }

    int countRows(String table) throws SQLException {
        try (Connection connection = rawConnection();
                PreparedStatement count = connection.prepareStatement("SELECT COUNT(*) FROM " + table);
                ResultSet rows = count.executeQuery()) {
            rows.next();
            return rows.getInt(1);
        }
    }

    static List<String> types(List<AuditEvent> events) {
        return events.stream().map(event -> event.detail().type()).toList();
    }

    static List<Integer> versions(List<AuditEvent> events) {
        return events.stream().map(event -> event.version().orElse(0)).toList();
    }

    @SafeVarargs
    static List<AuditEvent> concat(List<AuditEvent>... pages) {
        List<AuditEvent> all = new ArrayList<>();
        for (List<AuditEvent> page : pages) {
            all.addAll(page);
        }
        return all;
    }
}

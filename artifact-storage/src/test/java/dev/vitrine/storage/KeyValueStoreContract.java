package dev.vitrine.storage;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What {@link Storage#values()} must do on every backend: the {@code window.storage} contract,
 * its limits under concurrent writers, the audit trail, the read cache across two stores on one
 * database, and shared secrets. Each backend's test class says only how to reach its database.
 */
abstract class KeyValueStoreContract {

    static final Instant START = Instant.parse("2025-03-14T15:09:26.535Z");

    /** Small limits, so boundaries are cheap to reach: 100-byte values, 400-byte scopes, 5 keys. */
    static final StorageLimits LIMITS = new StorageLimits(100, 400, 5);

    static final ViewerId ALICE = new ViewerId("alice");
    static final ViewerId BOB = new ViewerId("bob@chat.example");
    static final Writer ALICE_V1 = new Writer(ALICE, 1);
    static final Writer BOB_V1 = new Writer(BOB, 1);

    MutableClock clock;
    Storage storage;
    KeyValueStore values;
    ArtifactId artifact;
    StorageScope shared;
    StorageScope alices;
    StorageScope bobs;

    /** Settings for this test's own database. */
    abstract StorageSettings settings();

    /** A plain JDBC connection to {@link #settings()}'s database, to check what was written. */
    abstract Connection rawConnection() throws SQLException;

    /** Leaves the database of {@link #settings()} without rows, if an earlier test left some. */
    abstract void emptyDatabase() throws Exception;

    Storage open(StorageLimits limits) {
        return Storage.open(settings(), limits, clock, new SecureRandom());
    }

    @BeforeEach
    void openStorage() throws Exception {
        clock = new MutableClock(START);
        storage = open(LIMITS);
        emptyDatabase();
        values = storage.values();
        artifact = storage.artifacts().create(ArtifactType.HTML, "Board", "<p>board</p>").id();
        shared = StorageScope.shared(artifact);
        alices = StorageScope.personal(artifact, ALICE);
        bobs = StorageScope.personal(artifact, BOB);
    }

    @AfterEach
    void closeStorage() {
        storage.close();
    }

    /** Closes the test's storage and opens it again with other limits. */
    void reopen(StorageLimits limits) {
        storage.close();
        storage = open(limits);
        values = storage.values();
    }

    @Test
    void setThenGetReturnsTheValue() {
        values.set(alices, "note", "hello ✓ 😀 'q' \"dq\" \\ \u2028", ALICE_V1);

        assertEquals(Optional.of("hello ✓ 😀 'q' \"dq\" \\ \u2028"), values.get(alices, "note"));
    }

    @Test
    void anEmptyValueIsAValue() {
        values.set(alices, "empty", "", ALICE_V1);

        assertEquals(Optional.of(""), values.get(alices, "empty"));
        assertEquals(List.of("empty"), values.keys(alices, ""));
    }

    @Test
    void aMissingKeyIsEmpty() {
        values.set(alices, "present", "x", ALICE_V1);

        assertEquals(Optional.empty(), values.get(alices, "absent"));
        assertEquals(Optional.empty(), values.get(shared, "present"), "a scope never written");
        ArtifactId unknown = ArtifactId.random(new SecureRandom());
        assertEquals(Optional.empty(), values.get(StorageScope.shared(unknown), "present"));
        assertEquals(List.of(), values.keys(StorageScope.shared(unknown), ""));
    }

    @Test
    void setReplacesTheValue() {
        values.set(shared, "score", "1", ALICE_V1);
        values.set(shared, "score", "2", BOB_V1);

        assertEquals(Optional.of("2"), values.get(shared, "score"));
        assertEquals(List.of("score"), values.keys(shared, ""));
    }

    @Test
    void deleteRemovesTheKeyAndSaysWhetherItExisted() {
        values.set(alices, "note", "x", ALICE_V1);

        assertTrue(values.delete(alices, "note", ALICE_V1));

        assertEquals(Optional.empty(), values.get(alices, "note"));
        assertEquals(List.of(), values.keys(alices, ""));
        assertFalse(values.delete(alices, "note", ALICE_V1), "already gone");
        assertFalse(values.delete(bobs, "note", BOB_V1), "a scope never written");
        assertFalse(values.delete(StorageScope.shared(ArtifactId.random(new SecureRandom())), "note", ALICE_V1),
                "an artifact that does not exist");
    }

    @Test
    void keysAreListedInCodePointOrderAndFilteredByPrefix() {
        reopen(new StorageLimits(100, 4_000, 20));
        // U+FF5E sorts before U+1F600 by code point (and UTF-8 bytes) but after it in UTF-16.
        List<String> all = List.of("Todo:0", "a", "tod", "todo%", "todo:1", "todo:2", "todo:é", "todo:～", "todo:😀",
                "todo_", "todos");
        for (String key : all.reversed()) {
            values.set(alices, key, "v", ALICE_V1);
        }

        assertEquals(all, values.keys(alices, ""));
        assertEquals(List.of("todo:1", "todo:2", "todo:é", "todo:～", "todo:😀"), values.keys(alices, "todo:"));
        assertEquals(List.of("todo%", "todo:1", "todo:2", "todo:é", "todo:～", "todo:😀", "todo_", "todos"),
                values.keys(alices, "todo"), "case-sensitive, and % and _ are not wildcards");
        assertEquals(List.of("todo:😀"), values.keys(alices, "todo:😀"));
        assertEquals(List.of("todo_"), values.keys(alices, "todo_"));
        assertEquals(List.of(), values.keys(alices, "todo:3"));
        assertEquals(List.of(), values.keys(alices, "zzz"));
    }

    @Test
    void personalScopesOfTwoViewersAreSeparateAndTheSharedScopeIsShared() {
        values.set(alices, "note", "alice's", ALICE_V1);
        values.set(bobs, "note", "bob's", BOB_V1);
        values.set(shared, "board", "from alice", ALICE_V1);

        assertEquals(Optional.of("alice's"), values.get(alices, "note"));
        assertEquals(Optional.of("bob's"), values.get(bobs, "note"));
        assertEquals(Optional.empty(), values.get(shared, "note"));
        assertEquals(Optional.empty(), values.get(alices, "board"));
        assertEquals(Optional.of("from alice"), values.get(shared, "board"), "bob reads what alice shared");

        values.set(shared, "board", "from bob", BOB_V1);
        assertTrue(values.delete(bobs, "note", BOB_V1));

        assertEquals(Optional.of("from bob"), values.get(shared, "board"));
        assertEquals(Optional.of("alice's"), values.get(alices, "note"), "bob's delete left alice's key alone");
    }

    @Test
    void theSameScopeOfTwoArtifactsIsSeparate() {
        ArtifactId other = storage.artifacts().create(ArtifactType.HTML, "Other", "<p/>").id();
        values.set(shared, "k", "first", ALICE_V1);
        values.set(StorageScope.shared(other), "k", "second", ALICE_V1);

        assertEquals(Optional.of("first"), values.get(shared, "k"));
        assertEquals(Optional.of("second"), values.get(StorageScope.shared(other), "k"));
    }

    @Test
    void aViewerMayNotWriteAnotherViewersPersonalScope() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> values.set(bobs, "note", "forged", ALICE_V1));

        assertEquals("writer alice may not write the personal scope of viewer bob@chat.example of artifact "
                + artifact + "; a viewer writes only their own personal scope and the shared one", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> values.delete(bobs, "note", ALICE_V1));
        assertEquals(Optional.empty(), values.get(bobs, "note"));
    }

    @Test
    void invalidKeysAreRejectedByEveryCallAndNothingIsStored() {
        for (String key : List.of("", "a b", "a/b", "a\\b", "it's", "say\"hi\"", "tab\there", "new\nline",
                "nbsp\u00a0", "x".repeat(200))) {
            StorageRejectedException set = assertThrows(StorageRejectedException.class,
                    () -> values.set(shared, key, "v", ALICE_V1), key);
            assertEquals(StorageRejectedException.INVALID_KEY, set.code());
            assertEquals(StorageRejectedException.INVALID_KEY,
                    assertThrows(StorageRejectedException.class, () -> values.get(shared, key)).code());
            assertEquals(StorageRejectedException.INVALID_KEY,
                    assertThrows(StorageRejectedException.class, () -> values.delete(shared, key, ALICE_V1)).code());
        }
        assertEquals(StorageRejectedException.INVALID_KEY,
                assertThrows(StorageRejectedException.class, () -> values.keys(shared, "a/")).code());

        assertEquals(List.of(), values.keys(shared, ""));
        assertEquals(List.of(), storageWrites(artifact));
    }

    @Test
    void aKeyOf199CharactersIsAccepted() {
        reopen(new StorageLimits(100, 4_000, 5));
        String key = "k".repeat(199);

        values.set(shared, key, "v", ALICE_V1);

        assertEquals(Optional.of("v"), values.get(shared, key));
    }

    @Test
    void aValueOverTheValueLimitIsRejectedNamingItsSizeAndTheLimit() {
        values.set(shared, "max", "x".repeat(100), ALICE_V1);
        values.set(shared, "accents", "é".repeat(50), ALICE_V1); // 100 UTF-8 bytes in 50 characters

        StorageRejectedException e = assertThrows(StorageRejectedException.class,
                () -> values.set(shared, "big", "x".repeat(101), ALICE_V1));
        StorageRejectedException accents = assertThrows(StorageRejectedException.class,
                () -> values.set(shared, "accents", "é".repeat(51), ALICE_V1));

        assertEquals(StorageRejectedException.VALUE_TOO_LARGE, e.code());
        assertEquals("value is 101 bytes; the limit is 100 bytes per value", e.getMessage());
        assertEquals("value is 102 bytes; the limit is 100 bytes per value", accents.getMessage());
        assertEquals(Optional.empty(), values.get(shared, "big"));
        assertEquals(Optional.of("é".repeat(50)), values.get(shared, "accents"));
    }

    @Test
    void theDefaultLimitsAcceptFiveMebibytesAndRejectOneByteMore() {
        reopen(StorageLimits.defaults());
        String largest = "x".repeat(5 * 1024 * 1024);

        values.set(shared, "largest", largest, ALICE_V1);
        StorageRejectedException e = assertThrows(StorageRejectedException.class,
                () -> values.set(shared, "larger", largest + "y", ALICE_V1));

        assertEquals("value is 5242881 bytes; the limit is 5242880 bytes per value", e.getMessage());
        assertEquals(Optional.of(largest), values.get(shared, "largest"));
        assertEquals(5 * 1024 * 1024 + "largest".length(), values.usage(artifact).scopes().get(0).bytes());
    }

    @Test
    void valuesWithNulOrALoneSurrogateAreRejected() {
        StorageRejectedException nul = assertThrows(StorageRejectedException.class,
                () -> values.set(shared, "k", "a\u0000b", ALICE_V1));
        StorageRejectedException lone = assertThrows(StorageRejectedException.class,
                () -> values.set(shared, "k", "ab\ud83d", ALICE_V1));
        StorageRejectedException reversed = assertThrows(StorageRejectedException.class,
                () -> values.set(shared, "k", "\ude00\ud83d", ALICE_V1));

        assertEquals(StorageRejectedException.INVALID_VALUE, nul.code());
        assertEquals("value must not contain U+0000 (NUL); found at index 1", nul.getMessage());
        assertEquals(StorageRejectedException.INVALID_VALUE, lone.code());
        assertEquals("value must be well-formed text; found a lone surrogate U+D83D at index 2, which has no"
                + " UTF-8 form", lone.getMessage());
        assertEquals(StorageRejectedException.INVALID_VALUE, reversed.code());
        assertEquals(Optional.empty(), values.get(shared, "k"));
    }

    @Test
    void aWriteLandingExactlyOnTheScopeLimitSucceedsAndOneByteMoreChangesNothing() throws SQLException {
        // Four entries of 1-byte keys and 99-byte values: 4 * 100 = 400 bytes, the limit.
        for (String key : List.of("a", "b", "c")) {
            values.set(alices, key, "x".repeat(99), ALICE_V1);
        }
        values.set(alices, "d", "x".repeat(99), ALICE_V1);
        assertEquals(400, usageOf(alices).bytes());
        List<AuditEvent> auditBefore = storage.audit().events(artifact, 0, 100);

        StorageRejectedException e = assertThrows(StorageRejectedException.class,
                () -> values.set(alices, "e", "", ALICE_V1)); // one more byte: the key

        assertEquals(StorageRejectedException.QUOTA_EXCEEDED, e.code());
        assertEquals("setting key \"e\" would make the scope 401 bytes; the limit is 400 bytes per scope"
                + " (UTF-8 bytes of every key and value; the scope holds 400 now)", e.getMessage());
        assertEquals(Optional.empty(), values.get(alices, "e"));
        assertEquals(new ScopeUsage(Optional.of(ALICE), 400, 4, List.of("a", "b", "c", "d")), usageOf(alices));
        assertEquals(auditBefore, storage.audit().events(artifact, 0, 100), "no audit event for a refused write");
        assertEquals(4, countRows("storage_entries"));
        values.set(bobs, "e", "", BOB_V1); // other scopes have their own quota
    }

    @Test
    void tooManyKeysIsRejectedButReplacingAnExistingKeyIsNot() {
        for (int i = 0; i < 5; i++) {
            values.set(shared, "k" + i, "v", ALICE_V1);
        }

        StorageRejectedException e = assertThrows(StorageRejectedException.class,
                () -> values.set(shared, "k5", "v", ALICE_V1));
        values.set(shared, "k4", "replaced", ALICE_V1);

        assertEquals(StorageRejectedException.TOO_MANY_KEYS, e.code());
        assertEquals("adding key \"k5\" would make the scope hold 6 keys; the limit is 5 keys per scope", e.getMessage());
        assertEquals(List.of("k0", "k1", "k2", "k3", "k4"), values.keys(shared, ""));
        assertEquals(Optional.of("replaced"), values.get(shared, "k4"));
        assertTrue(values.delete(shared, "k0", ALICE_V1));
        values.set(shared, "k5", "v", ALICE_V1); // deleting made room
    }

    @Test
    void replacingAValueCountsOnlyTheDifference() {
        values.set(shared, "a", "x".repeat(99), ALICE_V1);
        values.set(shared, "b", "x".repeat(99), ALICE_V1);
        values.set(shared, "c", "x".repeat(99), ALICE_V1);
        values.set(shared, "d", "x".repeat(50), ALICE_V1);
        assertEquals(351, usageOf(shared).bytes());

        values.set(shared, "d", "x".repeat(99), ALICE_V1); // 351 - 51 + 100 = 400: fits exactly
        assertEquals(400, usageOf(shared).bytes());
        values.set(shared, "a", "", ALICE_V1);

        assertEquals(new ScopeUsage(Optional.empty(), 301, 4, List.of("a", "b", "c", "d")), usageOf(shared));
    }

    @Test
    void aRefusedReplacementKeepsTheOldValue() {
        values.set(shared, "a", "x".repeat(99), ALICE_V1);
        values.set(shared, "b", "x".repeat(99), ALICE_V1);
        values.set(shared, "c", "x".repeat(99), ALICE_V1);
        values.set(shared, "d", "old", ALICE_V1);

        StorageRejectedException e = assertThrows(StorageRejectedException.class,
                () -> values.set(shared, "d", "x".repeat(100), ALICE_V1));

        assertEquals(StorageRejectedException.QUOTA_EXCEEDED, e.code());
        assertEquals(Optional.of("old"), values.get(shared, "d"));
        assertEquals(304, usageOf(shared).bytes());
    }

    @Test
    void aScopeOverALoweredLimitCanStillShrinkButNotGrow() {
        reopen(new StorageLimits(100, 1_000, 20));
        for (int i = 0; i < 8; i++) {
            values.set(shared, "k" + i, "x".repeat(98), ALICE_V1); // 100 bytes each
        }
        reopen(new StorageLimits(100, 400, 5));

        values.set(shared, "k0", "smaller", ALICE_V1);
        assertTrue(values.delete(shared, "k1", ALICE_V1));
        assertEquals(StorageRejectedException.QUOTA_EXCEEDED, assertThrows(StorageRejectedException.class,
                () -> values.set(shared, "k2", "x".repeat(99), ALICE_V1)).code());
        assertEquals(StorageRejectedException.TOO_MANY_KEYS, assertThrows(StorageRejectedException.class,
                () -> values.set(shared, "new", "", ALICE_V1)).code());

        assertEquals(new ScopeUsage(Optional.empty(), 609, 7,
                List.of("k0", "k2", "k3", "k4", "k5", "k6", "k7")), usageOf(shared));
    }

    @Test
    void fiftyConcurrentWritersNeverTakeTheScopePastItsQuota() throws Exception {
        // 50 writers * 4 keys * 1000 bytes = 200,000 bytes against a 100,000-byte quota.
        reopen(new StorageLimits(10_000, 100_000, 1_000));
        int writers = 50;
        int keysPerWriter = 4;
        Set<String> accepted = ConcurrentHashMap.newKeySet();
        Set<String> rejected = ConcurrentHashMap.newKeySet();
        CountDownLatch start = new CountDownLatch(1);

        try (ExecutorService executor = Executors.newFixedThreadPool(writers)) {
            List<Future<?>> running = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                Writer writer = new Writer(new ViewerId(String.format("viewer-%02d", w)), 1);
                int number = w;
                running.add(executor.submit(() -> {
                    start.await();
                    for (int k = 0; k < keysPerWriter; k++) {
                        String key = String.format("w%02d-k%d", number, k); // 6 bytes
                        try {
                            values.set(shared, key, valueFor(key), writer);
                            accepted.add(key);
                        } catch (StorageRejectedException e) {
                            assertEquals(StorageRejectedException.QUOTA_EXCEEDED, e.code(), e.getMessage());
                            rejected.add(key);
                        }
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> writer : running) {
                writer.get(2, TimeUnit.MINUTES);
            }
        }

        Map<String, String> stored = storedEntries(shared);
        long recomputed = stored.entrySet().stream()
                .mapToLong(entry -> utf8(entry.getKey()) + utf8(entry.getValue())).sum();
        ScopeUsage usage = usageOf(shared);
        assertAll(
                () -> assertEquals(writers * keysPerWriter, accepted.size() + rejected.size()),
                () -> assertEquals(100, accepted.size(), "exactly as many 1000-byte entries as fit"),
                () -> assertEquals(100_000, usage.bytes()),
                () -> assertEquals(recomputed, usage.bytes(), "usage equals the sum of the stored rows"),
                () -> assertEquals(stored.size(), usage.keys()),
                () -> assertEquals(accepted, stored.keySet(), "accepted writes are there, rejected ones are not"),
                () -> assertEquals(100, storageWrites(artifact).size(), "one audit event per accepted write"));
        for (String key : accepted) {
            assertEquals(valueFor(key), stored.get(key), key);
            assertEquals(Optional.of(valueFor(key)), values.get(shared, key), key);
        }
        for (String key : rejected) {
            assertEquals(Optional.empty(), values.get(shared, key), key);
        }
    }

    @Test
    void concurrentReplacementsAndDeletesOfOneKeyKeepUsageEqualToTheStoredRow() throws Exception {
        reopen(new StorageLimits(1_000, 4_000, 10));
        int writers = 20;
        CountDownLatch start = new CountDownLatch(1);
        try (ExecutorService executor = Executors.newFixedThreadPool(writers)) {
            List<Future<?>> running = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                int number = w;
                running.add(executor.submit(() -> {
                    start.await();
                    for (int i = 0; i < 10; i++) {
                        if ((number + i) % 3 == 0) {
                            values.delete(shared, "contended", ALICE_V1);
                        } else {
                            values.set(shared, "contended", "x".repeat(number * 10 + i), ALICE_V1);
                        }
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> writer : running) {
                writer.get(2, TimeUnit.MINUTES);
            }
        }

        Map<String, String> stored = storedEntries(shared);
        long recomputed = stored.entrySet().stream()
                .mapToLong(entry -> utf8(entry.getKey()) + utf8(entry.getValue())).sum();
        assertEquals(recomputed, usageOf(shared).bytes());
        assertEquals(stored.size(), usageOf(shared).keys());
        assertEquals(Optional.ofNullable(stored.get("contended")), values.get(shared, "contended"));
    }

    @Test
    void setOnAnArtifactThatDoesNotExistThrowsNoSuchArtifactAndStoresNothing() throws SQLException {
        ArtifactId unknown = ArtifactId.random(new SecureRandom());

        NoSuchArtifactException e = assertThrows(NoSuchArtifactException.class,
                () -> values.set(StorageScope.shared(unknown), "k", "v", ALICE_V1));

        assertEquals(unknown, e.id());
        assertEquals(0, countRows("storage_usage"));
        assertEquals(0, countRows("audit_events", unknown));
    }

    @Test
    void everyWriteAppendsAStorageWriteEventWithBytesViewerAndVersion() {
        values.set(alices, "note", "héllo", ALICE_V1); // 4 + 6 bytes
        clock.advance(Duration.ofSeconds(1));
        values.set(shared, "board", "x", new Writer(BOB, 3));
        clock.advance(Duration.ofSeconds(1));
        assertFalse(values.delete(alices, "missing", ALICE_V1)); // nothing deleted: no event
        assertTrue(values.delete(alices, "note", new Writer(ALICE, 2)));

        List<AuditEvent> events = storage.audit().events(artifact, 0, 10);

        assertEquals(4, events.size(), "created, then the three writes: " + events);
        assertEquals(AuditDetail.Created.TYPE, events.get(0).detail().type());
        AuditEvent note = events.get(1);
        AuditEvent board = events.get(2);
        AuditEvent deleted = events.get(3);
        assertEquals(new AuditEvent(note.sequence(), artifact, OptionalInt.of(1), START,
                new AuditDetail.StorageWrite(ALICE, false, AuditDetail.StorageWrite.Operation.SET, "note", 10)), note);
        assertEquals(new AuditEvent(board.sequence(), artifact, OptionalInt.of(3), START.plusSeconds(1),
                new AuditDetail.StorageWrite(BOB, true, AuditDetail.StorageWrite.Operation.SET, "board", 6)), board);
        assertEquals(new AuditEvent(deleted.sequence(), artifact, OptionalInt.of(2), START.plusSeconds(2),
                new AuditDetail.StorageWrite(ALICE, false, AuditDetail.StorageWrite.Operation.DELETE, "note", 10)), deleted);
        assertTrue(note.sequence() < board.sequence() && board.sequence() < deleted.sequence());
    }

    @Test
    void storageWritesOfOneArtifactDoNotShowUpForAnother() {
        ArtifactId other = storage.artifacts().create(ArtifactType.HTML, "Other", "<p/>").id();
        values.set(StorageScope.shared(other), "k", "v", ALICE_V1);

        assertEquals(List.of(), storageWrites(artifact));
        assertEquals(1, storageWrites(other).size());
    }

    @Test
    void usageListsTheSharedScopeFirstThenPersonalScopesWithKeysByViewer() {
        values.set(bobs, "b2", "xx", BOB_V1);
        values.set(bobs, "b1", "x", BOB_V1);
        values.set(alices, "gone", "x", ALICE_V1);
        values.delete(alices, "gone", ALICE_V1);
        ViewerId carol = new ViewerId("Carol");
        values.set(StorageScope.personal(artifact, carol), "c", "", new Writer(carol, 1));

        ArtifactUsage usage = values.usage(artifact);

        assertEquals(new ArtifactUsage(artifact, LIMITS, List.of(
                new ScopeUsage(Optional.empty(), 0, 0, List.of()),
                new ScopeUsage(Optional.of(carol), 1, 1, List.of("c")),
                new ScopeUsage(Optional.of(BOB), 7, 2, List.of("b1", "b2")))), usage,
                "alice's emptied scope is left out; viewers in byte order, so uppercase first");
    }

    @Test
    void usageOfAnArtifactThatDoesNotExistThrowsNoSuchArtifact() {
        ArtifactId unknown = ArtifactId.random(new SecureRandom());

        assertEquals(unknown, assertThrows(NoSuchArtifactException.class, () -> values.usage(unknown)).id());
    }

    @Test
    void deletingTheArtifactDeletesItsStorageButKeepsItsAuditTrail() throws SQLException {
        ArtifactId kept = storage.artifacts().create(ArtifactType.HTML, "Kept", "<p/>").id();
        values.set(StorageScope.shared(kept), "k", "kept", ALICE_V1);
        values.set(shared, "k", "v", ALICE_V1);
        values.set(alices, "k", "v", ALICE_V1);
        values.set(bobs, "k", "v", BOB_V1);

        assertTrue(storage.artifacts().delete(artifact));

        // Counted outside the store: orphaned rows would mean ON DELETE CASCADE did not run.
        for (String table : List.of("storage_entries", "storage_usage")) {
            assertEquals(0, countRows(table, artifact), table);
            assertEquals(1, countRows(table, kept), table);
        }
        assertEquals(List.of("created", "storage_write", "storage_write", "storage_write", "deleted"),
                storage.audit().events(artifact, 0, 100).stream().map(event -> event.detail().type()).toList());
        assertEquals(2, countRows("audit_events", kept), "created and one write");
        assertEquals(Optional.empty(), values.get(shared, "k"));
        assertEquals(Optional.empty(), values.get(alices, "k"), "not served from the cache either");
        assertEquals(List.of(), values.keys(shared, ""));
        assertThrows(NoSuchArtifactException.class, () -> values.set(shared, "k", "v", ALICE_V1));
        assertEquals(Optional.of("kept"), values.get(StorageScope.shared(kept), "k"));
    }

    /**
     * Regression: on PostgreSQL, a writer holding its scope's usage row and then the artifact row
     * deadlocked with a delete cascading the other way; and writers holding the artifact row
     * FOR KEY SHARE, overlapping one another, kept a waiting delete out for over 20 seconds.
     */
    @Test
    void deletingAnArtifactWhileItsStorageIsBusyIsPromptAndLeavesNoRowsBehind() throws Exception {
        int writers = 8;
        CountDownLatch start = new CountDownLatch(1);
        CountDownLatch warmedUp = new CountDownLatch(writers);
        AtomicBoolean stop = new AtomicBoolean();
        try (ExecutorService executor = Executors.newFixedThreadPool(writers + 1)) {
            List<Future<?>> running = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                ViewerId viewer = new ViewerId("viewer-" + w);
                Writer writer = new Writer(viewer, 1);
                StorageScope scope = w % 2 == 0 ? shared : StorageScope.personal(artifact, viewer);
                running.add(executor.submit(() -> {
                    start.await();
                    // Until the artifact is gone, every call must either work or find no artifact.
                    for (int i = 0; !stop.get(); i++) {
                        try {
                            values.set(scope, "k" + (i % 4), "value " + i, writer);
                            values.delete(scope, "k" + ((i + 2) % 4), writer);
                        } catch (NoSuchArtifactException gone) {
                            return null;
                        }
                        if (i == 20) {
                            warmedUp.countDown();
                        }
                    }
                    return null;
                }));
            }
            start.countDown();
            assertTrue(warmedUp.await(1, TimeUnit.MINUTES));
            Future<Boolean> delete = executor.submit(() -> storage.artifacts().delete(artifact));
            try {
                // Writes keep coming the whole time; a starved delete would wait here until they stop.
                assertTrue(delete.get(10, TimeUnit.SECONDS), "deleted");
            } catch (TimeoutException starved) {
                throw new AssertionError("the delete was still waiting after 10 seconds of concurrent writes", starved);
            } finally {
                stop.set(true);
            }
            for (Future<?> writer : running) {
                writer.get(1, TimeUnit.MINUTES);
            }
        }

        for (String table : List.of("storage_entries", "storage_usage")) {
            assertEquals(0, countRows(table, artifact), table);
        }
        List<AuditEvent> trail = storage.audit().events(artifact, 0, 100_000);
        assertEquals(AuditDetail.Deleted.TYPE, trail.getLast().detail().type(), "no write is recorded after the delete");
        assertEquals(1, trail.stream().filter(event -> event.detail() instanceof AuditDetail.Deleted).count());
    }

    @Test
    void aDatabaseMigratedBeforeKeyValueStorageIsUpgradedKeepingItsArtifacts() throws SQLException {
        storage.close();
        try (Connection connection = rawConnection(); Statement statement = connection.createStatement()) {
            OlderSchemas.dropLiveEvents(statement);
            for (String table : List.of("partial_versions", "audit_events", "storage_entries", "storage_usage", "server_secrets")) {
                statement.execute("DROP TABLE " + table);
            }
            statement.execute("DELETE FROM schema_version WHERE version >= 2");
        }

        storage = open(LIMITS);
        values = storage.values();
        values.set(shared, "k", "v", ALICE_V1);

        assertEquals("Board", storage.artifacts().find(artifact).orElseThrow().title());
        assertEquals(Optional.of("v"), values.get(shared, "k"));
        assertEquals(SchemaMigrations.ALL.size(), countRows("schema_version"));
    }

    @Test
    void valuesSurviveClosingAndReopening() {
        values.set(alices, "note", "persisted", ALICE_V1);

        reopen(LIMITS);

        assertEquals(Optional.of("persisted"), values.get(alices, "note"));
        assertEquals(List.of("note"), values.keys(alices, ""));
    }

    @Test
    void aValueWrittenThroughOneStoreIsReadThroughAnotherOnTheSameDatabase() {
        try (Storage other = open(LIMITS)) {
            KeyValueStore nodeB = other.values();
            values.set(shared, "k", "v1", ALICE_V1);
            assertEquals(Optional.of("v1"), nodeB.get(shared, "k"));
            assertEquals(Optional.of("v1"), nodeB.get(shared, "k")); // now cached on node B

            values.set(shared, "k", "v2", ALICE_V1);
            assertEquals(Optional.of("v2"), nodeB.get(shared, "k"), "node B's cache must not hide node A's write");

            values.set(shared, "unrelated", "x", ALICE_V1);
            assertEquals(Optional.of("v2"), nodeB.get(shared, "k"));

            assertTrue(values.delete(shared, "k", ALICE_V1));
            assertEquals(Optional.empty(), nodeB.get(shared, "k"), "node B must see node A's delete");

            nodeB.set(shared, "k", "v3", BOB_V1);
            assertEquals(Optional.of("v3"), values.get(shared, "k"));
        }
    }

    @Test
    void repeatedReadsOfAnUnchangedValueDoNotTransferItAgain() {
        StorageLimits roomy = new StorageLimits(2_000_000, 4_000_000, 10);
        reopen(roomy);
        String big = "x".repeat(1_000_000);
        try (Storage other = open(roomy)) {
            JdbcKeyValueStore nodeB = other.jdbcValues();
            values.set(shared, "big", big, ALICE_V1);

            for (int i = 0; i < 10; i++) {
                assertEquals(Optional.of(big), nodeB.get(shared, "big"));
            }
            assertEquals(1, nodeB.valueReads(), "only the first read fetched the value");

            values.set(shared, "big", big + "!", ALICE_V1);
            assertEquals(Optional.of(big + "!"), nodeB.get(shared, "big"));
            assertEquals(Optional.of(big + "!"), nodeB.get(shared, "big"));
            assertEquals(2, nodeB.valueReads(), "a write elsewhere costs one more fetch");
        }
        assertEquals(Optional.of(big + "!"), values.get(shared, "big"));
        assertEquals(0, storage.jdbcValues().valueReads(), "the writer cached what it wrote");
    }

    @Test
    void aSecretIsCreatedOnceAndTheSameBytesComeBackEveryTime() {
        byte[] first = storage.secret("viewer-tokens", 32);

        assertEquals(32, first.length);
        assertArrayEquals(first, storage.secret("viewer-tokens", 32));
        assertFalse(Arrays.equals(first, storage.secret("other", 32)), "each name has its own bytes");
        reopen(LIMITS);
        assertArrayEquals(first, storage.secret("viewer-tokens", 32), "kept in the database");
    }

    @Test
    void aSecretsBytesComeFromTheInjectedRandom() {
        storage.close();
        storage = Storage.open(settings(), LIMITS, clock, new CountingRandom());

        byte[] secret = storage.secret("counted", 16);

        assertArrayEquals(new byte[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15}, secret);
    }

    @Test
    void aSecretAskedForWithAnotherLengthOrABadNameIsRefused() {
        storage.secret("viewer-tokens", 32);

        IllegalArgumentException length = assertThrows(IllegalArgumentException.class,
                () -> storage.secret("viewer-tokens", 64));
        assertEquals("secret \"viewer-tokens\" already exists with 32 bytes; asked for 64. A secret never changes"
                + " once created, since tokens signed with it must keep verifying; ask for its length, or use a new"
                + " name", length.getMessage());
        assertThrows(IllegalArgumentException.class, () -> storage.secret("Upper", 32));
        assertThrows(IllegalArgumentException.class, () -> storage.secret("", 32));
        assertEquals("secret length must be 16 to 1024 bytes; was 8 for secret \"short\"",
                assertThrows(IllegalArgumentException.class, () -> storage.secret("short", 8)).getMessage());
    }

    @Test
    void concurrentFirstCallsFromTwoStoresGetTheSameSecret() throws Exception {
        try (Storage other = open(LIMITS)) {
            List<Storage> nodes = List.of(storage, other);
            int callers = 16;
            CountDownLatch start = new CountDownLatch(1);
            List<byte[]> secrets = new ArrayList<>();
            try (ExecutorService executor = Executors.newFixedThreadPool(callers)) {
                List<Future<byte[]>> calls = new ArrayList<>();
                for (int i = 0; i < callers; i++) {
                    Storage node = nodes.get(i % 2);
                    calls.add(executor.submit(() -> {
                        start.await();
                        return node.secret("raced", 32);
                    }));
                }
                start.countDown();
                for (Future<byte[]> call : calls) {
                    secrets.add(call.get(1, TimeUnit.MINUTES));
                }
            }
            assertEquals(32, secrets.get(0).length);
            for (byte[] secret : secrets) {
                assertArrayEquals(secrets.get(0), secret);
            }
        }
    }

    @Test
    void aClosedStorageFailsWithAStorageExceptionNamingTheOperation() {
        storage.close();

        StorageException e = assertThrows(StorageException.class, () -> values.get(shared, "k"));

        assertEquals("read key \"k\" of shared scope of artifact " + artifact + " failed", e.getMessage());
    }

    @Test
    void nullArgumentsAreRejectedWithTheirName() {
        assertEquals("scope must not be null",
                assertThrows(IllegalArgumentException.class, () -> values.get(null, "k")).getMessage());
        assertEquals("value must not be null",
                assertThrows(IllegalArgumentException.class, () -> values.set(shared, "k", null, ALICE_V1)).getMessage());
        assertEquals("writer must not be null",
                assertThrows(IllegalArgumentException.class, () -> values.set(shared, "k", "v", null)).getMessage());
        assertEquals("artifact must not be null",
                assertThrows(IllegalArgumentException.class, () -> values.usage(null)).getMessage());
    }

    /** A 1000-byte entry: the key's 6 bytes plus a 994-byte value that names the key. */
    static String valueFor(String key) {
        return (key + ":").repeat(200).substring(0, 994);
    }

    static long utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8).length;
    }

    /** The artifact's storage_write events, oldest first. */
    List<AuditEvent> storageWrites(ArtifactId id) {
        return storage.audit().events(id, 0, 10_000).stream()
                .filter(event -> event.detail() instanceof AuditDetail.StorageWrite)
                .toList();
    }

    ScopeUsage usageOf(StorageScope scope) {
        return values.usage(scope.artifact()).scopes().stream()
                .filter(usage -> usage.viewer().equals(scope.viewer()))
                .findFirst().orElseThrow();
    }

    /** What the scope holds, read past the store and its cache. */
    Map<String, String> storedEntries(StorageScope scope) throws SQLException {
        try (Connection connection = rawConnection();
                PreparedStatement select = connection.prepareStatement(
                        "SELECT key, value FROM storage_entries WHERE artifact_id = ? AND scope_owner = ?")) {
            select.setString(1, scope.artifact().value());
            select.setString(2, scope.owner());
            try (ResultSet rows = select.executeQuery()) {
                Map<String, String> entries = new TreeMap<>();
                while (rows.next()) {
                    entries.put(rows.getString(1), rows.getString(2));
                }
                return entries;
            }
        }
    }

    int countRows(String table) throws SQLException {
        try (Connection connection = rawConnection();
                PreparedStatement count = connection.prepareStatement("SELECT COUNT(*) FROM " + table);
                ResultSet rows = count.executeQuery()) {
            rows.next();
            return rows.getInt(1);
        }
    }

    int countRows(String table, ArtifactId id) throws SQLException {
        try (Connection connection = rawConnection();
                PreparedStatement count = connection.prepareStatement(
                        "SELECT COUNT(*) FROM " + table + " WHERE artifact_id = ?")) {
            count.setString(1, id.value());
            try (ResultSet rows = count.executeQuery()) {
                rows.next();
                return rows.getInt(1);
            }
        }
    }

    /** Hands out 0, 1, 2, … so a test can tell which bytes came from it. */
    static final class CountingRandom extends SecureRandom {
        private static final long serialVersionUID = 1L;
        private int next;

        @Override
        public synchronized void nextBytes(byte[] bytes) {
            for (int i = 0; i < bytes.length; i++) {
                bytes[i] = (byte) next++;
            }
        }
    }
}

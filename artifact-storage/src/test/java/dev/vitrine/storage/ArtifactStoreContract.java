package dev.vitrine.storage;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link ArtifactStore} backend must do. Each backend's test class extends this and
 * says only how to reach its database, so SQLite and PostgreSQL are held to the same contract.
 */
abstract class ArtifactStoreContract {

    static final Instant START = Instant.parse("2025-03-14T15:09:26.535Z");

    MutableClock clock;
    ArtifactStore store;

    /** Settings for this test's own database, empty apart from what the test writes. */
    abstract StorageSettings settings();

    /** Settings for a database nothing has opened yet, not even to migrate it. */
    abstract StorageSettings freshSettings() throws Exception;

    /** A plain JDBC connection to {@link #settings()}'s database, to check what was written. */
    abstract Connection rawConnection() throws SQLException;

    ArtifactStore open(Clock storeClock) {
        return ArtifactStores.open(settings(), storeClock, new SecureRandom());
    }

    @BeforeEach
    void openStore() {
        clock = new MutableClock(START);
        store = open(clock);
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    @Test
    void createStoresTheArtifactWithItsContentAsVersionOne() {
        Artifact created = store.create(ArtifactType.HTML, "Greeting", "<h1>Hello</h1>");

        assertAll(
                () -> assertEquals(ArtifactType.HTML, created.type()),
                () -> assertEquals("Greeting", created.title()),
                () -> assertEquals(START, created.createdAt()),
                () -> assertEquals(START, created.updatedAt()),
                () -> assertEquals(1, created.latestVersion()),
                () -> assertEquals(Optional.of(created), store.find(created.id())));
        ArtifactVersion first = store.version(created.id(), 1).orElseThrow();
        assertEquals(new ArtifactVersion(created.id(), 1, "<h1>Hello</h1>", sha256("<h1>Hello</h1>"), START), first);
        assertEquals(Optional.of(first), store.latestVersion(created.id()));
    }

    @Test
    void versionHashIsLowercaseHexSha256OfTheUtf8Content() {
        Artifact abc = store.create(ArtifactType.MARKDOWN, "abc", "abc");
        Artifact accented = store.create(ArtifactType.MARKDOWN, "accents", "héllo ✓ 😀");

        // FIPS 180-2 test vector, so the expectation does not rely on the same code as the store.
        assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
                store.version(abc.id(), 1).orElseThrow().sha256());
        assertEquals(sha256("héllo ✓ 😀"), store.version(accented.id(), 1).orElseThrow().sha256());
    }

    @Test
    void largeUnicodeContentComesBackExactly() {
        String content = "<p>Ünïcödé 😀 \u2028 'quotes' \"double\" \\ back</p>\n".repeat(20_000);

        Artifact created = store.create(ArtifactType.HTML, "Big", content);

        assertEquals(content, store.latestVersion(created.id()).orElseThrow().content());
    }

    @Test
    void everyArtifactTypeRoundTrips() {
        for (ArtifactType type : ArtifactType.values()) {
            Artifact created = store.create(type, type.wireName(), "content");
            assertEquals(type, store.find(created.id()).orElseThrow().type());
        }
    }

    @Test
    void unknownIdsFindNothing() {
        ArtifactId unknown = ArtifactId.random(new SecureRandom());

        assertEquals(Optional.empty(), store.find(unknown));
        assertEquals(Optional.empty(), store.version(unknown, 1));
        assertEquals(Optional.empty(), store.latestVersion(unknown));
    }

    @Test
    void versionPastTheLatestIsEmpty() {
        Artifact created = store.create(ArtifactType.SVG, "Dot", "<svg/>");

        assertEquals(Optional.empty(), store.version(created.id(), 2));
    }

    @Test
    void versionNumberBelowOneIsRejected() {
        Artifact created = store.create(ArtifactType.SVG, "Dot", "<svg/>");

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> store.version(created.id(), 0));
        assertEquals("version number must be 1 or more; was 0", e.getMessage());
    }

    @Test
    void listShowsTheMostRecentlyUpdatedFirst() {
        Artifact first = store.create(ArtifactType.HTML, "first", "1");
        clock.advance(Duration.ofSeconds(1));
        Artifact second = store.create(ArtifactType.HTML, "second", "2");
        clock.advance(Duration.ofSeconds(1));
        Artifact third = store.create(ArtifactType.HTML, "third", "3");
        clock.advance(Duration.ofSeconds(1));
        store.appendVersion(first.id(), "1 again");

        List<ArtifactId> listed = store.list(10).stream().map(Artifact::id).toList();

        assertEquals(List.of(first.id(), third.id(), second.id()), listed);
    }

    @Test
    void listBreaksTimestampTiesByIdDescending() {
        List<ArtifactId> created = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            created.add(store.create(ArtifactType.HTML, "same millisecond " + i, "x").id());
        }
        created.sort(Comparator.comparing(ArtifactId::value).reversed());

        assertEquals(created, store.list(8).stream().map(Artifact::id).toList());
    }

    @Test
    void listReturnsAtMostTheLimit() {
        for (int i = 0; i < 5; i++) {
            store.create(ArtifactType.HTML, "a" + i, "x");
            clock.advance(Duration.ofMillis(1));
        }

        List<Artifact> listed = store.list(2);

        assertEquals(List.of("a4", "a3"), listed.stream().map(Artifact::title).toList());
    }

    @Test
    void listOfAnEmptyStoreIsEmpty() {
        assertEquals(List.of(), store.list(10));
    }

    @Test
    void listLimitBelowOneIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> store.list(0));
        assertEquals("limit must be 1 or more; was 0", e.getMessage());
    }

    @Test
    void appendedVersionsAreNumberedConsecutivelyAndMoveTheArtifactForward() {
        Artifact created = store.create(ArtifactType.REACT, "Counter", "v1");
        clock.advance(Duration.ofMinutes(1));
        ArtifactVersion second = store.appendVersion(created.id(), "v2");
        clock.advance(Duration.ofMinutes(1));
        ArtifactVersion third = store.appendVersion(created.id(), "v3");

        assertEquals(2, second.number());
        assertEquals(3, third.number());
        assertEquals(START.plus(Duration.ofMinutes(2)), third.createdAt());
        Artifact updated = store.find(created.id()).orElseThrow();
        assertEquals(new Artifact(created.id(), ArtifactType.REACT, "Counter", START,
                START.plus(Duration.ofMinutes(2)), 3), updated);
        assertEquals(Optional.of(third), store.latestVersion(created.id()));
        assertEquals(Optional.of(second), store.version(created.id(), 2));
        assertEquals("v1", store.version(created.id(), 1).orElseThrow().content());
    }

    @Test
    void sixteenThreadsAppendingTenVersionsEachGetEveryNumberFromOneTo161Once() throws Exception {
        Artifact created = store.create(ArtifactType.MARKDOWN, "Contended", "v1");
        int threads = 16;
        int appendsPerThread = 10;
        Map<Integer, String> contentByNumber = new ConcurrentHashMap<>();
        contentByNumber.put(1, "v1");
        CountDownLatch start = new CountDownLatch(1);

        try (ExecutorService executor = Executors.newFixedThreadPool(threads)) {
            List<Future<?>> appenders = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                appenders.add(executor.submit(() -> {
                    start.await();
                    for (int i = 0; i < appendsPerThread; i++) {
                        String content = "thread " + thread + " append " + i;
                        ArtifactVersion version = store.appendVersion(created.id(), content);
                        String previous = contentByNumber.putIfAbsent(version.number(), content);
                        assertEquals(null, previous, "number " + version.number() + " handed out twice");
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> appender : appenders) {
                appender.get(2, TimeUnit.MINUTES);
            }
        }

        int expected = 1 + threads * appendsPerThread;
        assertEquals(IntStream.rangeClosed(1, expected).boxed().toList(),
                contentByNumber.keySet().stream().sorted().toList());
        assertEquals(expected, store.find(created.id()).orElseThrow().latestVersion());
        for (int number = 1; number <= expected; number++) {
            assertEquals(contentByNumber.get(number), store.version(created.id(), number).orElseThrow().content());
        }
        assertEquals(expected, countVersions(created.id()));
    }

    @Test
    void appendVersionToAnUnknownIdThrowsNoSuchArtifactAndStoresNothing() throws SQLException {
        ArtifactId unknown = ArtifactId.random(new SecureRandom());

        NoSuchArtifactException e = assertThrows(NoSuchArtifactException.class,
                () -> store.appendVersion(unknown, "orphan"));

        assertEquals(unknown, e.id());
        assertEquals("no artifact " + unknown, e.getMessage());
        assertEquals(0, countVersions(unknown));
    }

    @Test
    void appendVersionOnTheExpectedLatestStoresTheNextNumber() {
        Artifact created = store.create(ArtifactType.HTML, "Edited", "v1");
        clock.advance(Duration.ofMinutes(1));

        ArtifactVersion second = store.appendVersion(created.id(), "v2", 1);
        ArtifactVersion third = store.appendVersion(created.id(), "v3", 2);

        assertEquals(new ArtifactVersion(created.id(), 2, "v2", sha256("v2"), START.plus(Duration.ofMinutes(1))), second);
        assertEquals(3, third.number());
        assertEquals(Optional.of(third), store.latestVersion(created.id()));
        assertEquals(3, store.find(created.id()).orElseThrow().latestVersion());
    }

    @Test
    void appendVersionOnAVersionThatIsNoLongerTheLatestThrowsAConflictAndStoresNothing() throws SQLException {
        Artifact created = store.create(ArtifactType.HTML, "Edited twice", "v1");
        store.appendVersion(created.id(), "v2 by someone else");
        Artifact before = store.find(created.id()).orElseThrow();
        clock.advance(Duration.ofMinutes(1));

        VersionConflictException stale = assertThrows(VersionConflictException.class,
                () -> store.appendVersion(created.id(), "v2 from v1", 1));
        VersionConflictException ahead = assertThrows(VersionConflictException.class,
                () -> store.appendVersion(created.id(), "v4 from v3", 3));

        assertAll(
                () -> assertEquals(created.id(), stale.id()),
                () -> assertEquals(1, stale.expected()),
                () -> assertEquals(2, stale.actual()),
                () -> assertEquals("artifact " + created.id() + " is at version 2, not at version 1", stale.getMessage()),
                () -> assertEquals(3, ahead.expected()),
                () -> assertEquals(2, ahead.actual()));
        assertEquals(Optional.of(before), store.find(created.id()), "updatedAt and latestVersion did not move");
        assertEquals(2, countVersions(created.id()));
        assertEquals("v2 by someone else", store.latestVersion(created.id()).orElseThrow().content());
    }

    @Test
    void eightWritersAppendingOnTheSameVersionGetOneSuccessAndSevenConflicts() throws Exception {
        Artifact created = store.create(ArtifactType.MARKDOWN, "Contended edit", "v1");
        int writers = 8;
        CountDownLatch start = new CountDownLatch(1);
        List<ArtifactVersion> stored = Collections.synchronizedList(new ArrayList<>());
        List<VersionConflictException> conflicts = Collections.synchronizedList(new ArrayList<>());

        try (ExecutorService executor = Executors.newFixedThreadPool(writers)) {
            List<Future<?>> appenders = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                String content = "edit by writer " + w;
                appenders.add(executor.submit(() -> {
                    start.await();
                    try {
                        stored.add(store.appendVersion(created.id(), content, 1));
                    } catch (VersionConflictException e) {
                        conflicts.add(e);
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> appender : appenders) {
                appender.get(1, TimeUnit.MINUTES);
            }
        }

        assertEquals(1, stored.size(), "exactly one writer wins");
        assertEquals(writers - 1, conflicts.size());
        assertTrue(conflicts.stream().allMatch(c -> c.expected() == 1 && c.actual() == 2), conflicts.toString());
        assertEquals(2, countVersions(created.id()));
        assertEquals(Optional.of(stored.get(0)), store.latestVersion(created.id()));
    }

    @Test
    void appendVersionOnAnExpectedLatestToAnUnknownIdThrowsNoSuchArtifact() throws SQLException {
        ArtifactId unknown = ArtifactId.random(new SecureRandom());

        assertThrows(NoSuchArtifactException.class, () -> store.appendVersion(unknown, "orphan", 1));

        assertEquals(0, countVersions(unknown));
    }

    @Test
    void expectedLatestBelowOneIsRejected() {
        Artifact created = store.create(ArtifactType.SVG, "Dot", "<svg/>");

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> store.appendVersion(created.id(), "<svg></svg>", 0));

        assertEquals("expected latest version must be 1 or more; was 0", e.getMessage());
    }

    @Test
    void deleteRemovesTheArtifactAndAllItsVersions() throws SQLException {
        Artifact doomed = store.create(ArtifactType.HTML, "Doomed", "v1");
        store.appendVersion(doomed.id(), "v2");

        assertTrue(store.delete(doomed.id()));

        assertEquals(Optional.empty(), store.find(doomed.id()));
        assertEquals(Optional.empty(), store.latestVersion(doomed.id()));
        assertEquals(Optional.empty(), store.version(doomed.id(), 1));
        // Counted outside the store: orphaned rows would mean ON DELETE CASCADE did not run.
        assertEquals(0, countVersions(doomed.id()));
    }

    @Test
    void deletingTwiceReturnsFalseTheSecondTime() {
        Artifact doomed = store.create(ArtifactType.HTML, "Doomed", "v1");

        assertTrue(store.delete(doomed.id()));
        assertFalse(store.delete(doomed.id()));
    }

    @Test
    void deleteLeavesOtherArtifactsAlone() {
        Artifact doomed = store.create(ArtifactType.HTML, "Doomed", "v1");
        Artifact kept = store.create(ArtifactType.HTML, "Kept", "v1");
        store.appendVersion(kept.id(), "v2");

        store.delete(doomed.id());

        assertEquals(2, store.find(kept.id()).orElseThrow().latestVersion());
        assertEquals("v1", store.version(kept.id(), 1).orElseThrow().content());
    }

    @Test
    void appendVersionAfterDeleteThrowsNoSuchArtifact() {
        Artifact doomed = store.create(ArtifactType.HTML, "Doomed", "v1");
        store.delete(doomed.id());

        assertThrows(NoSuchArtifactException.class, () -> store.appendVersion(doomed.id(), "v2"));
    }

    @Test
    void fixedClockGivesExactlyItsInstantTruncatedToMilliseconds() {
        store.close();
        Clock fixed = Clock.fixed(Instant.parse("2030-01-01T00:00:00.123456789Z"), ZoneOffset.UTC);
        store = open(fixed);
        Instant expected = Instant.parse("2030-01-01T00:00:00.123Z");

        Artifact created = store.create(ArtifactType.SVG, "Fixed", "<svg/>");
        ArtifactVersion second = store.appendVersion(created.id(), "<svg></svg>");

        assertEquals(expected, created.createdAt());
        assertEquals(expected, created.updatedAt());
        assertEquals(expected, second.createdAt());
        assertEquals(expected, store.version(created.id(), 1).orElseThrow().createdAt());
        assertEquals(expected, store.find(created.id()).orElseThrow().updatedAt());
    }

    @Test
    void dataSurvivesClosingAndReopeningTheStore() throws SQLException {
        Artifact created = store.create(ArtifactType.MERMAID, "Flow", "graph TD; A-->B");
        ArtifactVersion second = store.appendVersion(created.id(), "graph TD; A-->C");
        Artifact before = store.find(created.id()).orElseThrow();
        store.close();

        store = open(clock);

        assertEquals(Optional.of(before), store.find(created.id()));
        assertEquals(Optional.of(second), store.latestVersion(created.id()));
        assertEquals(3, store.appendVersion(created.id(), "graph TD; A-->D").number());
        assertEquals(SchemaMigrations.ALL.size(), countRows("schema_version"), "migrations ran twice");
    }

    @Test
    void storesOpeningTogetherOnANewDatabaseMigrateItOnce() throws Exception {
        StorageSettings fresh = freshSettings();
        int nodes = 4;
        CountDownLatch start = new CountDownLatch(1);
        List<ArtifactStore> opened = new ArrayList<>();
        try (ExecutorService executor = Executors.newFixedThreadPool(nodes)) {
            List<Future<ArtifactStore>> opening = new ArrayList<>();
            for (int i = 0; i < nodes; i++) {
                opening.add(executor.submit(() -> {
                    start.await();
                    return ArtifactStores.open(fresh, clock, new SecureRandom());
                }));
            }
            start.countDown();
            for (Future<ArtifactStore> node : opening) {
                opened.add(node.get(1, TimeUnit.MINUTES));
            }
            Artifact created = opened.get(0).create(ArtifactType.HTML, "Shared", "v1");
            assertEquals(Optional.of(created), opened.get(nodes - 1).find(created.id()));
        } finally {
            opened.forEach(ArtifactStore::close);
        }
    }

    @Test
    void textContainingNulIsRejectedOnEveryBackendAndNothingIsStored() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> store.create(ArtifactType.HTML, "Nul", "a\u0000b"));
        assertEquals("content must not contain U+0000 (NUL); found at index 1", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> store.create(ArtifactType.HTML, "\u0000", "ok"));
        Artifact created = store.create(ArtifactType.HTML, "Fine", "v1");
        assertThrows(IllegalArgumentException.class, () -> store.appendVersion(created.id(), "\u0000"));

        assertEquals(List.of(created), store.list(10));
    }

    @Test
    void nullArgumentsAreRejectedWithTheirName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> store.create(null, "title", "content"));
        assertEquals("type must not be null", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> store.create(ArtifactType.HTML, null, "content"));
        assertEquals("title must not be null", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> store.find(null));
        assertEquals("id must not be null", e.getMessage());
    }

    @Test
    void aClosedStoreFailsWithAStorageExceptionNamingTheOperation() {
        Artifact created = store.create(ArtifactType.HTML, "Closing", "v1");
        store.close();

        StorageException e = assertThrows(StorageException.class, () -> store.find(created.id()));

        assertEquals("find artifact " + created.id() + " failed", e.getMessage());
        assertTrue(e.getCause() instanceof SQLException, "keeps the driver's exception as cause");
    }

    int countVersions(ArtifactId id) throws SQLException {
        try (Connection connection = rawConnection();
                PreparedStatement count = connection.prepareStatement(
                        "SELECT COUNT(*) FROM artifact_versions WHERE artifact_id = ?")) {
            count.setString(1, id.value());
            try (ResultSet rows = count.executeQuery()) {
                rows.next();
                return rows.getInt(1);
            }
        }
    }

    int countRows(String table) throws SQLException {
        try (Connection connection = rawConnection();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT COUNT(*) FROM " + table)) {
            rows.next();
            return rows.getInt(1);
        }
    }

    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(
                    MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}

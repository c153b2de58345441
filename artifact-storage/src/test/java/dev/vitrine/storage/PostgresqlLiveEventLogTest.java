package dev.vitrine.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The live event log on PostgreSQL: two {@link Storage}s on one schema stand for two nodes, and
 * a third on another schema for a deployment that must not hear them.
 */
class PostgresqlLiveEventLogTest {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final PostgresqlTestSchemas schemas = new PostgresqlTestSchemas();
    private static String schema;
    private static String otherSchema;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-23T10:00:00Z"));
    private final List<AutoCloseable> opened = new ArrayList<>();
    private Storage nodeA;
    private Storage nodeB;

    @BeforeAll
    static void createSchemas() {
        schema = schemas.create();
        otherSchema = schemas.create();
    }

    @AfterAll
    static void dropSchemas() throws SQLException {
        schemas.dropAll();
    }

    @BeforeEach
    void openNodes() throws SQLException {
        nodeA = open(schema);
        nodeB = open(schema);
        PostgresqlTestSchemas.emptyTables(schema);
    }

    @AfterEach
    void closeNodes() throws Exception {
        Collections.reverse(opened);
        for (AutoCloseable closeable : opened) {
            closeable.close();
        }
    }

    private Storage open(String name) {
        Storage storage = Storage.open(PostgresqlTestSchemas.settings(name), StorageLimits.defaults(), clock, RANDOM);
        opened.add(storage);
        return storage;
    }

    private static LiveEventLog log(Storage storage) {
        return storage.liveEvents().orElseThrow();
    }

    private LinkedBlockingQueue<LiveEventLog.Entry> listen(Storage storage, Runnable onReconnect) {
        LinkedBlockingQueue<LiveEventLog.Entry> received = new LinkedBlockingQueue<>();
        opened.add(log(storage).listen(received::add, onReconnect));
        return received;
    }

    private static LiveEventLog.Entry next(LinkedBlockingQueue<LiveEventLog.Entry> received) throws InterruptedException {
        LiveEventLog.Entry entry = received.poll(10, TimeUnit.SECONDS);
        assertTrue(entry != null, "no live event arrived within 10 s");
        return entry;
    }

    private static LiveEventLog.NewEvent event(ArtifactId artifact, String data) {
        return new LiveEventLog.NewEvent(artifact, "chunk", "NONE", data);
    }

    @Test
    void anEventAppendedOnOneNodeReachesTheOtherWithItsIdAndThePreviousOne() throws Exception {
        LinkedBlockingQueue<LiveEventLog.Entry> onB = listen(nodeB, () -> { });
        ArtifactId artifact = ArtifactId.random(RANDOM);
        log(nodeA).append(List.of(new LiveEventLog.NewEvent(artifact, "start", "STREAM_START", "{\"version\":2}"),
                event(artifact, "{\"text\":\"<h1>\"}")));
        LiveEventLog.Entry start = next(onB);
        LiveEventLog.Entry chunk = next(onB);
        assertEquals(artifact, start.artifact());
        assertEquals("start", start.type());
        assertEquals("STREAM_START", start.mark());
        assertEquals("{\"version\":2}", start.data());
        assertEquals(0, start.previousId());
        assertEquals(start.id(), chunk.previousId());
        assertTrue(chunk.id() > start.id());
        assertEquals("{\"text\":\"<h1>\"}", chunk.data());
        assertEquals(chunk.id(), log(nodeB).lastId());
        assertEquals(List.of(start, chunk), log(nodeB).since(artifact, 0, 10));
        assertEquals(List.of(start, chunk), log(nodeB).since(artifact, start.id(), 10));
        assertEquals(List.of(chunk), log(nodeB).since(artifact, chunk.id(), 10));
        assertEquals(List.of(start), log(nodeB).since(artifact, start.id(), 1));
    }

    @Test
    void anEventTooLargeForANotificationIsReadFromTheTable() throws Exception {
        LinkedBlockingQueue<LiveEventLog.Entry> onB = listen(nodeB, () -> { });
        ArtifactId artifact = ArtifactId.random(RANDOM);
        String large = "é".repeat(PostgresLiveEventLog.INLINE_DATA_BYTES); // twice the limit in UTF-8, a line break inside
        String withBreak = large + "\n" + large;
        log(nodeA).append(List.of(event(artifact, withBreak), event(artifact, "small")));
        assertEquals(withBreak, next(onB).data());
        assertEquals("small", next(onB).data());
    }

    @Test
    void eachArtifactsEventsArriveInIdOrderWhileNodesAppendConcurrently() throws Exception {
        LinkedBlockingQueue<LiveEventLog.Entry> onA = listen(nodeA, () -> { });
        ArtifactId artifact = ArtifactId.random(RANDOM);
        int perWriter = 50;
        ExecutorService writers = Executors.newFixedThreadPool(4);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<?>> done = new ArrayList<>();
            for (int w = 0; w < 4; w++) {
                Storage node = w % 2 == 0 ? nodeA : nodeB;
                int writer = w;
                done.add(writers.submit(() -> {
                    go.await();
                    for (int i = 0; i < perWriter; i++) {
                        log(node).append(List.of(event(artifact, writer + ":" + i)));
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> future : done) {
                future.get(60, TimeUnit.SECONDS);
            }
        } finally {
            writers.shutdownNow();
        }
        long previous = 0;
        for (int i = 0; i < 4 * perWriter; i++) {
            LiveEventLog.Entry entry = next(onA);
            assertEquals(previous, entry.previousId(), "event " + i + " does not follow the one before it");
            assertTrue(entry.id() > previous);
            previous = entry.id();
        }
        assertEquals(4 * perWriter, log(nodeA).since(artifact, 0, 1000).size());
    }

    @Test
    void aServerOnAnotherSchemaHearsNothing() throws Exception {
        Storage other = open(otherSchema);
        LinkedBlockingQueue<LiveEventLog.Entry> onOther = listen(other, () -> { });
        LinkedBlockingQueue<LiveEventLog.Entry> onB = listen(nodeB, () -> { });
        log(nodeA).append(List.of(event(ArtifactId.random(RANDOM), "here")));
        assertEquals("here", next(onB).data());
        assertEquals(null, onOther.poll(500, TimeUnit.MILLISECONDS));
    }

    @Test
    void aListenerThatLosesItsConnectionConnectsAgainAndSaysSo() throws Exception {
        CountDownLatch reconnected = new CountDownLatch(1);
        LinkedBlockingQueue<LiveEventLog.Entry> onB = listen(nodeB, reconnected::countDown);
        try (Connection admin = PostgresqlTestSchemas.connect(schema); Statement statement = admin.createStatement()) {
            String channel = "vitrine_live_" + Sha256.hex(schema).substring(0, 16);
            statement.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE pid IN"
                    + " (SELECT pid FROM pg_stat_activity WHERE query = 'LISTEN \"" + channel + "\"')");
        }
        assertTrue(reconnected.await(10, TimeUnit.SECONDS), "the listener did not connect again");
        ArtifactId artifact = ArtifactId.random(RANDOM);
        log(nodeA).append(List.of(event(artifact, "after")));
        assertEquals("after", next(onB).data());
    }

    @Test
    void pruningDeletesOldEventsSoAReaderSeesTheGap() {
        ArtifactId artifact = ArtifactId.random(RANDOM);
        log(nodeA).append(List.of(event(artifact, "old")));
        clock.advance(Duration.ofHours(2));
        log(nodeA).append(List.of(event(artifact, "new")));
        assertEquals(1, log(nodeA).prune(Instant.ofEpochMilli(clock.millis()).minus(Duration.ofHours(1))));
        List<LiveEventLog.Entry> left = log(nodeA).since(artifact, 0, 10);
        assertEquals(1, left.size());
        assertEquals("new", left.getFirst().data());
        assertTrue(left.getFirst().previousId() > 0, "the surviving event still names the pruned one before it");
    }

    @Test
    void invalidEventsAreRefusedBeforeTheDatabase() {
        ArtifactId artifact = ArtifactId.random(RANDOM);
        assertThrows(IllegalArgumentException.class, () -> new LiveEventLog.NewEvent(artifact, "Chunk!", "NONE", "{}"));
        assertThrows(IllegalArgumentException.class, () -> new LiveEventLog.NewEvent(artifact, "chunk", "none", "{}"));
        assertThrows(IllegalArgumentException.class, () -> new LiveEventLog.NewEvent(artifact, "chunk", "NONE", "a\u0000b"));
    }

    @Test
    void sqliteHasNoLiveEventLog(@TempDir Path directory) {
        try (Storage sqlite = Storage.open(StorageSettings.embedded(directory), StorageLimits.defaults(), Clock.systemUTC(), RANDOM)) {
            assertTrue(sqlite.liveEvents().isEmpty());
        }
    }
}

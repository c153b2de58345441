package dev.vitrine.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vitrine.storage.ArtifactId;
import dev.vitrine.storage.Storage;
import dev.vitrine.storage.StorageLimits;
import dev.vitrine.storage.StorageSettings;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Two {@link SharedEventHub}s on one PostgreSQL schema, as two nodes in one process. */
class SharedEventHubTest {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final long WAIT_MILLIS = 10_000;

    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final List<AutoCloseable> opened = new ArrayList<>();
    private PostgresSchema schema;
    private final ArtifactId artifact = ArtifactId.random(RANDOM);

    @BeforeEach
    void createSchema() throws Exception {
        schema = new PostgresSchema("vitrine_hub");
    }

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable closeable : opened.reversed()) {
            closeable.close();
        }
        scheduler.shutdownNow();
        schema.close();
    }

    private SharedEventHub node() {
        Storage storage = Storage.open(new StorageSettings(Path.of("unused"), Optional.of(schema.jdbcUrl())),
                StorageLimits.defaults(), Clock.systemUTC(), RANDOM);
        opened.add(storage);
        SharedEventHub hub = new SharedEventHub(storage.liveEvents().orElseThrow(), StreamSettings.defaults(), Clock.systemUTC(), scheduler);
        opened.add(hub);
        return hub;
    }

    /** A subscriber that takes every event as it is woken. */
    private static final class Collector {
        final List<ArtifactEvent> events = new ArrayList<>();
        final Semaphore woken = new Semaphore(0);
        EventHub.Subscription subscription;

        Collector(EventHub hub, ArtifactId artifact, OptionalLong last) {
            subscription = hub.subscribe(artifact, last, woken::release);
        }

        /** Polls until {@code done} holds, failing after the wait. */
        void until(BooleanSupplier done) throws InterruptedException {
            long deadline = System.currentTimeMillis() + WAIT_MILLIS;
            while (true) {
                synchronized (this) {
                    events.addAll(subscription.poll(1_000));
                }
                if (done.getAsBoolean()) {
                    return;
                }
                long left = deadline - System.currentTimeMillis();
                assertTrue(left > 0, "waited " + WAIT_MILLIS + " ms; have " + events);
                woken.tryAcquire(Math.min(left, 50), TimeUnit.MILLISECONDS);
            }
        }

        List<String> data() {
            return events.stream().map(ArtifactEvent::data).toList();
        }
    }

    private static void publish(EventHub hub, ArtifactId artifact, int from, int to) {
        for (int i = from; i < to; i++) {
            hub.publish(artifact, "chunk", "{\"n\":" + i + "}", i == 0 ? EventHub.Mark.STREAM_START : EventHub.Mark.NONE);
        }
    }

    private static List<String> numbered(int from, int to) {
        List<String> data = new ArrayList<>();
        for (int i = from; i < to; i++) {
            data.add("{\"n\":" + i + "}");
        }
        return data;
    }

    @Test
    void subscribersOnBothNodesSeeOneOrderWithTheSameIds() throws Exception {
        SharedEventHub a = node();
        SharedEventHub b = node();
        Collector onA = new Collector(a, artifact, OptionalLong.empty());
        Collector onB = new Collector(b, artifact, OptionalLong.empty());
        publish(a, artifact, 0, 50);
        publish(b, artifact, 50, 100);
        onA.until(() -> onA.events.size() == 100);
        onB.until(() -> onB.events.size() == 100);
        assertEquals(onA.events, onB.events);
        List<String> fromA = onA.data().stream().filter(numbered(0, 50)::contains).toList();
        List<String> fromB = onA.data().stream().filter(numbered(50, 100)::contains).toList();
        assertEquals(numbered(0, 50), fromA, "each node's events keep their order");
        assertEquals(numbered(50, 100), fromB, "each node's events keep their order");
    }

    @Test
    void aLateSubscriberGetsTheStreamInProgressFromItsStart() throws Exception {
        SharedEventHub a = node();
        SharedEventHub b = node();
        Collector early = new Collector(b, artifact, OptionalLong.empty());
        publish(a, artifact, 0, 5);
        early.until(() -> early.events.size() == 5);
        Collector late = new Collector(b, artifact, OptionalLong.empty());
        late.until(() -> late.events.size() == 5);
        assertEquals(numbered(0, 5), late.data());
    }

    @Test
    void aListenerThatLostItsConnectionCutsSubscribersOffAndTheyResumeWithoutLoss() throws Exception {
        SharedEventHub a = node();
        SharedEventHub b = node();
        Collector onB = new Collector(b, artifact, OptionalLong.empty());
        publish(a, artifact, 0, 10);
        onB.until(() -> onB.events.size() == 10);
        try (Connection admin = DriverManager.getConnection(schema.jdbcUrl()); Statement statement = admin.createStatement()) {
            // The listeners of this schema's channel (see PostgresLiveEventLog), not other builds'.
            String channel = "vitrine_live_" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(schema.name().getBytes(StandardCharsets.UTF_8))).substring(0, 16);
            statement.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query = 'LISTEN \"" + channel + "\"'");
        }
        publish(a, artifact, 10, 20);
        onB.until(() -> onB.subscription.fellBehind());
        long last = onB.events.getLast().id();
        onB.subscription = b.subscribe(artifact, OptionalLong.of(last), onB.woken::release);
        assertEquals(EventHub.Start.Kind.RESUMED, onB.subscription.start().kind());
        onB.until(() -> onB.events.size() == 20);
        assertEquals(numbered(0, 20), onB.data());
    }
}

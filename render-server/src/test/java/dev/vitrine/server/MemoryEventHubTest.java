package dev.vitrine.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vitrine.storage.ArtifactId;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class MemoryEventHubTest {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-02T10:00:00Z"));
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();
    private final ArtifactId artifact = ArtifactId.random(RANDOM);
    private MemoryEventHub hub = hub(StreamSettings.defaults().withBuffer(100, DataSize.ofKilobytes(64), DataSize.ofKilobytes(4)));

    private MemoryEventHub hub(StreamSettings settings) {
        return new MemoryEventHub(settings, clock, timers);
    }

    @AfterEach
    void close() {
        hub.close();
        timers.shutdownNow();
    }

    private List<ArtifactEvent> publish(int count, String type) {
        List<ArtifactEvent> events = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            events.add(hub.append(artifact, type, "{\"n\":" + i + "}", EventHub.Mark.NONE));
        }
        return events;
    }

    @Test
    void aResumedSubscriberGetsExactlyTheEventsAfterItsLastId() {
        List<ArtifactEvent> events = publish(10, "chunk");

        EventHub.Subscription resumed = hub.subscribe(artifact, OptionalLong.of(events.get(3).id()), () -> { });

        assertEquals(EventHub.Start.Kind.RESUMED, resumed.start().kind());
        assertEquals(events.subList(4, 10), resumed.poll(100));
        assertEquals(List.of(), resumed.poll(100));
        ArtifactEvent later = hub.append(artifact, "chunk", "{}", EventHub.Mark.NONE);
        assertEquals(List.of(later), resumed.poll(100));
    }

    @Test
    void idsGrowForEveryArtifactAndStartAboveAnyEarlierProcesssIds() {
        long earlier = hub.append(artifact, "a", "{}", EventHub.Mark.NONE).id();
        ArtifactEvent other = hub.append(ArtifactId.random(RANDOM), "a", "{}", EventHub.Mark.NONE);
        long later = hub.append(artifact, "a", "{}", EventHub.Mark.NONE).id();

        assertTrue(earlier < other.id() && other.id() < later);
        clock.advance(Duration.ofSeconds(1));
        try (MemoryEventHub restarted = hub(StreamSettings.defaults())) {
            assertTrue(restarted.append(artifact, "a", "{}", EventHub.Mark.NONE).id() > later + 1_000);
            EventHub.Subscription fromBefore = restarted.subscribe(artifact, OptionalLong.of(later), () -> { });
            assertEquals(EventHub.Start.Kind.RESET_EVENTS_DROPPED, fromBefore.start().kind(),
                    "an id from before the restart cannot be resumed: its events are gone");
        }
        assertTrue(later < (1L << 53), "JavaScript reads the ids exactly");
    }

    @Test
    void aFreshSubscriberDuringAStreamGetsItFromItsStartAndAfterItOnlyNewEvents() {
        publish(3, "storage");
        ArtifactEvent start = hub.append(artifact, "start", "{}", EventHub.Mark.STREAM_START);
        List<ArtifactEvent> chunks = publish(2, "chunk");

        EventHub.Subscription late = hub.subscribe(artifact, OptionalLong.empty(), () -> { });
        assertEquals(EventHub.Start.Kind.FRESH, late.start().kind());
        assertEquals(start.id() - 1, late.start().position());
        assertEquals(List.of(start, chunks.get(0), chunks.get(1)), late.poll(100));

        ArtifactEvent end = hub.append(artifact, "version", "{}", EventHub.Mark.STREAM_END);
        EventHub.Subscription afterwards = hub.subscribe(artifact, OptionalLong.empty(), () -> { });
        assertEquals(end.id(), afterwards.start().position());
        assertEquals(List.of(), afterwards.poll(100));
    }

    @Test
    void anIdOlderThanTheBufferOrNeverGivenOutIsAReset() {
        List<ArtifactEvent> events = publish(150, "chunk");

        assertEquals(EventHub.Start.Kind.RESET_EVENTS_DROPPED,
                hub.subscribe(artifact, OptionalLong.of(events.get(10).id()), () -> { }).start().kind());
        assertEquals(EventHub.Start.Kind.RESUMED,
                hub.subscribe(artifact, OptionalLong.of(events.get(50).id()), () -> { }).start().kind(), "the newest 100 are held");
        assertEquals(EventHub.Start.Kind.RESET_UNKNOWN_ID,
                hub.subscribe(artifact, OptionalLong.of(events.getLast().id() + 1_000), () -> { }).start().kind());
        EventHub.Subscription reset = hub.subscribe(artifact, OptionalLong.of(-1), () -> { });
        assertEquals(EventHub.Start.Kind.RESET_UNKNOWN_ID, reset.start().kind());
        assertEquals(events.getLast().id(), reset.start().position(), "a reset continues with what comes next");
    }

    @Test
    void aSubscriberThatFallsBehindIsCutOffWithoutSlowingThePublisherAndCanResume() {
        AtomicInteger wakeUps = new AtomicInteger();
        EventHub.Subscription slow = hub.subscribe(artifact, OptionalLong.empty(), wakeUps::incrementAndGet);
        EventHub.Subscription fast = hub.subscribe(artifact, OptionalLong.empty(), () -> { });
        String kilobyte = "x".repeat(1000);
        List<ArtifactEvent> taken = new ArrayList<>();

        long started = System.nanoTime();
        List<ArtifactEvent> published = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            published.add(hub.append(artifact, "chunk", kilobyte, EventHub.Mark.NONE));
            taken.addAll(fast.poll(100));
        }
        assertTrue(System.nanoTime() - started < Duration.ofSeconds(1).toNanos());

        assertEquals(published, taken, "the subscriber that keeps up misses nothing");
        assertFalse(fast.fellBehind());
        assertTrue(slow.fellBehind(), "4KB of lag allowed, 20KB waiting");
        assertEquals(List.of(), slow.poll(100));
        int wakeUpsWhenCut = wakeUps.get();
        hub.publish(artifact, "chunk", "{}", EventHub.Mark.NONE);
        assertEquals(wakeUpsWhenCut, wakeUps.get(), "a subscriber cut off is not woken again");

        EventHub.Subscription resumed = hub.subscribe(artifact, OptionalLong.of(published.get(2).id()), () -> { });
        assertEquals(EventHub.Start.Kind.RESUMED, resumed.start().kind(), "the buffer still holds what it missed");
    }

    @Test
    void idleBuffersAreDroppedAndAResumeFromOneIsAReset() {
        ArtifactEvent event = hub.append(artifact, "chunk", "{}", EventHub.Mark.NONE);
        hub.publish(artifact, "chunk", "{}", EventHub.Mark.NONE);
        EventHub.Subscription watching = hub.subscribe(ArtifactId.random(RANDOM), OptionalLong.empty(), () -> { });
        clock.advance(Duration.ofMinutes(MemoryEventHub.IDLE_MINUTES));

        hub.sweep();

        assertEquals(1, hub.channelCount(), "the buffer with a subscriber stays");
        assertEquals(EventHub.Start.Kind.RESET_EVENTS_DROPPED,
                hub.subscribe(artifact, OptionalLong.of(event.id()), () -> { }).start().kind(), "the event after it is gone");
        watching.close();
    }

    @Test
    void aBufferKeepsItsNewestEventsWithinItsLimits() {
        MemoryEventHub small = hub(StreamSettings.defaults().withBuffer(16, DataSize.ofKilobytes(2), DataSize.ofKilobytes(1)));
        try {
            List<ArtifactEvent> events = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                events.add(small.append(artifact, "chunk", "x".repeat(100), EventHub.Mark.NONE));
            }
            EventHub.Subscription oldest = small.subscribe(artifact, OptionalLong.of(events.get(events.size() - 16).id()), () -> { });
            assertEquals(EventHub.Start.Kind.RESET_EVENTS_DROPPED, oldest.start().kind(), "2KB hold fewer than 16 events of 132");
            EventHub.Subscription recent = small.subscribe(artifact, OptionalLong.of(events.get(events.size() - 10).id()), () -> { });
            assertEquals(events.subList(events.size() - 9, events.size()), recent.poll(100));
            ArtifactEvent huge = small.append(artifact, "chunk", "x".repeat(10_000), EventHub.Mark.NONE);
            assertEquals(List.of(huge), recent.poll(100), "an event larger than the buffer is still delivered");
        } finally {
            small.close();
        }
    }
}

package dev.vitrine.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link PartialVersionStore} backend must do: partials stay apart from versions, carry
 * their own numbers, leave a {@code rejected} audit event, and are bounded per artifact.
 */
abstract class PartialVersionStoreContract {

    static final Instant START = Instant.parse("2025-03-14T15:09:26.535Z");
    static final AuditDetail.Rejected DISCONNECTED =
            AuditDetail.Rejected.truncating("stream_disconnected", "the client disconnected after 7 bytes");

    MutableClock clock;
    Storage storage;
    PartialVersionStore partials;
    ArtifactId artifact;

    /** Settings for this test's database. */
    abstract StorageSettings settings();

    /** Empties the database, migrated by then, where tests share one. */
    abstract void emptyDatabase() throws Exception;

    @BeforeEach
    void open() throws Exception {
        clock = new MutableClock(START);
        storage = Storage.open(settings(), StorageLimits.defaults(), clock, new SecureRandom());
        emptyDatabase();
        partials = storage.partials();
        artifact = storage.artifacts().create(ArtifactType.HTML, "Greeting", "<h1>Hello</h1>").id();
    }

    @AfterEach
    void close() {
        storage.close();
    }

    @Test
    void aPartialNeverBecomesOrNumbersAVersion() {
        clock.advance(Duration.ofSeconds(1));
        PartialVersion partial = partials.add(artifact, "<h1>Hel", DISCONNECTED);

        assertEquals(new PartialVersion(artifact, 1, 1, "<h1>Hel", Sha256.hex("<h1>Hel"), "stream_disconnected",
                "the client disconnected after 7 bytes", START.plusSeconds(1)), partial);
        Artifact unchanged = storage.artifacts().find(artifact).orElseThrow();
        assertEquals(1, unchanged.latestVersion());
        assertEquals(START, unchanged.updatedAt(), "a partial does not count as an update");
        assertEquals("<h1>Hello</h1>", storage.artifacts().latestVersion(artifact).orElseThrow().content());
        assertEquals(Optional.empty(), storage.artifacts().version(artifact, 2));

        assertEquals(2, storage.artifacts().appendVersion(artifact, "<h1>Hello again</h1>").number(),
                "the next complete version takes the next version number");
    }

    @Test
    void aPartialIsReadBackByNumberAndInTheNewestFirstList() {
        partials.add(artifact, "one", DISCONNECTED);
        storage.artifacts().appendVersion(artifact, "<p>two</p>");
        partials.add(artifact, "three", AuditDetail.Rejected.truncating("compile_error", "unexpected end (1:6)"));

        List<PartialVersion> listed = partials.list(artifact);
        assertEquals(List.of(2, 1), listed.stream().map(PartialVersion::number).toList());
        assertEquals(2, listed.getFirst().afterVersion(), "recorded after version 2 was added");
        assertEquals("compile_error", listed.getFirst().code());
        assertEquals(Optional.of(listed.get(1)), partials.find(artifact, 1));
        assertEquals(Optional.empty(), partials.find(artifact, 3));
        assertEquals(List.of(), partials.list(ArtifactId.random(new SecureRandom())));
    }

    @Test
    void recordingAPartialAppendsARejectedEventWithItsReason() {
        partials.add(artifact, "<h1>Hel", DISCONNECTED);

        List<AuditEvent> events = storage.audit().events(artifact, 0, 10);
        assertEquals(List.of("created", "rejected"), events.stream().map(e -> e.detail().type()).toList());
        assertEquals(DISCONNECTED, events.get(1).detail());
        assertEquals(OptionalInt.empty(), events.get(1).version());
    }

    @Test
    void onlyTheNewestPartialsAreKept() {
        for (int i = 1; i <= PartialVersionStore.KEPT_PER_ARTIFACT + 3; i++) {
            partials.add(artifact, "attempt " + i, DISCONNECTED);
        }

        List<PartialVersion> kept = partials.list(artifact);
        assertEquals(PartialVersionStore.KEPT_PER_ARTIFACT, kept.size());
        assertEquals(PartialVersionStore.KEPT_PER_ARTIFACT + 3, kept.getFirst().number());
        assertEquals(4, kept.getLast().number(), "numbers are not reused after the oldest are deleted");
    }

    @Test
    void aMissingArtifactGetsNoPartialAndADeletedOneTakesItsPartialsAlong() {
        partials.add(artifact, "text", DISCONNECTED);
        assertTrue(storage.artifacts().delete(artifact));

        assertEquals(List.of(), partials.list(artifact));
        assertThrows(NoSuchArtifactException.class, () -> partials.add(artifact, "more", DISCONNECTED));
        assertEquals("deleted", storage.audit().events(artifact, 0, 10).getLast().detail().type(),
                "nothing is recorded after the delete");
    }

    @Test
    void textADatabaseCannotStoreIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> partials.add(artifact, "a\u0000b", DISCONNECTED));
        assertEquals("content must not contain U+0000 (NUL); found at index 1", e.getMessage());
        assertEquals(List.of(), partials.list(artifact));
    }

    @Test
    void concurrentRecordersEachGetTheirOwnNumber() throws Exception {
        int writers = 4;
        int each = 2;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            List<Future<List<Integer>>> futures = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                futures.add(pool.submit(() -> {
                    List<Integer> numbers = new ArrayList<>();
                    for (int i = 0; i < each; i++) {
                        numbers.add(partials.add(artifact, "text", DISCONNECTED).number());
                    }
                    return numbers;
                }));
            }
            Set<Integer> numbers = new HashSet<>();
            for (Future<List<Integer>> future : futures) {
                numbers.addAll(future.get());
            }
            assertEquals(Set.of(1, 2, 3, 4, 5, 6, 7, 8), numbers);
        } finally {
            pool.shutdownNow();
        }
    }
}

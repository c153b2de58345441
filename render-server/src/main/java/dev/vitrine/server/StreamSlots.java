package dev.vitrine.server;

import dev.vitrine.storage.ArtifactId;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Who may stream now: one stream per artifact, since two would race for the same next version
 * and interleave their chunks in one event stream, and at most {@code max-streams} on this
 * node, since each holds a connection, its text so far and a share of the compiler.
 *
 * <pre>{@code
 * try (StreamSlots.Slot slot = slots.acquire(id)) {
 *     // read the stream
 * }
 * }</pre>
 */
final class StreamSlots {
    /** Seconds a client refused for a full server is told to wait. */
    static final int RETRY_AFTER_SECONDS = 5;

    /** A held slot; closing it twice releases it once. */
    interface Slot extends AutoCloseable {
        @Override
        void close();
    }

    private final int max;
    private final ConcurrentHashMap<ArtifactId, Boolean> streaming = new ConcurrentHashMap<>();
    private final AtomicInteger count = new AtomicInteger();

    StreamSlots(int max) {
        this.max = max;
    }

    /**
     * @throws ApiException 409 {@code stream_in_progress} if the artifact has a stream already,
     *                      503 {@code too_many_streams} if this node reads {@code max-streams} (send
     *                      {@link #RETRY_AFTER_SECONDS} as {@code Retry-After})
     */
    Slot acquire(ArtifactId artifact) {
        if (streaming.putIfAbsent(artifact, Boolean.TRUE) != null) {
            throw new ApiException(409, "stream_in_progress", "this artifact is being streamed already; "
                    + "one stream at a time per artifact, send the next when it has ended");
        }
        if (count.incrementAndGet() > max) {
            count.decrementAndGet();
            streaming.remove(artifact);
            throw new ApiException(503, "too_many_streams", "this server reads " + max
                    + " streams already (max-streams); retry in " + RETRY_AFTER_SECONDS + " seconds");
        }
        AtomicInteger released = new AtomicInteger();
        return () -> {
            if (released.getAndIncrement() == 0) {
                count.decrementAndGet();
                streaming.remove(artifact);
            }
        };
    }
}

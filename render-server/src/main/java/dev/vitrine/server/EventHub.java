package dev.vitrine.server;

import dev.vitrine.storage.ArtifactId;
import java.util.List;
import java.util.OptionalLong;

/**
 * Fans an artifact's live events out to its subscribers: what the stream ingest, storage writes
 * and others publish, {@code GET /v1/artifacts/{id}/events} delivers. Each event gets an id
 * that is larger than every id the artifact's events had before; a subscriber that names the
 * last id it saw resumes exactly after it, without loss or duplicates, for as long as the hub
 * still holds the events in between. Otherwise it is told to start over ({@link Start.Kind#RESET}).
 *
 * <p>Delivery is pull-based, so no publisher waits for a subscriber: {@link #publish} records
 * the event and calls the subscribers' wake-up callbacks, and each subscriber takes events
 * with {@link Subscription#poll} as fast as its connection carries them. A subscriber that
 * falls too far behind is cut off ({@link Subscription#fellBehind()}), and may resume.
 *
 * <p>{@link MemoryEventHub} serves one process. {@link SharedEventHub} serves the nodes on one
 * PostgreSQL database: events published on any node reach subscribers on every node, and a
 * client resumes on whichever node it reconnects to.
 *
 * <pre>{@code
 * EventHub.Subscription subscription = hub.subscribe(id, OptionalLong.of(lastSeen), wakeUp);
 * hub.publish(id, "chunk", "{\"version\":2,\"offset\":0,\"text\":\"<h1>\"}", EventHub.Mark.NONE);
 * for (ArtifactEvent event : subscription.poll(64)) {
 *     send(event); // id, type, data
 * }
 * }</pre>
 */
interface EventHub extends AutoCloseable {

    /** Where an event stands in the life of a streamed version, so late subscribers can catch up. */
    enum Mark {
        /** Any other event. */
        NONE,
        /** The first event of a stream: subscribers arriving during the stream receive it onwards. */
        STREAM_START,
        /** The last event of a stream. */
        STREAM_END
    }

    /**
     * How a subscription begins, which a subscriber tells its client before any event.
     *
     * @param position the id to resume after if the client reconnects before the next event
     * @param kind     whether the named id was resumed from, or why not
     */
    record Start(long position, Kind kind) {
        enum Kind {
            /** The subscriber named no id: it receives the stream in progress, if any, then what comes. */
            FRESH,
            /** Resumed right after the named id: nothing between it and the next event is missing. */
            RESUMED,
            /** The named id is older than the events still held: events are missing, reload the artifact. */
            RESET_EVENTS_DROPPED,
            /** The named id is not one this hub gave out (another process, a restart): reload the artifact. */
            RESET_UNKNOWN_ID
        }
    }

    /** A subscriber's view of one artifact's events. Its methods may be called from any thread. */
    interface Subscription extends AutoCloseable {

        /** How the subscription began. */
        Start start();

        /**
         * Takes the next events, oldest first, at most {@code max}; empty when there are none yet
         * or after {@link #fellBehind()} or {@link #close()}.
         */
        List<ArtifactEvent> poll(int max);

        /** True once the subscriber let too much pile up and was cut off; it receives nothing more. */
        boolean fellBehind();

        /** Stops the subscription; the wake-up callback is not called again. */
        @Override
        void close();
    }

    /**
     * Records an event of the artifact, gives it the next id and wakes the artifact's subscribers.
     * Never waits for a subscriber, nor for a database.
     *
     * @param type the SSE event name, e.g. {@code chunk}
     * @param data the event's data, one line of JSON
     */
    void publish(ArtifactId artifact, String type, String data, Mark mark);

    /**
     * Subscribes to the artifact's events after {@code lastEventId}, or, with none, to the stream
     * in progress and what follows. {@code onEvents} is called, on a publisher's thread and
     * outside any lock of the hub, whenever {@link Subscription#poll} may have more or
     * {@link Subscription#fellBehind()} turned true; it must not block.
     */
    Subscription subscribe(ArtifactId artifact, OptionalLong lastEventId, Runnable onEvents);

    @Override
    void close();
}

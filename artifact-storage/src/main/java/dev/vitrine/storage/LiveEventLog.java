package dev.vitrine.storage;

import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;

/**
 * Artifacts' live events (stream chunks, new versions, storage writes) shared by every node on
 * one PostgreSQL database: what one node {@link #append appends}, every node's
 * {@link #listen listener} receives, in the order it was committed, and the events stay in the
 * table until {@link #prune pruned}, so a node can hand a viewer the events it missed.
 *
 * <p>Ids come from one counter for all artifacts and are handed out in commit order for each
 * artifact: an artifact's events grow in id in the order every node receives them. Each event
 * also names the artifact's event before it ({@link Entry#previousId()}), so the events read
 * with {@link #since} are a complete run.
 *
 * <p>Only PostgreSQL has one ({@link Storage#liveEvents()}): it carries events from node to
 * node with {@code NOTIFY}, whose payload holds the event when it fits in
 * {@value PostgresLiveEventLog#INLINE_DATA_BYTES} bytes of data and otherwise only its id, which
 * the listener then reads from the table.
 *
 * <pre>{@code
 * LiveEventLog log = storage.liveEvents().orElseThrow();
 * try (AutoCloseable listening = log.listen(entry -> deliver(entry), () -> resubscribeEveryone())) {
 *     log.append(List.of(new LiveEventLog.NewEvent(id, "chunk", "STREAM_START", "{\"text\":\"<h1>\"}")));
 * }
 * }</pre>
 */
public interface LiveEventLog {

    /**
     * An event to append.
     *
     * @param type the event's name, e.g. {@code chunk}: 1 to 32 characters from {@code [a-z_]}
     * @param mark a label the publisher attaches, e.g. {@code STREAM_START}: 1 to 32 characters
     *             from {@code [A-Z_]}
     * @param data the event's payload, any text without U+0000
     */
    record NewEvent(ArtifactId artifact, String type, String mark, String data) {
        public NewEvent {
            if (artifact == null || type == null || mark == null || data == null) {
                throw new IllegalArgumentException("artifact, type, mark and data must not be null");
            }
            if (!type.matches("[a-z_]{1,32}")) {
                throw new IllegalArgumentException("type must be 1 to 32 characters from [a-z_]: " + type);
            }
            if (!mark.matches("[A-Z_]{1,32}")) {
                throw new IllegalArgumentException("mark must be 1 to 32 characters from [A-Z_]: " + mark);
            }
            int nul = data.indexOf('\u0000');
            if (nul >= 0) {
                throw new IllegalArgumentException("data must not contain U+0000 (NUL); found at index " + nul);
            }
        }
    }

    /**
     * An appended event.
     *
     * @param id         larger than the id of every event of the artifact committed before it
     * @param previousId the id of the artifact's event before this one, 0 if there was none
     */
    record Entry(ArtifactId artifact, long id, long previousId, String type, String mark, String data) {
    }

    /**
     * Appends the events in one transaction, in list order, and notifies every listener of
     * each when it commits.
     *
     * @throws StorageException if the database fails; then none is appended
     */
    void append(List<NewEvent> events);

    /**
     * The artifact's event {@code id} and those after it, oldest first, at most {@code limit}:
     * every event of the artifact that followed it, unless the first entry is not {@code id}
     * (it was pruned, or is not the artifact's) or {@code limit} entries came back.
     */
    List<Entry> since(ArtifactId artifact, long id, int limit);

    /** The largest id handed out so far, 0 before the first. */
    long lastId();

    /**
     * Starts receiving every event any node appends, from now on, on a thread of its own, and
     * returns once it listens: an event appended after this returns is delivered.
     * {@code onEntry} is called on that thread, in commit order. If the database connection
     * is lost, the listener connects again (waiting longer after each failure, up to a few
     * seconds) and then calls {@code onReconnect}: events committed in between were not
     * delivered and must be read with {@link #since}.
     *
     * @return closing it stops the listener and waits for its thread
     * @throws StorageException if the first connection fails
     */
    AutoCloseable listen(Consumer<Entry> onEntry, Runnable onReconnect);

    /**
     * Deletes the events created before {@code before}, and the heads of artifacts with none
     * left.
     *
     * @return how many events were deleted
     */
    int prune(Instant before);
}

package dev.vitrine.server;

import dev.vitrine.storage.ArtifactId;
import dev.vitrine.storage.LiveEventLog;
import dev.vitrine.storage.StorageException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link EventHub} of the nodes on one PostgreSQL database. {@link #publish} queues the
 * event for a publisher thread, which appends what has queued to the {@link LiveEventLog} in one
 * transaction; the log notifies every node, this one included, and each node's listener
 * {@link MemoryEventHub#deliver delivers} the event into a local {@link MemoryEventHub}, whose
 * buffers and cursors serve the node's subscribers as on a single node. So every subscriber, on
 * any node, sees an artifact's events in the one order the database committed them, with the
 * database's ids.
 *
 * <p>A client that resumes on a node whose buffer does not reach back to its
 * {@code Last-Event-ID} (it was connected to another node, or this one restarted) is handed the
 * missing events from the log's table, then the buffer's; it is told to reset only if the table
 * no longer holds them all ({@value #RETENTION_MINUTES} minutes are kept) or they are more than
 * a buffer's worth. If the listener loses its connection, every local subscriber is cut off and
 * resumes the same way, so nothing notified in the gap is lost.
 *
 * <p>The cost against {@link MemoryEventHub}: an event reaches subscribers, on this node too,
 * after a commit and a notification, about a millisecond on a local network; and if the database
 * is unreachable, events are dropped (after {@value #ATTEMPTS} attempts, each logged) rather
 * than delaying the stream they belong to.
 */
final class SharedEventHub implements EventHub {
    static final int RETENTION_MINUTES = 60;
    private static final Duration RETENTION = Duration.ofMinutes(RETENTION_MINUTES);
    private static final Logger LOG = LoggerFactory.getLogger(SharedEventHub.class);
    /** Events waiting for the publisher thread; beyond this the database is too far behind, and new events are dropped. */
    private static final int QUEUE_CAPACITY = 100_000;
    /** Events appended in one transaction at most. */
    private static final int BATCH = 256;
    private static final int ATTEMPTS = 3;
    /** How long a resume waits for the listener to catch up with an id the database has already handed out. */
    private static final Duration CATCH_UP = Duration.ofSeconds(2);
    private static final int RESUME_ATTEMPTS = 3;

    private final LiveEventLog log;
    private final MemoryEventHub local;
    private final int maxBackfill;
    private final Clock clock;
    private final BlockingQueue<LiveEventLog.NewEvent> queue = new ArrayBlockingQueue<>(QUEUE_CAPACITY);
    private final Thread publisher;
    private final AutoCloseable listener;
    private final ScheduledFuture<?> pruner;
    private volatile boolean closed;

    /**
     * Starts listening, the publisher thread, and pruning on {@code scheduler} every minute.
     *
     * @throws StorageException if the database cannot be listened to
     */
    SharedEventHub(LiveEventLog log, StreamSettings settings, Clock clock, ScheduledExecutorService scheduler) {
        this.log = log;
        this.clock = clock;
        this.maxBackfill = settings.bufferEvents();
        this.local = new MemoryEventHub(settings, clock, scheduler, log.lastId());
        this.listener = log.listen(this::deliver, () -> local.dropAll(log.lastId()));
        // Events committed before the listener listened were never delivered: buffers made for
        // deliveries meanwhile go, and new ones count every id handed out so far as past.
        local.dropAll(log.lastId());
        this.publisher = Thread.ofPlatform().daemon().name("vitrine-event-publisher").start(this::publishQueued);
        this.pruner = scheduler.scheduleWithFixedDelay(this::prune, 1, 1, TimeUnit.MINUTES);
    }

    private void deliver(LiveEventLog.Entry entry) {
        local.deliver(entry.artifact(), new ArtifactEvent(entry.id(), entry.type(), entry.data()), Mark.valueOf(entry.mark()));
    }

    @Override
    public void publish(ArtifactId artifact, String type, String data, Mark mark) {
        if (!queue.offer(new LiveEventLog.NewEvent(artifact, type, mark.name(), data))) {
            LOG.error("dropped a {} event of artifact {}: {} events are waiting for the database", type, artifact, QUEUE_CAPACITY);
        }
    }

    /** The publisher thread: appends what has queued, in order, a batch per transaction. */
    private void publishQueued() {
        List<LiveEventLog.NewEvent> batch = new ArrayList<>(BATCH);
        while (!closed) {
            try {
                LiveEventLog.NewEvent first = queue.poll(250, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
            } catch (InterruptedException e) {
                return;
            }
            queue.drainTo(batch, BATCH - 1);
            append(List.copyOf(batch));
            batch.clear();
        }
    }

    private void append(List<LiveEventLog.NewEvent> events) {
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            try {
                log.append(events);
                return;
            } catch (StorageException e) {
                if (attempt == ATTEMPTS) {
                    LOG.error("dropped {} live events after {} attempts to append them", events.size(), ATTEMPTS, e);
                    return;
                }
                LOG.warn("appending {} live events failed (attempt {} of {}); trying again", events.size(), attempt, ATTEMPTS, e);
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100L * attempt));
            }
        }
    }

    @Override
    public Subscription subscribe(ArtifactId artifact, OptionalLong lastEventId, Runnable onEvents) {
        if (lastEventId.isEmpty() || lastEventId.getAsLong() <= 0) {
            return local.subscribe(artifact, lastEventId, onEvents);
        }
        long last = lastEventId.getAsLong();
        awaitDelivered(last);
        Subscription buffered = local.subscribe(artifact, lastEventId, onEvents);
        if (buffered.start().kind() != Start.Kind.RESET_EVENTS_DROPPED) {
            return buffered;
        }
        for (int attempt = 0; attempt < RESUME_ATTEMPTS; attempt++) {
            Optional<Subscription> resumed = resumeFromLog(artifact, last, onEvents);
            if (resumed.isPresent()) {
                buffered.close();
                return resumed.get();
            }
        }
        return buffered;
    }

    /**
     * Waits, briefly, until the listener has delivered {@code id} if the database has handed it
     * out: a client may resume here with the id of an event another node's viewer saw a moment
     * before this node heard of it.
     */
    private void awaitDelivered(long id) {
        if (id <= local.lastId() || id > log.lastId()) {
            return;
        }
        long deadline = System.nanoTime() + CATCH_UP.toNanos();
        while (local.lastId() < id && System.nanoTime() < deadline) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2));
        }
    }

    /**
     * The artifact's events after {@code last} from the log's table, then its buffer's after the
     * last of those; empty if the table no longer holds {@code last} (so maybe not all after it
     * either), holds more than a buffer's worth after it, or the buffer changed meanwhile.
     */
    private Optional<Subscription> resumeFromLog(ArtifactId artifact, long last, Runnable onEvents) {
        // Anchored first: whatever the buffer misses was delivered before, so committed before the read.
        MemoryEventHub.Anchor anchor = local.anchor(artifact);
        List<LiveEventLog.Entry> since = log.since(artifact, last, maxBackfill + 2);
        if (since.isEmpty() || since.getFirst().id() != last || since.size() > maxBackfill + 1) {
            return Optional.empty();
        }
        List<ArtifactEvent> backlog = since.subList(1, since.size()).stream()
                .map(entry -> new ArtifactEvent(entry.id(), entry.type(), entry.data())).toList();
        return local.resumeAfter(anchor, since.getLast().id(), onEvents).map(rest -> new Backfilled(last, backlog, rest));
    }

    private void prune() {
        try {
            int deleted = log.prune(Instant.ofEpochMilli(clock.millis()).minus(RETENTION));
            if (deleted > 0) {
                LOG.debug("pruned {} live events older than {} minutes", deleted, RETENTION_MINUTES);
            }
        } catch (StorageException e) {
            LOG.warn("pruning live events failed; trying again in a minute", e);
        }
    }

    @Override
    public void close() {
        closed = true;
        pruner.cancel(false);
        publisher.interrupt();
        try {
            publisher.join(1_000);
            listener.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.warn("stopping the live event listener failed", e);
        }
        local.close();
    }

    /** Events read from the log's table, then a buffer's subscription. */
    private static final class Backfilled implements Subscription {
        private final Start start;
        private final List<ArtifactEvent> backlog;
        private final Subscription rest;
        private int next;

        Backfilled(long last, List<ArtifactEvent> backlog, Subscription rest) {
            this.start = new Start(last, Start.Kind.RESUMED);
            this.backlog = backlog;
            this.rest = rest;
        }

        @Override
        public Start start() {
            return start;
        }

        @Override
        public synchronized List<ArtifactEvent> poll(int max) {
            if (next < backlog.size()) {
                int end = Math.min(backlog.size(), next + max);
                List<ArtifactEvent> events = List.copyOf(backlog.subList(next, end));
                next = end;
                return events;
            }
            return rest.poll(max);
        }

        @Override
        public boolean fellBehind() {
            return rest.fellBehind();
        }

        @Override
        public void close() {
            rest.close();
        }
    }
}

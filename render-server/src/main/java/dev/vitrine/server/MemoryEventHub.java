package dev.vitrine.server;

import dev.vitrine.storage.ArtifactId;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The {@link EventHub} of one process: per artifact, a ring buffer of its newest events (at most
 * {@code event-buffer} events and {@code event-buffer-size} of data) and a cursor per subscriber
 * into it. The ring is the subscribers' queue: a subscriber costs a cursor, not a copy of each
 * event, and one whose cursor trails the newest event by more than {@code event-max-lag} (or
 * whose next event has left the ring) is cut off, while the events it missed are still held
 * for it to resume from.
 *
 * <p>Ids are one counter for all artifacts, so an artifact's ids grow but skip. The counter
 * starts at the start time in microseconds: a process gives out ids above every id an earlier
 * process gave out, unless that one averaged more than 1000 events a millisecond over its whole
 * life, and a client reconnecting after a restart with an id from the old process is told to
 * reload ({@link EventHub.Start.Kind#RESET_EVENTS_DROPPED}) instead of being handed the new
 * process's events as if they followed its own. Ids stay below 2^53, so JavaScript reads them
 * exactly, until the 23rd century.
 *
 * <p>An artifact's buffer is dropped after {@value #IDLE_MINUTES} minutes without subscribers
 * and events, and, when all buffers together hold more than {@value #TOTAL_BUFFERS} full
 * buffers' worth, the least recently used buffers without subscribers are dropped first.
 * A client that resumes from a dropped buffer is told to reload.
 */
final class MemoryEventHub implements EventHub {
    static final int IDLE_MINUTES = 5;
    private static final Duration IDLE_RETENTION = Duration.ofMinutes(IDLE_MINUTES);
    private static final int TOTAL_BUFFERS = 32;

    private final ConcurrentHashMap<ArtifactId, Channel> channels = new ConcurrentHashMap<>();
    private final AtomicLong lastId;
    private final int maxEvents;
    private final long maxBytes;
    private final long maxLag;
    private final Clock clock;
    private final ScheduledFuture<?> sweeper;

    MemoryEventHub(StreamSettings settings, Clock clock, ScheduledExecutorService scheduler) {
        this(settings, clock, scheduler, Math.multiplyExact(clock.millis(), 1000L));
    }

    /**
     * A hub whose ids so far end at {@code lastId}: for {@link SharedEventHub}, which
     * {@link #deliver delivers} events with the ids its database gave them instead of publishing.
     */
    MemoryEventHub(StreamSettings settings, Clock clock, ScheduledExecutorService scheduler, long lastId) {
        this.maxEvents = settings.bufferEvents();
        this.maxBytes = settings.bufferSize().bytes();
        this.maxLag = settings.maxLag().bytes();
        this.clock = clock;
        this.lastId = new AtomicLong(lastId);
        this.sweeper = scheduler.scheduleWithFixedDelay(this::sweep, 1, 1, TimeUnit.MINUTES);
    }

    @Override
    public void publish(ArtifactId artifact, String type, String data, Mark mark) {
        append(artifact, type, data, mark);
    }

    /** Publishes the event and returns it with the id it was given. */
    ArtifactEvent append(ArtifactId artifact, String type, String data, Mark mark) {
        while (true) {
            Channel channel = channels.computeIfAbsent(artifact, Channel::new);
            ArtifactEvent event;
            List<Cursor> toWake;
            synchronized (channel) {
                if (channel.retired) {
                    continue;
                }
                event = new ArtifactEvent(lastId.incrementAndGet(), type, data);
                toWake = channel.append(event, mark);
            }
            toWake.forEach(cursor -> cursor.onEvents.run());
            return event;
        }
    }

    /**
     * Adds an event that already has its id, as {@link #publish} would have: the id must be
     * larger than the artifact's events' so far. Ids of different artifacts may come in any order.
     */
    void deliver(ArtifactId artifact, ArtifactEvent event, Mark mark) {
        while (true) {
            Channel channel = channels.computeIfAbsent(artifact, Channel::new);
            List<Cursor> toWake;
            synchronized (channel) {
                if (channel.retired) {
                    continue;
                }
                lastId.accumulateAndGet(event.id(), Math::max);
                toWake = channel.append(event, mark);
            }
            toWake.forEach(cursor -> cursor.onEvents.run());
            return;
        }
    }

    /** The largest id given out or delivered so far. */
    long lastId() {
        return lastId.get();
    }

    /**
     * The artifact's buffer, created if missing, for {@link #resumeAfter}: every event of the
     * artifact delivered from now on is in it or counted as evicted.
     */
    Anchor anchor(ArtifactId artifact) {
        while (true) {
            Channel channel = channels.computeIfAbsent(artifact, Channel::new);
            synchronized (channel) {
                if (!channel.retired) {
                    channel.lastActivity = clock.millis();
                    return new Anchor(channel);
                }
            }
        }
    }

    /** A buffer held on to across a look-up elsewhere; see {@link #anchor}. */
    static final class Anchor {
        private final Channel channel;

        private Anchor(Channel channel) {
            this.channel = channel;
        }
    }

    /**
     * Subscribes after {@code id} to the anchored buffer, for a caller that holds, from elsewhere,
     * every event of the artifact up to {@code id} that was delivered before the anchor was taken.
     * Empty if the buffer has since been dropped or has evicted an event after {@code id}.
     */
    Optional<Subscription> resumeAfter(Anchor anchor, long id, Runnable onEvents) {
        Channel channel = anchor.channel;
        synchronized (channel) {
            if (channel.retired || channel.lastEvicted > id) {
                return Optional.empty();
            }
            Cursor cursor = new Cursor(channel, channel.ring.firstAfter(id), new Start(id, Start.Kind.RESUMED), onEvents);
            channel.cursors.add(cursor);
            return Optional.of(cursor);
        }
    }

    /**
     * Drops every buffer and cuts every subscriber off, so each resumes afresh, and raises the
     * last id to at least {@code atLeast}: for a hub that may have missed deliveries.
     */
    void dropAll(long atLeast) {
        lastId.accumulateAndGet(atLeast, Math::max);
        for (Channel channel : channels.values()) {
            List<Cursor> cut;
            synchronized (channel) {
                channel.retire();
                cut = new ArrayList<>(channel.cursors);
                channel.cursors.clear();
                cut.forEach(cursor -> cursor.fellBehind = true);
            }
            cut.forEach(cursor -> cursor.onEvents.run());
        }
    }

    @Override
    public Subscription subscribe(ArtifactId artifact, OptionalLong lastEventId, Runnable onEvents) {
        while (true) {
            Channel channel = channels.computeIfAbsent(artifact, Channel::new);
            synchronized (channel) {
                if (channel.retired) {
                    continue;
                }
                return channel.subscribe(lastEventId, onEvents);
            }
        }
    }

    /** Drops idle buffers, and the least recently used ones without subscribers while all hold too much. */
    void sweep() {
        long now = clock.millis();
        long held = 0;
        List<Channel> unwatched = new ArrayList<>();
        for (Channel channel : channels.values()) {
            synchronized (channel) {
                if (channel.cursors.isEmpty() && now - channel.lastActivity >= IDLE_RETENTION.toMillis()) {
                    channel.retire();
                    continue;
                }
                held += channel.heldBytes;
                if (channel.cursors.isEmpty()) {
                    unwatched.add(channel);
                }
            }
        }
        long cap = maxBytes * TOTAL_BUFFERS;
        unwatched.sort(Comparator.comparingLong(channel -> channel.lastActivity));
        for (Channel channel : unwatched) {
            if (held <= cap) {
                return;
            }
            synchronized (channel) {
                if (channel.cursors.isEmpty() && !channel.retired) {
                    held -= channel.heldBytes;
                    channel.retire();
                }
            }
        }
    }

    /** Artifacts whose events are held now; for tests. */
    int channelCount() {
        return channels.size();
    }

    @Override
    public void close() {
        sweeper.cancel(false);
        channels.clear();
    }

    /** One artifact's buffer and subscribers; every field is guarded by the channel's monitor. */
    private final class Channel {
        final ArtifactId artifact;
        final Ring ring = new Ring();
        final List<Cursor> cursors = new ArrayList<>();
        /** Every event of the artifact published while this channel exists has a larger id. */
        final long floor;
        /** The id of the last event evicted from the ring (an artifact's ids grow), 0 while none has been. */
        long lastEvicted;
        long lastPublished;
        long totalBytes;
        long heldBytes;
        long streamStart = -1;
        long lastActivity;
        boolean retired;

        Channel(ArtifactId artifact) {
            this.artifact = artifact;
            this.floor = lastId.get();
            this.lastPublished = floor;
            this.lastActivity = clock.millis();
        }

        /** Adds an event, evicts what no longer fits, cuts off subscribers too far behind; returns whom to wake. */
        List<Cursor> append(ArtifactEvent event, Mark mark) {
            long seq = ring.end();
            ring.add(new Entry(event, totalBytes));
            totalBytes += event.weight();
            heldBytes += event.weight();
            lastPublished = event.id();
            lastActivity = clock.millis();
            if (mark == Mark.STREAM_START) {
                streamStart = seq;
            } else if (mark == Mark.STREAM_END) {
                streamStart = -1;
            }
            // The newest event always stays, even one larger than the whole buffer.
            while (ring.size() > 1 && (ring.size() > maxEvents || heldBytes > maxBytes)) {
                Entry evicted = ring.removeFirst();
                heldBytes -= evicted.event().weight();
                lastEvicted = evicted.event().id();
                if (streamStart >= 0 && streamStart < ring.first()) {
                    streamStart = -1;
                }
            }
            // Lag counts what is older than this event: one event larger than the limit cuts nobody off.
            long beforeNewest = totalBytes - event.weight();
            List<Cursor> toWake = new ArrayList<>(cursors);
            cursors.removeIf(cursor -> {
                if (cursor.next < ring.first() || beforeNewest - bytesBefore(cursor.next) > maxLag) {
                    cursor.fellBehind = true;
                    return true;
                }
                return false;
            });
            return toWake;
        }

        Cursor subscribe(OptionalLong lastEventId, Runnable onEvents) {
            lastActivity = clock.millis();
            Start.Kind kind = Start.Kind.FRESH;
            if (lastEventId.isPresent()) {
                long last = lastEventId.getAsLong();
                if (last > lastId.get() || last < 0) {
                    kind = Start.Kind.RESET_UNKNOWN_ID;
                } else if (last < Math.max(floor, lastEvicted)) {
                    // Events after it came before this channel, or left the ring.
                    kind = Start.Kind.RESET_EVENTS_DROPPED;
                } else {
                    Cursor cursor = new Cursor(this, ring.firstAfter(last), new Start(last, Start.Kind.RESUMED), onEvents);
                    cursors.add(cursor);
                    return cursor;
                }
            }
            // Someone arriving during a stream gets it from its start, so the text adds up.
            long next = streamStart >= 0 ? streamStart : ring.end();
            long position = next < ring.end() ? ring.at(next).event().id() - 1 : lastPublished;
            Cursor cursor = new Cursor(this, next, new Start(position, kind), onEvents);
            cursors.add(cursor);
            return cursor;
        }

        long bytesBefore(long seq) {
            return seq < ring.end() ? ring.at(seq).bytesBefore() : totalBytes;
        }

        void retire() {
            retired = true;
            channels.remove(artifact, this);
        }
    }

    private record Entry(ArtifactEvent event, long bytesBefore) {
    }

    /**
     * A subscriber's place in its channel: the sequence number (0 for the channel's first event)
     * of the next event it takes. Guarded by the channel's monitor.
     */
    private final class Cursor implements Subscription {
        final Channel channel;
        final Start start;
        final Runnable onEvents;
        long next;
        boolean fellBehind;
        boolean closed;

        Cursor(Channel channel, long next, Start start, Runnable onEvents) {
            this.channel = channel;
            this.next = next;
            this.start = start;
            this.onEvents = onEvents;
        }

        @Override
        public Start start() {
            return start;
        }

        @Override
        public List<ArtifactEvent> poll(int max) {
            synchronized (channel) {
                if (closed || fellBehind) {
                    return List.of();
                }
                if (next < channel.ring.first()) {
                    fellBehind = true;
                    channel.cursors.remove(this);
                    return List.of();
                }
                int count = (int) Math.min(max, channel.ring.end() - next);
                List<ArtifactEvent> events = new ArrayList<>(count);
                for (int i = 0; i < count; i++) {
                    events.add(channel.ring.at(next++).event());
                }
                return events;
            }
        }

        @Override
        public boolean fellBehind() {
            synchronized (channel) {
                return fellBehind;
            }
        }

        @Override
        public void close() {
            synchronized (channel) {
                if (!closed) {
                    closed = true;
                    channel.cursors.remove(this);
                    channel.lastActivity = clock.millis();
                }
            }
        }
    }

    /** A growable circular array of entries, addressed by sequence number. */
    private static final class Ring {
        private Entry[] slots = new Entry[16];
        private int head;
        private int size;
        private long first;

        long first() {
            return first;
        }

        long end() {
            return first + size;
        }

        int size() {
            return size;
        }

        Entry at(long seq) {
            return slots[(int) ((head + (seq - first)) & (slots.length - 1))];
        }

        void add(Entry entry) {
            if (size == slots.length) {
                Entry[] bigger = new Entry[slots.length * 2];
                for (int i = 0; i < size; i++) {
                    bigger[i] = slots[(head + i) & (slots.length - 1)];
                }
                slots = bigger;
                head = 0;
            }
            slots[(head + size) & (slots.length - 1)] = entry;
            size++;
        }

        Entry removeFirst() {
            Entry entry = slots[head];
            slots[head] = null;
            head = (head + 1) & (slots.length - 1);
            size--;
            first++;
            return entry;
        }

        /** The sequence number of the first entry whose event id is above {@code id}. */
        long firstAfter(long id) {
            int low = 0;
            int high = size;
            while (low < high) {
                int middle = (low + high) >>> 1;
                if (at(first + middle).event().id() <= id) {
                    low = middle + 1;
                } else {
                    high = middle;
                }
            }
            return first + low;
        }
    }
}

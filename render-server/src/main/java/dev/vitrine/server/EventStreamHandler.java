package dev.vitrine.server;

import dev.vitrine.storage.ArtifactId;
import dev.vitrine.storage.ArtifactStore;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Deque;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.xnio.IoUtils;
import org.xnio.XnioExecutor;
import org.xnio.XnioIoThread;
import org.xnio.channels.StreamSinkChannel;

/**
 * {@code GET /v1/artifacts/{id}/events}: an artifact's {@link ArtifactEvents} as Server-Sent
 * Events, with ids. A client resumes with {@code Last-Event-ID} (which {@code EventSource} sends
 * by itself when it reconnects) or, on its first connection, {@code ?lastEventId=}; the header
 * wins, being the newer. Every connection begins with {@code subscribed} or {@code reset}
 * ({@link EventHub.Start}), and gets a comment line every {@code event-heartbeat}, which keeps
 * idle connections open through proxies and finds clients that went away.
 *
 * <p>Each connection is written by its own I/O thread, so a publisher's wake-up only schedules
 * work there and the connections' writes spread over all I/O threads. A connection takes from
 * the hub everything waiting for it, at most {@value #WINDOW} events, and writes them in one
 * gathering write of the events' shared {@linkplain ArtifactEvent#frame() frames}; it takes more
 * only once the socket took all of them. A connection whose client stops reading therefore falls
 * behind until the hub cuts it off, and this handler then closes its socket at once (a graceful
 * close would wait for the client to read). Nothing a slow client does reaches the stream's
 * producer or other subscribers.
 */
final class EventStreamHandler implements HttpHandler {
    /** Events taken from the hub and not yet written to the socket, at most. */
    static final int WINDOW = 64;
    static final String LAST_EVENT_ID_PARAMETER = "lastEventId";
    private static final HttpString LAST_EVENT_ID = new HttpString("Last-Event-ID");
    private static final HttpString X_ACCEL_BUFFERING = new HttpString("X-Accel-Buffering");
    private static final ByteBuffer HEARTBEAT = ByteBuffer.wrap(":\n".getBytes(StandardCharsets.US_ASCII)).asReadOnlyBuffer();

    private final ArtifactStore store;
    private final ArtifactEvents events;
    private final Duration heartbeat;
    private final HttpHandler onWorker;

    EventStreamHandler(ArtifactStore store, ArtifactEvents events, Duration heartbeat, JsonCodec json) {
        this.store = store;
        this.events = events;
        this.heartbeat = heartbeat;
        this.onWorker = new ErrorHandler(json, this::admit);
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) {
        // Admitting reads the database: never on the I/O thread.
        exchange.dispatch(onWorker);
    }

    private void admit(HttpServerExchange exchange) throws Exception {
        ArtifactId id = ArtifactApi.id(exchange);
        store.find(id).orElseThrow(() -> ApiException.notFound("no artifact with this id"));
        Subscriber subscriber = new Subscriber(exchange, id, lastEventId(exchange));
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/event-stream; charset=UTF-8");
        // Proxies that buffer responses (nginx) would hold events back.
        exchange.getResponseHeaders().put(X_ACCEL_BUFFERING, "no");
        // The stream ends only with the connection, which no other request can then use.
        exchange.setPersistent(false);
        exchange.dispatch(subscriber.ioThread, subscriber::start);
    }

    /**
     * The id to resume after: the header, else the query parameter; absent if neither is sent.
     * An id that is not a number is answered with {@code reset}, like an unknown one.
     */
    private static OptionalLong lastEventId(HttpServerExchange exchange) {
        String raw = exchange.getRequestHeaders().getFirst(LAST_EVENT_ID);
        if (raw == null) {
            Deque<String> fromQuery = exchange.getQueryParameters().get(LAST_EVENT_ID_PARAMETER);
            raw = fromQuery == null ? null : fromQuery.getFirst();
        }
        if (raw == null || raw.isBlank()) {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(Long.parseLong(raw.strip()));
        } catch (NumberFormatException e) {
            return OptionalLong.of(-1);
        }
    }

    /**
     * One connection's side of a subscription: moves events from the hub to the socket. Every
     * method but {@link #wake} and {@link #stop} runs on the connection's I/O thread.
     */
    private final class Subscriber {
        private final HttpServerExchange exchange;
        private final ArtifactId artifact;
        private final OptionalLong lastEventId;
        private final XnioIoThread ioThread;
        /** Frames taken from the hub and not yet fully written, in order, from {@link #next} on. */
        private final ByteBuffer[] pending = new ByteBuffer[WINDOW];
        private final AtomicBoolean woken = new AtomicBoolean();
        private final Runnable onWake = this::woken;
        private int next;
        private int end;
        private StreamSinkChannel channel;
        private volatile EventHub.Subscription subscription;
        private volatile XnioExecutor.Key heartbeats;
        private volatile boolean stopped;

        Subscriber(HttpServerExchange exchange, ArtifactId artifact, OptionalLong lastEventId) {
            this.exchange = exchange;
            this.artifact = artifact;
            this.lastEventId = lastEventId;
            this.ioThread = exchange.getIoThread();
        }

        void start() {
            channel = exchange.getResponseChannel();
            channel.getWriteSetter().set(ignored -> {
                channel.suspendWrites();
                drain();
            });
            subscription = events.hub().subscribe(artifact, lastEventId, this::wake);
            heartbeats = ioThread.executeAtInterval(this::heartbeat, heartbeat.toMillis(), TimeUnit.MILLISECONDS);
            exchange.getConnection().addCloseListener(ignored -> stop());
            if (!exchange.getConnection().isOpen()) {
                stop(); // closed before the listener was added, which then never runs
                return;
            }
            // The first event, before anything the hub holds: where the client stands.
            pending[end++] = first(subscription.start()).frame();
            drain();
        }

        private ArtifactEvent first(EventHub.Start start) {
            String id = artifact.value();
            return switch (start.kind()) {
                case RESUMED -> new ArtifactEvent(ArtifactEvent.NO_ID, ArtifactEvents.SUBSCRIBED,
                        events.data(new ArtifactEvents.Subscribed(id, true)));
                case FRESH -> new ArtifactEvent(start.position(), ArtifactEvents.SUBSCRIBED,
                        events.data(new ArtifactEvents.Subscribed(id, false)));
                case RESET_EVENTS_DROPPED -> new ArtifactEvent(start.position(), ArtifactEvents.RESET,
                        events.data(new ArtifactEvents.Reset(id, "events_dropped")));
                case RESET_UNKNOWN_ID -> new ArtifactEvent(start.position(), ArtifactEvents.RESET,
                        events.data(new ArtifactEvents.Reset(id, "unknown_event_id")));
            };
        }

        /** Any thread: the hub may hold more for this connection; drains on the I/O thread, once for many calls. */
        private void wake() {
            if (!woken.getAndSet(true)) {
                ioThread.execute(onWake);
            }
        }

        private void woken() {
            woken.set(false);
            drain();
        }

        /** Writes what is pending, then takes and writes what the hub holds, until it holds nothing or the socket is full. */
        private void drain() {
            if (stopped) {
                return;
            }
            if (subscription.fellBehind()) {
                // Close the socket itself: a graceful close waits for a client that does not read.
                IoUtils.safeClose(exchange.getConnection());
                return;
            }
            try {
                while (true) {
                    if (!write()) {
                        channel.resumeWrites();
                        return;
                    }
                    List<ArtifactEvent> taken = subscription.poll(WINDOW);
                    if (taken.isEmpty()) {
                        return;
                    }
                    next = 0;
                    end = 0;
                    for (ArtifactEvent event : taken) {
                        pending[end++] = event.frame();
                    }
                }
            } catch (IOException e) {
                IoUtils.safeClose(exchange.getConnection());
            }
        }

        /** Writes the pending frames as far as the socket takes them; true if it took all. */
        private boolean write() throws IOException {
            while (next < end) {
                if (channel.write(pending, next, end - next) == 0) {
                    return false;
                }
                while (next < end && !pending[next].hasRemaining()) {
                    pending[next++] = null;
                }
            }
            return channel.flush();
        }

        /** A comment line, unless frames are still waiting for the socket (then it is not idle). */
        private void heartbeat() {
            if (next == end) {
                next = 0;
                end = 0;
                pending[end++] = HEARTBEAT.duplicate();
                drain();
            }
        }

        /** Any thread: the connection closed. */
        private void stop() {
            stopped = true;
            if (subscription != null) {
                subscription.close();
            }
            if (heartbeats != null) {
                heartbeats.remove();
            }
        }
    }
}

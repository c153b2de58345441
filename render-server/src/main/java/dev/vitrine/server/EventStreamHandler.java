package dev.vitrine.server;

import dev.vitrine.storage.ArtifactId;
import dev.vitrine.storage.ArtifactStore;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.ServerConnection;
import io.undertow.server.handlers.sse.ServerSentEventConnection;
import io.undertow.server.handlers.sse.ServerSentEventHandler;
import io.undertow.util.AttachmentKey;
import io.undertow.util.HttpString;
import java.io.IOException;
import java.time.Duration;
import java.util.Deque;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicInteger;
import org.xnio.IoUtils;

/**
 * {@code GET /v1/artifacts/{id}/events}: an artifact's {@link ArtifactEvents} as Server-Sent
 * Events, with ids. A client resumes with {@code Last-Event-ID} (which {@code EventSource} sends
 * by itself when it reconnects) or, on its first connection, {@code ?lastEventId=}; the header
 * wins, being the newer. Every connection begins with {@code subscribed} or {@code reset}
 * ({@link EventHub.Start}), and idle connections get a comment line every {@code event-heartbeat}.
 *
 * <p>Each connection takes events from the hub at its own pace, at most {@value #WINDOW} handed
 * to Undertow and not yet written at a time; a connection whose client stops reading falls
 * behind until the hub cuts it off, and this handler then closes its socket at once (a
 * graceful close would wait for the client to read). Nothing a slow client does reaches the
 * stream's producer or other subscribers.
 */
final class EventStreamHandler implements HttpHandler {
    /** Events handed to a connection and not yet written to its socket. */
    static final int WINDOW = 64;
    static final String LAST_EVENT_ID_PARAMETER = "lastEventId";
    private static final HttpString LAST_EVENT_ID = new HttpString("Last-Event-ID");
    private static final AttachmentKey<Request> REQUEST = AttachmentKey.create(Request.class);

    /** What the request asked for, carried from admission to the SSE connection. */
    private record Request(ArtifactId artifact, OptionalLong lastEventId, ServerConnection socket) {
    }

    private final ArtifactStore store;
    private final ArtifactEvents events;
    private final Duration heartbeat;
    private final HttpHandler onWorker;
    private final ServerSentEventHandler sse = new ServerSentEventHandler(this::connected);

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
        exchange.putAttachment(REQUEST, new Request(id, lastEventId(exchange), exchange.getConnection()));
        // Proxies that buffer responses (nginx) would hold events back.
        exchange.getResponseHeaders().put(new HttpString("X-Accel-Buffering"), "no");
        sse.handleRequest(exchange);
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

    private void connected(ServerSentEventConnection connection, String ignoredLastEventId) {
        Request request = connection.getAttachment(REQUEST);
        new Subscriber(connection, request).start();
    }

    /** One connection's side of a subscription: moves events from the hub into the connection. */
    private final class Subscriber implements ServerSentEventConnection.EventCallback {
        private final ServerSentEventConnection connection;
        private final Request request;
        private final AtomicInteger inFlight = new AtomicInteger();
        /** Drain requests not yet served; only the thread that raised it from 0 drains. */
        private final AtomicInteger drainRequests = new AtomicInteger();
        private volatile EventHub.Subscription subscription;
        /** Set once the first event (subscribed or reset) is queued: nothing may overtake it. */
        private volatile boolean started;

        Subscriber(ServerSentEventConnection connection, Request request) {
            this.connection = connection;
            this.request = request;
        }

        void start() {
            EventHub.Subscription subscription = events.hub().subscribe(request.artifact(), request.lastEventId(), this::drain);
            this.subscription = subscription;
            connection.addCloseTask(closed -> subscription.close());
            if (!connection.isOpen()) {
                subscription.close(); // closed before the task was added, which then never runs
                return;
            }
            EventHub.Start start = subscription.start();
            String artifact = request.artifact().value();
            switch (start.kind()) {
                case RESUMED -> send(new ArtifactEvent(ArtifactEvent.NO_ID, ArtifactEvents.SUBSCRIBED,
                        events.data(new ArtifactEvents.Subscribed(artifact, true))));
                case FRESH -> send(new ArtifactEvent(start.position(), ArtifactEvents.SUBSCRIBED,
                        events.data(new ArtifactEvents.Subscribed(artifact, false))));
                case RESET_EVENTS_DROPPED -> send(new ArtifactEvent(start.position(), ArtifactEvents.RESET,
                        events.data(new ArtifactEvents.Reset(artifact, "events_dropped"))));
                case RESET_UNKNOWN_ID -> send(new ArtifactEvent(start.position(), ArtifactEvents.RESET,
                        events.data(new ArtifactEvents.Reset(artifact, "unknown_event_id"))));
            }
            connection.setKeepAliveTime(heartbeat.toMillis());
            started = true;
            drain();
        }

        /** Any thread: hands the connection what the hub holds for it, up to the window. */
        void drain() {
            if (drainRequests.getAndIncrement() != 0) {
                return;
            }
            int missed = 1;
            do {
                drainOnce();
                missed = drainRequests.addAndGet(-missed);
            } while (missed != 0);
        }

        private void drainOnce() {
            if (!started || !connection.isOpen()) {
                return;
            }
            if (subscription.fellBehind()) {
                // Close the socket itself: a graceful close waits for a client that does not read.
                IoUtils.safeClose(request.socket());
                return;
            }
            int room = WINDOW - inFlight.get();
            if (room > 0) {
                subscription.poll(room).forEach(this::send);
            }
        }

        private void send(ArtifactEvent event) {
            inFlight.incrementAndGet();
            connection.send(event.data(), event.type(), event.id() == ArtifactEvent.NO_ID ? null : Long.toString(event.id()), this);
        }

        @Override
        public void done(ServerSentEventConnection connection, String data, String event, String id) {
            inFlight.decrementAndGet();
            drain();
        }

        @Override
        public void failed(ServerSentEventConnection connection, String data, String event, String id, IOException e) {
            inFlight.decrementAndGet();
            IoUtils.safeClose(connection);
        }
    }
}

package dev.vitrine.server;

import io.undertow.server.HttpServerExchange;
import io.undertow.server.RoutingHandler;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.IoUtils;

/**
 * {@code POST /v1/demo/replay} {@code {speed?}}: plays the bundled {@link DemoTranscript} as a
 * model backend would ({@link DemoReplay} through {@link DemoBackend}) and answers with the
 * conversation as it is written, one JSON line each ({@code application/x-ndjson}), so the chat
 * page shows the messages while it watches the artifacts stream into its frame.
 *
 * <p>A replay lasts as long as its pace says (about half a minute at speed 1), so it runs on a
 * thread of its own rather than holding one of the workers the rest of the API needs; at most
 * {@value #MAX_REPLAYS} run on a node at once, and more answer {@code 503 too_many_replays}. A
 * replay stops when its client disconnects: the next line it writes fails, or the connection's
 * close interrupts it, and a stream it was writing is abandoned (kept as a partial).
 */
final class DemoApi {
    static final int MAX_REPLAYS = 4;
    static final int MAX_SPEED = 100;
    static final int RETRY_AFTER_SECONDS = 10;
    private static final Logger LOG = LoggerFactory.getLogger(DemoApi.class);

    /** Body of {@code POST /v1/demo/replay}; {@code speed} defaults to 1, the pace of a fast model. */
    record ReplayRequest(Double speed) {
    }

    private final DemoTranscript transcript;
    private final URI listenUrl;
    private final String apiKey;
    private final JsonCodec json;
    private final Semaphore replays = new Semaphore(MAX_REPLAYS);

    /** @param listenUrl where this server's app listener is reachable, for the replay's own API calls */
    DemoApi(DemoTranscript transcript, URI listenUrl, String apiKey, JsonCodec json) {
        this.transcript = transcript;
        this.listenUrl = listenUrl;
        this.apiKey = apiKey;
        this.json = json;
    }

    /** Adds the route, relative to {@code /v1}; the caller mounts it there behind the API key. */
    void addRoutes(RoutingHandler routes) {
        routes.post("/demo/replay", this::replay);
    }

    private void replay(HttpServerExchange exchange) {
        double speed = speed(json.read(exchange, ReplayRequest.class).speed());
        if (!replays.tryAcquire()) {
            exchange.getResponseHeaders().put(Headers.RETRY_AFTER, RETRY_AFTER_SECONDS);
            throw new ApiException(503, "too_many_replays", "this server plays " + MAX_REPLAYS
                    + " demos already; retry in " + RETRY_AFTER_SECONDS + " seconds");
        }
        try {
            exchange.dispatch(task -> Thread.ofPlatform().daemon().name("vitrine-demo-replay").start(task),
                    new ErrorHandler(json, replaying -> play(replaying, speed)));
        } catch (RuntimeException e) {
            replays.release();
            throw e;
        }
    }

    private void play(HttpServerExchange exchange, double speed) {
        Thread player = Thread.currentThread();
        AtomicBoolean playing = new AtomicBoolean(true);
        exchange.getConnection().addCloseListener(connection -> {
            if (playing.get()) {
                player.interrupt();
            }
        });
        // The close listener stays on the connection: one replay per connection keeps them from piling up.
        exchange.setPersistent(false);
        exchange.setStatusCode(200);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/x-ndjson; charset=utf-8");
        // Proxies that buffer responses (nginx) would hold the conversation back.
        exchange.getResponseHeaders().put(new HttpString("X-Accel-Buffering"), "no");
        try (DemoBackend backend = new DemoBackend(listenUrl, apiKey)) {
            OutputStream out = exchange.getOutputStream();
            new DemoReplay(transcript, backend, Thread::sleep, speed).play(line -> {
                out.write(json.write(line));
                out.write('\n');
                out.flush();
            });
        } catch (IOException | InterruptedException e) {
            LOG.debug("demo replay stopped: its client disconnected or the server is stopping", e);
            // Nobody reads the rest; ending the response normally would write to a dead socket.
            IoUtils.safeClose(exchange.getConnection());
        } finally {
            playing.set(false);
            Thread.interrupted();
            replays.release();
        }
    }

    private static double speed(Double speed) {
        if (speed == null) {
            return 1;
        }
        if (!(speed >= 1 && speed <= MAX_SPEED)) {
            throw ApiException.badRequest("invalid_field", "field 'speed' must be a number from 1 to " + MAX_SPEED
                    + " (times the pace of a fast model); it is " + speed);
        }
        return speed;
    }
}

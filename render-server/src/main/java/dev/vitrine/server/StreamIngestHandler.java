package dev.vitrine.server;

import dev.vitrine.frame.FrameRenderer;
import dev.vitrine.storage.Artifact;
import dev.vitrine.storage.ArtifactId;
import dev.vitrine.storage.ArtifactStore;
import dev.vitrine.storage.PartialVersionStore;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import java.net.URI;
import java.time.Clock;
import java.util.Deque;
import java.util.OptionalInt;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;

/**
 * {@code POST /v1/artifacts/{id}/stream}: the model's output for the artifact's next version,
 * as it is written. This handler admits a stream (content type, declared size, the artifact, a
 * {@link StreamSlots slot}); a {@link StreamSession} then reads it.
 *
 * <p>The route runs outside the app origin's {@code BlockingHandler}: a stream lasts as long as
 * the model writes, and a blocking read would hold one of Undertow's worker threads (16 on two
 * cores) for all that time, so 16 slow streams would stall the whole API. The session reads
 * the body with non-blocking reads on the connection's I/O thread instead, and uses a worker
 * only for the short steps: admitting here, and the final check and write at the end.
 */
final class StreamIngestHandler implements HttpHandler {

    /** What a stream needs from the rest of the server. */
    record Services(ArtifactStore store, PartialVersionStore partials, FrameRenderer renderer, ArtifactEvents events, StreamDrafts drafts,
                    JsonCodec json, DataSize maxBodySize, StreamSettings settings, URI sandboxOrigin, ScheduledExecutorService timers,
                    Executor checks, Clock clock) {
    }

    private final Services services;
    private final StreamSlots slots;
    private final HttpHandler onWorker;

    StreamIngestHandler(Services services) {
        this.services = services;
        this.slots = new StreamSlots(services.settings().maxStreams());
        this.onWorker = new ErrorHandler(services.json(), this::admit);
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) {
        // Admitting reads the database: never on the I/O thread.
        exchange.dispatch(onWorker);
    }

    static final String BASE_VERSION = "baseVersion";

    private void admit(HttpServerExchange exchange) {
        StreamBody body = StreamBody.forContentType(exchange.getRequestHeaders().getFirst(Headers.CONTENT_TYPE), services.json());
        DataSize limit = services.maxBodySize();
        if (exchange.getRequestContentLength() > limit.bytes()) {
            throw ApiException.payloadTooLarge(limit);
        }
        ArtifactId id = ArtifactApi.id(exchange);
        OptionalInt baseVersion = baseVersion(exchange);
        Artifact artifact = services.store().find(id).orElseThrow(() -> ApiException.notFound("no artifact with this id"));
        if (baseVersion.isPresent() && baseVersion.getAsInt() != artifact.latestVersion()) {
            throw ArtifactApi.versionConflict(baseVersion.getAsInt(), artifact.latestVersion());
        }
        StreamSlots.Slot slot;
        try {
            slot = slots.acquire(id);
        } catch (ApiException e) {
            if (e.status() == 503) {
                exchange.getResponseHeaders().put(Headers.RETRY_AFTER, StreamSlots.RETRY_AFTER_SECONDS);
            }
            throw e;
        }
        try {
            new StreamSession(services, exchange, artifact, baseVersion, body, slot).start();
        } catch (RuntimeException e) {
            slot.close();
            throw e;
        }
    }

    /**
     * {@code ?baseVersion=N}: the version the stream rewrites. The stream is then stored only if
     * N is still the latest version when it ends, as {@code baseVersion} does for {@code POST /versions}.
     */
    private static OptionalInt baseVersion(HttpServerExchange exchange) {
        Deque<String> values = exchange.getQueryParameters().get(BASE_VERSION);
        if (values == null || values.isEmpty()) {
            return OptionalInt.empty();
        }
        String raw = values.getFirst();
        if (values.size() > 1 || !raw.matches("[1-9][0-9]{0,8}")) {
            throw ApiException.badRequest("invalid_parameter", "query parameter '" + BASE_VERSION
                    + "' must be given once, as a version number (1 or more)");
        }
        return OptionalInt.of(Integer.parseInt(raw));
    }
}

package dev.vitrine.server;

import dev.vitrine.storage.ArtifactStore;
import dev.vitrine.storage.PartialVersionStore;
import io.undertow.Handlers;
import io.undertow.server.HttpHandler;
import io.undertow.server.RoutingHandler;

/**
 * Streaming on the app origin: {@code POST /v1/artifacts/{id}/stream} ({@link StreamIngestHandler}),
 * {@code GET /v1/artifacts/{id}/events} ({@link EventStreamHandler}) and the partial versions
 * streams leave behind ({@link PartialVersionsApi}). The first two hold a connection open for as
 * long as a stream or a viewer lasts, so they run outside the blocking handler the rest of the
 * API uses (see {@link #routes}).
 */
final class StreamApi {
    static final String STREAM_PATH = "/v1/artifacts/{id}/stream";
    static final String EVENTS_PATH = "/v1/artifacts/{id}/events";

    private final StreamIngestHandler ingest;
    private final EventStreamHandler events;
    private final PartialVersionsApi partials;

    StreamApi(StreamIngestHandler.Services services, ArtifactStore artifacts, PartialVersionStore partials) {
        this.ingest = new StreamIngestHandler(services);
        this.events = new EventStreamHandler(artifacts, services.events(), services.settings().heartbeat(), services.json());
        this.partials = new PartialVersionsApi(artifacts, partials, services.json());
    }

    /** Adds the partial-version routes, relative to {@code /v1}, to the blocking API behind the API key. */
    void addRoutes(RoutingHandler backend) {
        partials.addRoutes(backend);
    }

    /**
     * The two long-lived routes, each behind the API key (the event stream also takes it as
     * {@code ?key=}, which {@code EventSource} needs), in front of {@code everythingElse}, which
     * serves every other request as before.
     */
    HttpHandler routes(String apiKey, JsonCodec json, HttpHandler everythingElse) {
        RoutingHandler live = Handlers.routing()
                .post(STREAM_PATH, new BearerAuthHandler(apiKey, ingest))
                .get(EVENTS_PATH, BearerAuthHandler.acceptingQueryKey(apiKey, events));
        live.setFallbackHandler(everythingElse);
        live.setInvalidMethodHandler(exchange -> {
            throw ApiException.methodNotAllowed();
        });
        return new ErrorHandler(json, live);
    }
}

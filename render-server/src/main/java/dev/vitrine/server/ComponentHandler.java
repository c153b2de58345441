package dev.vitrine.server;

import dev.vitrine.csp.HeaderSet;
import dev.vitrine.frame.FrameRenderer;
import dev.vitrine.storage.Artifact;
import dev.vitrine.storage.ArtifactId;
import dev.vitrine.storage.ArtifactStore;
import dev.vitrine.storage.ArtifactType;
import dev.vitrine.storage.ArtifactVersion;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.PathTemplateMatch;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Serves {@code /_vitrine/components/{id}/{version}.js}: a React version compiled to the ES
 * module its frame document imports, with the runtime resource header set (module scripts of
 * an opaque-origin frame load with CORS). Versions never change, but a deleted artifact must
 * stop answering, so the module is revalidated rather than cached for good.
 */
final class ComponentHandler implements HttpHandler {
    private final ArtifactStore store;
    private final FrameRenderer renderer;
    private final HeaderSet headers;

    ComponentHandler(ArtifactStore store, FrameRenderer renderer, HeaderSet headers) {
        this.store = store;
        this.renderer = renderer;
        this.headers = headers;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) {
        Map<String, String> parameters = exchange.getAttachment(PathTemplateMatch.ATTACHMENT_KEY).getParameters();
        String file = parameters.getOrDefault("file", "");
        ArtifactId id = FrameHandler.parseId(parameters.get("id")).orElseThrow(ComponentHandler::notFound);
        int number = file.endsWith(".js")
                ? FrameHandler.parseNumber(file.substring(0, file.length() - 3)).orElseThrow(ComponentHandler::notFound)
                : -1;
        Artifact artifact = store.find(id).filter(a -> a.type() == ArtifactType.REACT).orElseThrow(ComponentHandler::notFound);
        ArtifactVersion version = store.version(artifact.id(), number).orElseThrow(ComponentHandler::notFound);
        byte[] body = renderer.component(version).getBytes(StandardCharsets.UTF_8);
        DefaultHeadersHandler.apply(exchange, headers);
        exchange.getResponseHeaders().put(Headers.CACHE_CONTROL, "no-cache");
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/javascript; charset=utf-8");
        exchange.getResponseSender().send(ByteBuffer.wrap(body));
    }

    private static ApiException notFound() {
        return ApiException.notFound("no compiled component at this path");
    }
}

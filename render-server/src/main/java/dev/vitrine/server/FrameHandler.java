package dev.vitrine.server;

import dev.vitrine.frame.FrameDocument;
import dev.vitrine.frame.FrameRenderer;
import dev.vitrine.storage.Artifact;
import dev.vitrine.storage.ArtifactId;
import dev.vitrine.storage.ArtifactStore;
import dev.vitrine.storage.ArtifactVersion;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.PathTemplateMatch;
import java.nio.ByteBuffer;
import java.util.Optional;

/** Serves {@code /f/{id}/{version}}: an artifact version's document with the artifact header set. */
final class FrameHandler implements HttpHandler {
    private final ArtifactStore store;
    private final FrameRenderer renderer;

    FrameHandler(ArtifactStore store, FrameRenderer renderer) {
        this.store = store;
        this.renderer = renderer;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) {
        var parameters = exchange.getAttachment(PathTemplateMatch.ATTACHMENT_KEY).getParameters();
        Optional<ArtifactId> id = parseId(parameters.get("id"));
        Optional<Integer> number = parseNumber(parameters.get("version"));
        if (id.isEmpty() || number.isEmpty()) {
            throw ApiException.notFound("no artifact frame at this path");
        }
        Artifact artifact = store.find(id.get()).orElseThrow(() -> ApiException.notFound("no artifact frame at this path"));
        ArtifactVersion version = store.version(id.get(), number.get())
                .orElseThrow(() -> ApiException.notFound("no artifact frame at this path"));
        FrameDocument document = renderer.render(artifact.type(), version);
        DefaultHeadersHandler.apply(exchange, document.headers());
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/html; charset=utf-8");
        exchange.getResponseSender().send(ByteBuffer.wrap(document.body()));
    }

    static Optional<ArtifactId> parseId(String raw) {
        try {
            return Optional.of(ArtifactId.parse(raw));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    static Optional<Integer> parseNumber(String raw) {
        if (raw == null || raw.isEmpty() || raw.length() > 9 || !raw.chars().allMatch(Character::isDigit)) {
            return Optional.empty();
        }
        return Optional.of(Integer.parseInt(raw));
    }
}

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
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Serves {@code /f/{id}/{version}}: an artifact version's document with the artifact header set,
 * to frames only. Opened as a top-level page there is no embedding page whose {@code frame-src}
 * could stop the artifact navigating itself, with data in the URL, and CSP has no directive
 * for that; so a request whose fetch metadata says it is not for a frame gets an inert page
 * under the locked-down header set instead (a browser that sends no {@code Sec-Fetch-Dest} gets
 * the document: it cannot be told apart).
 */
final class FrameHandler implements HttpHandler {
    private final ArtifactStore store;
    private final FrameRenderer renderer;

    FrameHandler(ArtifactStore store, FrameRenderer renderer) {
        this.store = store;
        this.renderer = renderer;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) {
        if (refusedUnlessFramed(exchange)) {
            return;
        }
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

    private static final byte[] NOT_FRAMED = ("<!doctype html><html><head><meta charset=\"utf-8\"><title>Vitrine artifact</title></head>"
            + "<body><p>This artifact runs only inside the chat page that shows it.</p></body></html>").getBytes(StandardCharsets.UTF_8);

    /**
     * Answers 403 with an inert page, keeping the locked-down header set every sandbox response
     * starts with, when the request is not for a frame; returns whether it did.
     */
    static boolean refusedUnlessFramed(HttpServerExchange exchange) {
        String destination = exchange.getRequestHeaders().getFirst("Sec-Fetch-Dest");
        if (destination == null || destination.equals("iframe") || destination.equals("frame")) {
            return false;
        }
        exchange.setStatusCode(403);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/html; charset=utf-8");
        exchange.getResponseSender().send(ByteBuffer.wrap(NOT_FRAMED));
        return true;
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

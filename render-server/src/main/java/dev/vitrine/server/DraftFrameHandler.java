package dev.vitrine.server;

import dev.vitrine.frame.FrameDocument;
import dev.vitrine.frame.FrameRenderer;
import dev.vitrine.storage.ArtifactId;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.PathTemplateMatch;
import java.nio.ByteBuffer;
import java.util.Optional;

/**
 * Serves {@code /f/{id}/live/{version}}: the text of a stream still being read, rendered as
 * its artifact type with the artifact header set and never cached, so a chat page can show an
 * HTML artifact growing. 404 once the stream has stopped reading (the page then loads the
 * stored version) and for React, whose drafts are not rendered; to frames only, like
 * {@link FrameHandler}.
 */
final class DraftFrameHandler implements HttpHandler {
    private final StreamDrafts drafts;
    private final FrameRenderer renderer;

    DraftFrameHandler(StreamDrafts drafts, FrameRenderer renderer) {
        this.drafts = drafts;
        this.renderer = renderer;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) {
        if (FrameHandler.refusedUnlessFramed(exchange)) {
            return;
        }
        var parameters = exchange.getAttachment(PathTemplateMatch.ATTACHMENT_KEY).getParameters();
        Optional<ArtifactId> id = FrameHandler.parseId(parameters.get("id"));
        Optional<Integer> number = FrameHandler.parseNumber(parameters.get("version"));
        StreamDrafts.Draft draft = id.flatMap(artifact -> number.flatMap(version -> drafts.find(artifact, version)))
                .orElseThrow(() -> ApiException.notFound("no stream is being read for this artifact version"));
        FrameDocument document = renderer.draft(draft.type(), draft.text().get());
        DefaultHeadersHandler.apply(exchange, document.headers());
        exchange.getResponseHeaders().put(Headers.CACHE_CONTROL, "no-store");
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/html; charset=utf-8");
        exchange.getResponseSender().send(ByteBuffer.wrap(document.body()));
    }
}

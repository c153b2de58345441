package dev.vitrine.server;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.vitrine.storage.ArtifactId;
import dev.vitrine.storage.ArtifactStore;
import dev.vitrine.storage.PartialVersion;
import dev.vitrine.storage.PartialVersionStore;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.RoutingHandler;
import io.undertow.util.PathTemplateMatch;
import java.util.List;
import java.util.Map;

/**
 * Reads an artifact's partial versions, the text of streams that never became a version:
 * {@code GET /artifacts/{id}/partials} (newest first, without their text) and
 * {@code GET /artifacts/{id}/partials/{n}}. Every view says {@code "partial": true}, so it cannot
 * be mistaken for a version; partials have no frame URL because they are never served.
 */
final class PartialVersionsApi {

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record PartialView(String artifactId, int number, boolean partial, int afterVersion, String code, String message,
                       String sha256, int length, String createdAt, String content) {
        static PartialView of(PartialVersion partial, boolean withContent) {
            return new PartialView(partial.artifactId().value(), partial.number(), true, partial.afterVersion(),
                    partial.code(), partial.message(), partial.sha256(), partial.content().length(),
                    partial.createdAt().toString(), withContent ? partial.content() : null);
        }
    }

    private final ArtifactStore artifacts;
    private final PartialVersionStore partials;
    private final JsonCodec json;

    PartialVersionsApi(ArtifactStore artifacts, PartialVersionStore partials, JsonCodec json) {
        this.artifacts = artifacts;
        this.partials = partials;
        this.json = json;
    }

    /** Adds the routes, relative to {@code /v1}, behind the API key. */
    void addRoutes(RoutingHandler routes) {
        routes.get("/artifacts/{id}/partials", this::list)
                .get("/artifacts/{id}/partials/{number}", this::get);
    }

    private void list(HttpServerExchange exchange) {
        ArtifactId id = existing(exchange);
        List<PartialView> views = partials.list(id).stream().map(partial -> PartialView.of(partial, false)).toList();
        json.send(exchange, 200, Map.of("artifactId", id.value(), "partials", views));
    }

    private void get(HttpServerExchange exchange) {
        ArtifactId id = existing(exchange);
        String raw = exchange.getAttachment(PathTemplateMatch.ATTACHMENT_KEY).getParameters().get("number");
        if (raw.isEmpty() || raw.length() > 9 || !raw.chars().allMatch(Character::isDigit) || Integer.parseInt(raw) < 1) {
            throw ApiException.notFound("partials are numbered 1, 2, 3, …");
        }
        int number = Integer.parseInt(raw);
        PartialVersion partial = partials.find(id, number).orElseThrow(() -> ApiException.notFound("artifact " + id
                + " has no partial " + number + "; only the newest " + PartialVersionStore.KEPT_PER_ARTIFACT + " are kept"));
        json.send(exchange, 200, PartialView.of(partial, true));
    }

    private ArtifactId existing(HttpServerExchange exchange) {
        ArtifactId id = ArtifactApi.id(exchange);
        artifacts.find(id).orElseThrow(() -> ApiException.notFound("no artifact with this id"));
        return id;
    }
}

package dev.vitrine.server;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.vitrine.frame.FramePaths;
import dev.vitrine.frame.FrameRenderer;
import dev.vitrine.frame.InvalidArtifactException;
import dev.vitrine.sanitizer.Removal;
import dev.vitrine.storage.Artifact;
import dev.vitrine.storage.ArtifactId;
import dev.vitrine.storage.ArtifactStore;
import dev.vitrine.storage.ArtifactType;
import dev.vitrine.storage.ArtifactVersion;
import dev.vitrine.storage.AuditDetail;
import dev.vitrine.storage.AuditLog;
import dev.vitrine.storage.NoSuchArtifactException;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.RoutingHandler;
import io.undertow.util.Headers;
import io.undertow.util.PathTemplateMatch;
import java.net.URI;
import java.util.List;
import java.util.Map;

/**
 * REST v1 for artifacts: create, list, read, read a version, add a version, delete.
 * Content is rendered once before it is stored, so content that cannot be served is
 * refused with a 400 and nothing is written; content refused as a new version of an
 * existing artifact leaves a {@code rejected} event in its audit trail.
 */
final class ArtifactApi {
    static final int MAX_TITLE_LENGTH = 200;
    private static final int LIST_LIMIT = 100;

    record CreateArtifact(String type, String title, String content) {
    }

    record NewVersion(String content) {
    }

    record RemovalView(String what, String reason) {
        static List<RemovalView> of(List<Removal> removals) {
            return removals.stream().map(r -> new RemovalView(r.what(), r.reason())).toList();
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record VersionView(String artifactId, int number, String sha256, String createdAt, String frameUrl,
                       int length, String content, List<RemovalView> removed) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record ArtifactView(String id, String type, String title, String createdAt, String updatedAt,
                        int version, String frameUrl, VersionView latest) {
    }

    private final ArtifactStore store;
    private final AuditLog audit;
    private final FrameRenderer renderer;
    private final JsonCodec json;
    private final URI sandboxOrigin;

    ArtifactApi(ArtifactStore store, AuditLog audit, FrameRenderer renderer, JsonCodec json, URI sandboxOrigin) {
        this.store = store;
        this.audit = audit;
        this.renderer = renderer;
        this.json = json;
        this.sandboxOrigin = sandboxOrigin;
    }

    /** Adds the routes, relative to {@code /v1}; the caller mounts them there behind the API key. */
    void addRoutes(RoutingHandler routes) {
        routes.post("/artifacts", this::create)
                .get("/artifacts", this::list)
                .get("/artifacts/{id}", this::get)
                .delete("/artifacts/{id}", this::delete)
                .get("/artifacts/{id}/versions/{number}", this::getVersion)
                .post("/artifacts/{id}/versions", this::addVersion);
    }

    private void create(HttpServerExchange exchange) {
        CreateArtifact request = json.read(exchange, CreateArtifact.class);
        ArtifactType type = type(request.type());
        String title = title(request.title());
        String content = content(request.content());
        List<Removal> removals = check(type, content);
        Artifact artifact = store.create(type, title, content);
        ArtifactVersion version = store.version(artifact.id(), artifact.latestVersion()).orElseThrow();
        exchange.getResponseHeaders().put(Headers.LOCATION, "/v1/artifacts/" + artifact.id());
        json.send(exchange, 201, view(artifact, versionView(version, removals)));
    }

    private void list(HttpServerExchange exchange) {
        List<ArtifactView> artifacts = store.list(LIST_LIMIT).stream().map(a -> view(a, null)).toList();
        json.send(exchange, 200, Map.of("artifacts", artifacts));
    }

    private void get(HttpServerExchange exchange) {
        Artifact artifact = store.find(id(exchange)).orElseThrow(ArtifactApi::unknownArtifact);
        ArtifactVersion latest = store.version(artifact.id(), artifact.latestVersion()).orElseThrow(ArtifactApi::unknownArtifact);
        json.send(exchange, 200, view(artifact, versionView(latest, renderer.render(artifact.type(), latest).removals())));
    }

    private void getVersion(HttpServerExchange exchange) {
        ArtifactId id = id(exchange);
        Artifact artifact = store.find(id).orElseThrow(ArtifactApi::unknownArtifact);
        int number = versionNumber(exchange);
        ArtifactVersion version = store.version(id, number)
                .orElseThrow(() -> ApiException.notFound("artifact " + id + " has no version " + number));
        json.send(exchange, 200, versionView(version, renderer.render(artifact.type(), version).removals()));
    }

    private void addVersion(HttpServerExchange exchange) {
        ArtifactId id = id(exchange);
        NewVersion request = json.read(exchange, NewVersion.class);
        String content = content(request.content());
        Artifact artifact = store.find(id).orElseThrow(ArtifactApi::unknownArtifact);
        List<Removal> removals;
        try {
            removals = check(artifact.type(), content);
        } catch (ApiException e) {
            // What the model got wrong for this artifact is part of its history; a bad request
            // body (above) is the caller's mistake and is not.
            audit.recordRejected(id, AuditDetail.Rejected.truncating(e.code(), e.getMessage()));
            throw e;
        }
        try {
            ArtifactVersion version = store.appendVersion(id, content);
            exchange.getResponseHeaders().put(Headers.LOCATION, "/v1/artifacts/" + id + "/versions/" + version.number());
            json.send(exchange, 201, versionView(version, removals));
        } catch (NoSuchArtifactException e) {
            throw unknownArtifact();
        }
    }

    private void delete(HttpServerExchange exchange) {
        if (!store.delete(id(exchange))) {
            throw unknownArtifact();
        }
        exchange.setStatusCode(204);
        exchange.endExchange();
    }

    private List<Removal> check(ArtifactType type, String content) {
        try {
            return renderer.check(type, content);
        } catch (InvalidArtifactException e) {
            throw ApiException.badRequest(e.code(), e.getMessage());
        }
    }

    private ArtifactView view(Artifact artifact, VersionView latest) {
        return new ArtifactView(artifact.id().value(), artifact.type().wireName(), artifact.title(),
                artifact.createdAt().toString(), artifact.updatedAt().toString(), artifact.latestVersion(),
                FramePaths.frameUrl(sandboxOrigin, artifact.id(), artifact.latestVersion()).toString(), latest);
    }

    private VersionView versionView(ArtifactVersion version, List<Removal> removals) {
        return new VersionView(version.artifactId().value(), version.number(), version.sha256(),
                version.createdAt().toString(),
                FramePaths.frameUrl(sandboxOrigin, version.artifactId(), version.number()).toString(),
                version.content().length(), version.content(), RemovalView.of(removals));
    }

    private static ArtifactType type(String wireName) {
        if (wireName == null) {
            throw ApiException.badRequest("missing_field", "field 'type' is required: one of html, react, svg, markdown, mermaid");
        }
        try {
            return ArtifactType.fromWireName(wireName);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("invalid_field", "field 'type': " + e.getMessage());
        }
    }

    private static String title(String title) {
        if (title == null || title.isBlank()) {
            return "Untitled";
        }
        if (title.length() > MAX_TITLE_LENGTH || JsonCodec.hasLoneSurrogate(title) || title.chars().anyMatch(Character::isISOControl)) {
            throw ApiException.badRequest("invalid_field", "field 'title' must be at most " + MAX_TITLE_LENGTH
                    + " characters of text without control characters");
        }
        return title.strip();
    }

    private static String content(String content) {
        if (content == null) {
            throw ApiException.badRequest("missing_field", "field 'content' is required");
        }
        if (content.isBlank()) {
            throw ApiException.badRequest("invalid_field", "field 'content' is empty");
        }
        if (JsonCodec.hasLoneSurrogate(content)) {
            throw ApiException.badRequest("invalid_field", "field 'content' holds a lone UTF-16 surrogate (\\ud800-\\udfff) that UTF-8 cannot store");
        }
        return content;
    }

    static ArtifactId id(HttpServerExchange exchange) {
        String raw = exchange.getAttachment(PathTemplateMatch.ATTACHMENT_KEY).getParameters().get("id");
        try {
            return ArtifactId.parse(raw);
        } catch (IllegalArgumentException e) {
            throw unknownArtifact();
        }
    }

    private static int versionNumber(HttpServerExchange exchange) {
        String raw = exchange.getAttachment(PathTemplateMatch.ATTACHMENT_KEY).getParameters().get("number");
        if (raw.length() > 9 || !raw.chars().allMatch(Character::isDigit) || raw.isEmpty()) {
            throw ApiException.notFound("versions are numbered 1, 2, 3, …");
        }
        return Integer.parseInt(raw);
    }

    private static ApiException unknownArtifact() {
        return ApiException.notFound("no artifact with this id");
    }
}

package dev.vitrine.server;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.vitrine.frame.FramePaths;
import dev.vitrine.storage.Artifact;
import dev.vitrine.storage.ArtifactId;
import dev.vitrine.storage.ArtifactStore;
import dev.vitrine.storage.ArtifactUsage;
import dev.vitrine.storage.KeyValueStore;
import dev.vitrine.storage.NoSuchArtifactException;
import dev.vitrine.storage.StorageKeys;
import dev.vitrine.storage.StorageRejectedException;
import dev.vitrine.storage.StorageScope;
import dev.vitrine.storage.ViewerId;
import dev.vitrine.storage.Writer;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.RoutingHandler;
import io.undertow.util.Headers;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Artifact storage over HTTP. The chat backend, with its API key, mints viewer tokens and
 * reads usage; the embed SDK on the chat page, with a viewer token, performs the
 * {@code window.storage} calls an artifact frame sends it. A token names its artifact, so
 * no request can reach another artifact's data.
 */
final class StorageApi {
    static final Duration MAX_TOKEN_LIFETIME = Duration.ofDays(7);

    record MintRequest(String viewer, Integer version, Long ttlSeconds) {
    }

    record MintResponse(String artifactId, String viewer, int version, String token, String expiresAt,
                        String frameUrl, String storageUrl) {
    }

    /** One {@code window.storage} call, as the embed SDK forwards it. */
    record Operation(String op, String key, String value, Boolean shared, String prefix) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Result(String key, String value, Boolean deleted, List<String> keys, String prefix, boolean shared) {
    }

    private final ArtifactStore artifacts;
    private final KeyValueStore values;
    private final ViewerTokens tokens;
    private final RateLimiter rateLimiter;
    private final JsonCodec apiJson;
    private final JsonCodec operationJson;
    private final URI appOrigin;
    private final URI sandboxOrigin;
    private final Duration defaultLifetime;
    private final ArtifactEvents events;

    StorageApi(ArtifactStore artifacts, KeyValueStore values, ViewerTokens tokens, RateLimiter rateLimiter,
               JsonCodec apiJson, JsonCodec operationJson, URI appOrigin, URI sandboxOrigin, Duration defaultLifetime,
               ArtifactEvents events) {
        this.artifacts = artifacts;
        this.values = values;
        this.tokens = tokens;
        this.rateLimiter = rateLimiter;
        this.apiJson = apiJson;
        this.operationJson = operationJson;
        this.appOrigin = appOrigin;
        this.sandboxOrigin = sandboxOrigin;
        this.defaultLifetime = defaultLifetime;
        this.events = events;
    }

    /** Routes for the chat backend, relative to {@code /v1}, behind the API key. */
    void addBackendRoutes(RoutingHandler routes) {
        routes.post("/artifacts/{id}/viewers", this::mint)
                .get("/artifacts/{id}/storage", this::usage);
    }

    /** Routes for the embed SDK, relative to {@code /v1/viewer}, authorised by a viewer token each. */
    void addViewerRoutes(RoutingHandler routes) {
        routes.post("/artifacts/{id}/storage", this::operate);
    }

    private void mint(HttpServerExchange exchange) {
        Artifact artifact = artifact(exchange);
        MintRequest request = apiJson.read(exchange, MintRequest.class);
        if (request.viewer() == null) {
            throw ApiException.badRequest("missing_field", "field 'viewer' is required: the chat backend's id for this viewer");
        }
        ViewerId viewer;
        try {
            viewer = new ViewerId(request.viewer());
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("invalid_field", "field 'viewer': " + e.getMessage());
        }
        int version = request.version() == null ? artifact.latestVersion() : request.version();
        if (version < 1 || version > artifact.latestVersion()) {
            throw ApiException.badRequest("invalid_field", "field 'version' must be between 1 and " + artifact.latestVersion());
        }
        Duration lifetime = request.ttlSeconds() == null ? defaultLifetime : Duration.ofSeconds(request.ttlSeconds());
        if (lifetime.isNegative() || lifetime.isZero() || lifetime.compareTo(MAX_TOKEN_LIFETIME) > 0) {
            throw ApiException.badRequest("invalid_field", "field 'ttlSeconds' must be between 1 and " + MAX_TOKEN_LIFETIME.toSeconds());
        }
        ViewerTokens.Minted minted = tokens.mint(artifact.id(), viewer, version, lifetime);
        apiJson.send(exchange, 201, new MintResponse(artifact.id().value(), viewer.value(), version, minted.token(),
                minted.expiresAt().toString(), FramePaths.frameUrl(sandboxOrigin, artifact.id(), version).toString(),
                appOrigin + "/v1/viewer/artifacts/" + artifact.id() + "/storage"));
    }

    private void usage(HttpServerExchange exchange) {
        ArtifactUsage usage = values.usage(artifact(exchange).id());
        apiJson.send(exchange, 200, Map.of(
                "artifactId", usage.artifact().value(),
                "limits", Map.of(
                        "maxValueBytes", usage.limits().maxValueBytes(),
                        "maxScopeBytes", usage.limits().maxScopeBytes(),
                        "maxKeysPerScope", usage.limits().maxKeysPerScope()),
                "scopes", usage.scopes().stream().map(scope -> Map.of(
                        "shared", scope.viewer().isEmpty(),
                        "viewer", scope.viewer().map(ViewerId::value).orElse(""),
                        "bytes", scope.bytes(),
                        "keys", scope.keys(),
                        "keyNames", scope.keyNames())).toList()));
    }

    /**
     * Storage calls find no artifact row on their way: a successful read or write proves it
     * exists. Only an empty answer asks, so that a deleted artifact answers 404 not_found
     * rather than an empty scope.
     */
    private void operate(HttpServerExchange exchange) {
        ArtifactId id = ArtifactApi.id(exchange);
        String header = exchange.getRequestHeaders().getFirst(Headers.AUTHORIZATION);
        String token = header != null && header.regionMatches(true, 0, "Bearer ", 0, 7) ? header.substring(7).strip() : null;
        ViewerTokens.Grant grant = tokens.verify(token, id);
        rateLimiter.acquire(id.value() + "|" + grant.viewer().value());
        Operation operation = operationJson.read(exchange, Operation.class);
        boolean shared = Boolean.TRUE.equals(operation.shared());
        StorageScope scope = shared ? StorageScope.shared(id) : StorageScope.personal(id, grant.viewer());
        Writer writer = new Writer(grant.viewer(), grant.version());
        try {
            operationJson.send(exchange, 200, switch (operation.op() == null ? "" : operation.op()) {
                case "get" -> {
                    String key = StorageKeys.requireValid(required(operation.key(), "key"));
                    String value = values.get(scope, key).orElseThrow(() -> {
                        requireArtifact(id);
                        return new ApiException(404, "key_not_found", "no value is stored under this key");
                    });
                    yield new Result(key, value, null, null, null, shared);
                }
                case "set" -> {
                    String key = StorageKeys.requireValid(required(operation.key(), "key"));
                    String value = required(operation.value(), "value");
                    values.set(scope, key, value, writer);
                    // After the commit: subscribers learn of the write, never of the value.
                    events.storage(id, "set", shared, grant.viewer().value(), key,
                            (long) key.getBytes(StandardCharsets.UTF_8).length + value.getBytes(StandardCharsets.UTF_8).length);
                    yield new Result(key, null, null, null, null, shared);
                }
                case "delete" -> {
                    String key = StorageKeys.requireValid(required(operation.key(), "key"));
                    boolean deleted = values.delete(scope, key, writer);
                    if (!deleted) {
                        requireArtifact(id);
                    } else {
                        events.storage(id, "delete", shared, grant.viewer().value(), key, null);
                    }
                    yield new Result(key, null, deleted, null, null, shared);
                }
                case "list" -> {
                    String prefix = operation.prefix() == null ? "" : operation.prefix();
                    StorageKeys.requireValidPrefix(prefix);
                    List<String> keys = values.keys(scope, prefix);
                    if (keys.isEmpty()) {
                        requireArtifact(id);
                    }
                    yield new Result(null, null, null, keys, prefix, shared);
                }
                default -> throw ApiException.badRequest("invalid_field", "field 'op' must be one of get, set, delete, list");
            });
        } catch (StorageRejectedException e) {
            throw new ApiException(e.code().equals("invalid_key") || e.code().equals("invalid_value") ? 400 : 413, e.code(), e.getMessage());
        } catch (NoSuchArtifactException e) {
            throw ApiException.notFound("no artifact with this id");
        }
    }

    private static String required(String value, String field) {
        if (value == null) {
            throw ApiException.badRequest("missing_field", "field '" + field + "' is required for this operation");
        }
        return value;
    }

    private void requireArtifact(ArtifactId id) {
        if (artifacts.find(id).isEmpty()) {
            throw ApiException.notFound("no artifact with this id; it may have been deleted");
        }
    }

    private Artifact artifact(HttpServerExchange exchange) {
        return artifacts.find(ArtifactApi.id(exchange)).orElseThrow(() -> ApiException.notFound("no artifact with this id"));
    }
}

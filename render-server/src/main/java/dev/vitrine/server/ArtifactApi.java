package dev.vitrine.server;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
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
import dev.vitrine.storage.VersionConflictException;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.RoutingHandler;
import io.undertow.util.Headers;
import io.undertow.util.PathTemplateMatch;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * REST v1 for artifacts: create, list, read, read a version, add a version, delete.
 * Content is rendered once before it is stored, so content that cannot be served is
 * refused with a 400 and nothing is written; content refused as a new version of an
 * existing artifact leaves a {@code rejected} event in its audit trail.
 *
 * <p>A new version is either whole {@code content} or {@code edits} to the latest version
 * ({@link TextEdits}), optionally pinned to the {@code baseVersion} they were written against.
 * Edits are applied and the result checked outside the store's transaction, then appended
 * only if the version they were applied to is still the latest; otherwise the answer is
 * {@code 409 version_conflict}, so two edits of one version never both land on the same text.
 */
final class ArtifactApi {
    static final int MAX_TITLE_LENGTH = 200;
    /** Edits in one request: a model's edit list is a handful; hundreds are a runaway loop. */
    static final int MAX_EDITS = 100;
    private static final int LIST_LIMIT = 100;

    record CreateArtifact(String type, String title, String content) {
    }

    /**
     * Body of {@code POST /artifacts/{id}/versions}: exactly one of {@code content} (the whole
     * next version) and {@code edits} (to the latest version); {@code baseVersion}, if given,
     * must be the latest version.
     */
    record NewVersion(String content, List<EditRequest> edits, Integer baseVersion) {
    }

    /** One edit as sent; checked by {@link #edits} before it becomes a {@link TextEdits.Edit}. */
    record EditRequest(String old, @JsonProperty("new") String replacement) {
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
    private final ArtifactEvents events;

    ArtifactApi(ArtifactStore store, AuditLog audit, FrameRenderer renderer, JsonCodec json, URI sandboxOrigin, ArtifactEvents events) {
        this.store = store;
        this.audit = audit;
        this.renderer = renderer;
        this.json = json;
        this.sandboxOrigin = sandboxOrigin;
        this.events = events;
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
        if (request.content() != null && request.edits() != null) {
            throw ApiException.badRequest("conflicting_fields",
                    "send either 'content' (the whole new version) or 'edits' (changes to the latest version), not both");
        }
        if (request.content() == null && request.edits() == null) {
            throw ApiException.badRequest("missing_field",
                    "field 'content' (the whole new version) or 'edits' (changes to the latest version) is required");
        }
        List<TextEdits.Edit> edits = request.edits() == null ? null : edits(request.edits());
        String sent = request.content() == null ? null : content(request.content());
        Integer baseVersion = request.baseVersion();
        if (baseVersion != null && baseVersion < 1) {
            throw ApiException.badRequest("invalid_field", "field 'baseVersion' must be a version number, 1 or more");
        }
        Artifact artifact = store.find(id).orElseThrow(ArtifactApi::unknownArtifact);
        if (baseVersion != null && baseVersion != artifact.latestVersion()) {
            throw versionConflict(baseVersion, artifact.latestVersion());
        }
        // Edits go on top of the version they were applied to, and only while it is still the
        // latest; whole content goes on top of baseVersion if given, else simply comes next.
        ArtifactVersion base = null;
        OptionalInt expectedLatest = baseVersion == null ? OptionalInt.empty() : OptionalInt.of(baseVersion);
        if (edits != null) {
            base = (baseVersion == null ? store.latestVersion(id) : store.version(id, baseVersion))
                    .orElseThrow(ArtifactApi::unknownArtifact);
            expectedLatest = OptionalInt.of(base.number());
        }
        String content;
        List<Removal> removals;
        try {
            content = base == null ? sent : edited(base, edits);
            removals = check(artifact.type(), content);
        } catch (ApiException e) {
            // What the model got wrong for this artifact is part of its history; a bad request
            // body (above) is the caller's mistake and is not.
            audit.recordRejected(id, AuditDetail.Rejected.truncating(e.code(), e.getMessage()));
            throw e;
        }
        try {
            ArtifactVersion version = expectedLatest.isPresent()
                    ? store.appendVersion(id, content, expectedLatest.getAsInt())
                    : store.appendVersion(id, content);
            exchange.getResponseHeaders().put(Headers.LOCATION, "/v1/artifacts/" + id + "/versions/" + version.number());
            events.version(id, version.number(), version.sha256(), version.content().length(),
                    FramePaths.frameUrl(sandboxOrigin, id, version.number()).toString(), false);
            json.send(exchange, 201, versionView(version, removals));
        } catch (NoSuchArtifactException e) {
            throw unknownArtifact();
        } catch (VersionConflictException e) {
            throw versionConflict(e.expected(), e.actual());
        }
    }

    /**
     * The base version's text with {@code edits} applied; a 409 if one does not apply, and the
     * limits a {@code content} body has, so no version is larger than a client could send whole.
     */
    private String edited(ArtifactVersion base, List<TextEdits.Edit> edits) {
        String content;
        try {
            content = TextEdits.apply(base.content(), edits);
        } catch (TextEdits.EditFailedException e) {
            throw ApiException.conflict(e.occurrences() == 0 ? "edit_not_found" : "edit_ambiguous",
                    e.getMessage() + "; the edits were applied to version " + base.number() + " and nothing was stored");
        }
        if (content.isBlank()) {
            throw ApiException.badRequest("invalid_field", "the edits leave version " + base.number()
                    + " empty; an artifact version needs content");
        }
        long bytes = content.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > json.limit().bytes()) {
            throw new ApiException(413, "content_too_large", "the edits make version " + base.number() + " "
                    + bytes + " bytes long; a version may be at most " + json.limit() + ", as large as a request body");
        }
        return content;
    }

    /** Checks the shape of each edit; whether it applies is {@link TextEdits}' part. */
    private static List<TextEdits.Edit> edits(List<EditRequest> requested) {
        if (requested.isEmpty() || requested.size() > MAX_EDITS) {
            throw ApiException.badRequest("invalid_field", "field 'edits' must hold 1 to " + MAX_EDITS
                    + " edits; it holds " + requested.size());
        }
        List<TextEdits.Edit> edits = new ArrayList<>(requested.size());
        for (int i = 0; i < requested.size(); i++) {
            EditRequest edit = requested.get(i);
            String name = "edits[" + i + "]";
            if (edit == null) {
                throw ApiException.badRequest("invalid_field", name + " must be an object {\"old\": …, \"new\": …}");
            }
            if (edit.old() == null || edit.replacement() == null) {
                throw ApiException.badRequest("missing_field", name + (edit.old() == null ? ".old" : ".new")
                        + " is required: the text to replace, and what replaces it (may be \"\")");
            }
            if (edit.old().isEmpty()) {
                throw ApiException.badRequest("invalid_field", name + ".old is empty; it must be text that occurs once"
                        + " in the current version");
            }
            if (!storable(edit.old()) || !storable(edit.replacement())) {
                throw ApiException.badRequest("invalid_field", name + " holds U+0000 or a lone UTF-16 surrogate"
                        + " (\\ud800-\\udfff), which a version cannot store");
            }
            edits.add(new TextEdits.Edit(edit.old(), edit.replacement()));
        }
        return List.copyOf(edits);
    }

    /** Text without what the store refuses (U+0000) or UTF-8 cannot carry (a lone surrogate). */
    private static boolean storable(String text) {
        return text.indexOf('\u0000') < 0 && !JsonCodec.hasLoneSurrogate(text);
    }

    static ApiException versionConflict(int expected, int latest) {
        return ApiException.conflict("version_conflict", "the latest version is " + latest + ", not " + expected
                + "; nothing was stored: read version " + latest + " and send the change again against it");
    }

    private void delete(HttpServerExchange exchange) {
        ArtifactId id = id(exchange);
        if (!store.delete(id)) {
            throw unknownArtifact();
        }
        events.deleted(id);
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
        if (content.indexOf('\u0000') >= 0) {
            throw ApiException.badRequest("invalid_field", "field 'content' holds U+0000 (NUL), which no artifact needs and PostgreSQL cannot store");
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

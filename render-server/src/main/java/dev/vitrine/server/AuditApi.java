package dev.vitrine.server;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.vitrine.storage.ArtifactId;
import dev.vitrine.storage.AuditDetail;
import dev.vitrine.storage.AuditEvent;
import dev.vitrine.storage.AuditLog;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.RoutingHandler;
import io.undertow.util.Headers;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * An artifact's audit trail over HTTP, for the chat backend with its API key:
 * {@code GET /v1/artifacts/{id}/audit}, oldest event first, as one JSON page
 * ({@code ?limit=} up to {@value #MAX_LIMIT}, {@code ?after=} the previous page's {@code next})
 * or, with {@code Accept: application/x-ndjson} or {@code ?format=jsonl}, as every event from
 * {@code after} on, one JSON object a line, streamed page by page from the database. A deleted
 * artifact's trail is served until retention prunes it.
 */
final class AuditApi {
    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1_000;
    /** Events read from the database per query while streaming an export. */
    static final int EXPORT_PAGE = 500;
    static final String NDJSON = "application/x-ndjson";

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record EventView(long sequence, String type, String artifactId, Integer version, String at, ContentView content,
                     RejectionView rejection, StorageView storage, ViolationView violation) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record ContentView(String type, String sha256, long bytes) {
    }

    record RejectionView(String code, String message) {
    }

    record StorageView(String op, String viewer, boolean shared, String key, long bytes) {
    }

    record ViolationView(String directive, String blockedUrl, String sourceFile, int line, int column, String sample) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Page(String artifactId, List<EventView> events, String next) {
    }

    private final AuditLog audit;
    private final JsonCodec json;

    AuditApi(AuditLog audit, JsonCodec json) {
        this.audit = audit;
        this.json = json;
    }

    /** Adds the routes, relative to {@code /v1}; the caller mounts them there behind the API key. */
    void addRoutes(RoutingHandler routes) {
        routes.get("/artifacts/{id}/audit", this::trail);
    }

    private void trail(HttpServerExchange exchange) {
        ArtifactId id = ArtifactApi.id(exchange);
        boolean lines = wantsLines(exchange);
        int limit = limit(exchange);
        long after = after(exchange);
        if (!audit.known(id)) {
            throw ApiException.notFound("no artifact with this id, and no audit trail of one");
        }
        if (lines) {
            export(exchange, id, after);
            return;
        }
        List<AuditEvent> events = audit.events(id, after, limit + 1);
        boolean more = events.size() > limit;
        List<AuditEvent> page = more ? events.subList(0, limit) : events;
        json.send(exchange, 200, new Page(id.value(), page.stream().map(AuditApi::view).toList(),
                more ? String.valueOf(page.getLast().sequence()) : null));
    }

    /**
     * Writes each page as it is read, so memory holds one page whatever the trail's length. If
     * the database fails half-way, the connection is closed without the final chunk, so the
     * client sees a broken transfer rather than a complete-looking, shorter export.
     */
    private void export(HttpServerExchange exchange, ArtifactId id, long after) {
        exchange.setStatusCode(200);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, NDJSON + "; charset=utf-8");
        try {
            OutputStream out = exchange.getOutputStream();
            long cursor = after;
            List<AuditEvent> page;
            do {
                page = audit.events(id, cursor, EXPORT_PAGE);
                for (AuditEvent event : page) {
                    out.write(json.write(view(event)));
                    out.write('\n');
                }
                if (!page.isEmpty()) {
                    cursor = page.getLast().sequence();
                    out.flush();
                }
            } while (page.size() == EXPORT_PAGE);
            out.close();
        } catch (IOException e) {
            abort(exchange); // the client went away
        } catch (RuntimeException e) {
            abort(exchange);
            throw e;
        }
    }

    private static void abort(HttpServerExchange exchange) {
        try {
            exchange.getConnection().close();
        } catch (IOException e) {
            // closing is all that was left to do
        }
    }

    static EventView view(AuditEvent event) {
        ContentView content = null;
        RejectionView rejection = null;
        StorageView storage = null;
        ViolationView violation = null;
        switch (event.detail()) {
            case AuditDetail.Created created ->
                    content = new ContentView(created.artifactType().wireName(), created.sha256(), created.bytes());
            case AuditDetail.VersionAdded added -> content = new ContentView(null, added.sha256(), added.bytes());
            case AuditDetail.Rejected rejected -> rejection = new RejectionView(rejected.code(), rejected.message());
            case AuditDetail.StorageWrite write -> storage = new StorageView(write.operation().wireName(),
                    write.viewer().value(), write.shared(), write.key(), write.bytes());
            case AuditDetail.Violation v -> violation = new ViolationView(v.directive(), v.blockedUrl(), v.sourceFile(),
                    v.line(), v.column(), v.sample());
            case AuditDetail.Deleted deleted -> {
                // type and version say it all
            }
        }
        return new EventView(event.sequence(), event.detail().type(), event.artifact().value(),
                event.version().isPresent() ? event.version().getAsInt() : null, event.at().toString(),
                content, rejection, storage, violation);
    }

    /** {@code ?format=jsonl} (or {@code json}) decides; without it, the Accept header does. */
    private static boolean wantsLines(HttpServerExchange exchange) {
        Optional<String> format = query(exchange, "format");
        if (format.isPresent()) {
            return switch (format.get()) {
                case "jsonl", "ndjson" -> true;
                case "json" -> false;
                default -> throw ApiException.badRequest("invalid_field", "'format' must be json or jsonl");
            };
        }
        String accept = exchange.getRequestHeaders().getFirst(Headers.ACCEPT);
        return accept != null && accept.toLowerCase(Locale.ROOT).contains(NDJSON);
    }

    private static int limit(HttpServerExchange exchange) {
        Optional<String> raw = query(exchange, "limit");
        if (raw.isEmpty()) {
            return DEFAULT_LIMIT;
        }
        if (raw.get().isEmpty() || raw.get().length() > 4 || !raw.get().chars().allMatch(c -> c >= '0' && c <= '9')
                || Integer.parseInt(raw.get()) < 1 || Integer.parseInt(raw.get()) > MAX_LIMIT) {
            throw ApiException.badRequest("invalid_field", "'limit' must be a whole number from 1 to " + MAX_LIMIT);
        }
        return Integer.parseInt(raw.get());
    }

    private static long after(HttpServerExchange exchange) {
        Optional<String> raw = query(exchange, "after");
        if (raw.isEmpty()) {
            return 0;
        }
        if (raw.get().isEmpty() || raw.get().length() > 18 || !raw.get().chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw ApiException.badRequest("invalid_field", "'after' must be the 'next' value of a previous page");
        }
        return Long.parseLong(raw.get());
    }

    private static Optional<String> query(HttpServerExchange exchange, String name) {
        Deque<String> values = exchange.getQueryParameters().get(name);
        if (values == null || values.isEmpty()) {
            return Optional.empty();
        }
        if (values.size() > 1) {
            throw ApiException.badRequest("invalid_field", "'" + name + "' may be given once");
        }
        return Optional.of(values.getFirst());
    }
}

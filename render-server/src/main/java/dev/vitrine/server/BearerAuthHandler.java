package dev.vitrine.server;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Deque;

/**
 * Lets a request through only with {@code Authorization: Bearer <api key>}, compared in constant
 * time. {@link #acceptingQueryKey} also takes the key as {@code ?key=}, for the one route a
 * browser's {@code EventSource} reads, which cannot send headers (SECURITY.md, "API key in a URL").
 */
final class BearerAuthHandler implements HttpHandler {
    private static final String PREFIX = "Bearer ";
    static final String QUERY_KEY = "key";

    private final byte[] key;
    private final HttpHandler next;
    private final boolean queryKey;

    BearerAuthHandler(String key, HttpHandler next) {
        this(key, next, false);
    }

    private BearerAuthHandler(String key, HttpHandler next, boolean queryKey) {
        this.key = key.getBytes(StandardCharsets.US_ASCII);
        this.next = next;
        this.queryKey = queryKey;
    }

    /** Also accepts the key as the query parameter {@code key}, when no Authorization header is sent. */
    static BearerAuthHandler acceptingQueryKey(String key, HttpHandler next) {
        return new BearerAuthHandler(key, next, true);
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        String header = exchange.getRequestHeaders().getFirst(Headers.AUTHORIZATION);
        boolean authorised;
        if (header != null) {
            authorised = header.regionMatches(true, 0, PREFIX, 0, PREFIX.length()) && matches(header.substring(PREFIX.length()).strip());
        } else {
            Deque<String> fromQuery = queryKey ? exchange.getQueryParameters().get(QUERY_KEY) : null;
            authorised = fromQuery != null && fromQuery.size() == 1 && matches(fromQuery.getFirst());
        }
        if (!authorised) {
            exchange.getResponseHeaders().put(Headers.WWW_AUTHENTICATE, "Bearer realm=\"vitrine\"");
            throw ApiException.unauthorized();
        }
        next.handleRequest(exchange);
    }

    private boolean matches(String candidate) {
        return MessageDigest.isEqual(key, candidate.getBytes(StandardCharsets.US_ASCII));
    }
}

package dev.vitrine.server;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/** Lets a request through only with {@code Authorization: Bearer <api key>}, compared in constant time. */
final class BearerAuthHandler implements HttpHandler {
    private static final String PREFIX = "Bearer ";

    private final byte[] key;
    private final HttpHandler next;

    BearerAuthHandler(String key, HttpHandler next) {
        this.key = key.getBytes(StandardCharsets.US_ASCII);
        this.next = next;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        String header = exchange.getRequestHeaders().getFirst(Headers.AUTHORIZATION);
        if (header == null || !header.regionMatches(true, 0, PREFIX, 0, PREFIX.length())
                || !MessageDigest.isEqual(key, header.substring(PREFIX.length()).strip().getBytes(StandardCharsets.US_ASCII))) {
            exchange.getResponseHeaders().put(Headers.WWW_AUTHENTICATE, "Bearer realm=\"vitrine\"");
            throw ApiException.unauthorized();
        }
        next.handleRequest(exchange);
    }
}

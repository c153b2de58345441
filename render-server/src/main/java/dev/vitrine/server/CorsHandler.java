package dev.vitrine.server;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HttpString;
import io.undertow.util.Methods;
import java.net.URI;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Lets the configured chat origins call the viewer routes from their pages (the embed
 * SDK runs there). Credentials are never allowed: a viewer token travels in the
 * Authorization header, so no cookie can be ridden. Other origins get no CORS headers and
 * their browsers refuse the response.
 */
final class CorsHandler implements HttpHandler {
    private static final HttpString ORIGIN = HttpString.tryFromString("Origin");

    private final Set<String> allowed;
    private final HttpHandler next;

    CorsHandler(List<URI> origins, HttpHandler next) {
        this.allowed = origins.stream().map(URI::toString).collect(Collectors.toUnmodifiableSet());
        this.next = next;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        String origin = exchange.getRequestHeaders().getFirst(ORIGIN);
        exchange.getResponseHeaders().put(HttpString.tryFromString("Vary"), "Origin");
        boolean allowedOrigin = origin != null && allowed.contains(origin);
        if (allowedOrigin) {
            exchange.getResponseHeaders().put(HttpString.tryFromString("Access-Control-Allow-Origin"), origin);
        }
        if (exchange.getRequestMethod().equals(Methods.OPTIONS)) {
            if (allowedOrigin) {
                exchange.getResponseHeaders()
                        .put(HttpString.tryFromString("Access-Control-Allow-Methods"), "POST")
                        .put(HttpString.tryFromString("Access-Control-Allow-Headers"), "Authorization, Content-Type")
                        .put(HttpString.tryFromString("Access-Control-Max-Age"), "600");
            }
            exchange.setStatusCode(204);
            exchange.endExchange();
            return;
        }
        next.handleRequest(exchange);
    }
}

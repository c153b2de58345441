package dev.vitrine.server;

import dev.vitrine.csp.Header;
import dev.vitrine.csp.HeaderSet;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HeaderMap;
import io.undertow.util.HttpString;

/**
 * Gives every response of an origin a header set, unless the handler that answered chose
 * its own (recognised by its Content-Security-Policy). Applied when the response commits,
 * so 404s, method errors and responses to exceptions get it too.
 */
final class DefaultHeadersHandler implements HttpHandler {
    private static final HttpString CSP = HttpString.tryFromString("Content-Security-Policy");

    private final HeaderSet defaults;
    private final HttpHandler next;

    DefaultHeadersHandler(HeaderSet defaults, HttpHandler next) {
        this.defaults = defaults;
        this.next = next;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        exchange.addResponseCommitListener(committed -> {
            if (!committed.getResponseHeaders().contains(CSP)) {
                apply(committed, defaults);
            }
        });
        next.handleRequest(exchange);
    }

    /** Sets every header of the set on the response, replacing values already there. */
    static void apply(HttpServerExchange exchange, HeaderSet set) {
        HeaderMap headers = exchange.getResponseHeaders();
        for (Header header : set.headers()) {
            headers.put(HttpString.tryFromString(header.name()), header.value());
        }
    }
}

package dev.vitrine.server;

import dev.vitrine.csp.AppPageHeaders;
import dev.vitrine.csp.Nonce;
import dev.vitrine.csp.NonceGenerator;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * The chat page: its HTML template is split at the nonce placeholder once, and each
 * response joins the parts with a fresh nonce that its strict policy names.
 */
final class ChatPageHandler implements HttpHandler {
    private static final String PLACEHOLDER = "{{nonce}}";

    private final String[] parts;
    private final AppPageHeaders headers;
    private final NonceGenerator nonces;

    ChatPageHandler(String template, AppPageHeaders headers, NonceGenerator nonces) {
        if (!template.contains(PLACEHOLDER)) {
            throw new IllegalArgumentException("the chat page template has no " + PLACEHOLDER + " placeholder");
        }
        this.parts = template.split(Pattern.quote(PLACEHOLDER), -1);
        this.headers = headers;
        this.nonces = nonces;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) {
        Nonce nonce = nonces.next();
        DefaultHeadersHandler.apply(exchange, headers.forResponse(nonce));
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/html; charset=utf-8");
        exchange.getResponseSender().send(String.join(nonce.value(), parts), StandardCharsets.UTF_8);
    }
}

package dev.vitrine.server;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns {@link ApiException}s into {@code {"error":{"code","message"}}} responses and any
 * other failure into a 500 that reveals nothing but an incident number, which the log line
 * carries with the stack trace.
 */
final class ErrorHandler implements HttpHandler {
    private static final Logger log = LoggerFactory.getLogger(ErrorHandler.class);

    private final AtomicLong incidents = new AtomicLong();
    private final JsonCodec json;
    private final HttpHandler next;

    ErrorHandler(JsonCodec json, HttpHandler next) {
        this.json = json;
        this.next = next;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) {
        try {
            next.handleRequest(exchange);
        } catch (ApiException e) {
            if (e instanceof RateLimiter.RateLimitedException limited) {
                exchange.getResponseHeaders().put(Headers.RETRY_AFTER, limited.retryAfterSeconds());
            }
            send(exchange, e.status(), e.code(), e.getMessage());
        } catch (Exception e) {
            long incident = incidents.incrementAndGet();
            log.error("incident {} on {} {}", incident, exchange.getRequestMethod(), LogText.safe(exchange.getRequestPath()), e);
            send(exchange, 500, "internal_error", "the server failed to answer; incident " + incident);
        }
    }

    void send(HttpServerExchange exchange, int status, String code, String message) {
        if (exchange.isResponseStarted()) {
            exchange.endExchange();
            return;
        }
        json.send(exchange, status, Map.of("error", Map.of("code", code, "message", message)));
    }
}

package dev.vitrine.browser;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An attacker's server on loopback: records every HTTP request that reaches it. Chromium
 * maps {@code *.test} names here too, so payloads can name hosts like {@code evil.test}.
 */
final class Canary implements AutoCloseable {
    /**
     * What every request gets. As a top-level page it names an inline icon, so Chromium
     * does not follow a navigation to the canary with a request for /favicon.ico that would
     * land among the next test's hits.
     */
    private static final byte[] PAGE = "<!doctype html><link rel=icon href=\"data:,\"><title>canary</title>".getBytes(StandardCharsets.UTF_8);

    private final HttpServer server;
    private final List<String> hits = new CopyOnWriteArrayList<>();

    Canary() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the canary listener", e);
        }
        server.createContext("/", exchange -> {
            hits.add(exchange.getRequestMethod() + " " + exchange.getRequestURI());
            exchange.getResponseHeaders().set("Access-Control-Allow-Origin", "*");
            exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
            exchange.sendResponseHeaders(200, PAGE.length);
            exchange.getResponseBody().write(PAGE);
            exchange.close();
        });
        server.start();
    }

    int port() {
        return server.getAddress().getPort();
    }

    /** The canary under an attacker-looking host name, e.g. {@code http://evil.test:41234}. */
    String url() {
        return "http://evil.test:" + port();
    }

    /** The canary by its loopback address, for payloads that avoid name resolution. */
    String loopbackUrl() {
        return "http://127.0.0.1:" + port();
    }

    List<String> hits() {
        return List.copyOf(hits);
    }

    void reset() {
        hits.clear();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}

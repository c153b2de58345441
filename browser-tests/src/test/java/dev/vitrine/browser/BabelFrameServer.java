package dev.vitrine.browser;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import dev.vitrine.frame.FramePaths;
import dev.vitrine.frame.FrameRenderer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The peer side of {@link FirstPaintBenchmark} on a loopback port: the approach of hosted
 * products and open-source peers, which ship an artifact's TSX into the frame and compile it
 * there with Babel standalone. It stores TSX as a chat backend would ({@code POST /artifacts}
 * answers the frame URL) and serves, at {@code /peer/<n>}, a frame document built like
 * Vitrine's React document — Vitrine's frame runtime, the same import map onto the same
 * library files of the Vitrine sandbox origin, the same Tailwind, the same error boundary and
 * mount — except that the component is compiled in the frame by {@code babel.min.js} (from
 * {@code node_modules}, which {@code npm ci} installs from package-lock.json) and imported
 * from a Blob URL. The document has no CSP, so Babel's {@code new Function} runs.
 *
 * <p>It also serves {@code /top?frame=<url>}, the top-level page both sides are measured in:
 * one sandboxed iframe with the attributes {@code embed.js} gives Vitrine's frames. Two names
 * reach the one listener: the top page is {@code http://localhost:<port>}, the peer frames are
 * {@code http://127.0.0.1:<port>}, another site, as Vitrine's sandbox origin is to its chat page.
 *
 * <pre>{@code
 * BabelFrameServer peer = BabelFrameServer.bind(babelMinJs);   // the port is known from here on
 * // ... start Vitrine with peer.topOrigin() among its embedder origins ...
 * peer.start(vitrine.sandboxOrigin());
 * // POST the TSX to peer.artifactsUrl(): the answer is the frame URL
 * page.navigate(peer.topPage(frameUrl));
 * }</pre>
 */
final class BabelFrameServer implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String VENDOR_MANIFEST = "dev/vitrine/static/vendor/manifest.json";
    private static final String IMMUTABLE = "public, max-age=31536000, immutable";
    private static final String TOP_PAGE = """
            <!doctype html><html><head><meta charset="utf-8"><title>first paint</title>
            <style>html,body{margin:0;height:100%%}iframe{display:block;width:100%%;height:100%%;border:0}</style></head>
            <body><iframe sandbox="allow-scripts allow-forms" referrerpolicy="no-referrer" allow="" title="Artifact" src="%s"></iframe></body></html>
            """;
    /** Vitrine's mount script (ReactDocument) with the component compiled by Babel instead of imported from the server. */
    private static final String MOUNT_SCRIPT = """
            import { Component, createElement } from 'react';
            import { createRoot } from 'react-dom/client';
            const source = JSON.parse(document.getElementById('artifact-source').textContent);
            const started = performance.now();
            const { code } = Babel.transform(source, {
              filename: 'artifact.tsx',
              presets: [['typescript', { isTSX: true, allExtensions: true }], ['react', { runtime: 'automatic' }]],
            });
            performance.measure('babel-transform', { start: started });
            const { default: App } = await import(URL.createObjectURL(new Blob([code], { type: 'text/javascript' })));
            class Boundary extends Component {
              constructor(props) { super(props); this.state = { error: null }; }
              static getDerivedStateFromError(error) { return { error }; }
              componentDidCatch(error) {
                window.parent.postMessage({ vitrine: 1, type: 'error', kind: 'render', message: String(error && error.message ? error.message : error).slice(0, 2000) }, '*');
              }
              render() {
                return this.state.error
                  ? createElement('pre', { 'data-vitrine-error': '' }, String(this.state.error.message || this.state.error))
                  : this.props.children;
              }
            }
            createRoot(document.getElementById('root')).render(createElement(Boundary, null, createElement(App)));
            """;

    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(4);
    private final byte[] babel;
    private final Map<Integer, String> sources = new ConcurrentHashMap<>();
    private final AtomicInteger nextId = new AtomicInteger();
    private final AtomicInteger babelDownloads = new AtomicInteger();
    private String documentHead;

    private BabelFrameServer(HttpServer server, byte[] babel) {
        this.server = server;
        this.babel = babel;
    }

    /** Binds a free loopback port and reads Babel; nothing is served before {@link #start}. */
    static BabelFrameServer bind(Path babelMinJs) throws IOException {
        if (!Files.isRegularFile(babelMinJs)) {
            throw new IllegalStateException(babelMinJs + " is missing: run npm ci in browser-tests"
                    + " (mvn -pl browser-tests test-compile does) to install @babel/standalone from package-lock.json");
        }
        byte[] babel = Files.readAllBytes(babelMinJs);
        return new BabelFrameServer(HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64), babel);
    }

    /** The origin of the top page, which must be allowed to frame Vitrine's artifacts. */
    URI topOrigin() {
        return URI.create("http://localhost:" + server.getAddress().getPort());
    }

    /** Starts serving; peer documents load the libraries, Tailwind and the frame runtime from {@code sandboxOrigin}. */
    void start(URI sandboxOrigin) {
        JsonNode manifest = vendorManifest();
        String vendor = sandboxOrigin + FramePaths.VENDOR_PREFIX;
        Map<String, String> imports = new TreeMap<>();
        manifest.path("imports").properties().forEach(entry -> imports.put(entry.getKey(), vendor + entry.getValue().asText()));
        // The order of Vitrine's React document: charset, runtime, viewport, import map, Tailwind; then Babel.
        documentHead = "<!doctype html><html><head><meta charset=\"utf-8\">"
                + "<script src=\"" + sandboxOrigin + FrameRenderer.RUNTIME_SCRIPT + "\"></script>"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                + "<script type=\"importmap\">" + json(Map.of("imports", imports)) + "</script>"
                + "<script src=\"" + vendor + manifest.path("tailwind").path("file").asText() + "\"></script>"
                + "<script src=\"/babel.min.js\"></script>"
                + "</head><body><div id=\"root\"></div>";
        server.createContext("/top", handler(this::top));
        server.createContext("/artifacts", handler(this::store));
        server.createContext("/peer/", handler(this::document));
        server.createContext("/babel.min.js", handler(exchange -> {
            babelDownloads.incrementAndGet();
            send(exchange, "text/javascript; charset=utf-8", IMMUTABLE, babel);
        }));
        server.setExecutor(executor);
        server.start();
    }

    /** Where a chat backend stores an artifact's TSX; the answer is its frame URL. */
    URI artifactsUrl() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/artifacts");
    }

    /** The page that embeds {@code frame} in one sandboxed iframe. */
    String topPage(URI frame) {
        return topOrigin() + "/top?frame=" + URLEncoder.encode(frame.toString(), StandardCharsets.UTF_8);
    }

    /** How often Babel was sent, to tell HTTP-cache hits from downloads. */
    int babelDownloads() {
        return babelDownloads.get();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    private void top(HttpExchange exchange) throws IOException {
        String query = exchange.getRequestURI().getRawQuery();
        URI frame = URI.create(URLDecoder.decode(query == null ? "" : query.replaceFirst("^frame=", ""), StandardCharsets.UTF_8));
        if (!"http".equals(frame.getScheme()) || !"127.0.0.1".equals(frame.getHost())) {
            throw new IllegalArgumentException("frame " + frame + " is not on the loopback sandbox host 127.0.0.1");
        }
        // A URI's toString has no quotes, angle brackets or spaces; only & needs escaping in the attribute.
        String page = TOP_PAGE.formatted(frame.toString().replace("&", "&amp;"));
        send(exchange, "text/html; charset=utf-8", "no-store", page.getBytes(StandardCharsets.UTF_8));
    }

    private void store(HttpExchange exchange) throws IOException {
        if (!"POST".equals(exchange.getRequestMethod())) {
            throw new IllegalArgumentException("POST the TSX to /artifacts, not " + exchange.getRequestMethod());
        }
        int id = nextId.incrementAndGet();
        try (InputStream in = exchange.getRequestBody()) {
            sources.put(id, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
        String frame = "http://127.0.0.1:" + server.getAddress().getPort() + "/peer/" + id;
        send(exchange, "text/plain; charset=utf-8", "no-store", frame.getBytes(StandardCharsets.UTF_8));
    }

    private void document(HttpExchange exchange) throws IOException {
        String id = exchange.getRequestURI().getPath().substring("/peer/".length());
        String source = id.matches("[0-9]{1,9}") ? sources.get(Integer.parseInt(id)) : null;
        if (source == null) {
            throw new IllegalArgumentException("no peer artifact " + id);
        }
        // JSON in a data block; escaping < keeps </script> in the source from ending the block.
        String html = documentHead
                + "<script type=\"application/json\" id=\"artifact-source\">" + json(source).replace("<", "\\u003c") + "</script>"
                + "<script type=\"module\">\n" + MOUNT_SCRIPT + "</script></body></html>";
        send(exchange, "text/html; charset=utf-8", "no-store", html.getBytes(StandardCharsets.UTF_8));
    }

    /** A handler answering 400 with the message when the route throws IllegalArgumentException. */
    private static HttpHandler handler(HttpHandler route) {
        return exchange -> {
            try (exchange) {
                route.handle(exchange);
            } catch (IllegalArgumentException e) {
                send(exchange, 400, "text/plain; charset=utf-8", "no-store", e.getMessage().getBytes(StandardCharsets.UTF_8));
            }
        };
    }

    private static void send(HttpExchange exchange, String contentType, String cacheControl, byte[] body) throws IOException {
        send(exchange, 200, contentType, cacheControl, body);
    }

    private static void send(HttpExchange exchange, int status, String contentType, String cacheControl, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.getResponseHeaders().set("Cache-Control", cacheControl);
        exchange.sendResponseHeaders(status, body.length);
        exchange.getResponseBody().write(body);
    }

    private static JsonNode vendorManifest() {
        try (InputStream in = BabelFrameServer.class.getClassLoader().getResourceAsStream(VENDOR_MANIFEST)) {
            if (in == null) {
                throw new IllegalStateException(VENDOR_MANIFEST + " is not on the class path: build the static module");
            }
            return JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + VENDOR_MANIFEST, e);
        }
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + value.getClass().getSimpleName() + " as JSON", e);
        }
    }
}

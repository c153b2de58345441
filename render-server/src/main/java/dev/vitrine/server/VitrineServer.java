package dev.vitrine.server;

import dev.vitrine.csp.SandboxSettings;
import dev.vitrine.frame.FramePaths;
import dev.vitrine.frame.FrameRenderer;
import dev.vitrine.storage.ArtifactStore;
import dev.vitrine.storage.ArtifactStores;
import dev.vitrine.storage.StorageSettings;
import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;

/**
 * A running Vitrine: two Undertow listeners, the app origin and the sandbox origin, over
 * one artifact store. Listeners bind first, so origins configured with port 0 learn their
 * real port before any header naming them is built.
 *
 * <pre>{@code
 * try (VitrineServer server = VitrineServer.start(ServerConfig.defaults(), Clock.systemUTC(), new SecureRandom())) {
 *     System.out.println(server.appOrigin());
 * }
 * }</pre>
 */
public final class VitrineServer implements AutoCloseable {
    private static final long CACHED_DOCUMENTS = 1_000;

    private final Undertow app;
    private final Undertow sandbox;
    private final ArtifactStore store;
    private final URI appOrigin;
    private final URI sandboxOrigin;
    private final String apiKey;

    private VitrineServer(Undertow app, Undertow sandbox, ArtifactStore store, URI appOrigin, URI sandboxOrigin, String apiKey) {
        this.app = app;
        this.sandbox = sandbox;
        this.store = store;
        this.appOrigin = appOrigin;
        this.sandboxOrigin = sandboxOrigin;
        this.apiKey = apiKey;
    }

    public static VitrineServer start(ServerConfig config, Clock clock, SecureRandom random) {
        ArtifactStore store = ArtifactStores.open(new StorageSettings(config.dataDirectory(), config.jdbcUrl()), clock, random);
        DeferredHandler appHandler = new DeferredHandler();
        DeferredHandler sandboxHandler = new DeferredHandler();
        Undertow app = listener(config.appListen(), appHandler);
        Undertow sandbox = listener(config.sandboxListen(), sandboxHandler);
        try {
            app.start();
            sandbox.start();
            URI appOrigin = boundOrigin(config.appOrigin(), app);
            URI sandboxOrigin = boundOrigin(config.sandboxOrigin(), sandbox);
            ServerConfig bound = config.boundTo(appOrigin, sandboxOrigin);
            String apiKey = config.apiKey().orElseGet(() -> developmentKey(random));

            SandboxSettings settings = new SandboxSettings(sandboxOrigin, bound.frameAncestors(), FramePaths.RUNTIME_PREFIX, FramePaths.REPORT_PATH);
            FrameRenderer renderer = new FrameRenderer(settings, CACHED_DOCUMENTS);
            JsonCodec json = new JsonCodec(config.maxBodySize());
            ArtifactApi api = new ArtifactApi(store, renderer, json, sandboxOrigin);
            appHandler.install(Origins.app(sandboxOrigin, apiKey, api, json, random));
            sandboxHandler.install(Origins.sandbox(settings, store, renderer, json));
            return new VitrineServer(app, sandbox, store, appOrigin, sandboxOrigin, apiKey);
        } catch (RuntimeException e) {
            app.stop();
            sandbox.stop();
            store.close();
            throw e;
        }
    }

    public URI appOrigin() {
        return appOrigin;
    }

    public URI sandboxOrigin() {
        return sandboxOrigin;
    }

    public String apiKey() {
        return apiKey;
    }

    /** Where the app listener is reachable on this machine, which differs from the origin behind a proxy. */
    public URI appListenUrl() {
        return listenUrl(app);
    }

    /** Where the sandbox listener is reachable on this machine. */
    public URI sandboxListenUrl() {
        return listenUrl(sandbox);
    }

    private static URI listenUrl(Undertow server) {
        InetSocketAddress address = (InetSocketAddress) server.getListenerInfo().get(0).getAddress();
        return URI.create("http://" + address.getHostString() + ":" + address.getPort());
    }

    @Override
    public void close() {
        app.stop();
        sandbox.stop();
        store.close();
    }

    private static Undertow listener(InetSocketAddress address, HttpHandler handler) {
        return Undertow.builder()
                .addHttpListener(address.getPort(), address.getHostString())
                .setServerOption(UndertowOptions.ALWAYS_SET_DATE, true)
                .setServerOption(UndertowOptions.ENABLE_HTTP2, false)
                .setHandler(handler)
                .build();
    }

    private static URI boundOrigin(URI configured, Undertow server) {
        if (configured.getPort() != 0) {
            return configured;
        }
        int port = listenUrl(server).getPort();
        try {
            return new URI(configured.getScheme(), null, configured.getHost(), port, null, null, null);
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot put port " + port + " into " + configured, e);
        }
    }

    private static String developmentKey(SecureRandom random) {
        byte[] bytes = new byte[24];
        random.nextBytes(bytes);
        return "vk_dev_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** Answers 503 until the real handler, which needs the bound ports, is installed. */
    private static final class DeferredHandler implements HttpHandler {
        private volatile HttpHandler delegate;

        void install(HttpHandler handler) {
            delegate = handler;
        }

        @Override
        public void handleRequest(HttpServerExchange exchange) throws Exception {
            HttpHandler current = delegate;
            if (current == null) {
                exchange.setStatusCode(503);
                exchange.endExchange();
                return;
            }
            current.handleRequest(exchange);
        }
    }
}

package dev.vitrine.server;

import dev.vitrine.csp.SandboxSettings;
import dev.vitrine.frame.FramePaths;
import dev.vitrine.frame.FrameRenderer;
import dev.vitrine.storage.Storage;
import dev.vitrine.storage.StorageLimits;
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
    private static final String VIEWER_TOKEN_KEY = "viewer-token-hmac";

    private final Undertow app;
    private final Undertow sandbox;
    private final Storage storage;
    private final URI appOrigin;
    private final URI sandboxOrigin;
    private final String apiKey;

    private VitrineServer(Undertow app, Undertow sandbox, Storage storage, URI appOrigin, URI sandboxOrigin, String apiKey) {
        this.app = app;
        this.sandbox = sandbox;
        this.storage = storage;
        this.appOrigin = appOrigin;
        this.sandboxOrigin = sandboxOrigin;
        this.apiKey = apiKey;
    }

    public static VitrineServer start(ServerConfig config, Clock clock, SecureRandom random) {
        Storage storage = Storage.open(new StorageSettings(config.dataDirectory(), config.jdbcUrl()),
                config.storageLimits(), clock, random);
        DeferredHandler appHandler = new DeferredHandler();
        DeferredHandler sandboxHandler = new DeferredHandler();
        Undertow app = listener(config.appListen(), appHandler);
        Undertow sandbox = listener(config.sandboxListen(), sandboxHandler);
        try {
            app.start();
            sandbox.start();
            URI appOrigin = boundOrigin(config.appOrigin(), app);
            URI sandboxOrigin = boundOrigin(config.sandboxOrigin(), sandbox);
            ServerConfig bound = config.withOrigins(appOrigin, sandboxOrigin, config.appListen(), config.sandboxListen());
            String apiKey = config.apiKey().orElseGet(() -> developmentKey(random));

            SandboxSettings settings = new SandboxSettings(sandboxOrigin, bound.frameAncestors(), FramePaths.RUNTIME_PREFIX, FramePaths.REPORT_PATH);
            FrameRenderer renderer = new FrameRenderer(settings, CACHED_DOCUMENTS);
            JsonCodec json = new JsonCodec(config.maxBodySize());
            ArtifactApi api = new ArtifactApi(storage.artifacts(), renderer, json, sandboxOrigin);
            StorageApi storageApi = new StorageApi(storage.artifacts(), storage.values(),
                    new ViewerTokens(storage.secret(VIEWER_TOKEN_KEY, 32), clock),
                    new RateLimiter(config.storageRate(), clock),
                    json, new JsonCodec(storageBodyLimit(config.storageLimits())),
                    appOrigin, sandboxOrigin, config.viewerTokenLifetime());
            appHandler.install(Origins.app(sandboxOrigin, bound.frameAncestors(), apiKey, api, storageApi, json, random));
            sandboxHandler.install(Origins.sandbox(settings, storage.artifacts(), renderer, json));
            return new VitrineServer(app, sandbox, storage, appOrigin, sandboxOrigin, apiKey);
        } catch (RuntimeException e) {
            app.stop();
            sandbox.stop();
            storage.close();
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
        storage.close();
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

    /** A storage call carries one value; JSON escaping can double its size, plus room for the rest. */
    private static DataSize storageBodyLimit(StorageLimits limits) {
        return DataSize.ofBytes(Math.addExact(Math.multiplyExact(limits.maxValueBytes(), 2L), 64 * 1024L));
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

package dev.vitrine.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vitrine.csp.SandboxSettings;
import dev.vitrine.frame.BrowserLibraries;
import dev.vitrine.frame.CompilerSettings;
import dev.vitrine.frame.ComponentCompiler;
import dev.vitrine.frame.FramePaths;
import dev.vitrine.frame.FrameRenderer;
import dev.vitrine.storage.LiveEventLog;
import dev.vitrine.storage.Storage;
import dev.vitrine.storage.StorageLimits;
import dev.vitrine.storage.StorageSettings;
import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
    private static final String VENDOR_MANIFEST = Origins.STATIC_ROOT + "vendor/manifest.json";
    /**
     * Compiles done before {@link #compilerReady()} completes: they load Sucrase into a pooled
     * context and take the slow first compiles, which bring an interpreted compile to ~100 ms
     * (iframe-host/README.md).
     */
    private static final int PRIME_COMPILES = 10;
    /**
     * With the JIT, compiles keep getting faster for thousands of runs after the prime; these,
     * in the background after it, buy ~8 ms.
     */
    private static final int JIT_WARM_UP_COMPILES = 1_500;
    private static final Logger LOG = LoggerFactory.getLogger(VitrineServer.class);

    private final Undertow app;
    private final Undertow sandbox;
    private final Storage storage;
    private final URI appOrigin;
    private final URI sandboxOrigin;
    private final String apiKey;
    private final ComponentCompiler compiler;
    private final ExecutorService background;
    private final CompletableFuture<Integer> compilerPrimed;
    private final AuditRetention retention;
    private final Streaming streaming;

    private VitrineServer(Undertow app, Undertow sandbox, Storage storage, ComponentCompiler compiler, ExecutorService background,
                          CompletableFuture<Integer> compilerPrimed, AuditRetention retention, Streaming streaming,
                          URI appOrigin, URI sandboxOrigin, String apiKey) {
        this.app = app;
        this.sandbox = sandbox;
        this.storage = storage;
        this.compiler = compiler;
        this.background = background;
        this.compilerPrimed = compilerPrimed;
        this.retention = retention;
        this.streaming = streaming;
        this.appOrigin = appOrigin;
        this.sandboxOrigin = sandboxOrigin;
        this.apiKey = apiKey;
    }

    public static VitrineServer start(ServerConfig config, Clock clock, SecureRandom random) {
        BrowserLibraries libraries = browserLibraries();
        Storage storage = Storage.open(new StorageSettings(config.dataDirectory(), config.jdbcUrl()),
                config.storageLimits(), clock, random);
        DeferredHandler appHandler = new DeferredHandler();
        DeferredHandler sandboxHandler = new DeferredHandler();
        Undertow app = listener(config.appListen(), appHandler, appBodyBackstop(config));
        Undertow sandbox = listener(config.sandboxListen(), sandboxHandler, UndertowOptions.DEFAULT_MAX_ENTITY_SIZE);
        ComponentCompiler compiler = ComponentCompiler.create(CompilerSettings.defaults(libraries.specifiers()));
        ExecutorService background = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "vitrine-compiler-warm-up");
            thread.setDaemon(true);
            return thread;
        });
        Streaming streaming;
        try {
            streaming = Streaming.start(config.streams(), clock, storage.liveEvents());
        } catch (RuntimeException e) {
            background.shutdownNow();
            compiler.close();
            storage.close();
            throw e;
        }
        try {
            app.start();
            sandbox.start();
            URI appOrigin = boundOrigin(config.appOrigin(), app);
            URI sandboxOrigin = boundOrigin(config.sandboxOrigin(), sandbox);
            ServerConfig bound = config.withOrigins(appOrigin, sandboxOrigin, config.appListen(), config.sandboxListen());
            String apiKey = config.apiKey().orElseGet(() -> developmentKey(random));

            SandboxSettings settings = new SandboxSettings(sandboxOrigin, bound.frameAncestors(), FramePaths.RUNTIME_PREFIX, FramePaths.REPORT_PATH);
            FrameRenderer renderer = new FrameRenderer(settings, CACHED_DOCUMENTS, compiler, libraries);
            if (!compiler.optimizing()) {
                LOG.info("React compiler runs in GraalJS's interpreter ({}): a compile takes ~100 ms; "
                        + "the Graal JIT flags in iframe-host/README.md make it ~3 ms", compiler.runtimeName());
            }
            // One thread runs both: the primed context joins the pool while the long warm-up runs on another.
            CompletableFuture<Integer> primed = compiler.warmUp(PRIME_COMPILES, background);
            if (compiler.optimizing()) {
                compiler.warmUp(JIT_WARM_UP_COMPILES, background);
            }
            JsonCodec json = new JsonCodec(config.maxBodySize());
            ArtifactEvents events = new ArtifactEvents(streaming.hub(), json);
            StreamDrafts drafts = new StreamDrafts();
            StreamApi streams = new StreamApi(new StreamIngestHandler.Services(storage.artifacts(), storage.partials(), renderer,
                    events, drafts, json, config.maxBodySize(), config.streams(), sandboxOrigin, streaming.timers(), streaming.checks(), clock),
                    storage.artifacts(), storage.partials());
            ArtifactApi api = new ArtifactApi(storage.artifacts(), storage.audit(), renderer, json, sandboxOrigin, events);
            StorageApi storageApi = new StorageApi(storage.artifacts(), storage.values(),
                    new ViewerTokens(storage.secret(VIEWER_TOKEN_KEY, 32), clock),
                    new RateLimiter(config.storageRate(), clock, "storage calls for this artifact and viewer"),
                    json, new JsonCodec(storageBodyLimit(config.storageLimits())),
                    appOrigin, sandboxOrigin, config.viewerTokenLifetime(), events);
            AuditSettings audit = config.audit();
            CspReportHandler reports = new CspReportHandler(new CspReports(sandboxOrigin), storage.audit(),
                    new RateLimiter(audit.reportRate(), clock, "CSP reports for this artifact"),
                    new RateLimiter(audit.reportRateTotal(), clock, "CSP reports for this server"),
                    audit.maxViolationsPerArtifact());
            appHandler.install(Origins.app(sandboxOrigin, bound.frameAncestors(), apiKey, api, storageApi,
                    new AuditApi(storage.audit(), json), streams,
                    new DemoApi(DemoTranscript.bundled(), listenUrl(app), apiKey, json), json, random));
            sandboxHandler.install(Origins.sandbox(settings, storage.artifacts(), renderer, drafts, reports, json));
            AuditRetention retention = AuditRetention.start(storage.audit(), audit.retention(), clock);
            return new VitrineServer(app, sandbox, storage, compiler, background, primed, retention, streaming,
                    appOrigin, sandboxOrigin, apiKey);
        } catch (RuntimeException e) {
            app.stop();
            sandbox.stop();
            streaming.close();
            background.shutdownNow();
            compiler.close();
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

    /**
     * Completes when the React compiler has Sucrase loaded in a pooled context and its first,
     * slow compiles behind it (about 3 s interpreted, 5 s with the JIT, after start); a
     * compile requested earlier works but waits for a context of its own.
     */
    public CompletableFuture<Integer> compilerReady() {
        return compilerPrimed;
    }

    /**
     * Runs audit retention now, as the hourly task does: deletes the events older than
     * {@code audit-retention} by the server's clock. For tests, which move the clock.
     *
     * @return how many events were deleted
     */
    long pruneAuditLog() {
        return retention.pruneNow();
    }

    @Override
    public void close() {
        app.stop();
        sandbox.stop();
        streaming.close();
        retention.close();
        background.shutdownNow();
        compiler.close();
        storage.close();
    }

    /** The libraries the static module's build bundled, as its manifest lists them. */
    private static BrowserLibraries browserLibraries() {
        try (InputStream in = VitrineServer.class.getClassLoader().getResourceAsStream(VENDOR_MANIFEST)) {
            if (in == null) {
                throw new IllegalStateException(VENDOR_MANIFEST + " is not on the class path: build the static module (mvn install)");
            }
            JsonNode manifest = new ObjectMapper().readTree(in);
            Map<String, String> imports = new LinkedHashMap<>();
            manifest.path("imports").properties().forEach(entry -> imports.put(entry.getKey(), entry.getValue().asText()));
            return new BrowserLibraries(imports, manifest.path("tailwind").path("file").asText(),
                    manifest.path("mermaid").path("file").asText());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + VENDOR_MANIFEST, e);
        }
    }

    private static Undertow listener(InetSocketAddress address, HttpHandler handler, long maxEntitySize) {
        return Undertow.builder()
                .addHttpListener(address.getPort(), address.getHostString())
                .setServerOption(UndertowOptions.ALWAYS_SET_DATE, true)
                .setServerOption(UndertowOptions.ENABLE_HTTP2, false)
                .setServerOption(UndertowOptions.MAX_ENTITY_SIZE, maxEntitySize)
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

    /**
     * Undertow's own limit on request bodies of the app origin. Its default, 2MB, cut off every
     * body above it with a connection error, below the 5MB {@code max-body-size} and the larger
     * storage bodies. The handlers enforce their limits themselves with a clear 413; this only
     * bounds what a route that reads no body drains, and stays above theirs so they answer first.
     */
    private static long appBodyBackstop(ServerConfig config) {
        long largest = Math.max(config.maxBodySize().bytes(), storageBodyLimit(config.storageLimits()).bytes());
        return Math.addExact(largest, 64 * 1024L);
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

    /**
     * The threads and the event hub of streaming: one timer thread (idle timeouts, check
     * debouncing, buffer sweeps) and one thread for checking streams in progress, which all
     * streams share, so that live compiles take at most one core whatever the number of streams.
     * The hub is shared with the other nodes when the database has a live event log (PostgreSQL).
     */
    private record Streaming(EventHub hub, ScheduledExecutorService timers, ExecutorService checks) implements AutoCloseable {
        static Streaming start(StreamSettings settings, Clock clock, Optional<LiveEventLog> shared) {
            ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(daemon("vitrine-stream-timers"));
            ExecutorService checks = Executors.newSingleThreadExecutor(daemon("vitrine-stream-checks"));
            try {
                EventHub hub = shared.<EventHub>map(log -> new SharedEventHub(log, settings, clock, timers))
                        .orElseGet(() -> new MemoryEventHub(settings, clock, timers));
                return new Streaming(hub, timers, checks);
            } catch (RuntimeException e) {
                timers.shutdownNow();
                checks.shutdownNow();
                throw e;
            }
        }

        private static ThreadFactory daemon(String name) {
            return runnable -> {
                Thread thread = new Thread(runnable, name);
                thread.setDaemon(true);
                return thread;
            };
        }

        @Override
        public void close() {
            hub.close();
            timers.shutdownNow();
            checks.shutdownNow();
        }
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

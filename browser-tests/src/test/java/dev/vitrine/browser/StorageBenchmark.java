package dev.vitrine.browser;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Frame;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import dev.vitrine.server.ServerConfig;
import dev.vitrine.server.VitrineServer;
import dev.vitrine.storage.ArtifactId;
import dev.vitrine.storage.ArtifactType;
import dev.vitrine.storage.Storage;
import dev.vitrine.storage.StorageLimits;
import dev.vitrine.storage.StorageScope;
import dev.vitrine.storage.StorageSettings;
import dev.vitrine.storage.ViewerId;
import dev.vitrine.storage.Writer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Storage throughput and latency, four paths on the same database in the same run:
 * raw JDBC (one upsert or select per call, autocommit — the baseline), the storage library
 * in process (the quota-checked transactions the API runs, without HTTP), the HTTP API a
 * viewer token calls, and the full bridge path (artifact frame → MessageChannel → embed SDK
 * in the chat page → HTTP API) in Chromium. Every loop is bounded in count.
 *
 * <pre>
 * ./vitrine test -DskipTests   # once, to build
 * mvn -q -pl browser-tests test-compile exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=dev.vitrine.browser.StorageBenchmark [-Dbench.operations=2000 -Dbench.concurrency=4]
 * </pre>
 */
public final class StorageBenchmark {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String VALUE = "v".repeat(1024);
    private static final StorageLimits LIMITS = new StorageLimits(5L << 20, 256L << 20, 100_000);

    private record Figures(String path, String op, double opsPerSecond, double p50Millis, double p99Millis) {
        String line() {
            return String.format(Locale.ROOT, "%-8s %-4s %9.0f ops/s   p50 %6.2f ms   p99 %6.2f ms", path, op, opsPerSecond, p50Millis, p99Millis);
        }
    }

    /** One call, timed by the harness. */
    @FunctionalInterface
    private interface Call {
        void run(int worker, int index) throws Exception;
    }

    public static void main(String[] args) throws Exception {
        int operations = Integer.getInteger("bench.operations", 2000);
        int concurrency = Integer.getInteger("bench.concurrency", 4);
        String pgBase = System.getenv().getOrDefault("VITRINE_TEST_PG_URL", "jdbc:postgresql://127.0.0.1:5432/test?user=postgres");
        System.out.printf("storage benchmark: %d operations per path and op, %d concurrent callers, 1 KB values%n", operations, concurrency);

        Path sqliteDir = Files.createTempDirectory("vitrine-bench");
        run("SQLite", "jdbc:sqlite:" + sqliteDir.resolve("vitrine.db"), ServerConfig.defaults().withDataDirectory(sqliteDir), operations, concurrency);

        String schema = "vitrine_bench_" + HexFormat.of().toHexDigits(System.nanoTime());
        try (Connection c = DriverManager.getConnection(pgBase); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + schema);
        }
        String pgUrl = pgBase + (pgBase.contains("?") ? "&" : "?") + "currentSchema=" + schema;
        try {
            run("PostgreSQL", pgUrl, ServerConfig.defaults().withDataDirectory(sqliteDir).withJdbcUrl(pgUrl), operations, concurrency);
        } finally {
            try (Connection c = DriverManager.getConnection(pgBase); Statement s = c.createStatement()) {
                s.execute("DROP SCHEMA " + schema + " CASCADE");
            }
        }
    }

    private static void run(String name, String jdbcUrl, ServerConfig base, int operations, int concurrency) throws Exception {
        System.out.println();
        System.out.println("== " + name);
        try (VitrineServer server = VitrineServer.start(base
                        .withOrigins(URI.create("http://localhost:0"), URI.create("http://127.0.0.1:0"))
                        .withStorage(LIMITS, 1_000_000),
                Clock.systemUTC(), new SecureRandom())) {
            List<Figures> raw = raw(jdbcUrl, operations, concurrency);
            List<Figures> store = store(base, operations, concurrency);
            List<Figures> api = api(server, operations, concurrency);
            List<Figures> bridge = Boolean.getBoolean("bench.skipBridge") ? raw : bridge(server, operations / 4, concurrency);
            for (List<Figures> figures : List.of(raw, store, api, bridge)) {
                figures.forEach(f -> System.out.println(f.line()));
            }
            for (int i = 0; i < 2; i++) {
                System.out.printf(Locale.ROOT, "ratio %-4s API/raw %5.1f %%   API/store %5.1f %%   store/raw %5.1f %%   bridge/raw %5.1f %%%n",
                        raw.get(i).op(),
                        100 * api.get(i).opsPerSecond() / raw.get(i).opsPerSecond(),
                        100 * api.get(i).opsPerSecond() / store.get(i).opsPerSecond(),
                        100 * store.get(i).opsPerSecond() / raw.get(i).opsPerSecond(),
                        100 * bridge.get(i).opsPerSecond() / raw.get(i).opsPerSecond());
            }
        }
    }

    private static List<Figures> raw(String jdbcUrl, int operations, int concurrency) throws Exception {
        List<Connection> connections = new ArrayList<>();
        for (int i = 0; i < concurrency; i++) {
            Connection connection = DriverManager.getConnection(jdbcUrl);
            if (jdbcUrl.startsWith("jdbc:sqlite:")) {
                try (Statement s = connection.createStatement()) {
                    s.execute("PRAGMA journal_mode=WAL");
                    s.execute("PRAGMA synchronous=NORMAL");
                    s.execute("PRAGMA busy_timeout=5000");
                }
            }
            connections.add(connection);
        }
        try (Statement s = connections.get(0).createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS bench_raw (k VARCHAR(200) PRIMARY KEY, v TEXT NOT NULL)");
        }
        String upsert = "INSERT INTO bench_raw (k, v) VALUES (?, ?) ON CONFLICT (k) DO UPDATE SET v = excluded.v";
        Figures set = measure("raw", "set", operations, concurrency, (worker, index) -> {
            try (PreparedStatement p = connections.get(worker).prepareStatement(upsert)) {
                p.setString(1, "k" + index);
                p.setString(2, VALUE);
                p.executeUpdate();
            }
        });
        Figures get = measure("raw", "get", operations, concurrency, (worker, index) -> {
            try (PreparedStatement p = connections.get(worker).prepareStatement("SELECT v FROM bench_raw WHERE k = ?")) {
                p.setString(1, "k" + index);
                try (ResultSet r = p.executeQuery()) {
                    if (!r.next()) {
                        throw new IllegalStateException("raw key k" + index + " missing");
                    }
                }
            }
        });
        for (Connection connection : connections) {
            connection.close();
        }
        return List.of(set, get);
    }

    /** The storage library in process, on a second pool over the same database: what the API costs over its own work. */
    private static List<Figures> store(ServerConfig config, int operations, int concurrency) throws Exception {
        try (Storage storage = Storage.open(new StorageSettings(config.dataDirectory(), config.jdbcUrl()), LIMITS,
                Clock.systemUTC(), new SecureRandom())) {
            ArtifactId id = storage.artifacts().create(ArtifactType.HTML, "store bench", "<p>bench</p>").id();
            ViewerId viewer = new ViewerId("store-bench");
            StorageScope scope = StorageScope.personal(id, viewer);
            Writer writer = new Writer(viewer, 1);
            Figures set = measure("store", "set", operations, concurrency, (worker, index) -> storage.values().set(scope, "k" + index, VALUE, writer));
            Figures get = measure("store", "get", operations, concurrency, (worker, index) -> storage.values().get(scope, "k" + index)
                    .orElseThrow(() -> new IllegalStateException("stored key k" + index + " missing")));
            return List.of(set, get);
        }
    }

    private static List<Figures> api(VitrineServer server, int operations, int concurrency) throws Exception {
        JsonNode access = viewer(server, "api-bench");
        URI url = URI.create(access.get("storageUrl").asText());
        String token = access.get("token").asText();
        List<KeepAliveClient> clients = new ArrayList<>();
        for (int i = 0; i < concurrency; i++) {
            clients.add(new KeepAliveClient(url));
        }
        try {
            Call ping = (worker, index) -> clients.get(worker).exchange("GET", "/healthz", null, null);
            Call set = (worker, index) -> clients.get(worker).exchange("POST", url.getPath(), token,
                    JSON.writeValueAsBytes(Map.of("op", "set", "key", "k" + index, "value", VALUE)));
            Call get = (worker, index) -> clients.get(worker).exchange("POST", url.getPath(), token,
                    JSON.writeValueAsBytes(Map.of("op", "get", "key", "k" + index)));
            System.out.println(measure("http", "ping", operations, concurrency, ping).line());
            return List.of(measure("API", "set", operations, concurrency, set), measure("API", "get", operations, concurrency, get));
        } finally {
            for (KeepAliveClient client : clients) {
                client.close();
            }
        }
    }

    private static List<Figures> bridge(VitrineServer server, int operations, int concurrency) throws Exception {
        String id = viewer(server, null).get("artifactId").asText();
        try (Playwright playwright = Playwright.create(new Playwright.CreateOptions().setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
             Browser browser = playwright.chromium().launch(new BrowserType.LaunchOptions()
                     .setExecutablePath(Paths.get(System.getenv().getOrDefault("VITRINE_CHROMIUM", "/usr/bin/chromium")))
                     .setArgs(List.of("--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                             "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic")))) {
            Page page = browser.newPage();
            page.navigate(server.appOrigin() + "/#key=" + server.apiKey() + "&viewer=bridge-bench&artifact=" + id);
            page.frameLocator("#frame-host iframe").locator("body").waitFor();
            Frame frame = page.locator("#frame-host iframe").elementHandle().contentFrame();
            frame.waitForLoadState();
            List<Figures> figures = new ArrayList<>();
            for (String op : List.of("set", "get")) {
                // Latencies are taken inside the frame, as the artifact experiences them.
                Object result = frame.evaluate("async ([op, n, lanes, value]) => {"
                        + " const latencies = []; let next = 0; const started = performance.now();"
                        + " const lane = async () => { while (true) { const i = next++; if (i >= n) return; const t = performance.now();"
                        + "   if (op === 'set') await window.storage.set('k' + i, value); else await window.storage.get('k' + i);"
                        + "   latencies.push(performance.now() - t); } };"
                        + " await Promise.all(Array.from({length: lanes}, lane));"
                        + " return {elapsed: performance.now() - started, latencies}; }",
                        List.of(op, operations, concurrency, VALUE));
                Map<?, ?> map = (Map<?, ?>) result;
                double elapsed = ((Number) map.get("elapsed")).doubleValue();
                double[] latencies = ((List<?>) map.get("latencies")).stream().mapToDouble(v -> ((Number) v).doubleValue()).toArray();
                figures.add(figures("bridge", op, operations, elapsed / 1000.0, latencies));
            }
            return figures;
        }
    }

    private static JsonNode viewer(VitrineServer server, String viewer) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> created = http.send(HttpRequest.newBuilder(server.appOrigin().resolve("/v1/artifacts"))
                .header("Authorization", "Bearer " + server.apiKey()).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"type\":\"html\",\"content\":\"<p>bench</p>\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        JsonNode artifact = JSON.readTree(created.body());
        if (viewer == null) {
            return JSON.createObjectNode().put("artifactId", artifact.get("id").asText());
        }
        HttpResponse<String> minted = http.send(HttpRequest.newBuilder(server.appOrigin().resolve("/v1/artifacts/" + artifact.get("id").asText() + "/viewers"))
                .header("Authorization", "Bearer " + server.apiKey()).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"viewer\":\"" + viewer + "\"}")).build(), HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(minted.body());
    }

    private static Figures measure(String path, String op, int operations, int concurrency, Call call) throws Exception {
        int warmup = Integer.getInteger("bench.warmup", 2000);
        for (int i = 0; i < warmup; i++) {
            call.run(i % concurrency, operations + i);
        }
        double[] latencies = new double[operations];
        AtomicInteger next = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        long started = System.nanoTime();
        List<Future<?>> lanes = new ArrayList<>();
        for (int w = 0; w < concurrency; w++) {
            int worker = w;
            lanes.add(pool.submit(() -> {
                for (int i = next.getAndIncrement(); i < operations; i = next.getAndIncrement()) {
                    long t = System.nanoTime();
                    call.run(worker, i);
                    latencies[i] = (System.nanoTime() - t) / 1e6;
                }
                return null;
            }));
        }
        for (Future<?> lane : lanes) {
            lane.get();
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        pool.shutdown();
        return figures(path, op, operations, seconds, latencies);
    }

    private static Figures figures(String path, String op, int operations, double seconds, double[] latencies) {
        double[] sorted = latencies.clone();
        Arrays.sort(sorted);
        return new Figures(path, op, operations / seconds,
                sorted[(int) (sorted.length * 0.50)], sorted[Math.min(sorted.length - 1, (int) (sorted.length * 0.99))]);
    }
}

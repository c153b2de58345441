package dev.vitrine.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a real server process with SIGKILL while viewers write, restarts it on the same
 * database, and checks that every acknowledged write is there in full and that nothing is
 * half there. Runs on embedded SQLite and on PostgreSQL.
 */
class StorageCrashTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String API_KEY = "crash-test-key-0123456789abcdef";
    private static final int WRITERS = 4;
    private static final int VALUE_SIZE = 4096;

    @TempDir
    Path data;

    @Test
    void acknowledgedWritesSurviveSigkillOnSqlite() throws Exception {
        crashAndVerify(List.of("--data-dir=" + data));
    }

    @Test
    void acknowledgedWritesSurviveSigkillOnPostgresql() throws Exception {
        String base = System.getenv().getOrDefault("VITRINE_TEST_PG_URL", "jdbc:postgresql://127.0.0.1:5432/test?user=postgres");
        String schema = "vitrine_crash_" + HexFormat.of().formatHex(java.nio.ByteBuffer.allocate(8).putLong(System.nanoTime()).array());
        execute(base, "CREATE SCHEMA " + schema);
        try {
            crashAndVerify(List.of("--data-dir=" + data, "--jdbc-url=" + base + (base.contains("?") ? "&" : "?") + "currentSchema=" + schema));
        } finally {
            execute(base, "DROP SCHEMA " + schema + " CASCADE");
        }
    }

    private void crashAndVerify(List<String> storageFlags) throws Exception {
        Map<String, String> acknowledged = new ConcurrentHashMap<>();
        Set<String> attempted = ConcurrentHashMap.newKeySet();
        String artifact;
        String token;
        String storageUrl;

        try (ServerProcess first = ServerProcess.start(List.of(), serverFlags(storageFlags))) {
            URI app = first.app();
            artifact = post(app, "/v1/artifacts", Map.of("type", "html", "content", "<p>crash</p>")).get("id").asText();
            JsonNode access = post(app, "/v1/artifacts/" + artifact + "/viewers", Map.of("viewer", "crash-viewer"));
            token = access.get("token").asText();
            storageUrl = access.get("storageUrl").asText();

            AtomicInteger next = new AtomicInteger();
            ExecutorService writers = Executors.newFixedThreadPool(WRITERS);
            for (int w = 0; w < WRITERS; w++) {
                writers.submit(() -> {
                    while (!Thread.currentThread().isInterrupted()) {
                        String key = "k" + next.getAndIncrement();
                        String value = valueFor(key);
                        attempted.add(key);
                        try {
                            HttpResponse<String> response = storageCall(storageUrl, token, Map.of("op", "set", "key", key, "value", value));
                            if (response.statusCode() == 200) {
                                acknowledged.put(key, value);
                            }
                        } catch (IOException | InterruptedException e) {
                            return;
                        }
                    }
                });
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (acknowledged.size() < 150 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            first.kill();
            writers.shutdownNow();
            assertTrue(writers.awaitTermination(10, TimeUnit.SECONDS));
        }
        assertTrue(acknowledged.size() >= 150, "only " + acknowledged.size() + " writes were acknowledged before the kill");

        try (ServerProcess second = ServerProcess.start(List.of(), serverFlags(storageFlags))) {
            // The restarted server listens on a new port; the token minted before the crash must
            // still work, because the signing key lives in the database.
            URI restarted = second.app();
            String storageUrlAfter = restarted.resolve(URI.create(storageUrl).getPath()).toString();
            List<String> keys = new ArrayList<>();
            JsonNode listed = JSON.readTree(storageCall(storageUrlAfter, token, Map.of("op", "list")).body());
            listed.get("keys").forEach(k -> keys.add(k.asText()));
            for (Map.Entry<String, String> write : acknowledged.entrySet()) {
                assertTrue(keys.contains(write.getKey()), "acknowledged write " + write.getKey() + " is lost");
            }
            for (String key : keys) {
                assertTrue(attempted.contains(key), "unknown key " + key);
                HttpResponse<String> got = storageCall(storageUrlAfter, token, Map.of("op", "get", "key", key));
                assertEquals(valueFor(key), JSON.readTree(got.body()).get("value").asText(), "value of " + key + " is not whole");
            }
            System.out.printf("crash test %s: %d writes acknowledged, %d attempted, %d present after restart%n",
                    storageFlags.size() > 1 ? "PostgreSQL" : "SQLite", acknowledged.size(), attempted.size(), keys.size());
            JsonNode usage = get(restarted, "/v1/artifacts/" + artifact + "/storage");
            long expectedBytes = keys.stream().mapToLong(k -> k.length() + (long) VALUE_SIZE).sum();
            long personalBytes = 0;
            for (JsonNode scope : usage.get("scopes")) {
                if (scope.get("viewer").asText().equals("crash-viewer")) {
                    personalBytes = scope.get("bytes").asLong();
                }
            }
            assertEquals(expectedBytes, personalBytes, "usage disagrees with what is stored: " + usage);
        }
    }

    /** A value that can be checked whole: the key repeated to a fixed size. */
    private static String valueFor(String key) {
        StringBuilder value = new StringBuilder(VALUE_SIZE);
        while (value.length() < VALUE_SIZE) {
            value.append(key).append(';');
        }
        return value.substring(0, VALUE_SIZE);
    }

    private static List<String> serverFlags(List<String> storageFlags) {
        List<String> flags = new ArrayList<>(List.of("--api-key=" + API_KEY, "--storage-rate=100000"));
        flags.addAll(storageFlags);
        return flags;
    }

    private static JsonNode post(URI app, String path, Object body) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(app.resolve(path))
                .header("Authorization", "Bearer " + API_KEY).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(201, response.statusCode(), response.body());
        return JSON.readTree(response.body());
    }

    private static JsonNode get(URI app, String path) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(app.resolve(path))
                .header("Authorization", "Bearer " + API_KEY).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        return JSON.readTree(response.body());
    }

    private static HttpResponse<String> storageCall(String url, String token, Object operation) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(operation))).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void execute(String url, String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection(url); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}

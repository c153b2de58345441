package dev.vitrine.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
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
        try (PostgresSchema schema = new PostgresSchema("vitrine_crash")) {
            crashAndVerify(List.of("--data-dir=" + data, "--jdbc-url=" + schema.jdbcUrl()));
        }
    }

    private void crashAndVerify(List<String> storageFlags) throws Exception {
        Map<String, String> acknowledged = new ConcurrentHashMap<>();
        Set<String> attempted = ConcurrentHashMap.newKeySet();
        String artifact;
        String token;
        String storageUrl;

        try (ServerProcess first = ServerProcess.start(List.of(), serverFlags(storageFlags))) {
            artifact = first.post("/v1/artifacts", Map.of("type", "html", "content", "<p>crash</p>")).get("id").asText();
            JsonNode access = first.post("/v1/artifacts/" + artifact + "/viewers", Map.of("viewer", "crash-viewer"));
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
                            HttpResponse<String> response = ServerProcess.storageCall(storageUrl, token, Map.of("op", "set", "key", key, "value", value));
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
            JsonNode listed = ServerProcess.json(ServerProcess.storageCall(storageUrlAfter, token, Map.of("op", "list")));
            listed.get("keys").forEach(k -> keys.add(k.asText()));
            for (Map.Entry<String, String> write : acknowledged.entrySet()) {
                assertTrue(keys.contains(write.getKey()), "acknowledged write " + write.getKey() + " is lost");
            }
            for (String key : keys) {
                assertTrue(attempted.contains(key), "unknown key " + key);
                HttpResponse<String> got = ServerProcess.storageCall(storageUrlAfter, token, Map.of("op", "get", "key", key));
                assertEquals(valueFor(key), ServerProcess.json(got).get("value").asText(), "value of " + key + " is not whole");
            }
            System.out.printf("crash test %s: %d writes acknowledged, %d attempted, %d present after restart%n",
                    storageFlags.size() > 1 ? "PostgreSQL" : "SQLite", acknowledged.size(), attempted.size(), keys.size());
            JsonNode usage = second.get("/v1/artifacts/" + artifact + "/storage");
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
        List<String> flags = new ArrayList<>(List.of("--storage-rate=100000"));
        flags.addAll(storageFlags);
        return flags;
    }
}

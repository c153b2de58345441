package dev.vitrine.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Two server processes on one PostgreSQL, as two nodes behind a load balancer: each keeps its
 * own read cache, and a viewer whose calls alternate between them never reads a stale value.
 */
class TwoNodeStorageTest {
    @Test
    void writesOnOneNodeAreReadOnTheOtherAtOnce() throws Exception {
        try (PostgresSchema schema = new PostgresSchema("vitrine_nodes");
             ServerProcess a = ServerProcess.start(List.of(), List.of("--jdbc-url=" + schema.jdbcUrl()));
             ServerProcess b = ServerProcess.start(List.of(), List.of("--jdbc-url=" + schema.jdbcUrl()))) {
            String artifact = a.post("/v1/artifacts", Map.of("type", "html", "content", "<p>two nodes</p>")).get("id").asText();
            JsonNode access = a.post("/v1/artifacts/" + artifact + "/viewers", Map.of("viewer", "alice"));
            String token = access.get("token").asText();
            String onA = access.get("storageUrl").asText();
            String onB = b.app().resolve(URI.create(onA).getPath()).toString();

            for (boolean shared : List.of(false, true)) {
                call(onA, token, Map.of("op", "set", "key", "k", "value", "one", "shared", shared), 200);
                assertEquals("one", call(onB, token, Map.of("op", "get", "key", "k", "shared", shared), 200).get("value").asText());
                // B has "one" cached now; a write on A must not leave B answering it.
                call(onA, token, Map.of("op", "set", "key", "k", "value", "two", "shared", shared), 200);
                assertEquals("two", call(onB, token, Map.of("op", "get", "key", "k", "shared", shared), 200).get("value").asText());
                assertEquals("two", call(onA, token, Map.of("op", "get", "key", "k", "shared", shared), 200).get("value").asText());
                call(onB, token, Map.of("op", "delete", "key", "k", "shared", shared), 200);
                assertEquals("key_not_found", call(onA, token, Map.of("op", "get", "key", "k", "shared", shared), 404)
                        .at("/error/code").asText());
            }

            call(onA, token, Map.of("op", "set", "key", "left", "value", "behind"), 200);
            assertEquals("behind", call(onB, token, Map.of("op", "get", "key", "left"), 200).get("value").asText());
            b.delete("/v1/artifacts/" + artifact);
            assertEquals("not_found", call(onA, token, Map.of("op", "get", "key", "left"), 404).at("/error/code").asText());
        }
    }

    private static JsonNode call(String url, String token, Map<String, Object> operation, int status) throws Exception {
        HttpResponse<String> response = ServerProcess.storageCall(url, token, operation);
        assertEquals(status, response.statusCode(), operation + " on " + url + ": " + response.body());
        return ServerProcess.json(response);
    }
}

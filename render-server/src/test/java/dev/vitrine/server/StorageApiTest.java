package dev.vitrine.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vitrine.storage.StorageLimits;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StorageApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final MutableClock CLOCK = new MutableClock(Instant.parse("2026-11-23T10:00:00Z"));

    @TempDir
    static Path data;
    static RunningServer running;

    @BeforeAll
    static void start() {
        running = new RunningServer(data, CLOCK, config -> config.withStorage(new StorageLimits(1024, 4096, 10), 5));
    }

    @AfterAll
    static void stop() {
        running.close();
    }

    private static JsonNode json(HttpResponse<String> response) throws Exception {
        return JSON.readTree(response.body());
    }

    private static HttpResponse<String> apiPost(String path, Object body) throws Exception {
        return running.send(running.api(path).header("Content-Type", "application/json")
                .POST(RunningServer.json(JSON.writeValueAsString(body))).build());
    }

    private static String createArtifact() throws Exception {
        return json(apiPost("/v1/artifacts", Map.of("type", "html", "content", "<p>store</p>"))).get("id").asText();
    }

    private static JsonNode mint(String artifact, String viewer) throws Exception {
        HttpResponse<String> response = apiPost("/v1/artifacts/" + artifact + "/viewers", Map.of("viewer", viewer));
        assertEquals(201, response.statusCode(), response.body());
        return json(response);
    }

    private static HttpResponse<String> call(String storageUrl, String token, Object operation) throws Exception {
        return running.send(HttpRequest.newBuilder(URI.create(storageUrl))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(RunningServer.json(JSON.writeValueAsString(operation))).build());
    }

    private static void assertError(HttpResponse<String> response, int status, String code) throws Exception {
        assertEquals(status, response.statusCode(), response.body());
        assertEquals(code, json(response).at("/error/code").asText(), response.body());
    }

    @Test
    void viewerWritesAndReadsBackInClaudesShapes() throws Exception {
        JsonNode access = mint(createArtifact(), "alice");
        String url = access.get("storageUrl").asText();
        String token = access.get("token").asText();
        assertEquals(200, call(url, token, Map.of("op", "set", "key", "todo:1", "value", "milk")).statusCode());
        JsonNode got = json(call(url, token, Map.of("op", "get", "key", "todo:1")));
        assertEquals("todo:1", got.get("key").asText());
        assertEquals("milk", got.get("value").asText());
        assertFalse(got.get("shared").asBoolean());
        JsonNode listed = json(call(url, token, Map.of("op", "list", "prefix", "todo:")));
        assertEquals("[\"todo:1\"]", listed.get("keys").toString());
        assertEquals(true, json(call(url, token, Map.of("op", "delete", "key", "todo:1"))).get("deleted").asBoolean());
        assertError(call(url, token, Map.of("op", "get", "key", "todo:1")), 404, "key_not_found");
    }

    @Test
    void forgedTokensAreRefusedAndNothingIsWritten() throws Exception {
        String artifact = createArtifact();
        JsonNode access = mint(artifact, "alice");
        String url = access.get("storageUrl").asText();
        String token = access.get("token").asText();
        String tampered = token.substring(0, token.length() - 2) + (token.endsWith("A") ? "BB" : "AA");
        assertError(call(url, tampered, Map.of("op", "set", "key", "k", "value", "v")), 403, "invalid_token");
        assertError(call(url, "v1.bm9wZQ.bm9wZQ", Map.of("op", "set", "key", "k", "value", "v")), 403, "invalid_token");
        assertError(call(url, "", Map.of("op", "set", "key", "k", "value", "v")), 403, "invalid_token");
        JsonNode usage = json(running.send(running.api("/v1/artifacts/" + artifact + "/storage").GET().build()));
        for (JsonNode scope : usage.get("scopes")) {
            assertEquals(0, scope.get("bytes").asLong(), usage.toString());
        }
    }

    @Test
    void tokenOfAnotherArtifactIsRefused() throws Exception {
        JsonNode a = mint(createArtifact(), "alice");
        JsonNode b = mint(createArtifact(), "alice");
        assertError(call(a.get("storageUrl").asText(), b.get("token").asText(), Map.of("op", "get", "key", "k")), 403, "invalid_token");
    }

    @Test
    void expiredTokenIsRefused() throws Exception {
        String artifact = createArtifact();
        HttpResponse<String> minted = apiPost("/v1/artifacts/" + artifact + "/viewers", Map.of("viewer", "alice", "ttlSeconds", 60));
        JsonNode access = json(minted);
        CLOCK.advance(Duration.ofSeconds(61));
        assertError(call(access.get("storageUrl").asText(), access.get("token").asText(), Map.of("op", "list")), 403, "token_expired");
    }

    @Test
    void overLimitWritesAreRefusedWithTheLimitsCode() throws Exception {
        JsonNode access = mint(createArtifact(), "alice");
        String url = access.get("storageUrl").asText();
        String token = access.get("token").asText();
        assertError(call(url, token, Map.of("op", "set", "key", "big", "value", "x".repeat(2000))), 413, "value_too_large");
        assertError(call(url, token, Map.of("op", "set", "key", "bad key", "value", "x")), 400, "invalid_key");
        for (int i = 0; i < 4; i++) {
            CLOCK.advance(Duration.ofSeconds(1));
            assertEquals(200, call(url, token, Map.of("op", "set", "key", "k" + i, "value", "x".repeat(1000))).statusCode());
        }
        CLOCK.advance(Duration.ofSeconds(1));
        assertError(call(url, token, Map.of("op", "set", "key", "k4", "value", "x".repeat(1000))), 413, "quota_exceeded");
    }

    @Test
    void tooManyCallsAreRateLimitedWithARetryHint() throws Exception {
        JsonNode access = mint(createArtifact(), "bob");
        String url = access.get("storageUrl").asText();
        String token = access.get("token").asText();
        for (int i = 0; i < 10; i++) {
            assertEquals(200, call(url, token, Map.of("op", "list")).statusCode(), "call " + i + " is within the burst");
        }
        HttpResponse<String> limited = call(url, token, Map.of("op", "list"));
        assertError(limited, 429, "rate_limited");
        assertEquals("1", limited.headers().firstValue("Retry-After").orElse(null));
        CLOCK.advance(Duration.ofSeconds(1));
        assertEquals(200, call(url, token, Map.of("op", "list")).statusCode());
    }

    @Test
    void usageShowsScopesAndDeletingTheArtifactDeletesItsStorage() throws Exception {
        String artifact = createArtifact();
        JsonNode access = mint(artifact, "carol");
        CLOCK.advance(Duration.ofSeconds(5));
        call(access.get("storageUrl").asText(), access.get("token").asText(), Map.of("op", "set", "key", "note", "value", "hi"));
        call(access.get("storageUrl").asText(), access.get("token").asText(), Map.of("op", "set", "key", "board", "value", "all", "shared", true));
        JsonNode usage = json(running.send(running.api("/v1/artifacts/" + artifact + "/storage").GET().build()));
        assertEquals(2, usage.get("scopes").size(), usage.toString());
        assertEquals(true, usage.at("/scopes/0/shared").asBoolean(), usage.toString());
        assertEquals(3, usage.at("/scopes/0/bytes").asLong() - "board".length(), usage.toString());
        assertEquals(1024, usage.at("/limits/maxValueBytes").asInt());
        assertEquals(204, running.send(running.api("/v1/artifacts/" + artifact).DELETE().build()).statusCode());
        assertEquals(404, running.send(running.api("/v1/artifacts/" + artifact + "/storage").GET().build()).statusCode());
        assertError(call(access.get("storageUrl").asText(), access.get("token").asText(), Map.of("op", "list")), 404, "not_found");
    }

    @Test
    void mintingNeedsTheApiKeyAndAValidViewer() throws Exception {
        String artifact = createArtifact();
        HttpResponse<String> anonymous = running.send(HttpRequest.newBuilder(running.server.appOrigin().resolve("/v1/artifacts/" + artifact + "/viewers"))
                .header("Content-Type", "application/json").POST(RunningServer.json("{\"viewer\":\"x\"}")).build());
        assertError(anonymous, 401, "unauthorized");
        assertError(apiPost("/v1/artifacts/" + artifact + "/viewers", Map.of("viewer", "has space")), 400, "invalid_field");
        assertError(apiPost("/v1/artifacts/" + artifact + "/viewers", Map.of("viewer", "v", "ttlSeconds", 999_999_999)), 400, "invalid_field");
    }

    @Test
    void onlyConfiguredChatOriginsMayCallStorageAcrossOrigins() throws Exception {
        String url = mint(createArtifact(), "dave").get("storageUrl").asText();
        HttpResponse<String> allowed = running.send(HttpRequest.newBuilder(URI.create(url))
                .header("Origin", running.server.appOrigin().toString())
                .header("Access-Control-Request-Method", "POST")
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).build());
        assertEquals(204, allowed.statusCode());
        assertEquals(running.server.appOrigin().toString(), allowed.headers().firstValue("Access-Control-Allow-Origin").orElse(null));
        HttpResponse<String> other = running.send(HttpRequest.newBuilder(URI.create(url))
                .header("Origin", "http://evil.test")
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).build());
        assertTrue(other.headers().firstValue("Access-Control-Allow-Origin").isEmpty());
    }
}

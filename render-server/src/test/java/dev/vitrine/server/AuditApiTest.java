package dev.vitrine.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code GET /v1/artifacts/{id}/audit} over real HTTP: what the trail shows, pages, the JSON-lines export, retention. */
class AuditApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final MutableClock CLOCK = new MutableClock(Instant.parse("2026-11-23T10:00:00Z"));

    @TempDir
    static Path data;
    static RunningServer running;

    @BeforeAll
    static void start() {
        running = new RunningServer(data, CLOCK, config -> config.withAudit(AuditSettings.defaults().withRetention(Duration.ofDays(30))));
    }

    @AfterAll
    static void stop() {
        running.close();
    }

    private static HttpResponse<String> apiPost(String path, Object body) throws Exception {
        return running.send(running.api(path).header("Content-Type", "application/json")
                .POST(RunningServer.json(JSON.writeValueAsString(body))).build());
    }

    private static String create(String type, String content) throws Exception {
        HttpResponse<String> created = apiPost("/v1/artifacts", Map.of("type", type, "content", content));
        assertEquals(201, created.statusCode(), created.body());
        return JSON.readTree(created.body()).get("id").asText();
    }

    private static HttpResponse<String> audit(String id, String query) {
        return running.send(running.api("/v1/artifacts/" + id + "/audit" + query).GET().build());
    }

    private static JsonNode events(String id) throws Exception {
        HttpResponse<String> response = audit(id, "?limit=1000");
        assertEquals(200, response.statusCode(), response.body());
        return JSON.readTree(response.body()).get("events");
    }

    private static List<String> types(JsonNode events) {
        List<String> types = new ArrayList<>();
        events.forEach(event -> types.add(event.get("type").asText()));
        return types;
    }

    private static void assertError(HttpResponse<String> response, int status, String code) throws Exception {
        assertEquals(status, response.statusCode(), response.body());
        assertEquals(code, JSON.readTree(response.body()).at("/error/code").asText(), response.body());
        assertTrue(JSON.readTree(response.body()).at("/error/message").asText().length() > 10);
    }

    @Test
    void theTrailListsCreationVersionsStorageWritesAndDeletionOldestFirst() throws Exception {
        String id = create("html", "<p>one</p>");
        CLOCK.advance(Duration.ofSeconds(1));
        assertEquals(201, apiPost("/v1/artifacts/" + id + "/versions", Map.of("content", "<p>two</p>")).statusCode());
        JsonNode viewer = JSON.readTree(apiPost("/v1/artifacts/" + id + "/viewers", Map.of("viewer", "alice")).body());
        HttpResponse<String> set = running.send(HttpRequest.newBuilder(URI.create(viewer.get("storageUrl").asText()))
                .header("Authorization", "Bearer " + viewer.get("token").asText()).header("Content-Type", "application/json")
                .POST(RunningServer.json("{\"op\":\"set\",\"key\":\"todo:1\",\"value\":\"milk\",\"shared\":true}")).build());
        assertEquals(200, set.statusCode(), set.body());
        assertEquals(204, running.send(running.api("/v1/artifacts/" + id).DELETE().build()).statusCode());

        JsonNode events = events(id);

        assertEquals(List.of("created", "version", "storage_write", "deleted"), types(events), events.toString());
        JsonNode created = events.get(0);
        assertEquals(1, created.get("version").asInt());
        assertEquals("html", created.at("/content/type").asText());
        assertEquals(64, created.at("/content/sha256").asText().length());
        assertEquals(10, created.at("/content/bytes").asLong());
        assertEquals(2, events.get(1).get("version").asInt());
        assertEquals(CLOCK.instant().toString(), events.get(1).get("at").asText());
        JsonNode write = events.get(2);
        assertEquals(2, write.get("version").asInt(), "the version the viewer token was minted for");
        assertEquals("set", write.at("/storage/op").asText());
        assertEquals("alice", write.at("/storage/viewer").asText());
        assertTrue(write.at("/storage/shared").asBoolean());
        assertEquals("todo:1", write.at("/storage/key").asText());
        assertEquals(10, write.at("/storage/bytes").asLong());
        assertFalse(write.toString().contains("milk"), "values are never recorded");
        assertEquals(2, events.get(3).get("version").asInt(), "deleted at its latest version");
        for (int i = 1; i < events.size(); i++) {
            assertTrue(events.get(i - 1).get("sequence").asLong() < events.get(i).get("sequence").asLong());
        }
    }

    @Test
    void contentRefusedAsANewVersionIsRecordedWithItsCodeAndNoVersion() throws Exception {
        String id = create("svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"><rect width=\"1\" height=\"1\"/></svg>");
        assertEquals(400, apiPost("/v1/artifacts/" + id + "/versions", Map.of("content", "<p>not an image</p>")).statusCode());
        assertEquals(400, apiPost("/v1/artifacts/" + id + "/versions", Map.of("colour", "red")).statusCode());

        JsonNode events = events(id);

        assertEquals(List.of("created", "rejected"), types(events), "a malformed request is not the artifact's history");
        assertEquals("invalid_svg", events.get(1).at("/rejection/code").asText());
        assertFalse(events.get(1).at("/rejection/message").asText().isEmpty());
        assertFalse(events.get(1).has("version"), events.get(1).toString());
    }

    @Test
    void pagesFollowTheNextCursorUntilItIsAbsent() throws Exception {
        String id = create("html", "<p>1</p>");
        for (int i = 2; i <= 6; i++) {
            apiPost("/v1/artifacts/" + id + "/versions", Map.of("content", "<p>" + i + "</p>"));
        }

        JsonNode first = JSON.readTree(audit(id, "?limit=4").body());
        JsonNode second = JSON.readTree(audit(id, "?limit=4&after=" + first.get("next").asText()).body());

        assertEquals(id, first.get("artifactId").asText());
        assertEquals(List.of("created", "version", "version", "version"), types(first.get("events")));
        assertEquals(first.get("events").get(3).get("sequence").asText(), first.get("next").asText());
        assertEquals(2, second.get("events").size());
        assertEquals(6, second.get("events").get(1).get("version").asInt());
        assertFalse(second.has("next"), second.toString());
        assertEquals(6, JSON.readTree(audit(id, "").body()).get("events").size(), "100 by default");
    }

    @Test
    void badPagingParametersAreRefused() throws Exception {
        String id = create("html", "<p>x</p>");
        for (String query : List.of("?limit=0", "?limit=1001", "?limit=ten", "?after=-1", "?after=1e3", "?format=xml",
                "?limit=1&limit=2")) {
            assertError(audit(id, query), 400, "invalid_field");
        }
    }

    @Test
    void theJsonLinesExportStreamsOneEventALineAcrossManyPages() throws Exception {
        String id = create("markdown", "# 1");
        int versions = AuditApi.EXPORT_PAGE + 20;
        for (int i = 2; i <= versions; i++) {
            assertEquals(201, apiPost("/v1/artifacts/" + id + "/versions", Map.of("content", "# " + i)).statusCode());
        }

        HttpResponse<String> byQuery = audit(id, "?format=jsonl");
        HttpResponse<String> byAccept = running.send(running.api("/v1/artifacts/" + id + "/audit")
                .header("Accept", "application/x-ndjson").GET().build());

        assertEquals(200, byQuery.statusCode(), byQuery.body());
        assertEquals("application/x-ndjson; charset=utf-8", byQuery.headers().firstValue("Content-Type").orElse(null));
        assertTrue(byQuery.headers().firstValue("Content-Length").isEmpty(), "streamed in chunks, not sized up front");
        assertTrue(byQuery.body().endsWith("\n"));
        String[] lines = byQuery.body().split("\n");
        assertEquals(versions, lines.length);
        for (int i = 0; i < lines.length; i++) {
            JsonNode event = JSON.readTree(lines[i]);
            assertEquals(i + 1, event.get("version").asInt(), lines[i]);
            assertEquals(i == 0 ? "created" : "version", event.get("type").asText());
        }
        assertEquals(byQuery.body(), byAccept.body());
        String after = JSON.readTree(lines[versions - 3]).get("sequence").asText();
        assertEquals(2, audit(id, "?format=jsonl&after=" + after).body().split("\n").length, "an export resumes after a cursor");
    }

    @Test
    void retentionPrunesEventsOlderThanTheConfiguredPeriod() throws Exception {
        String old = create("html", "<p>old</p>");
        String deleted = create("html", "<p>deleted</p>");
        assertEquals(204, running.send(running.api("/v1/artifacts/" + deleted).DELETE().build()).statusCode());
        CLOCK.advance(Duration.ofDays(31));
        String recent = create("html", "<p>recent</p>");
        apiPost("/v1/artifacts/" + old + "/versions", Map.of("content", "<p>old, edited</p>"));

        running.server.pruneAuditLog(); // what the hourly task does

        assertEquals(List.of("version"), types(events(old)), "a live artifact keeps its recent events");
        assertEquals(List.of("created"), types(events(recent)));
        assertError(audit(deleted, ""), 404, "not_found");
        assertEquals(0, running.server.pruneAuditLog());
    }

    @Test
    void anUnknownArtifactIsNotFound() throws Exception {
        assertError(audit("aaaaaaaaaaaaaaaaaaaaaaaaaa", ""), 404, "not_found");
        assertError(audit("not-an-id", ""), 404, "not_found");
        assertError(audit("aaaaaaaaaaaaaaaaaaaaaaaaaa", "?format=jsonl"), 404, "not_found");
    }

    @Test
    void theTrailNeedsTheApiKey() throws Exception {
        String id = create("html", "<p>x</p>");
        URI url = running.server.appOrigin().resolve("/v1/artifacts/" + id + "/audit");
        assertError(running.send(HttpRequest.newBuilder(url).GET().build()), 401, "unauthorized");
        assertError(running.send(HttpRequest.newBuilder(url).header("Authorization", "Bearer wrong-key-wrong-key-wrong").GET().build()),
                401, "unauthorized");
        assertError(running.send(running.api("/v1/artifacts/" + id + "/audit").DELETE().build()), 405, "method_not_allowed");
    }
}

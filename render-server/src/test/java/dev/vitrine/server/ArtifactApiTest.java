package dev.vitrine.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArtifactApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path data;
    static RunningServer running;

    @BeforeAll
    static void start() {
        running = new RunningServer(data, DataSize.ofKilobytes(64));
    }

    @AfterAll
    static void stop() {
        running.close();
    }

    private HttpResponse<String> post(String path, String body) {
        return running.send(running.api(path).header("Content-Type", "application/json").POST(RunningServer.json(body)).build());
    }

    private HttpResponse<String> get(String path) {
        return running.send(running.api(path).GET().build());
    }

    private static JsonNode body(HttpResponse<String> response) throws Exception {
        return JSON.readTree(response.body());
    }

    private static void assertError(HttpResponse<String> response, int status, String code) throws Exception {
        assertEquals(status, response.statusCode(), response.body());
        assertEquals(code, body(response).at("/error/code").asText(), response.body());
        assertTrue(body(response).at("/error/message").asText().length() > 10, "a message a person understands");
    }

    private String create(String content) throws Exception {
        return create("html", content);
    }

    private String create(String type, String content) throws Exception {
        HttpResponse<String> response = post("/v1/artifacts", JSON.writeValueAsString(
                Map.of("type", type, "title", "t", "content", content)));
        assertEquals(201, response.statusCode(), response.body());
        return body(response).get("id").asText();
    }

    /** {@code {"edits": [{"old": pairs[0], "new": pairs[1]}, …]}}, with {@code baseVersion} unless it is null. */
    private HttpResponse<String> edit(String id, Integer baseVersion, String... pairs) throws Exception {
        List<Map<String, String>> edits = new ArrayList<>();
        for (int i = 0; i < pairs.length; i += 2) {
            edits.add(Map.of("old", pairs[i], "new", pairs[i + 1]));
        }
        Map<String, Object> request = baseVersion == null
                ? Map.of("edits", edits) : Map.of("edits", edits, "baseVersion", baseVersion);
        return post("/v1/artifacts/" + id + "/versions", JSON.writeValueAsString(request));
    }

    private int latestVersion(String id) throws Exception {
        return body(get("/v1/artifacts/" + id)).get("version").asInt();
    }

    private JsonNode lastAuditEvent(String id) throws Exception {
        JsonNode events = body(get("/v1/artifacts/" + id + "/audit")).get("events");
        return events.get(events.size() - 1);
    }

    @Test
    void createdArtifactIsReadBackWithItsFrameUrlAndRemovals() throws Exception {
        HttpResponse<String> created = post("/v1/artifacts",
                "{\"type\":\"html\",\"title\":\"Chart\",\"content\":\"<p>hi</p><base href='http://evil.test/'>\"}");
        assertEquals(201, created.statusCode(), created.body());
        JsonNode artifact = body(created);
        String id = artifact.get("id").asText();
        assertEquals("/v1/artifacts/" + id, created.headers().firstValue("Location").orElseThrow());
        assertEquals(running.server.sandboxOrigin() + "/f/" + id + "/1", artifact.get("frameUrl").asText());
        assertEquals(1, artifact.at("/latest/removed").size(), artifact.toString());

        JsonNode read = body(get("/v1/artifacts/" + id));
        assertEquals("Chart", read.get("title").asText());
        assertEquals("html", read.get("type").asText());
        assertEquals(1, read.get("version").asInt());
        assertEquals("<p>hi</p><base href='http://evil.test/'>", read.at("/latest/content").asText());
    }

    @Test
    void newVersionIsNumberedAndReadableByNumber() throws Exception {
        String id = create("<p>one</p>");
        HttpResponse<String> second = post("/v1/artifacts/" + id + "/versions", "{\"content\":\"<p>two</p>\"}");
        assertEquals(201, second.statusCode(), second.body());
        assertEquals(2, body(second).get("number").asInt());
        assertEquals("<p>one</p>", body(get("/v1/artifacts/" + id + "/versions/1")).get("content").asText());
        assertEquals("<p>two</p>", body(get("/v1/artifacts/" + id + "/versions/2")).get("content").asText());
        assertEquals(2, body(get("/v1/artifacts/" + id)).get("version").asInt());
        assertError(get("/v1/artifacts/" + id + "/versions/3"), 404, "not_found");
    }

    @Test
    void artifactDocumentIsServedToFramesOnlyAndOpenedDirectlyIsAnInertPage() throws Exception {
        String id = create("<script>location.href='https://attacker.test/'</script>");
        HttpResponse<String> framed = running.send(running.sandbox("/f/" + id + "/1").header("Sec-Fetch-Dest", "iframe").GET().build());
        assertEquals(200, framed.statusCode());
        assertTrue(framed.body().contains("attacker.test"), framed.body());

        HttpResponse<String> direct = running.send(running.sandbox("/f/" + id + "/1").header("Sec-Fetch-Dest", "document").GET().build());
        assertEquals(403, direct.statusCode());
        assertTrue(direct.body().contains("runs only inside the chat page"), direct.body());
        assertFalse(direct.body().contains("<script"), direct.body());
        String policy = direct.headers().firstValue("Content-Security-Policy").orElseThrow();
        assertTrue(policy.contains("default-src 'none'") && policy.contains("sandbox"), policy);
    }

    @Test
    void deletedArtifactIsGoneWithItsFrame() throws Exception {
        String id = create("<p>bye</p>");
        assertEquals(204, running.send(running.api("/v1/artifacts/" + id).DELETE().build()).statusCode());
        assertError(get("/v1/artifacts/" + id), 404, "not_found");
        assertEquals(404, running.send(running.sandbox("/f/" + id + "/1").GET().build()).statusCode());
        assertError(running.send(running.api("/v1/artifacts/" + id).DELETE().build()), 404, "not_found");
    }

    @Test
    void malformedJsonIsRefused() throws Exception {
        assertError(post("/v1/artifacts", "{\"type\":\"html\","), 400, "malformed_json");
        assertError(post("/v1/artifacts", "{\"type\":\"html\"} trailing"), 400, "malformed_json");
        assertError(post("/v1/artifacts", "{\"type\":\"html\",\"type\":\"svg\",\"content\":\"x\"}"), 400, "malformed_json");
        assertError(post("/v1/artifacts", ""), 400, "malformed_json");
    }

    @Test
    void aJsonNullBodyIsRefusedAsTheWrongTypeNotAnInternalError() throws Exception {
        // Found by JsonCodecFuzzTest: Jackson decodes "null" to no object, and the handler failed on it with a 500.
        assertError(post("/v1/artifacts", "null"), 400, "invalid_field");
        assertError(post("/v1/artifacts", " null "), 400, "invalid_field");
    }

    @Test
    void invalidUtf8IsRefused() throws Exception {
        byte[] body = {'{', '"', 'c', 'o', 'n', 't', 'e', 'n', 't', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'};
        HttpResponse<String> response = running.send(running.api("/v1/artifacts")
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
        assertError(response, 400, "invalid_utf8");
    }

    @Test
    void loneSurrogateInContentIsRefusedRatherThanAltered() throws Exception {
        assertError(post("/v1/artifacts", "{\"type\":\"html\",\"content\":\"<p>\\ud800</p>\"}"), 400, "invalid_field");
    }

    @Test
    void oversizedBodyIsRefusedAndNothingIsStored() throws Exception {
        int before = body(get("/v1/artifacts")).get("artifacts").size();
        String content = "x".repeat(70 * 1024);
        assertError(post("/v1/artifacts", "{\"type\":\"html\",\"content\":\"" + content + "\"}"), 413, "body_too_large");
        assertEquals(before, body(get("/v1/artifacts")).get("artifacts").size());
    }

    @Test
    void wrongContentTypeIsRefused() throws Exception {
        HttpResponse<String> response = running.send(running.api("/v1/artifacts")
                .header("Content-Type", "text/plain").POST(RunningServer.json("{}")).build());
        assertError(response, 415, "unsupported_media_type");
    }

    @Test
    void missingOrWrongFieldsAreNamed() throws Exception {
        assertError(post("/v1/artifacts", "{\"type\":\"html\"}"), 400, "missing_field");
        assertError(post("/v1/artifacts", "{\"content\":\"x\"}"), 400, "missing_field");
        assertError(post("/v1/artifacts", "{\"type\":\"pdf\",\"content\":\"x\"}"), 400, "invalid_field");
        assertError(post("/v1/artifacts", "{\"type\":\"html\",\"content\":42}"), 400, "invalid_field");
        assertError(post("/v1/artifacts", "{\"type\":\"html\",\"content\":\"x\",\"colour\":\"red\"}"), 400, "unknown_field");
        assertError(post("/v1/artifacts", "{\"type\":\"html\",\"content\":\"   \"}"), 400, "invalid_field");
    }

    @Test
    void svgThatIsNotSvgIsRefusedAndNotStored() throws Exception {
        int before = body(get("/v1/artifacts")).get("artifacts").size();
        assertError(post("/v1/artifacts", "{\"type\":\"svg\",\"content\":\"<p>not an image</p>\"}"), 400, "invalid_svg");
        assertEquals(before, body(get("/v1/artifacts")).get("artifacts").size());
    }

    @Test
    void reactComponentWithASyntaxErrorIsRefusedWithItsLineAndColumn() throws Exception {
        HttpResponse<String> response = post("/v1/artifacts", JSON.writeValueAsString(Map.of("type", "react", "title", "t",
                "content", "export default function App() {\n  return <div>;\n}\n")));
        assertError(response, 400, "compile_error");
        assertTrue(body(response).at("/error/message").asText().contains("line 2"), response.body());
    }

    @Test
    void reactComponentImportingAnUnavailableModuleIsRefusedWithWhatCanBeImported() throws Exception {
        HttpResponse<String> response = post("/v1/artifacts", JSON.writeValueAsString(Map.of("type", "react", "title", "t",
                "content", "import axios from 'axios';\nexport default function App() { return axios ? null : null; }\n")));
        assertError(response, 400, "unknown_import");
        assertTrue(body(response).at("/error/message").asText().contains("recharts"), response.body());
    }

    @Test
    void mermaidDiagramIsServedAsADocumentThatRendersItWithTheServedModule() throws Exception {
        HttpResponse<String> created = post("/v1/artifacts", "{\"type\":\"mermaid\",\"content\":\"graph TD; A-->B\"}");
        assertEquals(201, created.statusCode(), created.body());
        HttpResponse<String> frame = running.send(running.sandbox("/f/" + body(created).get("id").asText() + "/1").GET().build());
        assertEquals(200, frame.statusCode());
        assertTrue(frame.body().contains("graph TD; A--&gt;B"), frame.body());
        assertTrue(frame.body().matches("(?s).*import\\('/_vitrine/vendor/mermaid-[A-Z0-9]+\\.js'\\).*"), frame.body());
    }

    @Test
    void contentHoldingNulIsRefusedOnCreateAndOnNewVersions() throws Exception {
        assertError(post("/v1/artifacts", "{\"type\":\"html\",\"content\":\"<p>a\\u0000b</p>\"}"), 400, "invalid_field");
        String id = create("<p>ok</p>");
        assertError(post("/v1/artifacts/" + id + "/versions", "{\"content\":\"<p>a\\u0000b</p>\"}"), 400, "invalid_field");
        assertEquals(1, body(get("/v1/artifacts/" + id)).get("version").asInt());
    }

    @Test
    void unknownIdsAreNotFound() throws Exception {
        assertError(get("/v1/artifacts/aaaaaaaaaaaaaaaaaaaaaaaaaa"), 404, "not_found");
        assertError(get("/v1/artifacts/..%2f..%2fetc"), 404, "not_found");
        assertError(post("/v1/artifacts/aaaaaaaaaaaaaaaaaaaaaaaaaa/versions", "{\"content\":\"x\"}"), 404, "not_found");
    }

    @Test
    void requestsWithoutTheKeyAreUnauthorized() throws Exception {
        HttpResponse<String> none = running.send(HttpRequest.newBuilder(running.server.appOrigin().resolve("/v1/artifacts")).GET().build());
        assertError(none, 401, "unauthorized");
        HttpResponse<String> forged = running.send(HttpRequest.newBuilder(running.server.appOrigin().resolve("/v1/artifacts"))
                .header("Authorization", "Bearer " + running.server.apiKey() + "x").GET().build());
        assertError(forged, 401, "unauthorized");
    }

    @Test
    void wrongMethodIsRefused() throws Exception {
        assertError(running.send(running.api("/v1/artifacts").PUT(RunningServer.json("{}")).build()), 405, "method_not_allowed");
    }

    @Test
    void editsApplyInOrderEachToTheTextThePreviousOneLeft() throws Exception {
        String id = create("<p>one</p>\n<p>two</p>");

        HttpResponse<String> second = edit(id, null, "one", "uno", "<p>uno</p>", "<p>uno!</p>", "\n<p>two</p>", "");

        assertEquals(201, second.statusCode(), second.body());
        assertEquals(2, body(second).get("number").asInt());
        assertEquals("/v1/artifacts/" + id + "/versions/2", second.headers().firstValue("Location").orElseThrow());
        assertEquals("<p>uno!</p>", body(get("/v1/artifacts/" + id + "/versions/2")).get("content").asText());
        assertEquals("<p>one</p>\n<p>two</p>", body(get("/v1/artifacts/" + id + "/versions/1")).get("content").asText());
        assertEquals("version", lastAuditEvent(id).get("type").asText());
    }

    @Test
    void anEditWhoseOldTextIsMissingIs409EditNotFoundNamingTheEditAndStoresNothing() throws Exception {
        String id = create("<p>one</p><p>two</p>");

        HttpResponse<String> response = edit(id, null, "one", "uno", "<p>three\n</p>", "<p>drei</p>");

        assertError(response, 409, "edit_not_found");
        String message = body(response).at("/error/message").asText();
        assertTrue(message.contains("edits[1].old \"<p>three\\n</p>\""), message);
        assertTrue(message.contains("version 1"), message);
        assertEquals(1, latestVersion(id), "the first edit, which applied, is not stored either");
        assertError(get("/v1/artifacts/" + id + "/versions/2"), 404, "not_found");
        JsonNode rejected = lastAuditEvent(id);
        assertEquals("rejected", rejected.get("type").asText());
        assertEquals("edit_not_found", rejected.at("/rejection/code").asText());
    }

    @Test
    void anEditWhoseOldTextOccursTwiceIs409EditAmbiguousWithTheCount() throws Exception {
        String id = create("<li>item</li><li>item</li><li>other</li>");

        HttpResponse<String> response = edit(id, null, "<li>item</li>", "<li>first</li>");

        assertError(response, 409, "edit_ambiguous");
        assertTrue(body(response).at("/error/message").asText().contains("occurs 2 times"), response.body());
        assertEquals(1, latestVersion(id));
    }

    @Test
    void overlappingOccurrencesAreAmbiguousToo() throws Exception {
        String id = create("<p>aaa</p>");

        assertError(edit(id, null, "aa", "b"), 409, "edit_ambiguous");
        assertEquals(1, latestVersion(id));
    }

    @Test
    void contentAndEditsTogetherOrNeitherAreRefused() throws Exception {
        String id = create("<p>one</p>");
        String versions = "/v1/artifacts/" + id + "/versions";

        assertError(post(versions, "{\"content\":\"<p>x</p>\",\"edits\":[{\"old\":\"one\",\"new\":\"1\"}]}"),
                400, "conflicting_fields");
        assertError(post(versions, "{}"), 400, "missing_field");
        assertError(post(versions, "{\"baseVersion\":1}"), 400, "missing_field");
        assertEquals(1, latestVersion(id));
    }

    @Test
    void malformedEditsAreRefusedWithTheEditNamed() throws Exception {
        String id = create("<p>one</p>");
        String versions = "/v1/artifacts/" + id + "/versions";

        HttpResponse<String> emptyOld = edit(id, null, "one", "1", "", "x");
        assertError(emptyOld, 400, "invalid_field");
        assertTrue(body(emptyOld).at("/error/message").asText().contains("edits[1].old"), emptyOld.body());
        assertError(post(versions, "{\"edits\":[]}"), 400, "invalid_field");
        assertError(post(versions, "{\"edits\":[null]}"), 400, "invalid_field");
        assertError(post(versions, "{\"edits\":[{\"old\":\"one\"}]}"), 400, "missing_field");
        assertError(post(versions, "{\"edits\":[{\"new\":\"one\"}]}"), 400, "missing_field");
        assertError(post(versions, "{\"edits\":[{\"old\":\"one\",\"neu\":\"1\"}]}"), 400, "unknown_field");
        assertError(post(versions, "{\"edits\":[{\"old\":\"one\",\"new\":1}]}"), 400, "invalid_field");
        assertError(post(versions, "{\"edits\":[{\"old\":\"one\",\"new\":\"\\ud800\"}]}"), 400, "invalid_field");
        assertError(post(versions, "{\"edits\":[{\"old\":\"one\",\"new\":\"\\u0000\"}]}"), 400, "invalid_field");
        assertError(post(versions, "{\"edits\":[{\"old\":\"one\",\"new\":\"1\"}],\"baseVersion\":0}"), 400, "invalid_field");
        assertError(post(versions, "{\"edits\":[{\"old\":\"one\",\"new\":\"1\"}],\"baseVersion\":\"1\"}"), 400, "invalid_field");
        String[] tooMany = new String[2 * (ArtifactApi.MAX_EDITS + 1)];
        for (int i = 0; i < tooMany.length; i += 2) {
            tooMany[i] = "one";
            tooMany[i + 1] = "one";
        }
        HttpResponse<String> overCap = edit(id, null, tooMany);
        assertError(overCap, 400, "invalid_field");
        assertTrue(body(overCap).at("/error/message").asText().contains("1 to 100"), overCap.body());
        assertEquals(201, edit(id, null, Arrays.copyOf(tooMany, 2 * ArtifactApi.MAX_EDITS)).statusCode(),
                "a hundred edits are fine");
        assertEquals(2, latestVersion(id));
        assertEquals("version", lastAuditEvent(id).get("type").asText(), "bad request bodies are not the model's history");
    }

    @Test
    void editsThatEmptyTheVersionOrOutgrowTheBodyLimitAreRefused() throws Exception {
        String id = create("<p>" + "x".repeat(40 * 1024) + "</p>");

        assertError(edit(id, null, "<p>", "", "</p>", "", "x".repeat(40 * 1024), " "), 400, "invalid_field");
        HttpResponse<String> tooLarge = edit(id, null, "<p>", "<p>" + "y".repeat(40 * 1024));
        assertError(tooLarge, 413, "content_too_large");
        assertTrue(body(tooLarge).at("/error/message").asText().contains("at most 64KB"), tooLarge.body());
        assertEquals(1, latestVersion(id));
    }

    @Test
    void aBaseVersionThatIsNotTheLatestIs409VersionConflict() throws Exception {
        String id = create("<p>one</p>");
        assertEquals(201, edit(id, 1, "one", "two").statusCode());

        HttpResponse<String> stale = edit(id, 1, "one", "uno");
        assertError(stale, 409, "version_conflict");
        assertTrue(body(stale).at("/error/message").asText().contains("latest version is 2"), stale.body());
        assertError(edit(id, 7, "two", "three"), 409, "version_conflict");
        assertError(post("/v1/artifacts/" + id + "/versions", "{\"content\":\"<p>whole</p>\",\"baseVersion\":1}"),
                409, "version_conflict");
        assertEquals(2, latestVersion(id));
        assertEquals("version", lastAuditEvent(id).get("type").asText(), "a race is not the model's mistake");

        assertEquals(201, edit(id, 2, "two", "three").statusCode());
        HttpResponse<String> whole = post("/v1/artifacts/" + id + "/versions", "{\"content\":\"<p>four</p>\",\"baseVersion\":3}");
        assertEquals(201, whole.statusCode(), whole.body());
        assertEquals(4, latestVersion(id));
    }

    @Test
    void twoConcurrentEditsOfTheSameVersionGiveOne201AndOne409AndNeitherIsLost() throws Exception {
        for (int round = 0; round < 5; round++) {
            String id = create("<p>count: 0</p>");
            CountDownLatch start = new CountDownLatch(1);
            List<HttpResponse<String>> responses = new ArrayList<>();
            try (ExecutorService executor = Executors.newFixedThreadPool(2)) {
                List<Future<HttpResponse<String>>> sent = new ArrayList<>();
                for (String replacement : List.of("count: 1", "count: 2")) {
                    sent.add(executor.submit(() -> {
                        start.await();
                        return edit(id, 1, "count: 0", replacement);
                    }));
                }
                start.countDown();
                for (Future<HttpResponse<String>> response : sent) {
                    responses.add(response.get(30, TimeUnit.SECONDS));
                }
            }

            List<HttpResponse<String>> stored = responses.stream().filter(r -> r.statusCode() == 201).toList();
            assertEquals(1, stored.size(), "round " + round + ": " + responses.stream().map(HttpResponse::body).toList());
            HttpResponse<String> refused = responses.stream().filter(r -> r.statusCode() != 201).findFirst().orElseThrow();
            assertError(refused, 409, "version_conflict");
            assertEquals(2, latestVersion(id));
            assertEquals(body(stored.get(0)).get("content").asText(),
                    body(get("/v1/artifacts/" + id + "/versions/2")).get("content").asText());
        }
    }

    @Test
    void aReactEditThatBreaksTheComponentIs400CompileErrorAndStoresNothing() throws Exception {
        String id = create("react", "export default function App() {\n  return <div>hello</div>;\n}\n");

        HttpResponse<String> response = edit(id, 1, "<div>hello</div>", "<div>hello");

        assertError(response, 400, "compile_error");
        assertTrue(body(response).at("/error/message").asText().contains("line 2"), response.body());
        assertEquals(1, latestVersion(id));
        assertEquals("compile_error", lastAuditEvent(id).at("/rejection/code").asText());
        assertEquals(201, edit(id, 1, "<div>hello</div>", "<div>hello, world</div>").statusCode());
    }

    @Test
    void editsToAnUnknownArtifactAreNotFound() throws Exception {
        assertError(edit("aaaaaaaaaaaaaaaaaaaaaaaaaa", null, "a", "b"), 404, "not_found");
    }
}

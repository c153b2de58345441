package dev.vitrine.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
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
        HttpResponse<String> response = post("/v1/artifacts", JSON.writeValueAsString(
                Map.of("type", "html", "title", "t", "content", content)));
        assertEquals(201, response.statusCode(), response.body());
        return body(response).get("id").asText();
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
}

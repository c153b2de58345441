package dev.vitrine.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code POST /v1/artifacts/{id}/stream} on a real server: chunks become events as they arrive,
 * a complete stream becomes the next version, and every other ending leaves the artifact as it
 * was, with the text kept as a partial version.
 */
@Timeout(60)
class StreamIngestHandlerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(10);
    /** The first React compile of a run can take seconds in GraalJS's interpreter. */
    private static final Duration COMPILE_WAIT = Duration.ofSeconds(30);
    private static final String TEXT = "text/plain; charset=utf-8";
    private static final String NDJSON = "application/x-ndjson";

    @TempDir
    static Path data;
    static RunningServer running;

    @BeforeAll
    static void start() {
        running = new RunningServer(data, Clock.systemUTC(), config -> config
                .withMaxBodySize(DataSize.ofKilobytes(64))
                .withStreams(StreamSettings.defaults().withMaxStreams(2).withIdleTimeout(Duration.ofSeconds(2))));
    }

    @AfterAll
    static void stop() {
        running.close();
    }

    static String create(String type, String content) throws Exception {
        HttpResponse<String> response = running.send(running.api("/v1/artifacts").header("Content-Type", "application/json")
                .POST(RunningServer.json(JSON.writeValueAsString(Map.of("type", type, "title", "t", "content", content)))).build());
        assertEquals(201, response.statusCode(), response.body());
        return JSON.readTree(response.body()).get("id").asText();
    }

    static JsonNode get(String path) throws Exception {
        HttpResponse<String> response = running.send(running.api(path).GET().build());
        assertEquals(200, response.statusCode(), path + ": " + response.body());
        return JSON.readTree(response.body());
    }

    static StreamClient stream(String id, String contentType) throws Exception {
        return StreamClient.open(running.server.appListenUrl(), "/v1/artifacts/" + id + "/stream", running.server.apiKey(), contentType);
    }

    private static JsonNode json(String text) throws Exception {
        return JSON.readTree(text);
    }

    private static void assertError(StreamClient.Response response, int status, String code) throws Exception {
        assertEquals(status, response.status(), response.body());
        assertEquals(code, json(response.body()).at("/error/code").asText(), response.body());
        assertTrue(json(response.body()).at("/error/message").asText().length() > 10, "a message a person understands");
    }

    private static void assertLatestUnchanged(String id, String content) throws Exception {
        JsonNode artifact = get("/v1/artifacts/" + id);
        assertEquals(1, artifact.get("version").asInt(), "the latest version is still version 1");
        assertEquals(content, artifact.at("/latest/content").asText());
    }

    @Test
    void theSandboxOriginRendersTheTextOfAStreamStillBeingRead() throws Exception {
        String id = create("html", "<p>one</p>");
        String live = "/f/" + id + "/live/2";
        try (EventClient events = EventClient.subscribe(running, id, null);
                StreamClient stream = stream(id, TEXT)) {
            events.next(WAIT);
            stream.send("<h1>Gro");
            events.next(e -> e.type().equals("chunk"), WAIT);
            HttpResponse<String> first = running.send(running.sandbox(live).GET().build());
            assertEquals(200, first.statusCode(), first.body());
            assertTrue(first.body().contains("<h1>Gro</h1>"), first.body());
            assertTrue(first.headers().firstValue("Content-Security-Policy").orElseThrow().contains("sandbox allow-scripts"),
                    "a draft carries the artifact policy");
            assertEquals("no-store", first.headers().firstValue("Cache-Control").orElseThrow());

            stream.send("wing</h1><script>parent.x=1</script>");
            events.next(e -> e.type().equals("chunk"), WAIT);
            String second = running.send(running.sandbox(live).GET().build()).body();
            assertTrue(second.contains("<h1>Growing</h1>"), second);
            assertEquals(404, running.send(running.sandbox("/f/" + id + "/live/3").GET().build()).statusCode(),
                    "only the version being streamed has a draft");
            assertEquals(201, stream.finish().status());
        }
        assertEquals(404, running.send(running.sandbox(live).GET().build()).statusCode(), "a finished stream has no draft");
        assertEquals(200, running.send(running.sandbox("/f/" + id + "/2").GET().build()).statusCode());
    }

    @Test
    void aChunkedStreamBecomesTheNextVersionWithChunkEventsInOrder() throws Exception {
        String id = create("html", "<p>one</p>");
        try (EventClient events = EventClient.subscribe(running, id, null);
                StreamClient stream = stream(id, TEXT)) {
            assertEquals("subscribed", events.next(WAIT).type());
            // Each chunk reaches subscribers before the next is sent: events come as the text does.
            List<String> chunks = List.of("<h1>Str", "eamed ", "héllo ✓</h1>");
            int offset = 0;
            for (String chunk : chunks) {
                stream.send(chunk);
                EventClient.Event event = events.next(e -> e.type().equals("chunk"), WAIT);
                assertEquals(Map.of("version", 2, "offset", offset, "text", chunk),
                        JSON.convertValue(json(event.data()), Map.class));
                offset += chunk.length();
            }
            StreamClient.Response response = stream.finish();

            assertEquals(201, response.status(), response.body());
            assertEquals(2, json(response.body()).get("number").asInt());
            assertEquals("/v1/artifacts/" + id + "/versions/2", response.headers().get("location"));
            EventClient.Event version = events.next(e -> e.type().equals("version"), WAIT);
            assertEquals(2, json(version.data()).get("version").asInt());
            assertEquals(running.server.sandboxOrigin() + "/f/" + id + "/2", json(version.data()).get("frameUrl").asText());
        }
        assertEquals("<h1>Streamed héllo ✓</h1>", get("/v1/artifacts/" + id + "/versions/2").get("content").asText());
        assertEquals(2, get("/v1/artifacts/" + id).get("version").asInt());
        assertEquals(List.of("created", "version"), auditTypes(id));
    }

    @Test
    void aCharacterSplitBetweenTwoChunksArrivesWhole() throws Exception {
        String id = create("html", "<p>one</p>");
        byte[] check = "✓".getBytes(StandardCharsets.UTF_8);
        try (EventClient events = EventClient.subscribe(running, id, null);
                StreamClient stream = stream(id, TEXT)) {
            stream.send(new byte[] {'<', 'p', '>', check[0]});
            assertEquals("<p>", json(events.next(e -> e.type().equals("chunk"), WAIT).data()).get("text").asText());
            stream.send(new byte[] {check[1], check[2], '<', '/', 'p', '>'});
            assertEquals("✓</p>", json(events.next(e -> e.type().equals("chunk"), WAIT).data()).get("text").asText());
            assertEquals(201, stream.finish().status());
        }
        assertEquals("<p>✓</p>", get("/v1/artifacts/" + id + "/versions/2").get("content").asText());
    }

    @Test
    void ndjsonDeltasBecomeTheNextVersion() throws Exception {
        String id = create("html", "<p>one</p>");
        try (StreamClient stream = stream(id, NDJSON)) {
            stream.send("{\"delta\":\"<p>del\"}\n{\"delta\":\"tas \\ud83d");
            stream.send("\\ude00\"}\n\n{\"delta\":\"</p>\"}\r\n");
            stream.send("{\"done\":true}\n");
            StreamClient.Response response = stream.finish();
            assertEquals(201, response.status(), response.body());
        }
        assertEquals("<p>deltas 😀</p>", get("/v1/artifacts/" + id + "/versions/2").get("content").asText());
    }

    @Test
    void aClientThatDisconnectsMidStreamLeavesTheLatestVersionAndAPartial() throws Exception {
        String id = create("html", "<p>one</p>");
        try (EventClient events = EventClient.subscribe(running, id, null)) {
            StreamClient stream = stream(id, TEXT);
            stream.send("<h1>half a docu");
            events.next(e -> e.type().equals("chunk"), WAIT);
            stream.disconnect();

            JsonNode failed = json(events.next(e -> e.type().equals("error"), WAIT).data());
            assertEquals("stream_disconnected", failed.get("code").asText());
            assertTrue(failed.get("final").asBoolean());
            assertEquals(1, failed.get("partial").asInt());
        }
        assertLatestUnchanged(id, "<p>one</p>");
        assertEquals(404, running.send(running.api("/v1/artifacts/" + id + "/versions/2").GET().build()).statusCode());
        JsonNode partial = get("/v1/artifacts/" + id + "/partials/1");
        assertTrue(partial.get("partial").asBoolean());
        assertEquals("<h1>half a docu", partial.get("content").asText());
        assertEquals(1, partial.get("afterVersion").asInt());
        assertEquals("stream_disconnected", partial.get("code").asText());
        assertEquals(1, get("/v1/artifacts/" + id + "/partials").get("partials").size());
        assertEquals(List.of("created", "rejected"), auditTypes(id));
        HttpResponse<String> next = running.send(running.api("/v1/artifacts/" + id + "/versions").header("Content-Type", "application/json")
                .POST(RunningServer.json("{\"content\":\"<p>two</p>\"}")).build());
        assertEquals(2, json(next.body()).get("number").asInt(), "a partial takes no version number");
    }

    @Test
    void aStreamPinnedToABaseVersionIsStoredOnlyIfThatVersionIsStillTheLatest() throws Exception {
        String id = create("html", "<p>one</p>");
        try (StreamClient stale = StreamClient.open(running.server.appListenUrl(), "/v1/artifacts/" + id + "/stream?baseVersion=2",
                running.server.apiKey(), TEXT)) {
            assertError(stale.send("<p>x</p>").finish(), 409, "version_conflict");
        }
        try (EventClient events = EventClient.subscribe(running, id, null);
                StreamClient stream = StreamClient.open(running.server.appListenUrl(), "/v1/artifacts/" + id + "/stream?baseVersion=1",
                        running.server.apiKey(), TEXT)) {
            stream.send("<p>rewritten from one</p>");
            events.next(e -> e.type().equals("chunk"), WAIT);
            // Someone else adds version 2 while the stream is read.
            HttpResponse<String> other = running.send(running.api("/v1/artifacts/" + id + "/versions").header("Content-Type", "application/json")
                    .POST(RunningServer.json("{\"content\":\"<p>two</p>\"}")).build());
            assertEquals(201, other.statusCode(), other.body());
            StreamClient.Response response = stream.finish();
            assertError(response, 409, "version_conflict");
            JsonNode failed = json(events.next(e -> e.type().equals("error"), WAIT).data());
            assertEquals("version_conflict", failed.get("code").asText());
            assertTrue(failed.get("final").asBoolean());
            assertEquals("<p>rewritten from one</p>", get("/v1/artifacts/" + id + "/partials/" + failed.get("partial").asInt())
                    .get("content").asText(), "the stream's text is kept as a partial");
        }
        assertEquals("<p>two</p>", get("/v1/artifacts/" + id).at("/latest/content").asText(), "the other version stays the latest");
        for (String bad : List.of("0", "two", "1&baseVersion=1")) {
            try (StreamClient stream = StreamClient.open(running.server.appListenUrl(), "/v1/artifacts/" + id + "/stream?baseVersion=" + bad,
                    running.server.apiKey(), TEXT)) {
                assertError(stream.send("<p>x</p>").finish(), 400, "invalid_parameter");
            }
        }
    }

    @Test
    void deletingAnArtifactIsItsSubscribersLastEvent() throws Exception {
        String id = create("html", "<p>one</p>");
        try (EventClient events = EventClient.subscribe(running, id, null)) {
            events.next(WAIT);
            assertEquals(204, running.send(running.api("/v1/artifacts/" + id).DELETE().build()).statusCode());
            EventClient.Event deleted = events.next(WAIT);
            assertEquals("deleted", deleted.type());
            assertEquals(id, json(deleted.data()).get("artifactId").asText());
        }
    }

    @Test
    void aSecondStreamOnTheSameArtifactIsRefusedWhileTheFirstRuns() throws Exception {
        String id = create("html", "<p>one</p>");
        try (EventClient events = EventClient.subscribe(running, id, null);
                StreamClient first = stream(id, TEXT)) {
            first.send("<p>first");
            events.next(e -> e.type().equals("chunk"), WAIT); // the first stream holds the artifact now
            try (StreamClient second = stream(id, TEXT)) {
                second.send("<p>second</p>");
                assertError(second.finish(), 409, "stream_in_progress");
            }
            assertEquals(201, first.send("</p>").finish().status());
        }
        try (StreamClient third = stream(id, TEXT)) {
            assertEquals(201, third.send("<p>third</p>").finish().status(), "the artifact is free once the first ended");
        }
        assertEquals("<p>first</p>", get("/v1/artifacts/" + id + "/versions/2").get("content").asText());
    }

    @Test
    void aServerReadingMaxStreamsRefusesOneMoreWithRetryAfter() throws Exception {
        List<String> ids = List.of(create("html", "<p>a</p>"), create("html", "<p>b</p>"), create("html", "<p>c</p>"));
        try (EventClient eventsOfA = EventClient.subscribe(running, ids.get(0), null);
                EventClient eventsOfB = EventClient.subscribe(running, ids.get(1), null);
                StreamClient a = stream(ids.get(0), TEXT);
                StreamClient b = stream(ids.get(1), TEXT)) {
            a.send("<p>a");
            b.send("<p>b");
            eventsOfA.next(e -> e.type().equals("chunk"), WAIT);
            eventsOfB.next(e -> e.type().equals("chunk"), WAIT);
            try (StreamClient c = stream(ids.get(2), TEXT)) {
                StreamClient.Response refused = c.send("<p>c</p>").finish();
                assertError(refused, 503, "too_many_streams");
                assertEquals("5", refused.headers().get("retry-after"));
            }
            assertEquals(201, a.finish().status());
            assertEquals(201, b.finish().status());
        }
    }

    @Test
    void aStreamOverTheBodyLimitIs413AndStoresNoVersion() throws Exception {
        String id = create("html", "<p>one</p>");
        String kilobyte = "<p>" + "x".repeat(1017) + "</p>";
        try (StreamClient stream = stream(id, TEXT)) {
            StreamClient.Response response = null;
            for (int i = 0; i < 80 && response == null; i++) {
                try {
                    stream.send(kilobyte);
                } catch (java.io.IOException e) {
                    response = stream.response(); // the server answered and stopped reading
                }
            }
            if (response == null) {
                response = stream.response();
            }
            assertError(response, 413, "body_too_large");
        }
        assertLatestUnchanged(id, "<p>one</p>");
        JsonNode partial = get("/v1/artifacts/" + id + "/partials/1");
        assertEquals("body_too_large", partial.get("code").asText());
        assertTrue(partial.get("length").asInt() <= 64 * 1024);

        HttpResponse<String> declared = running.send(running.api("/v1/artifacts/" + id + "/stream").header("Content-Type", TEXT)
                .POST(HttpRequest.BodyPublishers.ofString("x".repeat(65 * 1024))).build());
        assertEquals(413, declared.statusCode(), "a declared Content-Length over the limit is refused before reading");
    }

    @Test
    void invalidUtf8EndsTheStreamWithAClearErrorAndKeepsTheTextBefore() throws Exception {
        String id = create("html", "<p>one</p>");
        try (StreamClient stream = stream(id, TEXT)) {
            stream.send("<p>fine so far");
            stream.send(new byte[] {' ', (byte) 0xC3, (byte) 0x28});
            StreamClient.Response response = stream.response();
            assertError(response, 400, "invalid_utf8");
            assertTrue(json(response.body()).at("/error/message").asText().contains("at byte 15"), response.body());
            assertEquals(1, json(response.body()).at("/error/partial").asInt());
        }
        assertLatestUnchanged(id, "<p>one</p>");
        assertEquals("<p>fine so far ", get("/v1/artifacts/" + id + "/partials/1").get("content").asText());
    }

    @Test
    void malformedNdjsonEndsTheStreamNamingTheLine() throws Exception {
        String id = create("html", "<p>one</p>");
        try (StreamClient stream = stream(id, NDJSON)) {
            stream.send("{\"delta\":\"<p>ok\"}\n{\"delta\":42}\n");
            StreamClient.Response response = stream.response();
            assertError(response, 400, "malformed_ndjson");
            assertTrue(json(response.body()).at("/error/message").asText().startsWith("line 2: "), response.body());
        }
        assertLatestUnchanged(id, "<p>one</p>");
        assertEquals("<p>ok", get("/v1/artifacts/" + id + "/partials/1").get("content").asText(), "the lines before the bad one");
    }

    @Test
    void aStreamThatGoesQuietIsEndedAsPartialAfterTheIdleTimeout() throws Exception {
        String id = create("html", "<p>one</p>");
        try (StreamClient stream = stream(id, TEXT)) {
            stream.send("<p>and then noth");
            long started = System.nanoTime();
            StreamClient.Response response = stream.response();
            assertError(response, 408, "stream_idle_timeout");
            assertTrue(System.nanoTime() - started >= Duration.ofMillis(1_900).toNanos(), "not before the 2 s timeout");
        }
        assertLatestUnchanged(id, "<p>one</p>");
        assertEquals("stream_idle_timeout", get("/v1/artifacts/" + id + "/partials/1").get("code").asText());
    }

    @Test
    void aReactStreamReportsCompileErrorsUntilItsTextCompiles() throws Exception {
        String id = create("react", "export default function App() {\n  return <p>one</p>;\n}\n");
        String head = "export default function App() {\n  return <p>";
        String tail = "streamed</p>;\n}\n";
        try (EventClient events = EventClient.subscribe(running, id, null);
                StreamClient stream = stream(id, TEXT)) {
            stream.send(head);
            JsonNode error = json(events.next(e -> e.type().equals("error") || e.type().equals("compiled"), COMPILE_WAIT).data());
            assertEquals("compile_error", error.get("code").asText(), "half a component does not compile: " + error);
            assertFalse(error.get("final").asBoolean());
            assertEquals(head.length(), error.get("length").asInt());
            assertTrue(error.has("line"));

            stream.send(tail);
            JsonNode compiled = json(events.next(e -> e.type().equals("compiled"), COMPILE_WAIT).data());
            assertEquals(Map.of("version", 2, "length", head.length() + tail.length()), JSON.convertValue(compiled, Map.class));
            assertEquals(201, stream.finish().status());
            events.next(e -> e.type().equals("version"), WAIT);
        }
    }

    @Test
    void aStreamWhoseFinalTextDoesNotCompileIsRefusedAndKeptAsPartial() throws Exception {
        String id = create("react", "export default function App() {\n  return <p>one</p>;\n}\n");
        try (EventClient events = EventClient.subscribe(running, id, null);
                StreamClient stream = stream(id, TEXT)) {
            StreamClient.Response response = stream.send("export default function App() {\n  return <p>cut off").finish();
            assertError(response, 400, "compile_error");
            JsonNode failed = json(events.next(e -> e.type().equals("error") && e.data().contains("\"final\":true"), COMPILE_WAIT).data());
            assertEquals(1, failed.get("partial").asInt());
        }
        assertEquals(1, get("/v1/artifacts/" + id).get("version").asInt());
        assertEquals("compile_error", get("/v1/artifacts/" + id + "/partials/1").get("code").asText());
        assertEquals(List.of("created", "rejected"), auditTypes(id));
    }

    @Test
    void streamsNeedTheKeyAKnownArtifactAndATextBody() throws Exception {
        String id = create("html", "<p>one</p>");
        try (StreamClient anonymous = StreamClient.open(running.server.appListenUrl(), "/v1/artifacts/" + id + "/stream", null, TEXT)) {
            assertError(anonymous.send("<p>x</p>").finish(), 401, "unauthorized");
        }
        try (StreamClient unknown = stream("aaaaaaaaaaaaaaaaaaaaaaaaaa", TEXT)) {
            assertError(unknown.send("<p>x</p>").finish(), 404, "not_found");
        }
        try (StreamClient json = stream(id, "application/json")) {
            assertError(json.send("{}").finish(), 415, "unsupported_media_type");
        }
        try (StreamClient empty = stream(id, TEXT)) {
            assertError(empty.finish(), 400, "empty_stream");
        }
        HttpResponse<String> wrongMethod = running.send(running.api("/v1/artifacts/" + id + "/stream").GET().build());
        assertEquals(405, wrongMethod.statusCode(), wrongMethod.body());
        assertLatestUnchanged(id, "<p>one</p>");
    }

    private static List<String> auditTypes(String id) throws Exception {
        List<String> types = new java.util.ArrayList<>();
        get("/v1/artifacts/" + id + "/audit").get("events").forEach(event -> types.add(event.get("type").asText()));
        return types;
    }
}

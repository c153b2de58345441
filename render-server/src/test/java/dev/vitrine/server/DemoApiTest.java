package dev.vitrine.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code POST /v1/demo/replay} on a real server: the conversation comes back as JSON lines while
 * the transcript's artifacts are created, streamed and edited through the API; bad input is a
 * 400, a full node a 503, and a client that leaves stops its replay.
 */
@Timeout(120)
class DemoApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The first React compile of a run can take seconds in GraalJS's interpreter. */
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    static Path data;
    static RunningServer running;

    @BeforeAll
    static void start() {
        running = new RunningServer(data, DataSize.ofMegabytes(1));
    }

    @AfterAll
    static void stop() {
        running.close();
    }

    private static HttpRequest replay(String body) {
        return running.api("/v1/demo/replay").header("Content-Type", "application/json").POST(RunningServer.json(body)).build();
    }

    private static JsonNode get(String path) throws Exception {
        HttpResponse<String> response = running.send(running.api(path).GET().build());
        assertEquals(200, response.statusCode(), path + ": " + response.body());
        return JSON.readTree(response.body());
    }

    private static void assertError(HttpResponse<String> response, int status, String code) throws Exception {
        assertEquals(status, response.statusCode(), response.body());
        assertEquals(code, JSON.readTree(response.body()).at("/error/code").asText(), response.body());
        assertTrue(JSON.readTree(response.body()).at("/error/message").asText().length() > 10, "a message a person understands");
    }

    /** A replay being read line by line, as the chat page reads it. */
    private static final class Replay implements AutoCloseable {
        private final HttpResponse<InputStream> response;
        private final BufferedReader lines;

        Replay(int speed) throws Exception {
            response = HttpClient.newHttpClient().send(replay("{\"speed\":" + speed + "}"), HttpResponse.BodyHandlers.ofInputStream());
            assertEquals(200, response.statusCode());
            lines = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8));
        }

        /** Reads lines until one matches; the class's timeout bounds the wait. */
        JsonNode next(Predicate<JsonNode> wanted) throws Exception {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                JsonNode parsed = JSON.readTree(line);
                if (wanted.test(parsed)) {
                    return parsed;
                }
            }
            throw new AssertionError("the replay ended without the line wanted");
        }

        /** Drops the connection, as a page that is closed or navigates away. */
        void leave() throws IOException {
            response.body().close();
        }

        @Override
        public void close() throws IOException {
            leave();
        }
    }

    @Test
    void theConversationArrivesInOrderWhileTheArtifactsAreStreamedAndOneIsEdited() throws Exception {
        DemoTranscript transcript = DemoTranscript.bundled();
        HttpResponse<String> response = running.send(replay("{\"speed\":100}"));
        assertEquals(200, response.statusCode(), response.body());
        assertEquals("application/x-ndjson; charset=utf-8", response.headers().firstValue("Content-Type").orElseThrow());
        List<JsonNode> lines = new ArrayList<>();
        for (String line : response.body().split("\n")) {
            lines.add(JSON.readTree(line));
        }

        JsonNode done = lines.get(lines.size() - 1);
        assertEquals("done", done.get("type").asText(), lines.toString());
        assertEquals(2, done.get("artifacts").size());
        List<String> starts = lines.stream().filter(l -> l.get("type").asText().equals("message"))
                .map(l -> l.get("message").asInt() + " " + l.get("role").asText()).toList();
        List<String> expectedStarts = new ArrayList<>();
        for (int i = 0; i < transcript.messages().size(); i++) {
            expectedStarts.add(i + " " + transcript.messages().get(i).role().wireName());
        }
        assertEquals(expectedStarts, starts);
        for (int i = 0; i < transcript.messages().size(); i++) {
            int message = i;
            StringBuilder expected = new StringBuilder();
            transcript.messages().get(i).parts().stream().filter(DemoTranscript.Text.class::isInstance)
                    .forEach(p -> expected.append(((DemoTranscript.Text) p).text()));
            StringBuilder received = new StringBuilder();
            lines.stream().filter(l -> l.get("type").asText().equals("text") && l.get("message").asInt() == message)
                    .forEach(l -> received.append(l.get("text").asText()));
            assertEquals(expected.toString(), received.toString(), "the text of message " + i);
        }

        String html = done.get("artifacts").get(0).asText();
        String react = done.get("artifacts").get(1).asText();
        List<JsonNode> htmlStreaming = lines.stream().filter(l -> l.path("artifactId").asText().equals(html)
                && l.get("state").asText().equals("streaming")).toList();
        assertTrue(htmlStreaming.size() > 10, "the html artifact is written in many pieces");
        assertTrue(htmlStreaming.get(1).get("length").asInt() < htmlStreaming.get(htmlStreaming.size() - 1).get("length").asInt());

        JsonNode htmlArtifact = get("/v1/artifacts/" + html);
        assertEquals("html", htmlArtifact.get("type").asText());
        assertEquals(2, htmlArtifact.get("version").asInt(), "a placeholder, then the streamed text");
        DemoTranscript.NewArtifact writtenHtml = (DemoTranscript.NewArtifact) transcript.messages().get(1).parts().get(1);
        assertEquals(writtenHtml.content(), htmlArtifact.at("/latest/content").asText());
        assertEquals(writtenHtml.placeholder(), get("/v1/artifacts/" + html + "/versions/1").get("content").asText());

        JsonNode reactArtifact = get("/v1/artifacts/" + react);
        assertEquals("react", reactArtifact.get("type").asText());
        assertEquals(3, reactArtifact.get("version").asInt());
        DemoTranscript.Edit edit = transcript.messages().stream().flatMap(m -> m.parts().stream())
                .filter(DemoTranscript.Edit.class::isInstance).map(DemoTranscript.Edit.class::cast).findFirst().orElseThrow();
        String streamed = get("/v1/artifacts/" + react + "/versions/2").get("content").asText();
        assertEquals(TextEdits.apply(streamed, edit.edits()), reactArtifact.at("/latest/content").asText(),
                "the latest version is the streamed one with the transcript's edits");
        JsonNode stored = lines.stream().filter(l -> l.get("type").asText().equals("artifact")).reduce((a, b) -> b).orElseThrow();
        assertEquals(List.of("artifact", react, "stored", "3", String.valueOf(edit.edits().size())), List.of(stored.get("type").asText(),
                stored.get("artifactId").asText(), stored.get("state").asText(), stored.get("version").asText(), stored.get("edits").asText()));
    }

    @Test
    void badInputIsRefusedWithAStableCodeBeforeAnythingIsPlayed() throws Exception {
        int before = get("/v1/artifacts").get("artifacts").size();
        assertError(running.send(replay("{\"speed\":4,\"loop\":true}")), 400, "unknown_field");
        assertError(running.send(replay("{\"speed\":0}")), 400, "invalid_field");
        assertError(running.send(replay("{\"speed\":100.5}")), 400, "invalid_field");
        assertError(running.send(replay("{\"speed\":\"fast\"}")), 400, "invalid_field");
        assertError(running.send(replay("{\"speed\":true}")), 400, "invalid_field");
        assertError(running.send(replay("")), 400, "malformed_json");
        assertError(running.send(running.api("/v1/demo/replay").POST(RunningServer.json("{}")).build()), 415, "unsupported_media_type");
        assertError(running.send(HttpRequest.newBuilder(running.server.appOrigin().resolve("/v1/demo/replay"))
                .header("Content-Type", "application/json").POST(RunningServer.json("{}")).build()), 401, "unauthorized");
        assertError(running.send(running.api("/v1/demo/replay").GET().build()), 405, "method_not_allowed");
        assertEquals(before, get("/v1/artifacts").get("artifacts").size());
    }

    @Test
    void aNodePlaysFourReplaysAtOnceAndAnswersTheFifthWith503AndRetryAfter() throws Exception {
        List<Replay> replays = new ArrayList<>();
        try {
            for (int i = 0; i < DemoApi.MAX_REPLAYS; i++) {
                Replay replay = new Replay(1);
                replays.add(replay);
                replay.next(line -> line.get("type").asText().equals("message"));
            }
            HttpResponse<String> refused = running.send(replay("{\"speed\":1}"));
            assertError(refused, 503, "too_many_replays");
            assertEquals("10", refused.headers().firstValue("Retry-After").orElseThrow());
        } finally {
            for (Replay replay : replays) {
                replay.close();
            }
        }
        // Each replay notices its client left at its next line and frees its place.
        long deadline = System.nanoTime() + WAIT.toNanos();
        HttpResponse<InputStream> again;
        do {
            Thread.sleep(100);
            again = HttpClient.newHttpClient().send(replay("{\"speed\":1}"), HttpResponse.BodyHandlers.ofInputStream());
            again.body().close();
        } while (again.statusCode() == 503 && System.nanoTime() < deadline);
        assertEquals(200, again.statusCode(), "the places of replays whose clients left are free again");
    }

    @Test
    void aClientThatLeavesStopsItsReplayAndTheStreamItWasWritingStoresNoVersion() throws Exception {
        String artifact;
        try (Replay replay = new Replay(1)) {
            JsonNode streaming = replay.next(line -> line.get("type").asText().equals("artifact") && line.get("length").asInt() > 0);
            artifact = streaming.get("artifactId").asText();
            try (EventClient events = EventClient.subscribe(running, artifact, null)) {
                events.next(e -> e.type().equals("chunk"), WAIT);
                events.next(e -> e.type().equals("chunk"), WAIT);
                replay.leave();

                JsonNode failed = JSON.readTree(events.next(e -> e.type().equals("error"), WAIT).data());
                assertEquals("stream_disconnected", failed.get("code").asText(), failed.toString());
                assertTrue(failed.get("final").asBoolean());
            }
        }
        assertEquals(1, get("/v1/artifacts/" + artifact).get("version").asInt(), "the placeholder stays the latest version");
        assertEquals("stream_disconnected", get("/v1/artifacts/" + artifact + "/partials/1").get("code").asText());
    }
}

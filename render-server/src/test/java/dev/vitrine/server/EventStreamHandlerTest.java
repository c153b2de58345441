package dev.vitrine.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
 * {@code GET /v1/artifacts/{id}/events} on a real server: ids, resuming without loss or
 * duplicates, resets, late subscribers, storage events, heartbeats and the API key.
 */
@Timeout(60)
class EventStreamHandlerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String TEXT = "text/plain; charset=utf-8";
    private static final int BUFFERED_EVENTS = 64;

    @TempDir
    static Path data;
    static RunningServer running;

    @BeforeAll
    static void start() {
        running = new RunningServer(data, Clock.systemUTC(), config -> config
                .withStreams(StreamSettings.defaults().withHeartbeat(Duration.ofMillis(300))
                        .withBuffer(BUFFERED_EVENTS, DataSize.ofMegabytes(1), DataSize.ofKilobytes(256))));
    }

    @AfterAll
    static void stop() {
        running.close();
    }

    private static String create() throws Exception {
        HttpResponse<String> response = running.send(running.api("/v1/artifacts").header("Content-Type", "application/json")
                .POST(RunningServer.json("{\"type\":\"html\",\"content\":\"<p>one</p>\"}")).build());
        assertEquals(201, response.statusCode(), response.body());
        return json(response.body()).get("id").asText();
    }

    private static StreamClient stream(String id) throws Exception {
        return StreamClient.open(running.server.appListenUrl(), "/v1/artifacts/" + id + "/stream", running.server.apiKey(), TEXT);
    }

    private static JsonNode json(String text) throws Exception {
        return JSON.readTree(text);
    }

    /** Sends a chunk and waits until {@code events} has it, so each chunk is its own event. */
    private static EventClient.Event sendAndAwait(StreamClient stream, EventClient events, String chunk) throws Exception {
        stream.send(chunk);
        return events.next(e -> e.type().equals("chunk") && text(e).equals(chunk), WAIT);
    }

    private static String text(EventClient.Event event) {
        try {
            return json(event.data()).get("text").asText();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void resumingWithLastEventIdGivesExactlyTheMissedEvents() throws Exception {
        String id = create();
        String lastSeen;
        List<EventClient.Event> everything;
        try (EventClient watcher = EventClient.subscribe(running, id, null);
                EventClient pacer = EventClient.subscribe(running, id, null);
                StreamClient stream = stream(id)) {
            try (EventClient first = EventClient.subscribe(running, id, null)) {
                assertEquals("subscribed", first.next(WAIT).type());
                sendAndAwait(stream, first, "<p>a");
                lastSeen = sendAndAwait(stream, first, "b").id();
            }
            // The first subscriber is gone; these happen while it is away.
            sendAndAwait(stream, pacer, "c");
            sendAndAwait(stream, pacer, "d</p>");
            assertEquals(201, stream.finish().status());
            assertEquals("subscribed", watcher.next(WAIT).type());
            everything = watcher.until("version", WAIT);
        }
        List<EventClient.Event> missed = everything.subList(indexOf(everything, lastSeen) + 1, everything.size());
        assertEquals(List.of("c", "d</p>"), missed.stream().filter(e -> e.type().equals("chunk")).map(EventStreamHandlerTest::text).toList());
        assertEquals("version", missed.getLast().type());

        try (EventClient resumed = EventClient.subscribe(running, id, lastSeen)) {
            EventClient.Event hello = resumed.next(WAIT);
            assertEquals("subscribed", hello.type());
            assertNull(hello.id(), "a resume keeps the client's own last id");
            assertTrue(json(hello.data()).get("resumed").asBoolean());
            assertEquals(missed, resumed.until("version", WAIT));
            assertEquals(List.of(), resumed.within(Duration.ofMillis(500)), "and nothing after");
        }
        HttpRequest byQuery = running.api("/v1/artifacts/" + id + "/events?lastEventId=" + lastSeen).GET().build();
        try (EventClient resumed = EventClient.open(byQuery)) {
            assertTrue(json(resumed.next(WAIT).data()).get("resumed").asBoolean());
            assertEquals(missed, resumed.until("version", WAIT));
        }
        long previous = Long.parseLong(lastSeen);
        for (EventClient.Event event : missed) {
            assertTrue(event.numericId() > previous, "ids grow, so nothing repeats: " + missed);
            previous = event.numericId();
        }
    }

    private static int indexOf(List<EventClient.Event> events, String id) {
        for (int i = 0; i < events.size(); i++) {
            if (id.equals(events.get(i).id())) {
                return i;
            }
        }
        throw new AssertionError("no event " + id + " in " + events);
    }

    @Test
    void anIdOlderThanTheBufferOrUnknownGetsAReset() throws Exception {
        String id = create();
        String firstChunk;
        try (EventClient events = EventClient.subscribe(running, id, null);
                StreamClient stream = stream(id)) {
            events.next(WAIT);
            firstChunk = sendAndAwait(stream, events, "<p>").id();
            for (int i = 0; i < BUFFERED_EVENTS + 4; i++) {
                sendAndAwait(stream, events, Integer.toString(i));
            }
            assertEquals(201, stream.send("</p>").finish().status());
        }
        try (EventClient late = EventClient.subscribe(running, id, firstChunk)) {
            EventClient.Event reset = late.next(WAIT);
            assertEquals("reset", reset.type());
            assertEquals("events_dropped", json(reset.data()).get("reason").asText());
            assertNotNull(reset.id(), "a reset tells the client where it stands now");
        }
        for (String unknown : List.of("999999999999999999", "not-a-number")) {
            try (EventClient confused = EventClient.subscribe(running, id, unknown)) {
                EventClient.Event reset = confused.next(WAIT);
                assertEquals("reset", reset.type());
                assertEquals("unknown_event_id", json(reset.data()).get("reason").asText());
            }
        }
    }

    @Test
    void aSubscriberArrivingMidStreamGetsTheStreamFromItsStart() throws Exception {
        String id = create();
        try (EventClient early = EventClient.subscribe(running, id, null);
                StreamClient stream = stream(id)) {
            sendAndAwait(stream, early, "<p>early ");
            sendAndAwait(stream, early, "bird");
            try (EventClient late = EventClient.subscribe(running, id, null)) {
                EventClient.Event hello = late.next(WAIT);
                assertEquals("subscribed", hello.type());
                assertFalse(json(hello.data()).get("resumed").asBoolean());
                assertEquals("start", late.next(WAIT).type());
                assertEquals("<p>early ", json(late.next(e -> e.type().equals("chunk"), WAIT).data()).get("text").asText());
                assertEquals("bird", json(late.next(e -> e.type().equals("chunk"), WAIT).data()).get("text").asText());
                stream.send("</p>");
                assertEquals(201, stream.finish().status());
                assertEquals(2, json(late.next(e -> e.type().equals("version"), WAIT).data()).get("version").asInt());
            }
        }
        try (EventClient after = EventClient.subscribe(running, id, null)) {
            assertEquals("subscribed", after.next(WAIT).type());
            assertEquals(List.of(), after.within(Duration.ofMillis(500)), "a stream that ended is not replayed to newcomers");
        }
    }

    @Test
    void aVersionAddedThroughTheApiIsPublished() throws Exception {
        String id = create();
        try (EventClient events = EventClient.subscribe(running, id, null)) {
            events.next(WAIT);
            HttpResponse<String> added = running.send(running.api("/v1/artifacts/" + id + "/versions")
                    .header("Content-Type", "application/json").POST(RunningServer.json("{\"content\":\"<p>second</p>\"}")).build());
            assertEquals(201, added.statusCode(), added.body());
            JsonNode version = json(events.next(e -> e.type().equals("version"), WAIT).data());
            assertEquals(2, version.get("version").asInt());
            assertEquals(running.server.sandboxOrigin() + "/f/" + id + "/2", version.get("frameUrl").asText());
        }
    }

    @Test
    void storageWritesArePublishedWithKeyAndSizeButNeverTheValue() throws Exception {
        String id = create();
        HttpResponse<String> minted = running.send(running.api("/v1/artifacts/" + id + "/viewers")
                .header("Content-Type", "application/json").POST(RunningServer.json("{\"viewer\":\"alice\"}")).build());
        JsonNode viewer = json(minted.body());
        try (EventClient events = EventClient.subscribe(running, id, null)) {
            events.next(WAIT);
            storage(viewer, "{\"op\":\"set\",\"key\":\"note\",\"value\":\"secret-value\"}");
            EventClient.Event set = events.next(e -> e.type().equals("storage"), WAIT);
            assertEquals(Map.of("op", "set", "shared", false, "viewer", "alice", "key", "note", "bytes", 16),
                    JSON.convertValue(json(set.data()), Map.class));
            storage(viewer, "{\"op\":\"delete\",\"key\":\"note\",\"shared\":true}");
            storage(viewer, "{\"op\":\"delete\",\"key\":\"note\"}");
            EventClient.Event deleted = events.next(e -> e.type().equals("storage"), WAIT);
            assertEquals(Map.of("op", "delete", "shared", false, "viewer", "alice", "key", "note"),
                    JSON.convertValue(json(deleted.data()), Map.class), "a delete of nothing is no write");
            assertFalse(set.data().contains("secret"));
        }
    }

    private static void storage(JsonNode viewer, String operation) {
        HttpResponse<String> response = running.send(HttpRequest.newBuilder(URI.create(viewer.get("storageUrl").asText()))
                .header("Authorization", "Bearer " + viewer.get("token").asText()).header("Content-Type", "application/json")
                .POST(RunningServer.json(operation)).build());
        assertEquals(200, response.statusCode(), response.body());
    }

    @Test
    void anIdleEventStreamGetsHeartbeatComments() throws Exception {
        String id = create();
        try (EventClient events = EventClient.subscribe(running, id, null)) {
            HttpResponse<?> response = events.response();
            assertEquals("text/event-stream; charset=UTF-8", response.headers().firstValue("Content-Type").orElseThrow());
            assertEquals("no-store", response.headers().firstValue("Cache-Control").orElseThrow());
            events.next(WAIT);
            events.next(e -> e.type().equals(":"), Duration.ofSeconds(3));
            events.next(e -> e.type().equals(":"), Duration.ofSeconds(3));
        }
    }

    @Test
    void eventsNeedTheKeyInTheHeaderOrTheQueryAndAKnownArtifact() throws Exception {
        String id = create();
        URI events = running.server.appOrigin().resolve("/v1/artifacts/" + id + "/events");
        assertEquals(401, running.send(HttpRequest.newBuilder(events).GET().build()).statusCode());
        assertEquals(401, running.send(HttpRequest.newBuilder(URI.create(events + "?key=vk_wrong_key_of_enough_length")).GET().build()).statusCode());
        try (EventClient byQuery = EventClient.open(HttpRequest.newBuilder(URI.create(events + "?key=" + running.server.apiKey())).GET().build())) {
            assertEquals("subscribed", byQuery.next(WAIT).type());
        }
        HttpResponse<String> unknown = running.send(running.api("/v1/artifacts/aaaaaaaaaaaaaaaaaaaaaaaaaa/events").GET().build());
        assertEquals(404, unknown.statusCode());
        assertEquals("not_found", json(unknown.body()).at("/error/code").asText());
        assertEquals(405, running.send(running.api("/v1/artifacts/" + id + "/events").POST(RunningServer.json("")).build()).statusCode());
        HttpResponse<String> elsewhere = running.send(HttpRequest.newBuilder(running.server.appOrigin()
                .resolve("/v1/artifacts/" + id + "?key=" + running.server.apiKey())).GET().build());
        assertEquals(401, elsewhere.statusCode(), "only the event stream takes the key in its URL");
    }
}

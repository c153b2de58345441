package dev.vitrine.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Server processes on one PostgreSQL as nodes behind a load balancer: a stream posted to one
 * reaches a viewer subscribed on another, and a viewer resumes on whichever node it reconnects
 * to, including one that started after the events it missed, without loss or duplicates.
 */
class TwoNodeEventsTest {
    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aStreamPostedToOneNodeReachesViewersOnOthersAndResumesOnAnyNode() throws Exception {
        try (PostgresSchema schema = new PostgresSchema("vitrine_events");
             ServerProcess a = ServerProcess.start(List.of(), List.of("--jdbc-url=" + schema.jdbcUrl()));
             ServerProcess b = ServerProcess.start(List.of(), List.of("--jdbc-url=" + schema.jdbcUrl()))) {
            String artifact = a.post("/v1/artifacts", Map.of("type", "html", "content", "<p>one</p>")).get("id").asText();
            List<String> parts = List.of("<h1>Two", " nodes</h1>", "<p>one stream</p>");

            List<EventClient.Event> seenOnB = new ArrayList<>();
            String resumeFrom;
            try (EventClient onB = subscribe(b, artifact, null)) {
                assertEquals("subscribed", onB.next(WAIT).type());
                try (StreamClient stream = StreamClient.open(a.app(), "/v1/artifacts/" + artifact + "/stream",
                        ServerProcess.API_KEY, "text/plain; charset=utf-8")) {
                    StringBuilder text = new StringBuilder();
                    for (String part : parts) {
                        stream.send(part);
                        seenOnB.addAll(onB.until("chunk", WAIT));
                        EventClient.Event chunk = seenOnB.getLast();
                        JsonNode data = JSON.readTree(chunk.data());
                        assertEquals(text.length(), data.get("offset").asInt(), "chunks reach node B in order");
                        text.append(data.get("text").asText());
                    }
                    assertEquals(String.join("", parts), text.toString());
                    StreamClient.Response response = stream.finish();
                    assertEquals(201, response.status(), response.body());
                }
                seenOnB.addAll(onB.until("version", WAIT));
            }
            List<EventClient.Event> stream = withIds(seenOnB);
            assertEquals("start", stream.getFirst().type());
            assertEquals("version", stream.getLast().type());
            assertEquals(2, JSON.readTree(stream.getLast().data()).get("version").asInt());
            for (int i = 1; i < stream.size(); i++) {
                assertTrue(stream.get(i).numericId() > stream.get(i - 1).numericId(), "ids grow: " + stream);
            }

            // A viewer of B that saw the first chunk reconnects to A, which read the stream itself.
            int firstChunk = indexOfType(stream, "chunk");
            resumeFrom = stream.get(firstChunk).id();
            List<EventClient.Event> expected = stream.subList(firstChunk + 1, stream.size());
            assertEquals(expected, resumed(a, artifact, resumeFrom));

            // And to a node that started after the stream: its events come from the database.
            try (ServerProcess c = ServerProcess.start(List.of(), List.of("--jdbc-url=" + schema.jdbcUrl()))) {
                assertEquals(expected, resumed(c, artifact, resumeFrom));
                String neverGiven = Long.toString(stream.getLast().numericId() + 1_000);
                try (EventClient unknown = subscribe(c, artifact, neverGiven)) {
                    EventClient.Event reset = unknown.next(WAIT);
                    assertEquals("reset", reset.type());
                    assertEquals("unknown_event_id", JSON.readTree(reset.data()).get("reason").asText());
                }

                // A storage write and a version posted on C reach a viewer on B.
                try (EventClient onB = subscribe(b, artifact, null)) {
                    assertEquals("subscribed", onB.next(WAIT).type());
                    JsonNode version = c.post("/v1/artifacts/" + artifact + "/versions", Map.of("content", "<p>three</p>"));
                    EventClient.Event event = onB.next(e -> e.type().equals("version"), WAIT);
                    assertEquals(version.get("number").asInt(), JSON.readTree(event.data()).get("version").asInt());
                }
            }
        }
    }

    /** The events a client resuming after {@code lastEventId} on {@code node} receives up to the version. */
    private static List<EventClient.Event> resumed(ServerProcess node, String artifact, String lastEventId) throws Exception {
        try (EventClient client = subscribe(node, artifact, lastEventId)) {
            EventClient.Event first = client.next(WAIT);
            assertEquals("subscribed", first.type(), first.data());
            assertTrue(JSON.readTree(first.data()).get("resumed").asBoolean());
            List<EventClient.Event> events = withIds(client.until("version", WAIT));
            assertFalse(events.isEmpty());
            return events;
        }
    }

    private static List<EventClient.Event> withIds(List<EventClient.Event> events) {
        return events.stream().filter(event -> event.id() != null).toList();
    }

    private static int indexOfType(List<EventClient.Event> events, String type) {
        for (int i = 0; i < events.size(); i++) {
            if (events.get(i).type().equals(type)) {
                return i;
            }
        }
        throw new AssertionError("no " + type + " event in " + events);
    }

    private static EventClient subscribe(ServerProcess node, String artifact, String lastEventId) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(node.app().resolve(URI.create("/v1/artifacts/" + artifact + "/events")))
                .header("Authorization", "Bearer " + ServerProcess.API_KEY).GET();
        if (lastEventId != null) {
            request.header("Last-Event-ID", lastEventId);
        }
        return EventClient.open(request.build());
    }
}

package dev.vitrine.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A subscriber that never reads must not slow down the stream or the subscribers that do read,
 * and is disconnected. Its own server, because it streams megabytes. (A reader slower than the
 * producer is cut off too, and resumes: {@code MemoryEventHubTest}.)
 */
@Timeout(90)
class EventStreamBackpressureTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int CHUNKS = 600;
    private static final int CHUNK_BYTES = 8 * 1024;

    @TempDir
    static Path data;
    static RunningServer running;

    @BeforeAll
    static void start() {
        running = new RunningServer(data, Clock.systemUTC(), config -> config
                .withMaxBodySize(DataSize.ofMegabytes(8))
                .withStreams(StreamSettings.defaults()
                        .withBuffer(10_000, DataSize.ofMegabytes(16), DataSize.ofKilobytes(256))));
    }

    @AfterAll
    static void stop() {
        running.close();
    }

    @Test
    void aSubscriberThatNeverReadsDelaysNobodyAndIsDisconnected() throws Exception {
        HttpResponse<String> created = running.send(running.api("/v1/artifacts").header("Content-Type", "application/json")
                .POST(RunningServer.json("{\"type\":\"html\",\"content\":\"<p>one</p>\"}")).build());
        String id = JSON.readTree(created.body()).get("id").asText();

        try (Socket stalled = stalledSubscriber(id);
                EventClient reader = EventClient.subscribe(running, id, null)) {
            assertEquals("subscribed", reader.next(Duration.ofSeconds(10)).type());
            long started = System.nanoTime();
            StreamClient.Response stored;
            long received = 0;
            try (StreamClient stream = StreamClient.open(running.server.appListenUrl(), "/v1/artifacts/" + id + "/stream",
                    running.server.apiKey(), "text/plain")) {
                // The reader keeps up (each chunk reaches it before the next is sent, as with a
                // model writing); the stalled subscriber falls further behind with every chunk.
                for (int i = 0; i < CHUNKS; i++) {
                    stream.send(chunk(i));
                    while (received < (long) (i + 1) * CHUNK_BYTES) {
                        received += text(reader.next(e -> e.type().equals("chunk"), Duration.ofSeconds(10))).length();
                    }
                }
                stored = stream.finish();
            }
            long streamed = System.nanoTime() - started;
            assertEquals(201, stored.status(), stored.body());
            assertEquals((long) CHUNKS * CHUNK_BYTES, received, "the reading subscriber got every chunk");
            assertEquals("version", reader.next(e -> e.type().equals("version"), Duration.ofSeconds(10)).type());
            long delivered = System.nanoTime() - started;

            long cutOff = awaitClosed(stalled, Duration.ofSeconds(20)) - started;
            System.out.printf("backpressure: %d MB streamed in %d ms, all delivered to the reader after %d ms,"
                            + " the stalled subscriber closed after %d ms%n", (long) CHUNKS * CHUNK_BYTES >> 20,
                    streamed / 1_000_000, delivered / 1_000_000, cutOff / 1_000_000);
            assertTrue(streamed < Duration.ofSeconds(20).toNanos(), "the producer was not held back");
        }
    }

    private static String text(EventClient.Event chunk) {
        try {
            return JSON.readTree(chunk.data()).get("text").asText();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static String chunk(int index) {
        String label = "<p>" + index + "</p>";
        return label + "x".repeat(CHUNK_BYTES - label.length());
    }

    /** Subscribes over a socket with a tiny receive buffer that nothing ever reads. */
    private static Socket stalledSubscriber(String id) throws IOException {
        Socket socket = new Socket();
        socket.setReceiveBufferSize(4096);
        URI listen = running.server.appListenUrl();
        socket.connect(new InetSocketAddress(listen.getHost(), listen.getPort()), 5_000);
        OutputStream out = socket.getOutputStream();
        out.write(("GET /v1/artifacts/" + id + "/events HTTP/1.1\r\nHost: " + listen.getAuthority()
                + "\r\nAuthorization: Bearer " + running.server.apiKey() + "\r\nAccept: text/event-stream\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return socket;
    }

    /** Reads whatever the server had sent until it closes the connection; returns when, as System.nanoTime(). */
    private static long awaitClosed(Socket socket, Duration limit) throws IOException {
        socket.setSoTimeout((int) limit.toMillis());
        InputStream in = socket.getInputStream();
        byte[] buffer = new byte[64 * 1024];
        try {
            while (in.read(buffer) >= 0) {
                // what was on its way before the cut
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the stalled subscriber was still connected after " + limit);
        } catch (IOException e) {
            // reset by the server: closed as well
        }
        return System.nanoTime();
    }
}

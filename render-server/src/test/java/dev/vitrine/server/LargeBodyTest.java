package dev.vitrine.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bodies between Undertow's default 2MB entity limit and {@code max-body-size}. */
class LargeBodyTest {
    @TempDir
    static Path data;
    static RunningServer running;

    @BeforeAll
    static void start() {
        running = new RunningServer(data, ServerConfig.DEFAULT_MAX_BODY_SIZE);
    }

    @AfterAll
    static void stop() {
        running.close();
    }

    @Test
    void aThreeMegabyteBodyUnderTheFiveMegabyteDefaultIsAccepted() {
        // Regression: Undertow's 2MB default cut such bodies off, answered as 400 body_unreadable.
        String body = "{\"type\":\"html\",\"content\":\"<p>" + "x".repeat(3_000_000) + "</p>\"}";
        HttpResponse<String> response = running.send(running.api("/v1/artifacts").header("Content-Type", "application/json")
                .POST(RunningServer.json(body)).build());
        assertEquals(201, response.statusCode(), response.body().substring(0, Math.min(300, response.body().length())));
    }

    @Test
    void aBodyOverMaxBodySizeIsStill413() {
        String body = "{\"type\":\"html\",\"content\":\"" + "x".repeat(6 * 1024 * 1024) + "\"}";
        HttpResponse<String> response = running.send(running.api("/v1/artifacts").header("Content-Type", "application/json")
                .POST(RunningServer.json(body)).build());
        assertEquals(413, response.statusCode());
    }
}

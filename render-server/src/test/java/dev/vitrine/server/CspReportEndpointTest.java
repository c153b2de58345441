package dev.vitrine.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sandbox origin's report endpoint, over real HTTP: what is stored, attributed to which
 * artifact version, and what is refused. Limits are small (3 reports a second per artifact,
 * 5 for the server, 5 kept per artifact) and every test starts with full buckets.
 */
class CspReportEndpointTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final MutableClock CLOCK = new MutableClock(Instant.parse("2026-11-23T10:00:00Z"));

    @TempDir
    static Path data;
    static RunningServer running;

    @BeforeAll
    static void start() {
        running = new RunningServer(data, CLOCK, config -> config.withAudit(AuditSettings.defaults().withReports(3, 5, 5)));
    }

    @AfterAll
    static void stop() {
        running.close();
    }

    @BeforeEach
    void refillRateBuckets() {
        CLOCK.advance(Duration.ofMinutes(1));
    }

    private static String createArtifact() throws Exception {
        HttpResponse<String> created = running.send(running.api("/v1/artifacts").header("Content-Type", "application/json")
                .POST(RunningServer.json("{\"type\":\"html\",\"content\":\"<p>reported</p>\"}")).build());
        assertEquals(201, created.statusCode(), created.body());
        return JSON.readTree(created.body()).get("id").asText();
    }

    private static String frameUrl(String id, int version) {
        return running.server.sandboxOrigin() + "/f/" + id + "/" + version;
    }

    private static HttpResponse<String> report(String contentType, String body) {
        return running.send(running.sandbox("/_vitrine/csp-report").header("Content-Type", contentType)
                .POST(RunningServer.json(body)).build());
    }

    private static HttpResponse<String> legacy(String documentUri, String directive, String blocked) throws Exception {
        return report("application/csp-report", JSON.writeValueAsString(Map.of("csp-report", Map.of(
                "document-uri", documentUri, "effective-directive", directive, "blocked-uri", blocked,
                "violated-directive", directive, "disposition", "enforce", "status-code", 200))));
    }

    private static Map<String, Object> violationReport(String documentUrl, String directive, String blocked) {
        return Map.of("type", "csp-violation", "age", 10, "url", documentUrl, "user_agent", "Chromium",
                "body", Map.of("documentURL", documentUrl, "effectiveDirective", directive, "blockedURL", blocked,
                        "disposition", "enforce", "statusCode", 200, "sourceFile", documentUrl,
                        "lineNumber", 3, "columnNumber", 14));
    }

    private static List<JsonNode> violations(String id) throws Exception {
        HttpResponse<String> trail = running.send(running.api("/v1/artifacts/" + id + "/audit?limit=1000").GET().build());
        assertEquals(200, trail.statusCode(), trail.body());
        List<JsonNode> found = new ArrayList<>();
        for (JsonNode event : JSON.readTree(trail.body()).get("events")) {
            if (event.get("type").asText().equals("violation")) {
                found.add(event);
            }
        }
        return found;
    }

    private static void assertError(HttpResponse<String> response, int status, String code) throws Exception {
        assertEquals(status, response.statusCode(), response.body());
        assertEquals(code, JSON.readTree(response.body()).at("/error/code").asText(), response.body());
    }

    @Test
    void legacyReportIsStoredAttributedToTheVersionOfItsDocument() throws Exception {
        String id = createArtifact();
        running.send(running.api("/v1/artifacts/" + id + "/versions").header("Content-Type", "application/json")
                .POST(RunningServer.json("{\"content\":\"<p>two</p>\"}")).build());

        HttpResponse<String> response = legacy(frameUrl(id, 2), "img-src", "http://evil.test/pixel.png?d=secret");

        assertEquals(204, response.statusCode(), response.body());
        List<JsonNode> stored = violations(id);
        assertEquals(1, stored.size());
        JsonNode event = stored.get(0);
        assertEquals(2, event.get("version").asInt(), event.toString());
        assertEquals(id, event.get("artifactId").asText());
        assertEquals("img-src", event.at("/violation/directive").asText());
        assertEquals("http://evil.test/pixel.png?d=secret", event.at("/violation/blockedUrl").asText());
        assertEquals(CLOCK.instant().toString(), event.get("at").asText());
    }

    @Test
    void reportingApiBatchIsStoredAndOtherReportTypesAreSkipped() throws Exception {
        String id = createArtifact();
        String body = JSON.writeValueAsString(List.of(
                violationReport(frameUrl(id, 1), "connect-src", "http://evil.test/leak"),
                Map.of("type", "deprecation", "url", frameUrl(id, 1), "body", Map.of("id", "x")),
                violationReport(frameUrl(id, 1), "script-src-elem", "inline")));

        assertEquals(204, report("application/reports+json", body).statusCode());

        List<JsonNode> stored = violations(id);
        assertEquals(2, stored.size());
        assertEquals("connect-src", stored.get(0).at("/violation/directive").asText());
        assertEquals(3, stored.get(0).at("/violation/line").asInt());
        assertEquals(14, stored.get(0).at("/violation/column").asInt());
        assertEquals(frameUrl(id, 1), stored.get(0).at("/violation/sourceFile").asText());
        assertEquals("inline", stored.get(1).at("/violation/blockedUrl").asText());
        assertEquals(1, stored.get(1).get("version").asInt());
    }

    @Test
    void malformedOrOversizedReportsAreRefusedWithAStableCodeAndStoreNothing() throws Exception {
        String id = createArtifact();
        String frame = frameUrl(id, 1);

        assertError(report("application/csp-report", "{\"csp-report\":"), 400, "malformed_json");
        assertError(report("application/csp-report", ""), 400, "malformed_json");
        assertError(running.send(running.sandbox("/_vitrine/csp-report").header("Content-Type", "application/csp-report")
                .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[] {'{', '"', (byte) 0xC3, (byte) 0x28, '"', '}'})).build()),
                400, "invalid_utf8");
        assertError(report("application/csp-report", "{\"document-uri\":\"" + frame + "\"}"), 400, "invalid_report");
        assertError(report("application/csp-report", "[]"), 400, "invalid_report");
        assertError(report("application/reports+json", "{\"csp-report\":{}}"), 400, "invalid_report");
        assertError(report("application/reports+json", "[{\"type\":\"deprecation\",\"body\":{}}]"), 400, "invalid_report");
        assertError(report("application/csp-report", "{\"csp-report\":{\"document-uri\":\"" + frame + "\"}}"),
                400, "invalid_report"); // no directive
        assertError(report("application/csp-report", "{\"csp-report\":{\"document-uri\":\"" + frame
                + "\",\"effective-directive\":\"img-src\",\"line-number\":\"3\"}}"), 400, "invalid_report");
        assertError(report("application/csp-report", "{\"csp-report\":{\"document-uri\":\"" + frame
                + "\",\"effective-directive\":\"img-src\"},\"csp-report\":{}}"), 400, "malformed_json");
        List<Map<String, Object>> tooMany = new ArrayList<>();
        for (int i = 0; i <= CspReports.MAX_REPORTS; i++) {
            tooMany.add(violationReport(frame, "img-src", "http://evil.test/" + i));
        }
        assertError(report("application/reports+json", JSON.writeValueAsString(tooMany)), 400, "invalid_report");
        assertError(report("text/plain", "{}"), 415, "unsupported_media_type");
        assertError(report("application/csp-report", "{\"csp-report\":{\"document-uri\":\"" + frame
                + "\",\"effective-directive\":\"img-src\",\"blocked-uri\":\"" + "a".repeat(70_000) + "\"}}"), 413, "body_too_large");

        assertEquals(List.of(), violations(id));
    }

    @Test
    void longFieldsAreCutToTheirLimitsBeforeTheyAreStored() throws Exception {
        String id = createArtifact();

        assertEquals(204, legacy(frameUrl(id, 1), "img-src", "http://evil.test/" + "a".repeat(5_000)).statusCode());

        JsonNode violation = violations(id).get(0).get("violation");
        assertEquals(1024, violation.get("blockedUrl").asText().length());
        assertTrue(violation.get("blockedUrl").asText().startsWith("http://evil.test/aaa"));
    }

    @Test
    void reportsNamingNoArtifactFrameOfThisOriginAreRefusedAndUnknownArtifactsAreNotStored() throws Exception {
        String id = createArtifact();
        String otherOrigin = "http://evil.test/f/" + id + "/1";
        String notAFrame = running.server.sandboxOrigin() + "/_vitrine/frame.js";
        String unknownArtifact = frameUrl("aaaaaaaaaaaaaaaaaaaaaaaaaa", 1);

        assertError(legacy(otherOrigin, "img-src", "x"), 400, "invalid_report");
        assertError(legacy(notAFrame, "img-src", "x"), 400, "invalid_report");
        assertError(legacy(frameUrl(id, 0), "img-src", "x"), 400, "invalid_report");
        assertError(legacy("not a url at all", "img-src", "x"), 400, "invalid_report");
        assertError(legacy(unknownArtifact, "img-src", "x"), 404, "not_found");
        assertError(legacy(frameUrl(id, 2), "img-src", "x"), 404, "not_found"); // no version 2
        assertEquals(List.of(), violations(id));

        String mixed = JSON.writeValueAsString(List.of(
                violationReport(unknownArtifact, "img-src", "http://evil.test/a"),
                violationReport(frameUrl(id, 1), "img-src", "http://evil.test/b")));
        assertEquals(204, report("application/reports+json", mixed).statusCode(), "the known one is kept");
        assertEquals(List.of("http://evil.test/b"), violations(id).stream().map(v -> v.at("/violation/blockedUrl").asText()).toList());
    }

    @Test
    void aDeletedArtifactTakesNoMoreReports() throws Exception {
        String id = createArtifact();
        assertEquals(204, running.send(running.api("/v1/artifacts/" + id).DELETE().build()).statusCode());

        assertError(legacy(frameUrl(id, 1), "img-src", "x"), 404, "not_found");

        HttpResponse<String> trail = running.send(running.api("/v1/artifacts/" + id + "/audit").GET().build());
        JsonNode events = JSON.readTree(trail.body()).get("events");
        assertEquals("deleted", events.get(events.size() - 1).get("type").asText(), trail.body());
    }

    @Test
    void reportsOverAnArtifactsRateAreRefusedWith429AndARetryHint() throws Exception {
        String id = createArtifact();
        for (int i = 0; i < 6; i++) {
            assertEquals(204, legacy(frameUrl(id, 1), "img-src", "http://evil.test/" + i).statusCode(), "within the burst: " + i);
        }

        HttpResponse<String> limited = legacy(frameUrl(id, 1), "img-src", "http://evil.test/over");

        assertError(limited, 429, "rate_limited");
        assertEquals("1", limited.headers().firstValue("Retry-After").orElse(null));
        assertEquals(5, violations(id).size(), "5 kept: the per-artifact limit dropped the sixth");
        CLOCK.advance(Duration.ofSeconds(1));
        assertEquals(204, legacy(frameUrl(id, 1), "img-src", "http://evil.test/later").statusCode());
    }

    @Test
    void theServersRateCoversAllArtifactsTogether() throws Exception {
        String first = createArtifact();
        String second = createArtifact();
        for (int i = 0; i < 6; i++) {
            assertEquals(204, legacy(frameUrl(first, 1), "img-src", "x").statusCode());
        }
        for (int i = 0; i < 4; i++) {
            assertEquals(204, legacy(frameUrl(second, 1), "img-src", "x").statusCode());
        }

        assertError(legacy(frameUrl(second, 1), "img-src", "x"), 429, "rate_limited");
    }

    @Test
    void aBatchLargerThanTheBurstKeepsWhatFitsAndIsNotRefused() throws Exception {
        String id = createArtifact();
        List<Map<String, Object>> batch = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            batch.add(violationReport(frameUrl(id, 1), "img-src", "http://evil.test/" + i));
        }

        assertEquals(204, report("application/reports+json", JSON.writeValueAsString(batch)).statusCode());

        assertEquals(5, violations(id).size(), "6 admitted by the burst, 5 kept by the per-artifact limit");
    }

    @Test
    void violationsBeyondThePerArtifactLimitAreDroppedWithoutAnError() throws Exception {
        String id = createArtifact();
        for (int i = 0; i < 8; i++) {
            CLOCK.advance(Duration.ofSeconds(1));
            assertEquals(204, legacy(frameUrl(id, 1), "img-src", "http://evil.test/" + i).statusCode());
        }

        List<JsonNode> stored = violations(id);
        assertEquals(5, stored.size());
        assertEquals("http://evil.test/0", stored.get(0).at("/violation/blockedUrl").asText(), "the first ones are kept");
        assertFalse(stored.stream().anyMatch(v -> v.at("/violation/blockedUrl").asText().endsWith("/7")));
    }
}

package dev.vitrine.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every response of the sandbox origin carries the strict header set, and none redirects. */
class SandboxOriginTest {
    @TempDir
    static Path data;
    static RunningServer running;
    static String frameUrl;

    @BeforeAll
    static void start() throws Exception {
        running = new RunningServer(data, DataSize.ofMegabytes(1));
        HttpResponse<String> created = running.send(running.api("/v1/artifacts").header("Content-Type", "application/json")
                .POST(RunningServer.json("{\"type\":\"html\",\"content\":\"<p>frame</p>\"}")).build());
        frameUrl = new ObjectMapper().readTree(created.body()).get("frameUrl").asText();
    }

    @AfterAll
    static void stop() {
        running.close();
    }

    private static void assertStrict(HttpResponse<String> response) {
        String what = response.request().method() + " " + response.uri() + " (" + response.statusCode() + ")";
        String csp = response.headers().firstValue("Content-Security-Policy").orElseThrow(() -> new AssertionError(what + " has no CSP"));
        assertTrue(csp.contains("sandbox"), what + ": " + csp);
        assertFalse(csp.contains("'nonce-") || csp.contains("'sha256-"), what + " trusts a nonce or hash: " + csp);
        assertEquals("nosniff", response.headers().firstValue("X-Content-Type-Options").orElse(null), what);
        assertEquals("no-referrer", response.headers().firstValue("Referrer-Policy").orElse(null), what);
        assertTrue(response.headers().firstValue("Cross-Origin-Resource-Policy").isPresent(), what);
        assertTrue(response.headers().firstValue("Permissions-Policy").orElse("").contains("camera=()"), what);
        assertTrue(response.statusCode() < 300 || response.statusCode() >= 400, what + " redirects");
    }

    @Test
    void artifactDocumentCarriesTheArtifactPolicy() {
        HttpResponse<String> response = running.send(HttpRequest.newBuilder(java.net.URI.create(frameUrl)).GET().build());
        assertEquals(200, response.statusCode());
        assertStrict(response);
        String csp = response.headers().firstValue("Content-Security-Policy").orElseThrow();
        assertTrue(csp.contains("sandbox allow-scripts allow-forms"), csp);
        assertTrue(csp.contains("connect-src 'none'"), csp);
        assertTrue(csp.contains("form-action 'none'"), csp);
        assertTrue(csp.contains("base-uri 'none'"), csp);
        assertTrue(csp.contains("frame-ancestors " + running.server.appOrigin()), csp);
        assertTrue(response.body().contains("<p>frame</p>"));
        assertTrue(response.body().contains("<script src=\"/_vitrine/frame.js\" crossorigin=\"anonymous\"></script>"), response.body());
    }

    @Test
    void everyOtherResponseIsLockedDownToo() {
        List<HttpRequest> requests = List.of(
                running.sandbox("/").GET().build(),
                running.sandbox("/healthz").GET().build(),
                running.sandbox("/nothing").GET().build(),
                running.sandbox("/f/aaaaaaaaaaaaaaaaaaaaaaaaaa/1").GET().build(),
                running.sandbox("/f/not-an-id/1").GET().build(),
                running.sandbox("/f/aaaaaaaaaaaaaaaaaaaaaaaaaa").GET().build(),
                running.sandbox("/_vitrine/frame.js").GET().build(),
                running.sandbox("/_vitrine/missing.js").GET().build(),
                running.sandbox("/_vitrine").GET().build(),
                running.sandbox("/_vitrine/../f/").GET().build(),
                running.sandbox(frameUrl.substring(frameUrl.indexOf("/f/"))).POST(RunningServer.json("x")).build(),
                running.sandbox("/v1/artifacts").GET().build());
        for (HttpRequest request : requests) {
            assertStrict(running.send(request));
        }
    }

    @Test
    void runtimeFilesAreLoadableByOpaqueOriginFrames() {
        HttpResponse<String> response = running.send(running.sandbox("/_vitrine/frame.js").GET().build());
        assertEquals(200, response.statusCode());
        assertEquals("*", response.headers().firstValue("Access-Control-Allow-Origin").orElse(null));
        assertEquals("cross-origin", response.headers().firstValue("Cross-Origin-Resource-Policy").orElse(null));
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("text/javascript"));
    }

    @Test
    void apiIsNotServedOnTheSandboxOrigin() {
        assertEquals(404, running.send(running.sandbox("/v1/artifacts").GET().build()).statusCode());
    }

    @Test
    void cspReportsAreAcceptedInBothFormatsAndCapped() {
        HttpResponse<String> legacy = running.send(running.sandbox("/_vitrine/csp-report").header("Content-Type", "application/csp-report")
                .POST(RunningServer.json("{\"csp-report\":{\"document-uri\":\"" + frameUrl + "\",\"effective-directive\":\"img-src\",\"blocked-uri\":\"http://evil.test/x\"}}")).build());
        assertEquals(204, legacy.statusCode());
        HttpResponse<String> reporting = running.send(running.sandbox("/_vitrine/csp-report").header("Content-Type", "application/reports+json")
                .POST(RunningServer.json("[{\"type\":\"csp-violation\",\"body\":{\"documentURL\":\"" + frameUrl + "\",\"effectiveDirective\":\"connect-src\",\"blockedURL\":\"http://evil.test/\\n fake line\"}}]")).build());
        assertEquals(204, reporting.statusCode());
        HttpResponse<String> huge = running.send(running.sandbox("/_vitrine/csp-report").header("Content-Type", "application/csp-report")
                .POST(RunningServer.json("{\"x\":\"" + "a".repeat(70_000) + "\"}")).build());
        assertEquals(413, huge.statusCode());
        assertStrict(huge);
    }
}

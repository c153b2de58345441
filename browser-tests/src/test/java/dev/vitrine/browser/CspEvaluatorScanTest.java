package dev.vitrine.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vitrine.server.ServerConfig;
import dev.vitrine.server.VitrineServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Google's csp_evaluator (npm, run through node) over the policies a production-shaped
 * deployment sends: https origins behind a TLS proxy, listeners on loopback. The chat page
 * must have no HIGH, MEDIUM or HIGH_MAYBE finding; an artifact document none but the
 * deliberate {@code 'unsafe-inline'} (the artifact is the script; its policy controls egress).
 */
class CspEvaluatorScanTest {
    private static final int HIGH = 10;
    private static final int MEDIUM = 30;
    private static final int HIGH_MAYBE = 40;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    static Path data;
    private static VitrineServer server;

    @BeforeAll
    static void start() {
        ServerConfig behindTlsProxy = ServerConfig.defaults()
                .withOrigins(URI.create("https://chat.vitrine.test"), URI.create("https://sandbox.vitrine-usercontent.test"),
                        new InetSocketAddress("127.0.0.1", 0), new InetSocketAddress("127.0.0.1", 0))
                .withDataDirectory(data);
        server = VitrineServer.start(behindTlsProxy, Clock.systemUTC(), new SecureRandom());
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void chatPagePolicyHasNoHighOrMediumFinding() throws Exception {
        JsonNode findings = scan(Map.of("chat", policy(server.appListenUrl().resolve("/")))).get("chat");
        assertEquals(List.of(), severe(findings), "chat page findings: " + findings);
    }

    @Test
    void artifactPolicyHasNoFindingBeyondTheDeliberateUnsafeInline() throws Exception {
        String frameUrl = createArtifact();
        URI local = server.sandboxListenUrl().resolve(URI.create(frameUrl).getPath());
        JsonNode findings = scan(Map.of("artifact", policy(local))).get("artifact");
        List<String> severe = severe(findings);
        assertEquals(List.of("script-src 'unsafe-inline'"), severe, "artifact findings: " + findings);
    }

    @Test
    void sandboxErrorAndResourcePoliciesHaveNoHighOrMediumFinding() throws Exception {
        Map<String, String> policies = new LinkedHashMap<>();
        policies.put("not found", policy(server.sandboxListenUrl().resolve("/nothing-here")));
        policies.put("runtime script", policy(server.sandboxListenUrl().resolve("/_vitrine/frame.js")));
        JsonNode report = scan(policies);
        for (String name : policies.keySet()) {
            assertEquals(List.of(), severe(report.get(name)), name + " findings: " + report.get(name));
        }
    }

    private static List<String> severe(JsonNode findings) {
        List<String> severe = new ArrayList<>();
        for (JsonNode finding : findings) {
            int severity = finding.get("severity").asInt();
            if (severity == HIGH || severity == MEDIUM || severity == HIGH_MAYBE) {
                severe.add(finding.get("directive").asText() + " " + finding.path("value").asText());
            }
        }
        return severe;
    }

    private static String createArtifact() throws Exception {
        HttpRequest request = HttpRequest.newBuilder(server.appListenUrl().resolve("/v1/artifacts"))
                .header("Authorization", "Bearer " + server.apiKey())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"type\":\"html\",\"title\":\"scan\",\"content\":\"<p>hi</p>\"}"))
                .build();
        HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        assertEquals(201, response.statusCode(), response.body());
        return JSON.readTree(response.body()).get("frameUrl").asText();
    }

    private static String policy(URI url) throws Exception {
        HttpResponse<Void> response = HTTP.send(HttpRequest.newBuilder(url).build(), HttpResponse.BodyHandlers.discarding());
        return response.headers().firstValue("Content-Security-Policy")
                .orElseThrow(() -> new AssertionError(url + " sent no Content-Security-Policy"));
    }

    private static JsonNode scan(Map<String, String> policies) throws IOException, InterruptedException {
        Path script = Path.of("src/test/js/csp-scan.cjs").toAbsolutePath();
        assertTrue(Files.exists(Path.of("node_modules/csp_evaluator")), "run 'npm ci' in browser-tests (the Maven build does)");
        Process node = new ProcessBuilder("node", script.toString()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        node.getOutputStream().write(JSON.writeValueAsBytes(policies));
        node.getOutputStream().close();
        String output = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(node.waitFor(60, TimeUnit.SECONDS), "csp_evaluator did not finish");
        assertEquals(0, node.exitValue(), "csp_evaluator failed: " + output);
        return JSON.readTree(output);
    }
}

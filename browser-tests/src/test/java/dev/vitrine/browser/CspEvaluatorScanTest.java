package dev.vitrine.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vitrine.csp.SandboxHeaders;
import dev.vitrine.csp.SandboxSettings;
import dev.vitrine.frame.FramePaths;
import dev.vitrine.server.ServerConfig;
import dev.vitrine.server.VitrineServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URL;
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
 * Google's csp_evaluator (npm, run through node) over every policy a production-shaped
 * deployment sends: https origins behind a TLS proxy, listeners on loopback. App-origin
 * responses (chat page, static assets, API answers, errors) must have no HIGH, MEDIUM or
 * HIGH_MAYBE finding; artifact documents of every type none but the deliberate
 * {@code 'unsafe-inline'} (the artifact is the script; its policy controls egress), and the
 * {@code 'unsafe-eval'} variant csp-builder can generate none beyond those two; sandbox
 * resources and errors none.
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
    void appOriginPoliciesHaveNoHighOrMediumFinding() throws Exception {
        Map<String, String> policies = new LinkedHashMap<>();
        policies.put("chat page", policy(get(server.appListenUrl().resolve("/"), false)));
        policies.put("static asset", policy(get(server.appListenUrl().resolve("/static/embed.js"), false)));
        policies.put("API answer", policy(get(server.appListenUrl().resolve("/v1/artifacts"), true)));
        policies.put("API error", policy(get(server.appListenUrl().resolve("/v1/artifacts/nothing"), true)));
        policies.put("unauthorised API call", policy(get(server.appListenUrl().resolve("/v1/artifacts"), false)));
        policies.put("not found", policy(get(server.appListenUrl().resolve("/nothing-here"), false)));
        assertNoSevereFinding(policies);
    }

    @Test
    void artifactPolicyOfEveryTypeHasNoFindingBeyondTheDeliberateUnsafeInline() throws Exception {
        Map<String, String> policies = new LinkedHashMap<>();
        Map<String, String> samples = Map.of(
                "html", "<p>hi</p>",
                "svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"><rect width=\"4\" height=\"4\"/></svg>",
                "markdown", "# hi",
                "react", "export default function App() { return <p>hi</p>; }",
                "mermaid", "graph TD; A-->B");
        for (Map.Entry<String, String> sample : samples.entrySet()) {
            JsonNode artifact = createArtifact(sample.getKey(), sample.getValue());
            String path = URI.create(artifact.get("frameUrl").asText()).getPath();
            policies.put(sample.getKey(), policy(get(server.sandboxListenUrl().resolve(path), false)));
        }
        JsonNode report = scan(policies);
        for (String type : policies.keySet()) {
            assertEquals(List.of("script-src 'unsafe-inline'"), severe(report.get(type)), type + " findings: " + report.get(type));
        }
    }

    @Test
    void evalVariantOfTheArtifactPolicyAddsOnlyTheDeliberateUnsafeEval() throws Exception {
        SandboxSettings settings = new SandboxSettings(server.sandboxOrigin(), List.of(server.appOrigin()),
                FramePaths.RUNTIME_PREFIX, FramePaths.REPORT_PATH);
        String policy = SandboxHeaders.artifactDocument(settings, true).value("Content-Security-Policy").orElseThrow();
        JsonNode findings = scan(Map.of("eval", policy)).get("eval");
        // csp_evaluator rates 'unsafe-eval' MEDIUM_MAYBE, below the severities this test refuses.
        assertEquals(List.of("script-src 'unsafe-inline'"), severe(findings), "findings: " + findings);
        List<String> evalFindings = new ArrayList<>();
        findings.forEach(f -> evalFindings.add(f.path("value").asText()));
        assertTrue(evalFindings.contains("'unsafe-eval'"), "the eval variant allows eval: " + findings);
    }

    @Test
    void sandboxResourceAndErrorPoliciesHaveNoHighOrMediumFinding() throws Exception {
        JsonNode react = createArtifact("react", "export default function App() { return <p>hi</p>; }");
        URL manifest = VitrineServer.class.getClassLoader().getResource("dev/vitrine/static/vendor/manifest.json");
        assertNotNull(manifest, "the static module's vendor manifest is on the class path");
        String vendorFile = JSON.readTree(manifest).at("/imports/react").asText();
        Map<String, String> policies = new LinkedHashMap<>();
        policies.put("not found", policy(get(server.sandboxListenUrl().resolve("/nothing-here"), false)));
        policies.put("runtime script", policy(get(server.sandboxListenUrl().resolve("/_vitrine/frame.js"), false)));
        policies.put("vendor module", policy(get(server.sandboxListenUrl().resolve(FramePaths.VENDOR_PREFIX + vendorFile), false)));
        policies.put("component module", policy(get(server.sandboxListenUrl().resolve(
                FramePaths.COMPONENT_PREFIX + react.get("id").asText() + "/1.js"), false)));
        policies.put("unknown frame", policy(get(server.sandboxListenUrl().resolve("/f/aaaaaaaaaaaaaaaaaaaaaaaaaa/1"), false)));
        assertNoSevereFinding(policies);
    }

    private static void assertNoSevereFinding(Map<String, String> policies) throws Exception {
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

    private static JsonNode createArtifact(String type, String content) {
        return new VitrineClient(server.appListenUrl(), server.apiKey()).create(type, "scan", content);
    }

    private static HttpResponse<Void> get(URI url, boolean withKey) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(url);
        if (withKey) {
            request.header("Authorization", "Bearer " + server.apiKey());
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.discarding());
    }

    private static String policy(HttpResponse<Void> response) {
        return response.headers().firstValue("Content-Security-Policy")
                .orElseThrow(() -> new AssertionError(response.uri() + " (" + response.statusCode() + ") sent no Content-Security-Policy"));
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

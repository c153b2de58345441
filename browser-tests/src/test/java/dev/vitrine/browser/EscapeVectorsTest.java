package dev.vitrine.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vitrine.browser.EscapeVector.Detector;
import dev.vitrine.browser.EscapeVector.Expected;
import dev.vitrine.browser.VectorResult.Verdict;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The escape gate. Every vector of the catalogue ({@code src/test/resources/dev/vitrine/browser/vectors})
 * runs once, in Chromium, against this class's own Vitrine, through the same {@link EscapeLab}
 * that {@code ./vitrine escape-lab} drives: a vector catalogued as {@code blocked} must be
 * blocked, and a known browser limit must still be detected, so that the catalogue is revisited
 * the day Chromium closes it. Controls show that each detector fires where nothing stops it, and
 * that the chat page's {@code frame-src} is what keeps a frame from navigating itself out. The
 * run's report is written to {@code target/escape-lab-gate/}.
 */
class EscapeVectorsTest {
    private static final List<EscapeVector> CATALOGUE = VectorCatalogue.builtIn();
    private static final Path REPORT = Path.of("target", "escape-lab-gate");

    private static VitrineUnderTest vitrine;
    private static EscapeLab lab;
    private static Map<String, VectorResult> results;

    @BeforeAll
    static void runTheCatalogue() {
        vitrine = VitrineUnderTest.start(UnaryOperator.identity());
        lab = EscapeLab.open(vitrine, EscapeLab.Settings.quick());
        List<VectorResult> run = lab.runAll(CATALOGUE, result -> { });
        results = run.stream().collect(Collectors.toMap(r -> r.vector().id(), Function.identity()));
        EscapeReport.write(new EscapeReport.Run("in-process Vitrine at " + vitrine.appOrigin() + " (EscapeVectorsTest)",
                lab.browserVersion(), Instant.now(), run), REPORT);
    }

    @AfterAll
    static void stop() {
        if (lab != null) {
            lab.close();
        }
        if (vitrine != null) {
            vitrine.close();
        }
    }

    static Stream<EscapeVector> blockedVectors() {
        return CATALOGUE.stream().filter(v -> v.expected() == Expected.BLOCKED);
    }

    static Stream<EscapeVector> knownLimits() {
        return CATALOGUE.stream().filter(v -> v.expected() == Expected.KNOWN_LIMIT);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("blockedVectors")
    void artifactCannotEscapeThrough(EscapeVector vector) {
        VectorResult result = results.get(vector.id());
        assertEquals(Verdict.BLOCKED, result.verdict(), () -> explain(result));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("knownLimits")
    void knownBrowserLimitIsStillDetected(EscapeVector vector) {
        VectorResult result = results.get(vector.id());
        assertEquals(Verdict.KNOWN_LIMIT, result.verdict(), () -> "a known browser limit was not detected: if the browser closed it,"
                + " mark the vector 'blocked' in the catalogue and SECURITY.md; " + explain(result));
    }

    @Test
    void theCatalogueCoversEveryKindOfEscapeOfTheThreatModel() {
        Set<String> categories = CATALOGUE.stream().map(EscapeVector::category).collect(Collectors.toCollection(TreeSet::new));
        // DESIGN.md's threat model: the chat page (DOM, cookies, storage, tokens), every egress
        // (network, DNS, navigation, popups, downloads), other artifacts' and viewers' data, and
        // an artifact opened directly; plus every artifact type.
        assertTrue(categories.containsAll(Set.of("parent", "storage", "postmessage", "network", "resource", "css", "hints",
                "navigation", "popup", "form", "download", "webrtc", "worker", "frames", "permission", "direct",
                "svg", "markdown", "mermaid", "react")), "categories: " + categories);
        assertTrue(CATALOGUE.size() >= 40, "the catalogue holds " + CATALOGUE.size() + " vectors");
        assertEquals(Set.of("html", "svg", "markdown", "react", "mermaid"),
                CATALOGUE.stream().map(EscapeVector::type).collect(Collectors.toSet()));
    }

    /** A refused artifact proves nothing about the browser: only the vectors meant to be refused may be. */
    @Test
    void onlyTheVectorsMeantToBeRefusedByTheApiAreRefused() {
        // Opened as a page, a frame URL is refused by the sandbox origin (403), not by the API.
        results.values().stream().filter(r -> r.vector().id().startsWith("direct/") && r.evidence().refusal() != null)
                .forEach(r -> assertTrue(r.evidence().refusal().contains("to frames only"), r.evidence().refusal()));
        Set<String> refused = results.values().stream()
                .filter(r -> r.evidence().refusal() != null && !r.vector().id().startsWith("direct/"))
                .map(r -> r.vector().id()).collect(Collectors.toSet());
        assertEquals(Set.of("react/import-from-url"), refused, () -> results.values().stream()
                .filter(r -> r.evidence().refusal() != null).map(r -> r.vector().id() + ": " + r.evidence().refusal())
                .collect(Collectors.joining("\n")));
        assertTrue(results.get("react/import-from-url").evidence().refusal().contains("unknown_import"),
                results.get("react/import-from-url").evidence().refusal());
    }

    /** Payloads in a page with no policy and no sandbox, each meant to make one detector fire. */
    static Stream<Arguments> controls() {
        return Stream.of(
                Arguments.of("canary-http", "<img src='{{canary.url}}/control-img'><style>body { background: url('{{canary.url}}/control-css'); }</style>"
                        + "<script>fetch('{{canary.url}}/control-fetch', {mode: 'no-cors'}).catch(() => {}); console.log('probe:ran');</script>",
                        false, Set.of(Detector.CANARY_HTTP)),
                Arguments.of("canary-tcp and dns", "<link rel='preconnect' href='http://{{dns.host}}:{{canary.tcp}}/'><script>console.log('probe:ran');</script>",
                        true, Set.of(Detector.CANARY_TCP, Detector.DNS)),
                Arguments.of("canary-udp", "<script>const pc = new RTCPeerConnection({iceServers: [{urls: 'stun:127.0.0.1:{{canary.udp}}'}]});"
                        + " pc.createDataChannel('x'); pc.createOffer().then(o => pc.setLocalDescription(o)); console.log('probe:ran');</script>",
                        true, Set.of(Detector.CANARY_UDP)),
                Arguments.of("console", "<script>localStorage.setItem('control', 'stored'); console.log('leak:' + localStorage.getItem('control')); console.log('probe:ran');</script>",
                        false, Set.of(Detector.CONSOLE)),
                Arguments.of("secret", "<script>console.log('probe:' + localStorage.getItem('lab-secret') + ' ' + document.cookie); console.log('probe:ran');</script>",
                        false, Set.of(Detector.SECRET)),
                Arguments.of("chat-dom", "<script>document.body.insertAdjacentHTML('beforeend', \"<b id='{{marker}}'>x</b>\"); console.log('probe:ran');</script>",
                        false, Set.of(Detector.CHAT_DOM)),
                Arguments.of("popup", "<script>document.addEventListener('click', () => window.open('{{canary.url}}/control-popup')); console.log('probe:ran');</script>",
                        false, Set.of(Detector.POPUP)),
                Arguments.of("download", "<a id='a' download='control.txt' href='data:text/plain,control'>x</a>"
                        + "<script>document.addEventListener('click', () => document.getElementById('a').click()); console.log('probe:ran');</script>",
                        false, Set.of(Detector.DOWNLOAD)),
                Arguments.of("top-navigation", "<script>console.log('probe:ran'); setTimeout(() => { location.href = '{{canary.url}}/control-navigation'; }, 50);</script>",
                        false, Set.of(Detector.TOP_NAVIGATION)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("controls")
    void controlTheDetectorFiresOnAPageWithoutVitrine(String detector, String payload, boolean browserOfItsOwn, Set<Detector> expected) {
        Set<Detector> fired = lab.control(payload, browserOfItsOwn);
        assertTrue(fired.containsAll(expected), "expected " + expected + " to fire; fired: " + fired);
    }

    /**
     * A frame navigating itself is stopped only by the embedding page's {@code frame-src}
     * (DESIGN.md): these vectors, blocked in the chat page, get out of the same frame embedded the
     * chat page's way in a page that sends no policy.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("selfNavigations")
    void withoutTheChatPagesFrameSrcTheFrameNavigatesItselfOut(String id) {
        VectorResult result = lab.runWithoutFrameSrc(vector(id));
        assertEquals(Verdict.LEAKED, result.verdict(), () -> explain(result));
        assertEquals(Verdict.BLOCKED, results.get(id).verdict(), "in the chat page, " + id + " is blocked");
    }

    static Stream<String> selfNavigations() {
        // A download link navigates the frame when downloads are not allowed.
        return Stream.of("navigation/self-location", "navigation/self-link-click", "navigation/navigation-api",
                "navigation/meta-refresh-by-script", "download/anchor-download");
    }

    /**
     * The part of the resource-hint limit Vitrine closes: hints written in markup are removed
     * before the document is served (and the API says so), so only hints made by script remain.
     */
    @Test
    void normalisationRemovesResourceHintsFromMarkupAndSaysSo() {
        JsonNode created = vitrine.client().create("html", "hints in markup", "<link rel='preconnect' href='http://attacker.test/'>"
                + "<link rel='dns-prefetch' href='//attacker.test'><p>x</p>");
        List<String> removed = new ArrayList<>();
        created.at("/latest/removed").forEach(removal -> removed.add(removal.get("what").asText()));
        assertTrue(removed.stream().anyMatch(what -> what.contains("preconnect")), "removed: " + removed);
        assertTrue(removed.stream().anyMatch(what -> what.contains("dns-prefetch")), "removed: " + removed);
        assertEquals(Verdict.BLOCKED, results.get("hints/preconnect-markup").verdict());
        assertEquals(Verdict.BLOCKED, results.get("hints/dns-prefetch-markup").verdict());
    }

    private static EscapeVector vector(String id) {
        return CATALOGUE.stream().filter(v -> v.id().equals(id)).findFirst()
                .orElseThrow(() -> new AssertionError("no vector " + id + " in the catalogue"));
    }

    private static String explain(VectorResult result) {
        StringBuilder text = new StringBuilder(result.vector().id()).append(" ended ").append(result.verdict().label);
        result.findings().forEach(f -> text.append("\n  got out: ").append(f.detector().wireName).append(": ").append(f.detail()));
        if (result.problem() != null) {
            text.append("\n  proved nothing: ").append(result.problem());
        }
        if (result.evidence().refusal() != null) {
            text.append("\n  refused: ").append(result.evidence().refusal());
        }
        result.evidence().console().stream().limit(12).forEach(line -> text.append("\n  console: ").append(line));
        text.append("\n  report: ").append(REPORT.resolve("report.html").toAbsolutePath());
        return text.toString();
    }
}

package dev.vitrine.browser;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.ConsoleMessage;
import com.microsoft.playwright.Download;
import com.microsoft.playwright.ElementHandle;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.PlaywrightException;
import com.microsoft.playwright.Response;
import com.microsoft.playwright.Route;
import com.microsoft.playwright.options.Geolocation;
import com.microsoft.playwright.options.WaitUntilState;
import dev.vitrine.browser.Canary.Hit;
import dev.vitrine.browser.EscapeVector.Detector;
import dev.vitrine.browser.EscapeVector.Expected;
import dev.vitrine.browser.EscapeVector.Opening;
import dev.vitrine.browser.VectorResult.Evidence;
import dev.vitrine.browser.VectorResult.Finding;
import dev.vitrine.browser.VectorResult.Verdict;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Runs escape vectors against a Vitrine in Chromium and says, per vector, whether anything got
 * out. One vector at a time: the lab creates the artifact through the REST API, opens the chat
 * page on it (as a user would, in a regular browser profile: Chromium performs resource hints
 * only there), waits for the frame's {@code ready} message, clicks into the frame (so payloads
 * get a user activation), waits for {@code probe:ran} when the payload logs it, and then watches
 * every detector for a bounded settle time.
 *
 * <p>The browser is as willing as a careless user: the chat page's origin holds the
 * {@link #PERMISSIONS}, any camera or microphone prompt is accepted (fake devices), and the popup
 * blocker is off (Playwright's default). What stops an escape is therefore Vitrine's design, not a
 * prompt.
 * Host names other than {@code *.test} (the canary), {@code *.localhost} and the two Vitrine
 * hosts fail to resolve inside the browser, so no lookup leaves the machine; Local Network
 * Access checks are off, so the loopback canary stands in for an attacker on the internet even
 * when the Vitrine under test is not on loopback.
 *
 * <p>Vectors that detect {@code canary-tcp}, {@code canary-udp} or {@code dns} get a browser of
 * their own with a net log: a connection without a marker is then theirs alone, what the
 * browser's predictor learns from them dies with their profile, and the net log is complete once
 * that browser closes.
 *
 * <pre>{@code
 * try (VitrineUnderTest vitrine = VitrineUnderTest.start(UnaryOperator.identity());
 *      EscapeLab lab = EscapeLab.open(vitrine, EscapeLab.Settings.quick())) {
 *     List<VectorResult> results = lab.runAll(VectorCatalogue.builtIn(), System.out::println);
 * }
 * }</pre>
 */
final class EscapeLab implements AutoCloseable {
    /**
     * @param settle how long to watch a vector expected to be blocked, after it ran
     * @param limitSettle how long to wait for a known limit to show (the wait ends when it does)
     * @param ranTimeout how long to wait for the frame's {@code ready} and the payload's {@code probe:ran}
     * @param screenshots where to put one PNG of the chat page per vector, if anywhere
     */
    record Settings(Duration settle, Duration limitSettle, Duration ranTimeout, Optional<Path> screenshots) {
        /** Short waits for the test suite; no screenshots. */
        static Settings quick() {
            return new Settings(Duration.ofMillis(600), Duration.ofSeconds(4), Duration.ofSeconds(8), Optional.empty());
        }

        Settings withScreenshots(Path directory) {
            return new Settings(settle, limitSettle, ranTimeout, Optional.of(directory));
        }
    }

    /** The viewer whose data lies next to every artifact's and must never reach it. */
    static final String OTHER_VIEWER = "lab-other-viewer";
    private static final List<String> PERMISSIONS = List.of(
            "geolocation", "notifications", "camera", "microphone", "clipboard-read", "clipboard-write", "midi");
    private static final String LAB_LINE = "vitrine-lab:message ";
    /** Chromium warns once per document for each feature of the deny-all Permissions-Policy it does not know. */
    private static final String POLICY_NOISE = "Error with Permissions-Policy header: Unrecognized feature";
    private static final int MAX_LINES = 60;
    private static final int MAX_LINE_CHARS = 500;
    private static final Duration NAVIGATION_TIMEOUT = Duration.ofSeconds(20);
    private static final Duration AFTER_FIRST_FINDING = Duration.ofMillis(300);
    private static final Duration CLICK_TIMEOUT = Duration.ofSeconds(3);
    /** How long a DNS-only known limit gets to show in the net log. */
    private static final Duration DNS_LIMIT_WAIT = Duration.ofMillis(1_500);
    private static final String WITHOUT_FRAME_SRC_PATH = "/escape-lab/without-frame-src";
    private static final String CONTROL_PATH = "/escape-lab/control-";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final VitrineUnderTest vitrine;
    private final Settings settings;
    private final Canary canary = new Canary();
    private final SecureRandom random = new SecureRandom();
    private final Path workDirectory;
    private final Playwright playwright;
    /** Secret value → its name in evidence. */
    private final Map<String, String> secrets = new LinkedHashMap<>();
    private final String cookieSecret = secret();
    private final String localStorageSecret = secret();
    private final String storedSecret = secret();
    private final Set<String> markers = new HashSet<>();
    private final String victimArtifact;
    private final String sandboxHost;
    private LabBrowser shared;
    private String browserVersion = "";

    /** How the lab shows an artifact. */
    private enum Showing {
        /** In Vitrine's chat page. */
        CHAT,
        /** Its frame URL as a top-level page. */
        DIRECT,
        /** In a page of the chat page's origin that embeds it like the chat page but sends no policy: a control. */
        WITHOUT_FRAME_SRC
    }

    /** A browser of the lab: a regular (not incognito) profile in a temporary directory. */
    private record LabBrowser(BrowserContext context, Path profile) implements AutoCloseable {
        @Override
        public void close() {
            context.close();
            deleteTree(profile);
        }
    }

    /** Everything the lab saw of one vector's run in the browser. */
    private static final class Attempt {
        final String marker;
        final long mark;
        String artifactId;
        String refusal;
        boolean ready;
        boolean ran;
        String problem;
        /** Where the top-level page should still be when the vector is done. */
        String expectedTop;
        String topUrl;
        String screenshot;
        long millis;
        final List<String> console = new CopyOnWriteArrayList<>();
        final List<String> blocked = new CopyOnWriteArrayList<>();
        final List<String> messages = new CopyOnWriteArrayList<>();
        final List<Page> opened = new CopyOnWriteArrayList<>();
        final List<String> popups = new ArrayList<>();
        final List<String> downloads = new CopyOnWriteArrayList<>();
        final List<String> chatDom = new ArrayList<>();
        final List<String> resolvedHosts = new ArrayList<>();
        final List<Response> viewerAnswers = new CopyOnWriteArrayList<>();

        Attempt(String marker, long mark) {
            this.marker = marker;
            this.mark = mark;
        }
    }

    private EscapeLab(VitrineUnderTest vitrine, Settings settings) {
        this.vitrine = vitrine;
        this.settings = settings;
        try {
            this.workDirectory = Files.createTempDirectory("vitrine-escape-lab");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the lab's work directory", e);
        }
        secrets.put(vitrine.apiKey(), "the API key");
        secrets.put(cookieSecret, "the chat page's cookie");
        secrets.put(localStorageSecret, "the chat page's localStorage value");
        secrets.put(storedSecret, "another viewer's or artifact's stored value");
        try {
            // Another artifact with data in both scopes: no artifact may reach it.
            JsonNode victim = vitrine.client().create("html", "escape lab: another artifact", "<p>another artifact</p>");
            victimArtifact = victim.get("id").asText();
            sandboxHost = URI.create(victim.get("frameUrl").asText()).getHost();
            JsonNode access = vitrine.client().addViewer(victimArtifact, OTHER_VIEWER);
            secrets.put(access.get("token").asText(), "another viewer's token");
            for (boolean shared : new boolean[] {false, true}) {
                vitrine.client().viewerStorage(access, Map.of("op", "set", "key", "secret", "value", storedSecret, "shared", shared));
            }
            playwright = Playwright.create(new Playwright.CreateOptions().setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
        } catch (RuntimeException | AssertionError e) {
            canary.close();
            deleteTree(workDirectory);
            throw e;
        }
    }

    /** Starts the lab's canary and Playwright against {@code vitrine}; browsers start when the first vector needs one. */
    static EscapeLab open(VitrineUnderTest vitrine, Settings settings) {
        return new EscapeLab(vitrine, settings);
    }

    Canary canary() {
        return canary;
    }

    /** The user agent of the lab's Chromium, once a vector has run. */
    String browserVersion() {
        return browserVersion;
    }

    /**
     * Runs every vector in order, reporting each result to {@code progress} as it is known, and
     * returns the results once the canary has had a moment for late arrivals: a hit that
     * carries a vector's marker counts for that vector whenever it came, and one without a marker
     * counts for the vector that ran when it came.
     */
    List<VectorResult> runAll(List<EscapeVector> vectors, Consumer<VectorResult> progress) {
        List<Attempt> attempts = new ArrayList<>();
        for (EscapeVector vector : vectors) {
            Attempt attempt;
            try {
                attempt = attempt(vector, vector.open() == Opening.DIRECT ? Showing.DIRECT : Showing.CHAT);
            } catch (RuntimeException | AssertionError e) {
                // One broken vector (or API call) must not hide the others' results.
                attempt = newAttempt();
                attempt.problem = "the lab failed: " + firstLine(String.valueOf(e.getMessage()));
            }
            attempts.add(attempt);
            progress.accept(judge(vector, attempt, canary.hitsSince(attempt.mark), Long.MAX_VALUE));
        }
        pause(Duration.ofMillis(500));
        List<VectorResult> results = new ArrayList<>();
        for (int i = 0; i < vectors.size(); i++) {
            long windowEnd = i + 1 < attempts.size() ? attempts.get(i + 1).mark : Long.MAX_VALUE;
            results.add(judge(vectors.get(i), attempts.get(i), canary.hitsSince(0), windowEnd));
        }
        return List.copyOf(results);
    }

    /**
     * Runs a vector in a page of the chat page's origin that embeds the artifact exactly as the chat
     * page does but sends no policy: a control for what the chat page's {@code frame-src} stops.
     */
    VectorResult runWithoutFrameSrc(EscapeVector vector) {
        Attempt attempt = attempt(vector, Showing.WITHOUT_FRAME_SRC);
        return judge(vector, attempt, canary.hitsSince(attempt.mark), Long.MAX_VALUE);
    }

    /**
     * Runs a payload as a page of the chat page's origin that has no policy and no sandbox, and
     * returns the detectors that fired: a control that shows a detector can fire at all. Such a
     * page can read the chat origin's cookie and storage, which no artifact can.
     */
    Set<Detector> control(String payload, boolean browserOfItsOwn) {
        Attempt attempt = newAttempt();
        Path netLog = workDirectory.resolve("net-log-" + attempt.marker + ".json");
        LabBrowser browser = browserOfItsOwn ? launch(Optional.of(netLog)) : shared();
        Page page = browser.context().newPage();
        try {
            observe(page, browser.context(), attempt, () -> {
                attempt.expectedTop = vitrine.appOrigin() + CONTROL_PATH + attempt.marker;
                String body = "<!doctype html><html><head><meta charset=\"utf-8\"><link rel=\"icon\" href=\"data:,\"></head><body>"
                        + fill(payload, attempt.marker) + "</body></html>";
                page.route(attempt.expectedTop, route -> route.fulfill(new Route.FulfillOptions()
                        .setContentType("text/html; charset=utf-8").setBody(body)));
                page.navigate(attempt.expectedTop, new Page.NavigateOptions().setWaitUntil(WaitUntilState.COMMIT));
                waitFor(page, () -> attempt.ran, settings.ranTimeout());
                clickViewport(page);
                watch(page, attempt, settings.limitSettle());
                if (onExpectedTop(attempt, page.url())) {
                    attempt.chatDom.addAll(elementsNaming(page, attempt.marker));
                }
            });
        } finally {
            closeQuietly(page);
            if (browserOfItsOwn) {
                browser.close();
                readNetLog(netLog, attempt);
            }
        }
        return judgeFindings(attempt, canary.hitsSince(attempt.mark), Long.MAX_VALUE, null).stream()
                .map(Finding::detector).collect(Collectors.toCollection(() -> EnumSet.noneOf(Detector.class)));
    }

    private static void readNetLog(Path file, Attempt attempt) {
        try {
            attempt.resolvedHosts.addAll(NetLog.read(file).resolvedHostsContaining(attempt.marker));
        } catch (UncheckedIOException e) {
            attempt.problem = "Chromium's net log could not be read: " + firstLine(e.getMessage());
        }
    }

    private Attempt newAttempt() {
        String marker;
        do {
            marker = "m" + HexFormat.of().formatHex(randomBytes(5));
        } while (!markers.add(marker));
        return new Attempt(marker, canary.mark());
    }

    private Attempt attempt(EscapeVector vector, Showing showing) {
        Attempt attempt = newAttempt();
        long started = System.nanoTime();
        VitrineClient.Answer created = vitrine.client().tryCreate(vector.type(), vector.id(), fill(vector.payload(), attempt.marker));
        if (created.status() != 201) {
            JsonNode error = created.body().path("error");
            String answer = created.status() + " " + error.path("code").asText("?") + ": " + error.path("message").asText("");
            // Only a refusal of the content counts as stopping it; a server error proves nothing.
            if (created.status() >= 400 && created.status() < 500) {
                attempt.refusal = answer;
            } else {
                attempt.problem = "the API could not create the artifact: " + answer;
            }
            attempt.millis = (System.nanoTime() - started) / 1_000_000;
            return attempt;
        }
        attempt.artifactId = created.body().get("id").asText();
        String frameUrl = created.body().get("frameUrl").asText();
        // Another viewer's personal data next to this artifact's: the artifact must never reach it.
        JsonNode other = vitrine.client().addViewer(attempt.artifactId, OTHER_VIEWER);
        secrets.putIfAbsent(other.get("token").asText(), "another viewer's token");
        vitrine.client().viewerStorage(other, Map.of("op", "set", "key", "secret", "value", storedSecret, "shared", false));

        boolean ownBrowser = vector.detect().stream().anyMatch(d -> d == Detector.DNS || d == Detector.CANARY_TCP || d == Detector.CANARY_UDP);
        Path netLog = workDirectory.resolve("net-log-" + attempt.marker + ".json");
        LabBrowser browser = ownBrowser ? launch(Optional.of(netLog)) : shared();
        Page page = browser.context().newPage();
        try {
            observe(page, browser.context(), attempt, () -> drive(page, vector, showing, attempt, frameUrl));
        } finally {
            closeQuietly(page);
            if (ownBrowser) {
                browser.close();
                readNetLog(netLog, attempt);
            }
        }
        attempt.millis = (System.nanoTime() - started) / 1_000_000;
        return attempt;
    }

    /** Listens to the page and its context while {@code steps} run, then collects what only the page knows. */
    private void observe(Page page, BrowserContext context, Attempt attempt, Runnable steps) {
        Consumer<ConsoleMessage> console = message -> onConsole(attempt, message.text());
        Consumer<Download> download = d -> attempt.downloads.add(d.suggestedFilename() + " from " + d.url());
        Consumer<Page> popup = p -> {
            attempt.opened.add(p);
            p.onDownload(download);
        };
        page.onConsoleMessage(console);
        page.onDownload(download);
        page.onResponse(response -> {
            if (response.request().method().equals("POST") && response.url().contains("/viewers")) {
                attempt.viewerAnswers.add(response);
            }
        });
        context.onPage(popup);
        try {
            steps.run();
        } catch (PlaywrightException e) {
            attempt.problem = playwrightMessage(e);
        } finally {
            attempt.topUrl = page.isClosed() ? null : page.url();
            context.offPage(popup);
            for (Response answer : attempt.viewerAnswers) {
                try {
                    secrets.putIfAbsent(JSON.readTree(answer.text()).path("token").asText(), "the viewer's token");
                } catch (IOException | PlaywrightException e) {
                    // the chat page's request failed or the page is gone: there is no token to look for
                }
            }
            for (Page opened : attempt.opened) {
                attempt.popups.add(opened.url());
                closeQuietly(opened);
            }
        }
    }

    private void drive(Page page, EscapeVector vector, Showing showing, Attempt attempt, String frameUrl) {
        // Only the response is awaited: a payload may hold up or cancel the page's load event.
        Page.NavigateOptions commit = new Page.NavigateOptions().setWaitUntil(WaitUntilState.COMMIT).setTimeout(NAVIGATION_TIMEOUT.toMillis());
        switch (showing) {
            case DIRECT -> {
                attempt.expectedTop = frameUrl;
                Response response = page.navigate(frameUrl, commit);
                if (response != null && response.status() == 403) {
                    attempt.refusal = "opened as a page, the frame URL answered 403 and an inert page: "
                            + "Vitrine serves artifact documents to frames only";
                }
                clickViewport(page);
            }
            case CHAT, WITHOUT_FRAME_SRC -> {
                if (showing == Showing.CHAT) {
                    attempt.expectedTop = vitrine.appOrigin() + "/";
                    page.navigate(vitrine.chatUrl(attempt.artifactId), commit);
                } else {
                    attempt.expectedTop = vitrine.appOrigin() + WITHOUT_FRAME_SRC_PATH;
                    page.route(attempt.expectedTop, route -> route.fulfill(new Route.FulfillOptions()
                            .setContentType("text/html; charset=utf-8").setBody(embedderWithoutFrameSrc(frameUrl))));
                    page.navigate(attempt.expectedTop, commit);
                }
                // A payload that navigates its frame at once replaces the document before it reports ready.
                waitFor(page, () -> attempt.ready || attempt.ran, settings.ranTimeout());
                ElementHandle frame = page.querySelector("#frame-host iframe");
                if (frame != null) {
                    click(() -> frame.click(new ElementHandle.ClickOptions().setForce(true).setTimeout(CLICK_TIMEOUT.toMillis())));
                }
            }
        }
        if (vector.logsRan() && attempt.refusal == null) {
            waitFor(page, () -> attempt.ran, settings.ranTimeout());
        }
        Duration settle = vector.expected() == Expected.KNOWN_LIMIT ? settings.limitSettle() : settings.settle();
        if (vector.detect().equals(Set.of(Detector.DNS))) {
            // Only the net log can tell, and it is read once the browser has closed: nothing ends this wait early.
            pause(page, vector.expected() == Expected.KNOWN_LIMIT ? DNS_LIMIT_WAIT : settle);
        } else {
            watch(page, attempt, settle);
        }
        if (showing != Showing.DIRECT && onExpectedTop(attempt, page.url())) {
            attempt.chatDom.addAll(elementsNaming(page, attempt.marker));
        }
        if (vector.logsRan() && !attempt.ran) {
            attempt.problem = "the payload never logged '" + EscapeVector.RAN + "'";
        } else if (!vector.logsRan() && !attempt.ready) {
            attempt.problem = "the frame never reported 'ready' to the chat page";
        }
        settings.screenshots().ifPresent(directory -> attempt.screenshot = screenshot(page, directory, vector));
    }

    /** The chat page's way of embedding an artifact (embed.js), in a page that sends no policy at all. */
    private static String embedderWithoutFrameSrc(String frameUrl) {
        return "<!doctype html><html><head><meta charset=\"utf-8\"><link rel=\"icon\" href=\"data:,\"><title>no frame-src</title></head>"
                + "<body><div id=\"frame-host\"><iframe sandbox=\"allow-scripts allow-forms\" referrerpolicy=\"no-referrer\" allow=\"\""
                + " style=\"width:800px;height:500px\" src=\"" + EscapeReport.escape(frameUrl) + "\"></iframe></div></body></html>";
    }

    private void onConsole(Attempt attempt, String text) {
        if (text.startsWith(LAB_LINE)) {
            String rest = text.substring(LAB_LINE.length());
            boolean fromFrame = rest.startsWith("frame ");
            String data = rest.substring(rest.indexOf(' ') + 1);
            try {
                JsonNode message = JSON.readTree(data);
                if (fromFrame && message.path("vitrine").asInt() == 1) {
                    switch (message.path("type").asText()) {
                        case "ready" -> attempt.ready = true;
                        case "blocked" -> add(attempt.blocked, message.path("directive").asText() + " " + message.path("blocked").asText());
                        default -> add(attempt.messages, "from the frame: " + data);
                    }
                    return;
                }
            } catch (IOException e) {
                // not JSON: keep it as text
            }
            add(attempt.messages, (fromFrame ? "from the frame: " : "from another window: ") + data);
        } else if (text.startsWith(EscapeVector.RAN)) {
            attempt.ran = true;
        } else if (!text.startsWith(POLICY_NOISE)) {
            add(attempt.console, text);
        }
    }

    /** The cheap detectors, for ending a wait early. */
    private boolean fired(Attempt attempt) {
        return !attempt.opened.isEmpty() || !attempt.downloads.isEmpty()
                || attempt.console.stream().anyMatch(line -> line.startsWith(EscapeVector.LEAK))
                || canary.hitsSince(attempt.mark).stream().anyMatch(hit -> hit.mentions(attempt.marker) || unmarked(hit));
    }

    private VectorResult judge(EscapeVector vector, Attempt attempt, List<Hit> hits, long windowEnd) {
        List<String> canaryEvidence = new ArrayList<>();
        List<Finding> findings = judgeFindings(attempt, hits, windowEnd, canaryEvidence);
        Verdict verdict;
        if (!findings.isEmpty()) {
            verdict = vector.expected() == Expected.KNOWN_LIMIT ? Verdict.KNOWN_LIMIT : Verdict.LEAKED;
        } else if (attempt.refusal != null) {
            verdict = vector.expected() == Expected.KNOWN_LIMIT ? Verdict.LIMIT_NOT_REPRODUCED : Verdict.BLOCKED;
        } else if (attempt.problem != null) {
            verdict = Verdict.ERROR;
        } else {
            verdict = vector.expected() == Expected.KNOWN_LIMIT ? Verdict.LIMIT_NOT_REPRODUCED : Verdict.BLOCKED;
        }
        Evidence evidence = new Evidence(
                attempt.refusal == null ? null : redact(attempt.refusal),
                canaryEvidence, attempt.console.stream().map(this::redact).toList(),
                attempt.blocked.stream().map(this::redact).toList(), attempt.messages.stream().map(this::redact).toList());
        return new VectorResult(vector, verdict, attempt.marker, attempt.artifactId, findings, evidence,
                findings.isEmpty() && attempt.refusal == null ? attempt.problem : null, attempt.screenshot, attempt.millis);
    }

    private List<Finding> judgeFindings(Attempt attempt, List<Hit> hits, long windowEnd, List<String> canaryEvidence) {
        List<Finding> findings = new ArrayList<>();
        for (Hit hit : hits) {
            boolean inWindow = hit.sequence() > attempt.mark && hit.sequence() <= windowEnd;
            if (hit.mentions(attempt.marker) || (inWindow && unmarked(hit))) {
                String line = hit.channel() + " " + redact(hit.summary());
                if (canaryEvidence != null) {
                    canaryEvidence.add(line);
                }
                Detector detector = switch (hit.channel()) {
                    case HTTP -> Detector.CANARY_HTTP;
                    case TCP -> Detector.CANARY_TCP;
                    case UDP -> Detector.CANARY_UDP;
                };
                findings.add(new Finding(detector, line));
            }
        }
        for (String line : attempt.console) {
            if (line.startsWith(EscapeVector.LEAK)) {
                findings.add(new Finding(Detector.CONSOLE, redact(line)));
            }
        }
        for (Map.Entry<String, String> secret : secrets.entrySet()) {
            String where = whereSecretAppears(attempt, hits, windowEnd, secret.getKey());
            if (where != null) {
                findings.add(new Finding(Detector.SECRET, secret.getValue() + " appeared in " + where));
            }
        }
        for (String element : attempt.chatDom) {
            findings.add(new Finding(Detector.CHAT_DOM, redact(element)));
        }
        if (attempt.topUrl != null && !onExpectedTop(attempt, attempt.topUrl)) {
            findings.add(new Finding(Detector.TOP_NAVIGATION, "the top-level page went to " + redact(attempt.topUrl)));
        }
        for (String popup : attempt.popups) {
            findings.add(new Finding(Detector.POPUP, "a window opened at " + redact(popup)));
        }
        for (String download : attempt.downloads) {
            findings.add(new Finding(Detector.DOWNLOAD, "a download started: " + redact(download)));
        }
        for (String host : attempt.resolvedHosts) {
            findings.add(new Finding(Detector.DNS, "Chromium's resolver was asked for " + host));
        }
        return List.copyOf(findings);
    }

    /** Whether {@code url} is still the page the lab opened (its fragment may change). */
    private static boolean onExpectedTop(Attempt attempt, String url) {
        if (attempt.expectedTop == null || url == null) {
            return true;
        }
        URI expected = URI.create(attempt.expectedTop);
        URI actual;
        try {
            actual = URI.create(url);
        } catch (IllegalArgumentException e) {
            return false;
        }
        return expected.getScheme().equals(actual.getScheme()) && expected.getHost().equals(actual.getHost())
                && expected.getPort() == actual.getPort() && expected.getPath().equals(actual.getPath());
    }

    private String whereSecretAppears(Attempt attempt, List<Hit> hits, long windowEnd, String secret) {
        for (String line : attempt.console) {
            if (line.contains(secret)) {
                return "a console line";
            }
        }
        for (String message : attempt.messages) {
            if (message.contains(secret)) {
                return "a message to the chat page";
            }
        }
        for (Hit hit : hits) {
            boolean mine = hit.mentions(attempt.marker) || (hit.sequence() > attempt.mark && hit.sequence() <= windowEnd);
            if (mine && hit.mentions(secret)) {
                return "a canary hit (" + hit.channel() + ")";
            }
        }
        for (String url : attempt.popups) {
            if (url.contains(secret)) {
                return "a popup's URL";
            }
        }
        return null;
    }

    /** A hit that names no vector's marker: it counts for the vector that ran when it came. */
    private boolean unmarked(Hit hit) {
        return markers.stream().noneMatch(hit::mentions);
    }

    private String redact(String text) {
        String redacted = text;
        for (Map.Entry<String, String> secret : secrets.entrySet()) {
            if (!secret.getKey().isEmpty()) {
                redacted = redacted.replace(secret.getKey(), "«" + secret.getValue() + "»");
            }
        }
        return redacted;
    }

    /** Elements of the embedding page's own document whose name or an attribute carries the marker. */
    private static List<String> elementsNaming(Page page, String marker) {
        try {
            Object found = page.evaluate("""
                    marker => [...document.querySelectorAll('*')]
                        .filter(e => e.localName.includes(marker)
                            || [...e.attributes].some(a => a.name.includes(marker) || a.value.includes(marker)))
                        .slice(0, 10).map(e => e.outerHTML.slice(0, 300))""", marker);
            List<String> elements = new ArrayList<>();
            if (found instanceof List<?> list) {
                list.forEach(element -> elements.add(String.valueOf(element)));
            }
            return elements;
        } catch (PlaywrightException e) {
            return List.of();
        }
    }

    private String screenshot(Page page, Path directory, EscapeVector vector) {
        String name = "screenshots/" + vector.id().replace('/', '-') + ".png";
        try {
            Files.createDirectories(directory.resolve("screenshots"));
            page.screenshot(new Page.ScreenshotOptions().setPath(directory.resolve(name)).setTimeout(5_000));
            return name;
        } catch (IOException | PlaywrightException e) {
            return null;
        }
    }

    /** Clicks the middle of the viewport, as a user would click into a page. */
    private static void clickViewport(Page page) {
        double x = page.viewportSize().width / 2.0;
        double y = page.viewportSize().height / 2.0;
        click(() -> page.locator("html").click(new Locator.ClickOptions().setForce(true).setPosition(x, y)
                .setTimeout(CLICK_TIMEOUT.toMillis())));
    }

    /**
     * A click, bounded in time: a plain mouse click has no timeout, and one stayed unanswered for
     * good once in Chromium. The click only gives payloads a user activation, so a failed one is
     * no finding.
     */
    private static void click(Runnable click) {
        try {
            click.run();
        } catch (PlaywrightException e) {
            // the page went away under the click, or did not take it in time: the detectors will tell
        }
    }

    /**
     * Watches the cheap detectors for up to {@code settle}. When one fires, the others get a
     * moment more: a navigation's request reaches the canary before the page has left.
     */
    private void watch(Page page, Attempt attempt, Duration settle) {
        if (waitFor(page, () -> fired(attempt) || !onExpectedTop(attempt, page.url()), settle)) {
            pause(page, AFTER_FIRST_FINDING);
        }
    }

    /** Waits until {@code condition} holds or {@code timeout} passes, handling the page's events meanwhile. */
    private static boolean waitFor(Page page, BooleanSupplier condition, Duration timeout) {
        if (condition.getAsBoolean()) {
            return true;
        }
        try {
            page.waitForCondition(condition, new Page.WaitForConditionOptions().setTimeout(timeout.toMillis()));
            return true;
        } catch (PlaywrightException e) {
            return condition.getAsBoolean();
        }
    }

    private static void pause(Page page, Duration duration) {
        try {
            page.waitForTimeout(duration.toMillis());
        } catch (PlaywrightException e) {
            // the page closed itself; nothing more to wait for
        }
    }

    private static void pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private LabBrowser shared() {
        if (shared == null) {
            shared = launch(Optional.empty());
        }
        return shared;
    }

    private LabBrowser launch(Optional<Path> netLog) {
        Path profile;
        try {
            profile = Files.createTempDirectory(workDirectory, "profile");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a browser profile directory", e);
        }
        List<String> args = new ArrayList<>(BrowserSession.CHROMIUM_ARGS.stream().filter(a -> !a.startsWith("--host-resolver-rules")).toList());
        args.add("--host-resolver-rules=MAP *.test 127.0.0.1, MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE *.localhost, EXCLUDE 127.0.0.1, "
                + "EXCLUDE " + vitrine.appOrigin().getHost() + ", EXCLUDE " + sandboxHost);
        // The canary on loopback stands in for an attacker's server on the internet: Local Network
        // Access must not stop a request to it that would reach a public address.
        args.add("--disable-features=LocalNetworkAccessChecks");
        args.add("--use-fake-ui-for-media-stream");
        args.add("--use-fake-device-for-media-stream");
        netLog.ifPresent(file -> args.add("--log-net-log=" + file));
        BrowserContext context = playwright.chromium().launchPersistentContext(profile, new BrowserType.LaunchPersistentContextOptions()
                .setExecutablePath(BrowserSession.chromium())
                .setHeadless(true)
                .setArgs(args)
                .setAcceptDownloads(true)
                .setGeolocation(new Geolocation(48.8584, 2.2945)));
        context.setDefaultTimeout(10_000);
        // The user trusts the chat page with everything it might ask for; the sandbox origin never
        // gets a grant (an opaque origin cannot ask), so none is made for it.
        context.grantPermissions(PERMISSIONS, new BrowserContext.GrantPermissionsOptions().setOrigin(vitrine.appOrigin().toString()));
        context.addInitScript(recorder(vitrine.appOrigin()));
        Page first = context.pages().isEmpty() ? context.newPage() : context.pages().get(0);
        // The chat page's own secrets, which no artifact may read.
        first.navigate(vitrine.appOrigin() + "/healthz");
        first.evaluate("([cookie, stored]) => { document.cookie = 'lab-secret=' + cookie + '; path=/'; localStorage.setItem('lab-secret', stored); }",
                List.of(cookieSecret, localStorageSecret));
        if (browserVersion.isEmpty()) {
            browserVersion = String.valueOf(first.evaluate("() => navigator.userAgent"));
        }
        closeQuietly(first);
        return new LabBrowser(context, profile);
    }

    /**
     * Reports, as console lines of the chat page, every message the chat page receives and
     * whether it came from the artifact's frame. It runs in the chat page only: in every other
     * document, the artifact's above all, it returns at once and defines nothing.
     */
    private static String recorder(URI appOrigin) {
        return """
                (() => {
                  if (window !== window.top || location.origin !== %s) return;
                  const log = console.debug.bind(console);
                  window.addEventListener('message', (event) => {
                    const frame = document.querySelector('#frame-host iframe');
                    const from = frame && event.source === frame.contentWindow ? 'frame' : 'other';
                    let text;
                    try { text = JSON.stringify(event.data); } catch (e) { text = String(event.data); }
                    log('%s' + from + ' ' + String(text).slice(0, 2000));
                  }, true);
                })();
                """.formatted(quote(appOrigin.toString()), LAB_LINE);
    }

    private static String quote(String text) {
        try {
            return JSON.writeValueAsString(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The payload with the lab's placeholders filled in for one vector. */
    String fill(String payload, String marker) {
        return payload
                .replace("{{canary.url}}", canary.url(marker))
                .replace("{{canary.loopback}}", canary.loopbackUrl())
                .replace("{{canary.http}}", String.valueOf(canary.port()))
                .replace("{{canary.tcp}}", String.valueOf(canary.tcpPort()))
                .replace("{{canary.udp}}", String.valueOf(canary.udpPort()))
                .replace("{{dns.host}}", marker + ".dns.localhost")
                .replace("{{victim.artifact}}", victimArtifact)
                .replace("{{marker}}", marker);
    }

    private String secret() {
        return "s" + HexFormat.of().formatHex(randomBytes(12));
    }

    private byte[] randomBytes(int count) {
        byte[] bytes = new byte[count];
        random.nextBytes(bytes);
        return bytes;
    }

    private static void add(List<String> lines, String line) {
        if (lines.size() < MAX_LINES) {
            lines.add(line.length() > MAX_LINE_CHARS ? line.substring(0, MAX_LINE_CHARS) + "…" : line);
        }
    }

    /** Playwright's own message, without the "Error {" wrapping and the call log. */
    private static String playwrightMessage(PlaywrightException e) {
        String text = String.valueOf(e.getMessage());
        int start = text.indexOf("message='");
        return firstLine(start < 0 ? text : text.substring(start + "message='".length()));
    }

    private static String firstLine(String text) {
        String line = String.valueOf(text).strip();
        int end = line.indexOf('\n');
        return end < 0 ? line : line.substring(0, end);
    }

    private static void closeQuietly(Page page) {
        try {
            page.close();
        } catch (PlaywrightException e) {
            // already closed
        }
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> files = Files.walk(root)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // a temporary directory left behind is not worth failing the run for
        }
    }

    @Override
    public void close() {
        if (shared != null) {
            shared.close();
        }
        playwright.close();
        canary.close();
        deleteTree(workDirectory);
    }
}

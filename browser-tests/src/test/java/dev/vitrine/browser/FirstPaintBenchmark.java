package dev.vitrine.browser;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.WaitUntilState;
import dev.vitrine.server.ServerConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;
import org.graalvm.polyglot.Engine;

/**
 * Artifact creation to first paint of the sample React dashboard, Vitrine against the peer
 * approach, in the same Chromium and the same run.
 *
 * <ul>
 *   <li><b>vitrine</b>: POST the TSX to {@code /v1/artifacts} (the server compiles it with
 *       Sucrase in GraalJS before it answers), then open a top page that embeds the returned
 *       {@code frameUrl}; the frame loads the compiled module and the libraries from the
 *       sandbox origin through its import map.</li>
 *   <li><b>peer (Babel)</b>: POST the TSX to {@link BabelFrameServer}, which only stores it,
 *       then open the same top page embedding its frame document, which loads Babel standalone
 *       and compiles the TSX in the frame; libraries, Tailwind and the frame runtime are the
 *       same files from the same sandbox origin.</li>
 *   <li><b>vitrine chat page</b>, for reference and outside the ratio: the same POST, then
 *       Vitrine's own chat page, which lists artifacts, mints a viewer token and embeds the
 *       frame with {@code embed.js}.</li>
 * </ul>
 *
 * <p>The clock starts in this JVM just before the POST and stops in the frame, at the
 * animation frame in which the heading {@code dashboard-heading} first has a box and is not
 * hidden while an {@code svg.recharts-surface} exists: that frame paints them. Both ends read
 * the same wall clock ({@code System.currentTimeMillis}, {@code Date.now}). Every measurement
 * creates a distinct artifact (the heading text carries a run number), so neither Vitrine's
 * compile cache nor a cached frame document answers. <i>Cold</i>: a fresh browser context per
 * measurement (empty HTTP cache). <i>Warm</i>: one context per side that the warm-up loads have
 * filled. Chromium keeps no HTTP cache for sandboxed (opaque-origin) frames, so libraries,
 * Tailwind and Babel are fetched again even then; the Babel download count printed per mode
 * shows it (docs/BENCHMARKS.md, "React first paint"). Sides take turns, in a
 * rotating order; warm-up measurements are discarded; the server's own background compiler
 * warm-up is waited for first. Every loop is bounded in count, every wait in time.
 *
 * <pre>
 * ./vitrine test -DskipTests   # once, to build
 * mvn -q -pl browser-tests test-compile exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=dev.vitrine.browser.FirstPaintBenchmark [-Dbench.iterations=20 -Dbench.warmup=3]
 * # with the Graal JIT for the server's compiler (jars copied by the render-server build):
 * MAVEN_OPTS="-XX:+UnlockExperimentalVMOptions -XX:+EnableJVMCI --add-exports=java.base/jdk.internal.misc=jdk.graal.compiler \
 *     --upgrade-module-path=$PWD/render-server/target/graal-compiler" mvn -q -pl browser-tests test-compile exec:java ...
 * </pre>
 *
 * Other settings: {@code bench.skipWarm=true} (cold only), {@code bench.timeoutSeconds} (per
 * load, default 60), {@code bench.serverWarmUpSeconds} (longest wait for the server's compiler
 * warm-up, default 600).
 */
public final class FirstPaintBenchmark {
    private static final String SAMPLE = "dev/vitrine/static/samples/dashboard.tsx";
    private static final String VARIED_TEXT = "Store overview";
    /** The thread VitrineServer runs its compiler warm-up on. */
    private static final String SERVER_WARM_UP_THREAD = "vitrine-compiler-warm-up";
    /**
     * Runs first in every frame of every page. The top page keeps the first report of its
     * frame (or the first error Vitrine's frame runtime posts); the frame checks the stop
     * condition once per animation frame and reports when its document started and the wall
     * clock of the animation frame in which the condition first holds, how long the parser
     * spent on the classic scripts in the head (fetch and run the runtime, Tailwind and, on the
     * peer side, Babel) and how long the peer's Babel transform took, if there was one.
     */
    private static final String PROBE = """
            (() => {
              if (window === window.top) {
                window.addEventListener('message', (event) => {
                  const data = event.data;
                  if (window.firstPaint || !data) return;
                  if (data.firstPaint) window.firstPaint = data.firstPaint;
                  else if (data.vitrine === 1 && data.type === 'error') window.firstPaint = { error: String(data.message) };
                });
                return;
              }
              const started = Date.now();
              const painted = () => {
                const heading = document.querySelector('[data-testid="dashboard-heading"]');
                if (heading === null || document.querySelector('svg.recharts-surface') === null) return false;
                const box = heading.getBoundingClientRect();
                return box.width > 0 && box.height > 0 && getComputedStyle(heading).visibility !== 'hidden';
              };
              const check = () => {
                if (!painted()) {
                  requestAnimationFrame(check);
                  return;
                }
                const compile = performance.getEntriesByName('babel-transform')[0];
                const navigation = performance.getEntriesByType('navigation')[0];
                window.parent.postMessage({ firstPaint: {
                  at: Date.now(), started, headScriptsMillis: navigation.domInteractive - navigation.responseEnd,
                  compileMillis: compile ? compile.duration : 0 } }, '*');
              };
              requestAnimationFrame(check);
            })();
            """;

    /** Creates the artifact as a chat backend would and answers the URL of the page to open. */
    @FunctionalInterface
    private interface Creation {
        String pageFor(String tsx) throws Exception;
    }

    private record Side(String name, Creation creation) {
    }

    /**
     * One measurement in milliseconds: from the start of the POST to first paint, the POST
     * alone, from the start of the POST to the start of the frame document, from there to first
     * paint, the head's classic scripts, and the Babel transform in the frame (0 for Vitrine).
     */
    private record Sample(double total, double create, double toFrame, double inFrame, double headScripts, double babel) {
    }

    public static void main(String[] args) throws Exception {
        int iterations = Integer.getInteger("bench.iterations", 20);
        int warmUp = Integer.getInteger("bench.warmup", 3);
        Duration timeout = Duration.ofSeconds(Integer.getInteger("bench.timeoutSeconds", 60));
        Duration serverWarmUp = Duration.ofSeconds(Integer.getInteger("bench.serverWarmUpSeconds", 600));
        if (iterations < 1 || warmUp < 0) {
            throw new IllegalArgumentException("bench.iterations must be at least 1 and bench.warmup at least 0, got "
                    + iterations + " and " + warmUp);
        }
        Path babel = Path.of(FirstPaintBenchmark.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                .resolve("../../node_modules/@babel/standalone/babel.min.js").normalize();
        String sample = sample();

        try (BabelFrameServer peer = BabelFrameServer.bind(babel)) {
            BrowserSession session = new BrowserSession(config -> config.withEmbedderOrigins(List.of(peer.topOrigin())));
            // BrowserSession is a JUnit extension; outside JUnit its callbacks are called directly.
            session.beforeAll(null);
            try {
                peer.start(session.server().sandboxOrigin());
                System.out.printf("first paint benchmark: sample dashboard, %d measured loads per side and mode after %d warm-up loads;"
                        + " server compiler: GraalJS %s%n", iterations, warmUp, graalRuntime());
                System.out.printf(Locale.ROOT, "waited %.1f s for the server's background compiler warm-up%n",
                        awaitServerWarmUp(serverWarmUp).toMillis() / 1000.0);
                HttpClient http = HttpClient.newHttpClient();
                List<Side> sides = List.of(
                        new Side("vitrine", tsx -> peer.topPage(URI.create(
                                session.client().create("react", "Dashboard", tsx).get("frameUrl").asText()))),
                        new Side("peer (Babel)", tsx -> peer.topPage(URI.create(http.send(
                                HttpRequest.newBuilder(peer.artifactsUrl()).POST(HttpRequest.BodyPublishers.ofString(tsx)).build(),
                                HttpResponse.BodyHandlers.ofString()).body()))),
                        new Side("vitrine chat page", tsx -> session.chatUrl(
                                session.client().create("react", "Dashboard", tsx).get("id").asText())));
                AtomicInteger run = new AtomicInteger();
                for (boolean warm : Boolean.getBoolean("bench.skipWarm") ? List.of(false) : List.of(false, true)) {
                    int babelBefore = peer.babelDownloads();
                    // The heading carries a run number, so each measurement creates another artifact.
                    Map<Side, List<Sample>> samples = series(session, sides, warm, warmUp, iterations, timeout, () -> sample.replace(
                            VARIED_TEXT, VARIED_TEXT + " " + run.incrementAndGet()));
                    report(warm ? "warm" : "cold", samples, sides.get(0), sides.get(1));
                    System.out.printf("babel.min.js downloads in this mode: %d for %d peer loads%n",
                            peer.babelDownloads() - babelBefore, warmUp + iterations);
                }
            } finally {
                session.afterAll(null);
            }
        }
    }

    private static Map<Side, List<Sample>> series(BrowserSession session, List<Side> sides, boolean warm, int warmUp, int iterations,
                                                  Duration timeout, Supplier<String> variants) throws Exception {
        Map<Side, List<Sample>> samples = new LinkedHashMap<>();
        Map<Side, BrowserContext> shared = new LinkedHashMap<>();
        for (Side side : sides) {
            samples.put(side, new ArrayList<>());
            if (warm) {
                shared.put(side, probed(session.newContext()));
            }
        }
        try {
            for (int i = 0; i < warmUp + iterations; i++) {
                for (int k = 0; k < sides.size(); k++) {
                    Side side = sides.get((i + k) % sides.size());
                    BrowserContext context = warm ? shared.get(side) : probed(session.newContext());
                    try {
                        Sample sample = measure(side, context, variants.get(), timeout);
                        if (i >= warmUp) {
                            samples.get(side).add(sample);
                        }
                    } finally {
                        if (!warm) {
                            context.close();
                        }
                    }
                }
            }
        } finally {
            shared.values().forEach(BrowserContext::close);
        }
        return samples;
    }

    private static BrowserContext probed(BrowserContext context) {
        context.addInitScript(PROBE);
        return context;
    }

    private static Sample measure(Side side, BrowserContext context, String tsx, Duration timeout) throws Exception {
        Page page = context.newPage();
        try {
            long started = System.currentTimeMillis();
            long createStarted = System.nanoTime();
            String url = side.creation().pageFor(tsx);
            double create = (System.nanoTime() - createStarted) / 1e6;
            page.navigate(url, new Page.NavigateOptions().setWaitUntil(WaitUntilState.COMMIT));
            Map<?, ?> report = (Map<?, ?>) page.waitForFunction("() => window.firstPaint", null,
                    new Page.WaitForFunctionOptions().setTimeout(timeout.toMillis())).jsonValue();
            if (report.containsKey("error")) {
                throw new IllegalStateException(side.name() + ": the artifact frame reported an error: " + report.get("error"));
            }
            double at = number(report, "at");
            double frameStarted = number(report, "started");
            return new Sample(at - started, create, frameStarted - started, at - frameStarted,
                    number(report, "headScriptsMillis"), number(report, "compileMillis"));
        } finally {
            page.close();
        }
    }

    private static void report(String mode, Map<Side, List<Sample>> samples, Side vitrine, Side peer) {
        System.out.println();
        System.out.printf("%-5s %-18s %8s %8s %8s | p50 of: %6s %9s %12s %13s %6s%n", "mode", "side", "p50 ms", "p95 ms", "mean ms",
                "POST", "to frame", "frame→paint", "head scripts", "Babel");
        samples.forEach((side, list) -> System.out.printf(Locale.ROOT, "%-5s %-18s %8.1f %8.1f %8.1f |         %6.1f %9.1f %12.1f %13.1f %6.1f%n",
                mode, side.name(), percentile(list, Sample::total, 0.50), percentile(list, Sample::total, 0.95),
                mean(list, Sample::total), percentile(list, Sample::create, 0.50), percentile(list, Sample::toFrame, 0.50),
                percentile(list, Sample::inFrame, 0.50), percentile(list, Sample::headScripts, 0.50), percentile(list, Sample::babel, 0.50)));
        List<Sample> ours = samples.get(vitrine);
        List<Sample> theirs = samples.get(peer);
        System.out.printf(Locale.ROOT, "%-5s ratio peer/vitrine: p50 %.2fx, p95 %.2fx, mean %.2fx (target: at least 5x)%n", mode,
                percentile(theirs, Sample::total, 0.50) / percentile(ours, Sample::total, 0.50),
                percentile(theirs, Sample::total, 0.95) / percentile(ours, Sample::total, 0.95),
                mean(theirs, Sample::total) / mean(ours, Sample::total));
    }

    /** Nearest-rank percentile. */
    private static double percentile(List<Sample> samples, ToDoubleFunction<Sample> field, double rank) {
        double[] sorted = samples.stream().mapToDouble(field).sorted().toArray();
        return sorted[Math.max(0, (int) Math.ceil(rank * sorted.length) - 1)];
    }

    private static double mean(List<Sample> samples, ToDoubleFunction<Sample> field) {
        return samples.stream().mapToDouble(field).average().orElseThrow();
    }

    private static double number(Map<?, ?> report, String key) {
        return ((Number) report.get(key)).doubleValue();
    }

    /** "Interpreted" on a stock JDK, the Graal compiler's name when the JIT flags took effect. */
    private static String graalRuntime() {
        try (Engine engine = Engine.newBuilder().option("engine.WarnInterpreterOnly", "false").build()) {
            return engine.getImplementationName();
        }
    }

    /**
     * Waits until the server's background compiler warm-up thread has stopped using CPU (for
     * one second), so that it neither competes for the cores nor leaves the compiler colder
     * than a server that has run for a while. Returns how long that took.
     */
    private static Duration awaitServerWarmUp(Duration limit) throws InterruptedException {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        Thread warmUp = Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.getName().equals(SERVER_WARM_UP_THREAD)).findFirst().orElse(null);
        long started = System.nanoTime();
        if (warmUp == null) {
            return Duration.ZERO;
        }
        long cpu = -1;
        while (System.nanoTime() - started < limit.toNanos()) {
            long now = threads.getThreadCpuTime(warmUp.threadId());
            if (now == cpu) {
                return Duration.ofNanos(System.nanoTime() - started);
            }
            cpu = now;
            Thread.sleep(1_000);
        }
        throw new IllegalStateException("the server's compiler warm-up still ran after " + limit + " (bench.serverWarmUpSeconds)");
    }

    private static String sample() {
        try (InputStream in = FirstPaintBenchmark.class.getClassLoader().getResourceAsStream(SAMPLE)) {
            if (in == null) {
                throw new IllegalStateException(SAMPLE + " is not on the class path");
            }
            String sample = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            if (!sample.contains(VARIED_TEXT)) {
                throw new IllegalStateException(SAMPLE + " no longer contains '" + VARIED_TEXT + "', the text each run varies");
            }
            return sample;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

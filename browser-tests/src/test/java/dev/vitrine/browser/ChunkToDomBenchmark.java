package dev.vitrine.browser;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Frame;
import com.microsoft.playwright.Page;
import dev.vitrine.server.StreamSettings;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * Chunk of a streaming HTML artifact to a visible change in Chromium, against the transport
 * floor, in one run. The chat page follows an artifact while one {@code POST /stream} sends
 * {@code bench.chunks} chunks {@code bench.intervalMillis} apart, each adding an element with
 * its own marker ({@code <p data-m="17">}). For every chunk, from just before its write:
 *
 * <ul>
 *   <li><b>SSE chunk event</b>, the floor: the chat page's {@code EventSource} dispatches the
 *       {@code chunk} event that completes it;</li>
 *   <li><b>compiled event</b>: the first {@code compiled} event that covers it, the page's cue
 *       to load a draft (the server sends one at most every check interval);</li>
 *   <li><b>draft parsed</b>: a draft frame ({@code /f/{id}/live/{version}}) that holds the
 *       element reaches {@code DOMContentLoaded} in its hidden layer;</li>
 *   <li><b>visible</b>: such a frame is on screen, i.e. the chat page has swapped its layer in
 *       (the rendering update in which the frame's root first intersects the viewport).</li>
 * </ul>
 *
 * <p>The page loads one draft at a time and coalesces the {@code compiled} events that arrive
 * meanwhile; with the server's check interval (250 ms) that is how draft renders are debounced.
 * The whole run is made twice, on servers with the default check interval and with 1 ms, so
 * the difference shows what the debounce contributes. Each mode streams an unmeasured warm-up
 * version first. Times are read in the JVM ({@code Instant.now()}) and in Chromium
 * ({@code performance.timeOrigin + performance.now()}), both the machine's wall clock; the
 * printed clock check is the offset between them, measured around a Playwright call. Loopback
 * only; every loop is bounded in count and every wait in time.
 *
 * <pre>
 * ./vitrine test -DskipTests   # once, to build
 * mvn -q -pl browser-tests test-compile exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=dev.vitrine.browser.ChunkToDomBenchmark [-Dbench.chunks=200 -Dbench.intervalMillis=20]
 * </pre>
 *
 * Other settings: {@code bench.warmupChunks} (default 50), {@code bench.timeoutSeconds} (longest
 * wait for the last element, default 30).
 */
public final class ChunkToDomBenchmark {
    private static final String PROLOGUE = "<style>p{margin:0;font:12px/14px monospace}</style><h1>Streaming</h1>";
    private static final Duration FAST_CHECKS = Duration.ofMillis(1);
    /**
     * Runs first in every frame. The chat page records when its EventSource dispatches each
     * {@code chunk} and {@code compiled} event and collects what draft frames report; a draft
     * frame reports which markers it holds, when its navigation started, when it was parsed and
     * when it was first on screen.
     */
    private static final String PROBE = """
            (() => {
              const now = () => performance.timeOrigin + performance.now();
              if (window === window.top) {
                const log = window.benchLog = { chunks: [], compiled: [], frames: [] };
                const Native = window.EventSource;
                window.EventSource = class extends Native {
                  constructor(url, options) {
                    super(url, options);
                    this.addEventListener('chunk', (event) => {
                      const at = now();
                      const chunk = JSON.parse(event.data);
                      log.chunks.push([at, chunk.version, chunk.offset + chunk.text.length]);
                    });
                    this.addEventListener('compiled', (event) => {
                      const at = now();
                      const compiled = JSON.parse(event.data);
                      log.compiled.push([at, compiled.version, compiled.length]);
                    });
                  }
                };
                window.addEventListener('message', (event) => {
                  if (event.data && event.data.benchDraft) log.frames.push(event.data.benchDraft);
                });
                return;
              }
              const draft = /\\/live\\/(\\d+)$/.exec(location.pathname);
              if (draft === null) return;
              document.addEventListener('DOMContentLoaded', () => {
                const parsed = now();
                const markers = [...document.querySelectorAll('[data-m]')].map((element) => Number(element.dataset.m));
                new IntersectionObserver((entries, observer) => {
                  const shown = entries.find((entry) => entry.isIntersecting);
                  if (!shown) return;
                  observer.disconnect();
                  parent.postMessage({ benchDraft: { version: Number(draft[1]), markers,
                    started: performance.timeOrigin, parsed, visible: performance.timeOrigin + shown.time } }, '*');
                }).observe(document.documentElement);
              });
            })();
            """;

    /**
     * Milliseconds from each chunk's write to each stage, one array per stage, indexed by chunk;
     * and per draft frame, from its navigation start to {@code DOMContentLoaded} ({@code load})
     * and from there to being on screen ({@code show}).
     */
    private record Series(double[] event, double[] compiled, double[] parsed, double[] visible, double[] load, double[] show) {
    }

    /** How the JVM's and Chromium's wall clocks relate: Chromium minus JVM, within plus or minus {@code uncertainty}. */
    private record ClockOffset(double millis, double uncertainty) {
    }

    public static void main(String[] args) throws Exception {
        int chunks = Integer.getInteger("bench.chunks", 200);
        int warmUpChunks = Integer.getInteger("bench.warmupChunks", 50);
        Duration interval = Duration.ofMillis(Integer.getInteger("bench.intervalMillis", 20));
        Duration timeout = Duration.ofSeconds(Integer.getInteger("bench.timeoutSeconds", 30));
        if (chunks < 1 || warmUpChunks < 1 || interval.isNegative()) {
            throw new IllegalArgumentException("bench.chunks and bench.warmupChunks must be at least 1 and bench.intervalMillis"
                    + " at least 0, got " + chunks + ", " + warmUpChunks + " and " + interval.toMillis());
        }
        System.out.printf("chunk to DOM benchmark: %d chunks %d ms apart after a %d-chunk warm-up stream, per check interval%n",
                chunks, interval.toMillis(), warmUpChunks);
        List<String> table = new ArrayList<>();
        table.add(String.format(Locale.ROOT, "%-14s %-24s %8s %8s %8s %8s", "check interval", "stage (ms after write)", "p50", "p95",
                "p99", "max"));
        for (Duration check : List.of(StreamSettings.defaults().checkInterval(), FAST_CHECKS)) {
            BrowserSession session = new BrowserSession(config -> config.withStreams(withCheckInterval(config.streams(), check)));
            // BrowserSession is a JUnit extension; outside JUnit its callbacks are called directly.
            session.beforeAll(null);
            try {
                Series series = measure(session, chunks, warmUpChunks, interval, timeout);
                String mode = check.toMillis() + " ms";
                table.add(row(mode, "SSE chunk event (floor)", series.event()));
                table.add(row("", "compiled event", series.compiled()));
                table.add(row("", "draft parsed in a frame", series.parsed()));
                table.add(row("", "visible in the frame", series.visible()));
                table.add(String.format(Locale.ROOT, "%-14s visible / floor: p50 %.0fx, p95 %.0fx, p99 %.0fx", "",
                        percentile(series.visible(), 0.50) / percentile(series.event(), 0.50),
                        percentile(series.visible(), 0.95) / percentile(series.event(), 0.95),
                        percentile(series.visible(), 0.99) / percentile(series.event(), 0.99)));
                table.add(String.format(Locale.ROOT, "%-14s %d draft loads for %d chunks; per load p50 / p95: frame start to parsed"
                        + " %.1f / %.1f ms, parsed to on screen %.1f / %.1f ms", "", series.load().length, chunks,
                        percentile(series.load(), 0.50), percentile(series.load(), 0.95),
                        percentile(series.show(), 0.50), percentile(series.show(), 0.95)));
            } finally {
                session.afterAll(null);
            }
        }
        System.out.println();
        table.forEach(System.out::println);
    }

    private static StreamSettings withCheckInterval(StreamSettings settings, Duration check) {
        return new StreamSettings(settings.maxStreams(), settings.idleTimeout(), check, settings.heartbeat(), settings.bufferEvents(),
                settings.bufferSize(), settings.maxLag());
    }

    private static Series measure(BrowserSession session, int chunks, int warmUpChunks, Duration interval, Duration timeout)
            throws Exception {
        String id = session.client().create("html", "Stream", "<p>waiting</p>").get("id").asText();
        BrowserContext context = session.newContext();
        try {
            context.addInitScript(PROBE);
            Page page = context.newPage();
            page.navigate(session.chatUrl(id));
            page.frameLocator("#frame-host iframe:visible").locator("p").waitFor();
            Frame frame = page.frames().stream().filter(f -> f != page.mainFrame()).findFirst().orElseThrow();
            ClockOffset top = clockOffset(() -> (Number) page.evaluate("() => performance.timeOrigin + performance.now()"));
            ClockOffset inFrame = clockOffset(() -> (Number) frame.evaluate("() => performance.timeOrigin + performance.now()"));
            System.out.printf(Locale.ROOT, "clock check, Chromium minus JVM: chat page %+.2f ms (±%.2f), artifact frame %+.2f ms (±%.2f)%n",
                    top.millis(), top.uncertainty(), inFrame.millis(), inFrame.uncertainty());

            stream(session, page, id, 2, warmUpChunks, interval, timeout);
            double[] written = stream(session, page, id, 3, chunks, interval, timeout);
            return series(page, 3, written);
        } finally {
            context.close();
        }
    }

    /**
     * Streams version {@code version} once the version before is alone on screen: the prologue,
     * then {@code count} marked chunks on a fixed schedule; waits until a draft with the last one
     * is on screen, then ends the body. Returns the wall-clock time just before each write.
     */
    private static double[] stream(BrowserSession session, Page page, String id, int version, int count, Duration interval,
                                   Duration timeout) throws Exception {
        // A stream that starts while the version before is still being swapped in would measure the chat
        // page's overlapping swaps instead (docs/BENCHMARKS.md): start from a settled page.
        page.waitForFunction("(suffix) => { const frames = document.querySelectorAll('#frame-host iframe');"
                + " return frames.length === 1 && frames[0].src.endsWith(suffix); }",
                "/" + id + "/" + (version - 1), new Page.WaitForFunctionOptions().setTimeout(timeout.toMillis()));
        double[] written = new double[count];
        try (ChunkedPost post = new ChunkedPost(session.server().appListenUrl(), session.server().apiKey(), id)) {
            post.send(PROLOGUE);
            long start = System.nanoTime() + interval.toNanos();
            for (int k = 0; k < count; k++) {
                long due = start + k * interval.toNanos();
                for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime()) {
                    LockSupport.parkNanos(wait);
                }
                written[k] = wallMillis();
                post.send(marker(k));
            }
            page.waitForFunction("([version, last]) => window.benchLog.frames.some((f) => f.version === version && f.markers.includes(last))",
                    List.of(version, count - 1), new Page.WaitForFunctionOptions().setTimeout(timeout.toMillis()));
            int status = post.finish();
            if (status != 201) {
                throw new IllegalStateException("the stream of version " + version + " was answered " + status + ", not 201");
            }
        }
        return written;
    }

    private static String marker(int k) {
        return "<p data-m=\"" + k + "\">chunk " + k + "</p>";
    }

    /** Reads what the probe recorded for {@code version} and turns it into times after each write. */
    private static Series series(Page page, int version, double[] written) {
        Map<?, ?> log = (Map<?, ?>) page.evaluate("() => window.benchLog");
        List<double[]> chunkEvents = entries(log.get("chunks"), version);
        List<double[]> compiledEvents = entries(log.get("compiled"), version);
        List<Map<?, ?>> drafts = ((List<?>) log.get("frames")).stream().<Map<?, ?>>map(frame -> (Map<?, ?>) frame)
                .filter(frame -> ((Number) frame.get("version")).intValue() == version).toList();
        int count = written.length;
        double[] event = new double[count];
        double[] compiled = new double[count];
        double[] parsed = new double[count];
        double[] visible = new double[count];
        long end = PROLOGUE.length();
        for (int k = 0; k < count; k++) {
            end += marker(k).length();
            event[k] = firstCovering(chunkEvents, end, "chunk event", k) - written[k];
            compiled[k] = firstCovering(compiledEvents, end, "compiled event", k) - written[k];
            parsed[k] = earliest(drafts, k, "parsed") - written[k];
            visible[k] = earliest(drafts, k, "visible") - written[k];
        }
        return new Series(event, compiled, parsed, visible, between(drafts, "started", "parsed"), between(drafts, "parsed", "visible"));
    }

    /** The probe's {@code [time, version, length]} entries of one version, in the order they were recorded. */
    private static List<double[]> entries(Object recorded, int version) {
        return ((List<?>) recorded).stream()
                .map(entry -> ((List<?>) entry).stream().mapToDouble(value -> ((Number) value).doubleValue()).toArray())
                .filter(entry -> entry[1] == version).toList();
    }

    private static double firstCovering(List<double[]> entries, long end, String what, int chunk) {
        return entries.stream().filter(entry -> entry[2] >= end).mapToDouble(entry -> entry[0]).findFirst()
                .orElseThrow(() -> new IllegalStateException("no " + what + " covers chunk " + chunk));
    }

    private static double earliest(List<Map<?, ?>> drafts, int chunk, String stage) {
        return drafts.stream().filter(draft -> ((List<?>) draft.get("markers")).stream().anyMatch(m -> ((Number) m).intValue() == chunk))
                .mapToDouble(draft -> ((Number) draft.get(stage)).doubleValue()).min()
                .orElseThrow(() -> new IllegalStateException("no draft frame on screen held chunk " + chunk));
    }

    private static double[] between(List<Map<?, ?>> drafts, String from, String to) {
        return drafts.stream().mapToDouble(draft -> ((Number) draft.get(to)).doubleValue() - ((Number) draft.get(from)).doubleValue())
                .toArray();
    }

    /** The offset seen by the quickest of 20 round trips; its half round trip bounds the error. */
    private static ClockOffset clockOffset(Supplier<Number> chromiumNow) {
        ClockOffset best = null;
        for (int i = 0; i < 20; i++) {
            double before = wallMillis();
            double chromium = chromiumNow.get().doubleValue();
            double after = wallMillis();
            ClockOffset offset = new ClockOffset(chromium - (before + after) / 2, (after - before) / 2);
            if (best == null || offset.uncertainty() < best.uncertainty()) {
                best = offset;
            }
        }
        return best;
    }

    private static double wallMillis() {
        Instant now = Clock.systemUTC().instant();
        return now.getEpochSecond() * 1000.0 + now.getNano() / 1e6;
    }

    private static String row(String mode, String stage, double[] millis) {
        return String.format(Locale.ROOT, "%-14s %-24s %8.1f %8.1f %8.1f %8.1f", mode, stage, percentile(millis, 0.50),
                percentile(millis, 0.95), percentile(millis, 0.99), Arrays.stream(millis).max().orElseThrow());
    }

    /** Nearest-rank percentile. */
    private static double percentile(double[] millis, double rank) {
        double[] sorted = millis.clone();
        Arrays.sort(sorted);
        return sorted[Math.max(0, (int) Math.ceil(rank * sorted.length) - 1)];
    }
}

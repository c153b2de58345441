package dev.vitrine.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.management.UnixOperatingSystemMXBean;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

/**
 * Chunk to Server-Sent Event latency with many viewers of one artifact (a benchmark with a
 * {@code main}, not a test). Starts a server in process on loopback (temporary SQLite data
 * directory), waits for the compiler's start-up warm-up, opens {@code bench.subscribers} event
 * streams on an HTML artifact, each a socket of its own whose response is parsed as it arrives
 * (status, headers, chunking, SSE lines), all read by one selector thread per core
 * ({@link ReaderLoop}, which takes less of the cores the server runs on than the JDK's
 * {@code HttpClient} or a thread per blocking socket), waits until every one has its
 * {@code subscribed}, then sends {@code bench.chunks} chunks on one {@code POST /stream},
 * {@code bench.intervalMillis} apart. Each chunk carries {@link System#nanoTime} taken just
 * before its write ({@code <!--t=…;n=…-->}); client and server share the JVM, so a reader that
 * has parsed the {@code chunk} event knows the latency at once. The same is measured with a
 * single subscriber as the baseline, after a short unmeasured warm-up stream, and the two are
 * compared.
 *
 * <pre>
 * ulimit -n 4096   # two descriptors per subscriber (client and server side) in this one JVM
 * mvn -o -q -pl render-server test-compile exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=dev.vitrine.server.StreamLatencyBenchmark -Dbench.subscribers=1000
 * </pre>
 */
public final class StreamLatencyBenchmark {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String MARK = "!--t=";
    /** Handshakes in flight at once, so the listener's backlog never overflows. */
    private static final int CONNECTING = 100;
    /** Threads that read all event streams, one per core. */
    private static final int READER_LOOPS = Runtime.getRuntime().availableProcessors();

    /** Everything one run measured. */
    private record Result(String label, int subscribers, int chunks, long[] latencies, long expected, long duplicates,
                          long[] lastSubscriber, int ended, int versionStatus, long streamNanos, long streamCpuNanos,
                          long serverCpuNanos, double loadAverage) {
        long received() {
            return latencies.length;
        }

        /** This JVM's CPU time over wall time while the stream ran: server and clients together. */
        double coresBusy() {
            return streamNanos == 0 ? 0 : streamCpuNanos / (double) streamNanos;
        }

        /** This JVM's CPU time per delivered event while the stream ran, in microseconds. */
        double cpuMicrosPerEvent() {
            return received() == 0 ? 0 : streamCpuNanos / 1000.0 / received();
        }

        /** The server threads' part of {@link #cpuMicrosPerEvent()}. */
        double serverCpuMicrosPerEvent() {
            return received() == 0 ? 0 : serverCpuNanos / 1000.0 / received();
        }
    }

    private StreamLatencyBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int subscribers = Integer.getInteger("bench.subscribers", 1000);
        int chunks = Integer.getInteger("bench.chunks", 200);
        long intervalMillis = Long.getLong("bench.intervalMillis", 20);
        int warmupChunks = Integer.getInteger("bench.warmupChunks", 100);
        long maxSeconds = Long.getLong("bench.maxSeconds", 120);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(maxSeconds);
        // With a PostgreSQL URL every event goes through the live event log and NOTIFY, as with many nodes.
        String jdbcUrl = System.getProperty("bench.jdbcUrl", "");

        Path data = Files.createTempDirectory("vitrine-stream-latency");
        List<Result> results = new ArrayList<>();
        try (RunningServer running = new RunningServer(data, Clock.systemUTC(),
                config -> jdbcUrl.isEmpty() ? config : config.withJdbcUrl(jdbcUrl))) {
            System.out.printf("chunk -> SSE event latency: %d chunks %d ms apart, %d cores, %s file descriptors, cap %d s, event hub %s%n",
                    chunks, intervalMillis, Runtime.getRuntime().availableProcessors(), descriptorLimit(), maxSeconds,
                    jdbcUrl.isEmpty() ? "in memory (SQLite)" : "shared through PostgreSQL");
            // The React compiler's start-up warm-up would compete for the cores (seconds of GraalJS on a loaded machine).
            long warming = System.nanoTime();
            running.server.compilerReady().get(remaining(deadline), TimeUnit.NANOSECONDS);
            System.out.printf("compiler warm-up done after %d ms more%n", (System.nanoTime() - warming) / 1_000_000);
            measure(running, "warm-up", 1, warmupChunks, intervalMillis, deadline);
            results.add(measure(running, "baseline", 1, chunks, intervalMillis, deadline));
            results.add(measure(running, "load", subscribers, chunks, intervalMillis, deadline));
        } finally {
            try (Stream<Path> files = Files.walk(data)) {
                for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(file);
                }
            }
        }

        System.out.printf("%n%-9s %11s %7s %7s %7s %7s %17s %5s %5s %12s %5s %9s %6s %5s%n", "run", "subscribers", "p50", "p90", "p99",
                "max", "received/expected", "lost", "dupes", "all-have p99", "cores", "cpu/event", "server", "load");
        for (Result r : results) {
            System.out.printf(Locale.ROOT, "%-9s %11d %7s %7s %7s %7s %17s %5d %5d %12s %5.2f %9.1f %6.1f %5.2f%n", r.label(),
                    r.subscribers(), millis(percentile(r.latencies(), 50)), millis(percentile(r.latencies(), 90)),
                    millis(percentile(r.latencies(), 99)), millis(percentile(r.latencies(), 100)),
                    r.received() + "/" + r.expected(), r.expected() - r.received(), r.duplicates(),
                    millis(percentile(r.lastSubscriber(), 99)), r.coresBusy(), r.cpuMicrosPerEvent(), r.serverCpuMicrosPerEvent(),
                    r.loadAverage());
        }
        System.out.println("(latencies in ms; all-have = per chunk, until the last subscriber has parsed it; cores = this JVM's"
                + " CPU time / wall time while the stream ran, server and clients together; cpu/event = that CPU time per"
                + " delivered event in µs, server = the server threads' part of it; load = the machine's 1-minute load average"
                + " after the run)");
        Result baseline = results.get(results.size() - 2);
        Result load = results.get(results.size() - 1);
        System.out.printf(Locale.ROOT, "%d subscribers / 1 subscriber: p50 %.1fx, p99 %.1fx%n", load.subscribers(),
                ratio(load, baseline, 50), ratio(load, baseline, 99));
        long p99 = percentile(load.latencies(), 99);
        System.out.printf("target p99 <= 50 ms with %d subscribers: %s (p99 %s ms, %d lost)%n", load.subscribers(),
                p99 <= TimeUnit.MILLISECONDS.toNanos(50) && load.received() == load.expected() ? "met" : "NOT met",
                millis(p99), load.expected() - load.received());
    }

    private static Result measure(RunningServer running, String label, int count, int chunks, long intervalMillis, long deadline)
            throws Exception {
        long started = System.nanoTime();
        long streamNanos = 0;
        long streamCpuNanos = 0;
        long serverCpuNanos = 0;
        String artifact = create(running, "<p>" + label + "</p>");
        String path = "/v1/artifacts/" + artifact;
        URI listen = running.server.appListenUrl();
        String key = running.server.apiKey();
        CountDownLatch subscribed = new CountDownLatch(count);
        CountDownLatch finished = new CountDownLatch(count);
        List<Subscriber> subscribers = new ArrayList<>(count);
        Semaphore connecting = new Semaphore(CONNECTING);
        int versionStatus = -1;
        List<ReaderLoop> loops = new ArrayList<>();
        try {
            for (int i = 0; i < READER_LOOPS; i++) {
                loops.add(new ReaderLoop(i));
            }
            for (int i = 0; i < count && System.nanoTime() < deadline; i++) {
                Subscriber subscriber = new Subscriber(chunks, subscribed, finished, connecting);
                subscribers.add(subscriber);
                try {
                    subscriber.connect(listen, path + "/events", key);
                    loops.get(i % loops.size()).add(subscriber);
                } catch (IOException e) {
                    System.out.println("a subscriber could not connect: " + e);
                }
            }
            if (!subscribed.await(remaining(deadline), TimeUnit.NANOSECONDS)) {
                System.out.printf("%s: only %d of %d subscribed before the time cap%n", label, count - subscribed.getCount(), count);
            }
            long subscribedMillis = (System.nanoTime() - started) / 1_000_000;
            if (subscribed.getCount() == 0) {
                long streamStarted = System.nanoTime();
                long cpuStarted = processCpuNanos();
                long serverCpuStarted = serverCpuNanos();
                versionStatus = produce(listen, path + "/stream", key, chunks, intervalMillis, deadline);
                if (!finished.await(remaining(deadline), TimeUnit.NANOSECONDS)) {
                    System.out.printf("%s: %d subscribers had no version event before the time cap%n", label, finished.getCount());
                }
                streamCpuNanos = processCpuNanos() - cpuStarted;
                serverCpuNanos = serverCpuNanos() - serverCpuStarted;
                streamNanos = System.nanoTime() - streamStarted;
            }
            System.out.printf("%-9s %5d subscribers subscribed in %6d ms, run took %6d ms, stream answered %d%n", label, count,
                    subscribedMillis, (System.nanoTime() - started) / 1_000_000, versionStatus);
        } finally {
            for (Subscriber subscriber : subscribers) {
                subscriber.close();
            }
            for (ReaderLoop loop : loops) {
                loop.close();
            }
        }
        return collect(label, subscribers, chunks, versionStatus, streamNanos, streamCpuNanos, serverCpuNanos);
    }

    private static int produce(URI listen, String path, String key, int chunks, long intervalMillis, long deadline) throws IOException {
        try (StreamClient stream = StreamClient.open(listen, path, key, "text/plain; charset=utf-8")) {
            long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(intervalMillis);
            for (int n = 0; n < chunks && System.nanoTime() < deadline; n++) {
                long due = start + n * TimeUnit.MILLISECONDS.toNanos(intervalMillis);
                for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime()) {
                    LockSupport.parkNanos(wait);
                }
                long sent = System.nanoTime();
                stream.send("<" + MARK + sent + ";n=" + n + "--><p>token " + n + "</p>\n");
            }
            return stream.finish().status();
        }
    }

    private static Result collect(String label, List<Subscriber> subscribers, int chunks, int versionStatus, long streamNanos,
                                  long streamCpuNanos, long serverCpuNanos) {
        long[] lastSubscriber = new long[chunks];
        Arrays.fill(lastSubscriber, -1);
        long[] all = new long[subscribers.size() * chunks];
        int received = 0;
        long duplicates = 0;
        int ended = 0;
        for (Subscriber subscriber : subscribers) {
            duplicates += subscriber.duplicates;
            ended += subscriber.cutOff ? 1 : 0;
            for (int n = 0; n < chunks; n++) {
                long latency = subscriber.latencies[n];
                if (latency >= 0) {
                    all[received++] = latency;
                    lastSubscriber[n] = Math.max(lastSubscriber[n], latency);
                }
            }
        }
        if (ended > 0) {
            System.out.printf("%s: %d subscribers lost their connection before the version event%n", label, ended);
        }
        long[] complete = Arrays.stream(lastSubscriber).filter(l -> l >= 0).toArray();
        return new Result(label, subscribers.size(), chunks, Arrays.copyOf(all, received), (long) subscribers.size() * chunks,
                duplicates, complete, ended, versionStatus, streamNanos, streamCpuNanos, serverCpuNanos,
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }

    private static String create(RunningServer running, String content) throws Exception {
        HttpResponse<String> response = running.send(running.api("/v1/artifacts").header("Content-Type", "application/json")
                .POST(RunningServer.json(JSON.writeValueAsString(Map.of("type", "html", "title", "latency", "content", content)))).build());
        if (response.statusCode() != 201) {
            throw new IllegalStateException("creating the artifact answered " + response.statusCode() + ": " + response.body());
        }
        return JSON.readTree(response.body()).get("id").asText();
    }

    private static long processCpuNanos() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getProcessCpuTime() : 0;
    }

    /**
     * CPU time of the server's threads so far: Undertow's ({@code XNIO-…}: I/O, workers, accept) and
     * Vitrine's own ({@code vitrine-…}), not the readers, the producer or the JVM's (GC, compiler).
     */
    private static long serverCpuNanos() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long total = 0;
        for (ThreadInfo thread : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (thread != null && (thread.getThreadName().startsWith("XNIO-") || thread.getThreadName().startsWith("vitrine-"))) {
                total += Math.max(0, threads.getThreadCpuTime(thread.getThreadId()));
            }
        }
        return total;
    }

    /** Each subscriber costs two descriptors in this JVM, its socket and the server's. */
    private static String descriptorLimit() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof UnixOperatingSystemMXBean unix
                ? String.valueOf(unix.getMaxFileDescriptorCount()) : "unknown";
    }

    private static long remaining(long deadline) {
        return Math.max(1, deadline - System.nanoTime());
    }

    /** Nearest-rank percentile; -1 for no values. */
    private static long percentile(long[] values, int percent) {
        if (values.length == 0) {
            return -1;
        }
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(percent / 100.0 * sorted.length);
        return sorted[Math.max(0, rank - 1)];
    }

    private static double ratio(Result loaded, Result baseline, int percent) {
        return percentile(loaded.latencies(), percent) / (double) percentile(baseline.latencies(), percent);
    }

    private static String millis(long nanos) {
        return nanos < 0 ? "–" : String.format(Locale.ROOT, "%.2f", nanos / 1e6);
    }

    /**
     * Reads many event streams on one thread: a selector over non-blocking sockets, as the event
     * loop of a real client would. An event costs it a share of one {@code epoll_wait} and one
     * {@code read}; a thread per blocking socket would also park, wake and re-arm its socket for
     * every event, on the cores the server needs.
     */
    private static final class ReaderLoop implements AutoCloseable {
        private final Selector selector;
        private final Queue<Subscriber> joining = new ConcurrentLinkedQueue<>();
        private final Thread thread;
        private volatile boolean running = true;

        ReaderLoop(int number) throws IOException {
            this.selector = Selector.open();
            this.thread = Thread.ofPlatform().daemon().name("bench-reader-" + number).start(this::run);
        }

        /** Starts reading a connected, non-blocking stream. */
        void add(Subscriber subscriber) {
            joining.add(subscriber);
            selector.wakeup();
        }

        private void run() {
            try {
                while (running) {
                    selector.select(key -> {
                        if (!((Subscriber) key.attachment()).readable()) {
                            key.cancel();
                        }
                    });
                    for (Subscriber subscriber = joining.poll(); subscriber != null; subscriber = joining.poll()) {
                        subscriber.channel.register(selector, SelectionKey.OP_READ, subscriber);
                    }
                }
            } catch (IOException e) {
                System.out.println("a reader loop failed: " + e);
            }
        }

        @Override
        public void close() throws Exception {
            running = false;
            selector.wakeup();
            thread.join(5_000);
            selector.close();
        }
    }

    /**
     * One event stream on its own socket: writes the request, then parses the response as it
     * arrives (status line, headers, chunked framing if any, SSE lines) and records each chunk's
     * latency by its number.
     */
    private static final class Subscriber {
        private enum Part { HEAD, CHUNK_SIZE, CHUNK_DATA, BODY, ENDED }

        final long[] latencies;
        private final CountDownLatch subscribed;
        private final CountDownLatch finished;
        private final Semaphore connecting;
        private final ByteBuffer input = ByteBuffer.allocate(16 * 1024);
        /** The line being read of the response head or of the chunked framing. */
        private final Line framing = new Line();
        /** The line being read of the event stream itself, which may span chunks. */
        private final Line field = new Line();
        private Part part = Part.HEAD;
        private boolean statusSeen;
        private boolean chunked;
        private int chunkLeft;
        private String type;
        private StringBuilder data;
        private boolean handshaking = true;
        private boolean versionSeen;
        private volatile boolean closing;
        SocketChannel channel;
        long duplicates;
        boolean cutOff;

        Subscriber(int chunks, CountDownLatch subscribed, CountDownLatch finished, Semaphore connecting) {
            this.latencies = new long[chunks];
            Arrays.fill(latencies, -1);
            this.subscribed = subscribed;
            this.finished = finished;
            this.connecting = connecting;
        }

        /** Connects and sends the request, blocking; the response is read by a {@link ReaderLoop}. */
        void connect(URI listen, String path, String key) throws IOException, InterruptedException {
            connecting.acquire();
            try {
                channel = SocketChannel.open();
                channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                channel.socket().connect(new InetSocketAddress(listen.getHost(), listen.getPort()), 10_000);
                ByteBuffer request = ByteBuffer.wrap(("GET " + path + " HTTP/1.1\r\nHost: " + listen.getAuthority()
                        + "\r\nAccept: text/event-stream\r\nAuthorization: Bearer " + key + "\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                while (request.hasRemaining()) {
                    channel.write(request);
                }
                channel.configureBlocking(false);
            } catch (IOException e) {
                end(null);
                throw e;
            }
        }

        /** Reader loop: takes what arrived; false once the stream ended. */
        boolean readable() {
            try {
                int read;
                do {
                    input.clear();
                    read = channel.read(input);
                    if (read < 0) {
                        end(null);
                    } else {
                        parse(input.array(), read);
                    }
                } while (read == input.capacity() && part != Part.ENDED);
            } catch (IOException | RuntimeException e) {
                end(e instanceof IOException io ? io : new IOException(e));
            }
            return part != Part.ENDED;
        }

        private void parse(byte[] bytes, int length) throws IOException {
            int at = 0;
            while (at < length && part != Part.ENDED) {
                if (part == Part.BODY || part == Part.CHUNK_DATA) {
                    int from = at;
                    int end = part == Part.BODY ? length : Math.min(length, at + chunkLeft);
                    for (; at < end; at++) {
                        if (field.add(bytes[at])) {
                            event(field.take());
                        }
                    }
                    if (part == Part.CHUNK_DATA) {
                        chunkLeft -= at - from;
                        part = chunkLeft == 0 ? Part.CHUNK_SIZE : Part.CHUNK_DATA;
                    }
                } else if (framing.add(bytes[at++])) {
                    framing(framing.take());
                }
            }
        }

        /** A complete line of the response head or of the chunked framing. */
        private void framing(String text) throws IOException {
            if (part == Part.HEAD) {
                if (!statusSeen) {
                    if (!text.startsWith("HTTP/1.1 200")) {
                        throw new IOException("events answered " + text);
                    }
                    statusSeen = true;
                } else if (text.isEmpty()) {
                    part = chunked ? Part.CHUNK_SIZE : Part.BODY;
                } else {
                    String header = text.toLowerCase(Locale.ROOT);
                    chunked |= header.startsWith("transfer-encoding:") && header.contains("chunked");
                }
            } else if (!text.isEmpty()) { // a chunk size; an empty line is the CRLF after a chunk's data
                int semicolon = text.indexOf(';');
                chunkLeft = Integer.parseInt((semicolon < 0 ? text : text.substring(0, semicolon)).strip(), 16);
                if (chunkLeft == 0) {
                    end(null);
                } else {
                    part = Part.CHUNK_DATA;
                }
            }
        }

        /** One SSE line: a field, or the blank line that ends an event. */
        private void event(String text) {
            if (text.isEmpty()) {
                if (data != null) {
                    long parsed = System.nanoTime();
                    switch (type == null ? "message" : type) {
                        case "subscribed" -> {
                            handshaking = false;
                            connecting.release();
                            subscribed.countDown();
                        }
                        case "chunk" -> record(data, parsed);
                        case "version" -> {
                            versionSeen = true;
                            finished.countDown();
                        }
                        default -> {
                        }
                    }
                }
                type = null;
                data = null;
            } else if (text.startsWith("event:")) {
                type = text.substring(6).strip();
            } else if (text.startsWith("data:")) {
                data = (data == null ? new StringBuilder() : data.append('\n')).append(text, 5, text.length());
            }
        }

        /** A chunk's text may hold several marks if the server read two writes at once. */
        private void record(CharSequence data, long parsed) {
            String text = data.toString();
            for (int at = text.indexOf(MARK); at >= 0; at = text.indexOf(MARK, at + 1)) {
                int semicolon = text.indexOf(';', at);
                long sent = Long.parseLong(text, at + MARK.length(), semicolon, 10);
                int end = semicolon + 3;
                while (end < text.length() && Character.isDigit(text.charAt(end))) {
                    end++;
                }
                int n = Integer.parseInt(text, semicolon + 3, end, 10);
                if (latencies[n] >= 0) {
                    duplicates++;
                } else {
                    latencies[n] = parsed - sent;
                }
            }
        }

        /** The stream ended: by the server, by an error, or by {@link #close}. */
        private void end(IOException error) {
            if (part == Part.ENDED) {
                return;
            }
            part = Part.ENDED;
            if (error != null && !closing) {
                System.out.println("a subscriber failed: " + error);
            }
            if (handshaking) {
                handshaking = false;
                connecting.release();
            }
            if (!versionSeen) {
                cutOff = !closing;
                finished.countDown();
            }
        }

        void close() throws IOException {
            closing = true;
            if (channel != null) {
                channel.close();
            }
        }
    }

    /** Bytes of one line as they arrive, up to its {@code \n}; a {@code \r} before it is dropped. */
    private static final class Line {
        private byte[] bytes = new byte[256];
        private int length;

        /** Adds a byte; true if it ended the line, which {@link #take} then returns. */
        boolean add(byte b) {
            if (b == '\n') {
                return true;
            }
            if (length == bytes.length) {
                bytes = Arrays.copyOf(bytes, bytes.length * 2);
            }
            bytes[length++] = b;
            return false;
        }

        String take() {
            int end = length > 0 && bytes[length - 1] == '\r' ? length - 1 : length;
            length = 0;
            return new String(bytes, 0, end, StandardCharsets.UTF_8);
        }
    }
}

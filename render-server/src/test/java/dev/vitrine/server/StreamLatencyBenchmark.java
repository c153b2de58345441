package dev.vitrine.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.management.UnixOperatingSystemMXBean;
import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpResponse;
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
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

/**
 * Chunk to Server-Sent Event latency with many viewers of one artifact (a benchmark with a
 * {@code main}, not a test). Starts a server in process on loopback (temporary SQLite data
 * directory), opens {@code bench.subscribers} event streams on an HTML artifact, each read by a
 * virtual thread on a blocking socket (the JDK's {@code HttpClient} costs too much per stream for
 * a thousand of them on two cores), waits until every one has its {@code subscribed}, then sends
 * {@code bench.chunks} chunks on one {@code POST /stream}, {@code bench.intervalMillis} apart.
 * Each chunk carries {@link System#nanoTime} taken just before its write ({@code <!--t=…;n=…-->});
 * client and server share the JVM, so a reader that has parsed the {@code chunk} event knows
 * the latency at once. The same is measured with a single subscriber as the baseline, after a
 * short unmeasured warm-up stream.
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

    /** Everything one run measured. */
    private record Result(String label, int subscribers, int chunks, long[] latencies, long expected, long duplicates,
                          long[] lastSubscriber, int ended, int versionStatus, long elapsedMillis, double coresBusy,
                          double loadAverage) {
        long received() {
            return latencies.length;
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

        Path data = Files.createTempDirectory("vitrine-stream-latency");
        List<Result> results = new ArrayList<>();
        try (RunningServer running = new RunningServer(data, Clock.systemUTC(), config -> config)) {
            System.out.printf("chunk -> SSE event latency: %d chunks %d ms apart, %d cores, %s file descriptors, cap %d s%n",
                    chunks, intervalMillis, Runtime.getRuntime().availableProcessors(), descriptorLimit(), maxSeconds);
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

        System.out.printf("%n%-9s %11s %7s %7s %7s %7s %17s %7s %7s %14s %6s %5s%n", "run", "subscribers", "p50", "p90", "p99", "max",
                "received/expected", "lost", "dupes", "all-have p99", "cores", "load");
        for (Result r : results) {
            System.out.printf(Locale.ROOT, "%-9s %11d %7s %7s %7s %7s %17s %7d %7d %14s %6.2f %5.2f%n", r.label(), r.subscribers(),
                    millis(percentile(r.latencies(), 50)), millis(percentile(r.latencies(), 90)),
                    millis(percentile(r.latencies(), 99)), millis(percentile(r.latencies(), 100)),
                    r.received() + "/" + r.expected(), r.expected() - r.received(), r.duplicates(),
                    millis(percentile(r.lastSubscriber(), 99)), r.coresBusy(), r.loadAverage());
        }
        System.out.println("(latencies in ms; all-have = per chunk, until the last subscriber has parsed it; cores = this JVM's"
                + " CPU time / wall time during the run, server and clients together; load = the machine's 1-minute load average after it)");
        Result load = results.get(results.size() - 1);
        long p99 = percentile(load.latencies(), 99);
        System.out.printf("target p99 <= 50 ms with %d subscribers: %s (p99 %s ms, %d lost)%n", load.subscribers(),
                p99 <= TimeUnit.MILLISECONDS.toNanos(50) && load.received() == load.expected() ? "met" : "NOT met",
                millis(p99), load.expected() - load.received());
    }

    private static Result measure(RunningServer running, String label, int count, int chunks, long intervalMillis, long deadline)
            throws Exception {
        long started = System.nanoTime();
        long cpuStarted = processCpuNanos();
        String artifact = create(running, "<p>" + label + "</p>");
        String path = "/v1/artifacts/" + artifact;
        URI listen = running.server.appListenUrl();
        String key = running.server.apiKey();
        CountDownLatch subscribed = new CountDownLatch(count);
        CountDownLatch finished = new CountDownLatch(count);
        List<Subscriber> subscribers = new ArrayList<>(count);
        Semaphore connecting = new Semaphore(CONNECTING);
        int versionStatus = -1;
        try (ExecutorService readers = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < count; i++) {
                Subscriber subscriber = new Subscriber(chunks, subscribed, finished, connecting);
                subscribers.add(subscriber);
                readers.execute(() -> subscriber.run(listen, path + "/events", key));
            }
            if (!subscribed.await(remaining(deadline), TimeUnit.NANOSECONDS)) {
                System.out.printf("%s: only %d of %d subscribed before the time cap%n", label, count - subscribed.getCount(), count);
            }
            long subscribedMillis = (System.nanoTime() - started) / 1_000_000;
            if (subscribed.getCount() == 0) {
                versionStatus = produce(listen, path + "/stream", key, chunks, intervalMillis, deadline);
                if (!finished.await(remaining(deadline), TimeUnit.NANOSECONDS)) {
                    System.out.printf("%s: %d subscribers had no version event before the time cap%n", label, finished.getCount());
                }
            }
            System.out.printf("%-9s %5d subscribers subscribed in %6d ms, run took %6d ms, stream answered %d%n", label, count,
                    subscribedMillis, (System.nanoTime() - started) / 1_000_000, versionStatus);
            for (Subscriber subscriber : subscribers) {
                subscriber.close();
            }
        } // waits for every reader to end, which the closed sockets make prompt
        long elapsed = System.nanoTime() - started;
        double coresBusy = (processCpuNanos() - cpuStarted) / (double) elapsed;
        return collect(label, subscribers, chunks, versionStatus, elapsed / 1_000_000, coresBusy);
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

    private static Result collect(String label, List<Subscriber> subscribers, int chunks, int versionStatus, long elapsedMillis,
                                  double coresBusy) {
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
                duplicates, complete, ended, versionStatus, elapsedMillis, coresBusy,
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

    private static String millis(long nanos) {
        return nanos < 0 ? "–" : String.format(Locale.ROOT, "%.2f", nanos / 1e6);
    }

    /** One event stream read on a blocking socket; records each chunk's latency by its number. */
    private static final class Subscriber {
        final long[] latencies;
        private final CountDownLatch subscribed;
        private final CountDownLatch finished;
        private final Semaphore connecting;
        private volatile Socket socket;
        private volatile boolean closing;
        long duplicates;
        boolean cutOff;

        Subscriber(int chunks, CountDownLatch subscribed, CountDownLatch finished, Semaphore connecting) {
            this.latencies = new long[chunks];
            Arrays.fill(latencies, -1);
            this.subscribed = subscribed;
            this.finished = finished;
            this.connecting = connecting;
        }

        void run(URI listen, String path, String key) {
            boolean handshaking = true;
            boolean done = false;
            try {
                connecting.acquire();
                socket = new Socket();
                socket.setTcpNoDelay(true);
                socket.setSoTimeout(60_000); // heartbeats come every 15 s
                socket.connect(new InetSocketAddress(listen.getHost(), listen.getPort()), 10_000);
                OutputStream out = socket.getOutputStream();
                out.write(("GET " + path + " HTTP/1.1\r\nHost: " + listen.getAuthority() + "\r\nAccept: text/event-stream\r\n"
                        + "Authorization: Bearer " + key + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.flush();
                InputStream in = new BufferedInputStream(socket.getInputStream());
                InputStream body = body(in);
                BufferedReader lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8));
                String type = null;
                StringBuilder eventData = null;
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    if (line.isEmpty()) {
                        if (eventData != null) {
                            long parsed = System.nanoTime();
                            switch (type == null ? "message" : type) {
                                case "subscribed" -> {
                                    handshaking = false;
                                    connecting.release();
                                    subscribed.countDown();
                                }
                                case "chunk" -> record(eventData, parsed);
                                case "version" -> {
                                    done = true;
                                    finished.countDown();
                                }
                                default -> {
                                }
                            }
                        }
                        type = null;
                        eventData = null;
                    } else if (line.startsWith("event:")) {
                        type = line.substring(6).strip();
                    } else if (line.startsWith("data:")) {
                        eventData = (eventData == null ? new StringBuilder() : eventData.append('\n')).append(line.substring(5));
                    }
                }
            } catch (IOException e) {
                if (!closing) {
                    System.out.println("a subscriber failed: " + e);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                if (handshaking) {
                    connecting.release();
                }
                if (!done) {
                    cutOff = !closing;
                    finished.countDown();
                }
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

        /** Reads the response head; the body, de-chunked if it is chunked. */
        private static InputStream body(InputStream in) throws IOException {
            String status = line(in);
            if (!status.startsWith("HTTP/1.1 200")) {
                throw new IOException("events answered " + status);
            }
            boolean chunked = false;
            for (String header = line(in); !header.isEmpty(); header = line(in)) {
                chunked |= header.toLowerCase(Locale.ROOT).startsWith("transfer-encoding:") && header.toLowerCase(Locale.ROOT).contains("chunked");
            }
            return chunked ? new Dechunked(in) : in;
        }

        private static String line(InputStream in) throws IOException {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            for (int b = in.read(); b != '\n'; b = in.read()) {
                if (b < 0) {
                    throw new IOException("the server closed the connection");
                }
                if (b != '\r') {
                    line.write(b);
                }
            }
            return line.toString(StandardCharsets.US_ASCII);
        }

        void close() throws IOException {
            closing = true;
            Socket open = socket;
            if (open != null) {
                open.close();
            }
        }
    }

    /** The body of a {@code Transfer-Encoding: chunked} response, without the chunk framing. */
    private static final class Dechunked extends InputStream {
        private final InputStream in;
        private int left;
        private boolean ended;

        Dechunked(InputStream in) {
            this.in = in;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            if (ended) {
                return -1;
            }
            if (left == 0) {
                String size = Subscriber.line(in);
                if (size.isEmpty()) { // the CRLF after the previous chunk's data
                    size = Subscriber.line(in);
                }
                int semicolon = size.indexOf(';');
                left = Integer.parseInt(semicolon < 0 ? size.strip() : size.substring(0, semicolon).strip(), 16);
                if (left == 0) {
                    ended = true;
                    return -1;
                }
            }
            int read = in.read(buffer, offset, Math.min(length, left));
            if (read < 0) {
                throw new IOException("the body ended inside a chunk");
            }
            left -= read;
            return read;
        }

        @Override
        public int available() throws IOException {
            return Math.min(left, in.available());
        }
    }
}

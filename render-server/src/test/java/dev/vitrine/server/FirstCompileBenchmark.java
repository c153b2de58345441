package dev.vitrine.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The first React compile after a server starts, as a user meets it (a benchmark with a
 * {@code main}, not a test). Starts the packaged server in a child JVM, once with the Graal JIT
 * flags {@code ./vitrine serve} uses and once without, waits until it says it runs, then times
 * {@code POST /v1/artifacts} of the sample dashboard (338 lines of TSX, compiled before the
 * answer), of a second, different dashboard, and of an HTML artifact (no compile: the floor).
 *
 * <pre>
 * mvn -o -q -pl render-server package -DskipTests
 * mvn -o -q -pl render-server test-compile exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=dev.vitrine.server.FirstCompileBenchmark -Dbench.starts=3
 * </pre>
 */
public final class FirstCompileBenchmark {
    private static final String SAMPLE = "dev/vitrine/static/samples/dashboard.tsx";

    private record Start(long readyMillis, long firstCompileMillis, long secondCompileMillis, long htmlMillis) {
    }

    private FirstCompileBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int starts = Integer.getInteger("bench.starts", 3);
        String dashboard = sample();
        Path target = Stream.of(Path.of("render-server/target"), Path.of("target"))
                .filter(dir -> Files.isDirectory(dir.resolve("graal-compiler")) && Files.isRegularFile(dir.resolve("vitrine-server.jar")))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("no vitrine-server.jar and graal-compiler in target: run mvn -pl render-server package first"));
        Path jar = target.resolve("vitrine-server.jar");
        Path graalCompiler = target.resolve("graal-compiler");
        List<String> jit = List.of("-XX:+UnlockExperimentalVMOptions", "-XX:+EnableJVMCI",
                "--add-exports=java.base/jdk.internal.misc=jdk.graal.compiler",
                "--upgrade-module-path=" + graalCompiler.toAbsolutePath());
        System.out.printf("first React compile after start: %d starts per mode, sample %s (%d lines)%n",
                starts, SAMPLE, dashboard.lines().count());
        System.out.printf("%-12s %12s %16s %16s %12s%n", "mode", "ready (ms)", "1st compile (ms)", "2nd compile (ms)", "html (ms)");
        for (Map.Entry<String, List<String>> mode : List.of(Map.entry("interpreter", List.<String>of()), Map.entry("Graal JIT", jit))) {
            List<Start> runs = new ArrayList<>();
            for (int i = 0; i < starts; i++) {
                runs.add(measure(jar, mode.getValue(), dashboard, i));
            }
            for (Start run : runs) {
                System.out.printf("%-12s %12d %16d %16d %12d%n", mode.getKey(), run.readyMillis(), run.firstCompileMillis(),
                        run.secondCompileMillis(), run.htmlMillis());
            }
            Start median = runs.stream().sorted(Comparator.comparingLong(Start::firstCompileMillis)).toList().get(runs.size() / 2);
            System.out.printf("%-12s median first compile %d ms (target <= 500 ms)%n", mode.getKey(), median.firstCompileMillis());
        }
    }

    private static Start measure(Path jar, List<String> jvmFlags, String dashboard, int run) throws Exception {
        Path data = Files.createTempDirectory("vitrine-first-compile");
        try (ServerProcess server = ServerProcess.startJar(jar, jvmFlags, List.of("--data-dir=" + data))) {
            long first = timedCreate(server, "react", dashboard + "\n// run " + run + ", first\n");
            long second = timedCreate(server, "react", dashboard.replace("Orders", "Sales") + "\n// run " + run + ", second\n");
            long html = timedCreate(server, "html", "<p>run " + run + "</p>");
            return new Start(server.readyMillis(), first, second, html);
        } finally {
            try (Stream<Path> files = Files.walk(data)) {
                for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(file);
                }
            }
        }
    }

    private static long timedCreate(ServerProcess server, String type, String content) throws IOException, InterruptedException {
        long started = System.nanoTime();
        server.post("/v1/artifacts", Map.of("type", type, "content", content));
        return (System.nanoTime() - started) / 1_000_000;
    }

    private static String sample() {
        try (InputStream in = FirstCompileBenchmark.class.getClassLoader().getResourceAsStream(SAMPLE)) {
            if (in == null) {
                throw new IllegalStateException(SAMPLE + " is not on the class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package dev.vitrine.frame;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.Value;

/**
 * How fast {@link ComponentCompiler} compiles the sample dashboard, next to the same Sucrase
 * under node in the same run. Not a test: run it by hand (iframe-host/README.md, "Benchmark").
 *
 * <ol>
 *   <li>cold: engine creation, loading Sucrase into the first context, first compile;</li>
 *   <li>steady state: {@code warmUp} compiles, then {@code runs} timed ones, each source
 *       made unique by a trailing comment so the result cache never answers;</li>
 *   <li>node: src/test/js/sucrase-bench.cjs, same file, same options, same counts.</li>
 * </ol>
 *
 * System properties, all optional: {@code bench.warmUp} (default 400), {@code bench.runs}
 * (200), {@code bench.maxSeconds} per phase (240), {@code bench.contexts} (1),
 * {@code bench.engineOptions} and {@code bench.contextOptions} (GraalJS options as
 * {@code key=value,key=value}, e.g. {@code engine.Mode=throughput} or
 * {@code cpusampler=true,cpusampler.Output=histogram}), {@code bench.singleContext=true}
 * (one Context with its own engine instead of the compiler's shared engine and pool),
 * {@code bench.node=false} to skip node.
 */
public final class CompileBenchmark {
    private record Figures(String name, int warmUp, int runs, double p50, double mean, double p10, double p90) {
        String line() {
            return String.format(Locale.ROOT, "%-28s p50 %8.2f ms   mean %8.2f ms   p10 %.2f p90 %.2f   (%d runs after %d warm-up)",
                    name, p50, mean, p10, p90, runs, warmUp);
        }
    }

    private interface Compile {
        void run(String source);
    }

    private CompileBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int warmUp = Integer.getInteger("bench.warmUp", 400);
        int runs = Integer.getInteger("bench.runs", 200);
        Duration budget = Duration.ofSeconds(Integer.getInteger("bench.maxSeconds", 240));
        int contexts = Integer.getInteger("bench.contexts", 1);
        Map<String, String> engineOptions = options("bench.engineOptions");
        Map<String, String> contextOptions = options("bench.contextOptions");
        boolean singleContext = Boolean.getBoolean("bench.singleContext");
        String dashboard = ComponentCompilerTest.dashboard();

        System.out.printf("java %s, %d processors, engine options %s, context options %s%s%n",
                System.getProperty("java.version"), Runtime.getRuntime().availableProcessors(), engineOptions,
                contextOptions, singleContext ? ", single context without a shared engine" : "");
        Figures graal;
        if (singleContext) {
            graal = singleContext(dashboard, warmUp, runs, budget, engineOptions, contextOptions);
        } else {
            graal = compiler(dashboard, warmUp, runs, budget, contexts, engineOptions, contextOptions);
        }
        System.out.println(graal.line());
        if (Boolean.parseBoolean(System.getProperty("bench.node", "true"))) {
            List<Figures> node = node(dashboard, warmUp, runs, budget);
            for (Figures figures : node) {
                System.out.println(figures.line());
                System.out.printf(Locale.ROOT, "ratio GraalJS/%-14s p50 %6.1fx   mean %6.1fx%n", figures.name(),
                        graal.p50() / figures.p50(), graal.mean() / figures.mean());
            }
        }
    }

    private static Figures compiler(String dashboard, int warmUp, int runs, Duration budget, int contexts,
                                    Map<String, String> engineOptions, Map<String, String> contextOptions) {
        CompilerSettings settings = new CompilerSettings(contexts, Duration.ofMinutes(5), 10,
                ComponentCompilerTest.IMPORTABLE);
        long start = System.nanoTime();
        try (ComponentCompiler compiler = new ComponentCompiler(settings, ComponentCompiler.newWatchdog(), true,
                engineOptions, contextOptions)) {
            long engineReady = System.nanoTime();
            compiler.warmUp(0, Runnable::run).join();
            long contextReady = System.nanoTime();
            compiler.compile(dashboard);
            long firstDone = System.nanoTime();
            System.out.printf("runtime: %s (optimizing: %s)%n", compiler.runtimeName(), compiler.optimizing());
            System.out.printf(Locale.ROOT, "cold: engine %.0f ms + context with Sucrase %.0f ms + first compile %.0f ms"
                            + " = %.0f ms to the first result%n", ms(engineReady - start), ms(contextReady - engineReady),
                    ms(firstDone - contextReady), ms(firstDone - start));
            StringBuilder next = new StringBuilder("compiles 2-10 on the same context:");
            for (int i = 2; i <= 10; i++) {
                long t = System.nanoTime();
                compiler.compile(dashboard + "\n// early " + i + "\n");
                next.append(String.format(Locale.ROOT, " %.0f", ms(System.nanoTime() - t)));
            }
            System.out.println(next.append(" ms"));
            return steady("GraalJS " + (compiler.optimizing() ? "JIT" : "interpreter"), dashboard, warmUp, runs,
                    budget, compiler::compile);
        }
    }

    /** One Context owning its engine: GraalJS can then specialise on that context alone. */
    private static Figures singleContext(String dashboard, int warmUp, int runs, Duration budget,
                                         Map<String, String> engineOptions, Map<String, String> contextOptions)
            throws IOException {
        String script;
        try (var in = ComponentCompiler.class.getClassLoader().getResourceAsStream(ComponentCompiler.SCRIPT_RESOURCE)) {
            script = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        long start = System.nanoTime();
        try (Context context = Context.newBuilder("js").option("engine.WarnInterpreterOnly", "false")
                .options(engineOptions).options(contextOptions).build()) {
            context.eval(Source.newBuilder("js", script, "vitrine-compiler.js").buildLiteral());
            Value compile = context.getBindings("js").getMember("vitrineCompile");
            long contextReady = System.nanoTime();
            compile.execute(dashboard);
            long firstDone = System.nanoTime();
            System.out.printf("runtime: %s%n", context.getEngine().getImplementationName());
            System.out.printf(Locale.ROOT, "cold: context with Sucrase %.0f ms + first compile %.0f ms%n",
                    ms(contextReady - start), ms(firstDone - contextReady));
            return steady("GraalJS single context", dashboard, warmUp, runs, budget,
                    source -> compile.execute(source).getMember("code").asString());
        }
    }

    private static Figures steady(String name, String dashboard, int warmUp, int runs, Duration budget, Compile compile) {
        long deadline = System.nanoTime() + budget.toNanos();
        long warmStart = System.nanoTime();
        int warmed = 0;
        for (; warmed < warmUp && System.nanoTime() < deadline; warmed++) {
            compile.run(dashboard + "\n// warm-up " + warmed + "\n");
            if ((warmed + 1) % Math.max(100, warmUp / 10) == 0) {
                System.out.printf(Locale.ROOT, "  warm-up %d compiles, %.1f s%n", warmed + 1, (System.nanoTime() - warmStart) / 1e9);
            }
        }
        deadline = System.nanoTime() + budget.toNanos();
        double[] times = new double[runs];
        int done = 0;
        for (; done < runs && System.nanoTime() < deadline; done++) {
            String source = dashboard + "\n// run " + done + "\n";
            long t = System.nanoTime();
            compile.run(source);
            times[done] = ms(System.nanoTime() - t);
        }
        return figures(name, warmed, Arrays.copyOf(times, done));
    }

    private static List<Figures> node(String dashboard, int warmUp, int runs, Duration budget) throws Exception {
        Path moduleDirectory = Path.of(System.getProperty("bench.moduleDir", ".")).toAbsolutePath();
        Path script = moduleDirectory.resolve("src/test/js/sucrase-bench.cjs");
        Path bundle = moduleDirectory.resolve("target/classes").resolve(ComponentCompiler.SCRIPT_RESOURCE);
        Path file = Files.createTempFile("dashboard", ".tsx");
        try {
            Files.writeString(file, dashboard);
            Process node = new ProcessBuilder("node", script.toString(), file.toString(), bundle.toString(),
                    String.valueOf(warmUp), String.valueOf(runs), String.valueOf(budget.toSeconds()))
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            List<Figures> figures = new ArrayList<>();
            Pattern field = Pattern.compile("\"(\\w+)\":(\"[^\"]*\"|[0-9.eE+-]+)");
            try (BufferedReader out = new BufferedReader(new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = out.readLine(); line != null; line = out.readLine()) {
                    Map<String, String> fields = new LinkedHashMap<>();
                    Matcher m = field.matcher(line);
                    while (m.find()) {
                        fields.put(m.group(1), m.group(2).replace("\"", ""));
                    }
                    if ("first".equals(fields.get("name"))) {
                        System.out.printf(Locale.ROOT, "node first transform: %.1f ms%n", Double.parseDouble(fields.get("ms")));
                    } else if (fields.containsKey("p50")) {
                        figures.add(new Figures("node " + fields.get("name"), Integer.parseInt(fields.get("warmUp")),
                                Integer.parseInt(fields.get("runs")), Double.parseDouble(fields.get("p50")),
                                Double.parseDouble(fields.get("mean")), Double.parseDouble(fields.get("p10")),
                                Double.parseDouble(fields.get("p90"))));
                    }
                }
            }
            if (!node.waitFor(budget.toSeconds() * 3, TimeUnit.SECONDS)) {
                node.destroyForcibly();
                throw new IllegalStateException("node did not finish");
            }
            if (node.exitValue() != 0) {
                throw new IllegalStateException("node exited with " + node.exitValue());
            }
            return figures;
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private static Figures figures(String name, int warmUp, double[] times) {
        if (times.length == 0) {
            throw new IllegalStateException(name + ": no timed run finished within the time budget");
        }
        double[] sorted = times.clone();
        Arrays.sort(sorted);
        return new Figures(name, warmUp, sorted.length, sorted[sorted.length / 2], Arrays.stream(sorted).average().orElseThrow(),
                sorted[sorted.length / 10], sorted[sorted.length * 9 / 10]);
    }

    private static Map<String, String> options(String property) {
        Map<String, String> options = new LinkedHashMap<>();
        String value = System.getProperty(property, "");
        for (String pair : value.split(",")) {
            if (pair.isBlank()) {
                continue;
            }
            int equals = pair.indexOf('=');
            if (equals < 1) {
                throw new IllegalArgumentException(property + " takes key=value pairs separated by commas, got '" + pair + "'");
            }
            options.put(pair.substring(0, equals).trim(), pair.substring(equals + 1).trim());
        }
        return options;
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }
}

package dev.vitrine.browser;

import dev.vitrine.browser.VectorResult.Finding;
import dev.vitrine.browser.VectorResult.Verdict;
import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * {@code ./vitrine escape-lab}: runs the escape vector catalogue (or a tester's own directory of
 * vector files) in Chromium against a Vitrine started in this process, or against a running one,
 * and writes {@code report.json}, {@code report.html} and a screenshot per vector.
 *
 * <pre>
 * ./vitrine escape-lab [--base-url=http://localhost:8080 --api-key=...] [--vectors=dir] [--out=dir] [--only=network/,css/]
 * mvn -q -DskipTests -pl browser-tests test-compile exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=dev.vitrine.browser.EscapeLabCommand -Dexec.args="--out=/tmp/lab"
 * </pre>
 *
 * Exit status: 0 when every vector ended as the catalogue expects (a known limit that no longer
 * shows is reported, not failed), 1 when a vector not marked {@code known-limit} leaked or a vector
 * proved nothing, 2 for a usage or set-up error.
 */
public final class EscapeLabCommand {
    private static final String USAGE = """
            usage: vitrine escape-lab [--base-url=<app origin> --api-key=<key>] [--vectors=<dir>] [--out=<dir>] [--only=<id prefix>,...]
              --base-url  a running Vitrine's app origin (e.g. http://localhost:8080); without it a Vitrine
                          starts in this process on free loopback ports
              --api-key   its API key (or set VITRINE_API_KEY)
              --vectors   a directory of vector files (*.json, sub-directories too); default: the built-in catalogue
              --out       where report.json, report.html and screenshots/ go; default: target/escape-lab
              --only      run only vectors whose id starts with one of these prefixes
            """;

    private record Options(Optional<URI> baseUrl, Optional<String> apiKey, Optional<Path> vectors, Path out, List<String> only) {
    }

    private EscapeLabCommand() {
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    static int run(String[] args) {
        Options options;
        List<EscapeVector> vectors;
        try {
            options = parse(args);
            if (options == null) {
                System.out.print(USAGE);
                return 0;
            }
            vectors = options.vectors().map(VectorCatalogue::load).orElseGet(VectorCatalogue::builtIn).stream()
                    .filter(v -> options.only().isEmpty() || options.only().stream().anyMatch(v.id()::startsWith))
                    .toList();
            if (vectors.isEmpty()) {
                throw new IllegalArgumentException("--only=" + String.join(",", options.only()) + " matches no vector");
            }
        } catch (IllegalArgumentException e) {
            System.err.println("vitrine escape-lab: " + e.getMessage());
            System.err.print(USAGE);
            return 2;
        }

        try (VitrineUnderTest vitrine = options.baseUrl()
                .map(url -> VitrineUnderTest.running(url, options.apiKey().orElseThrow()))
                .orElseGet(() -> VitrineUnderTest.start(UnaryOperator.identity()));
             EscapeLab lab = EscapeLab.open(vitrine, EscapeLab.Settings.quick().withScreenshots(options.out()))) {
            String target = (options.baseUrl().isPresent() ? "Vitrine at " : "in-process Vitrine at ") + vitrine.appOrigin();
            System.out.printf("escape lab: %d vectors against %s; canary on 127.0.0.1 (http %d, tcp %d, udp %d)%n",
                    vectors.size(), target, lab.canary().port(), lab.canary().tcpPort(), lab.canary().udpPort());
            List<VectorResult> shown = new ArrayList<>();
            List<VectorResult> results = lab.runAll(vectors, result -> {
                shown.add(result);
                System.out.println(progress(shown.size(), vectors.size(), result));
            });
            for (int i = 0; i < results.size(); i++) {
                // a canary hit that came late can still turn a verdict: say so rather than leave the progress line standing
                if (results.get(i).verdict() != shown.get(i).verdict()) {
                    System.out.println("late: " + progress(i + 1, vectors.size(), results.get(i)));
                }
            }
            Path html = EscapeReport.write(new EscapeReport.Run(target, lab.browserVersion(), Instant.now(), results), options.out());
            long failed = results.stream().filter(r -> r.verdict() == Verdict.LEAKED || r.verdict() == Verdict.ERROR).count();
            System.out.println(summary(results));
            System.out.println("report: " + html.toAbsolutePath() + " (and report.json, screenshots/)");
            return failed == 0 ? 0 : 1;
        } catch (RuntimeException | AssertionError e) {
            System.err.println("vitrine escape-lab: " + describe(e)
                    + options.baseUrl().map(url -> " (is Vitrine running at " + url + " and is the API key right?)").orElse(""));
            return 2;
        }
    }

    /** The message of a failure and of its causes, e.g. {@code UncheckedIOException: ConnectException}. */
    private static String describe(Throwable failure) {
        StringBuilder text = new StringBuilder();
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (!text.isEmpty()) {
                text.append(" <- ");
            }
            text.append(t.getClass().getSimpleName());
            if (t.getMessage() != null && (t.getCause() == null || !t.getMessage().equals(t.getCause().toString()))) {
                text.append(": ").append(t.getMessage());
            }
        }
        return text.toString();
    }

    /** E.g. {@code [12/43] network/fetch-attacker … blocked}. */
    static String progress(int index, int total, VectorResult result) {
        StringBuilder line = new StringBuilder().append('[').append(index).append('/').append(total).append("] ")
                .append(result.vector().id()).append(" … ").append(result.verdict().label);
        if (!result.findings().isEmpty()) {
            Finding first = result.findings().get(0);
            line.append(" (").append(first.detector().wireName).append(": ").append(shorten(first.detail()));
            if (result.findings().size() > 1) {
                line.append("; +").append(result.findings().size() - 1).append(" more");
            }
            line.append(')');
        } else if (result.problem() != null) {
            line.append(" (").append(shorten(result.problem())).append(')');
        }
        if (!result.asRequired()) {
            line.append("  <-- expected ").append(Verdict.required(result.vector().expected()).label);
        }
        return line.toString();
    }

    private static String summary(List<VectorResult> results) {
        StringBuilder line = new StringBuilder("escape lab:");
        for (Verdict verdict : Verdict.values()) {
            long count = results.stream().filter(r -> r.verdict() == verdict).count();
            if (count > 0) {
                line.append(' ').append(count).append(' ').append(verdict.label).append(',');
            }
        }
        line.setLength(line.length() - 1);
        results.stream().filter(r -> !r.asRequired())
                .forEach(r -> line.append("\n  not as expected: ").append(r.vector().id()).append(" … ").append(r.verdict().label));
        return line.toString();
    }

    private static String shorten(String text) {
        return text.length() > 120 ? text.substring(0, 120) + "…" : text;
    }

    /** The options, or {@code null} when help was asked for. */
    private static Options parse(String[] args) {
        URI baseUrl = null;
        String apiKey = null;
        Path vectors = null;
        Path out = Path.of("target", "escape-lab");
        List<String> only = List.of();
        for (String arg : args) {
            if (arg.equals("--help") || arg.equals("-h")) {
                return null;
            }
            int equals = arg.indexOf('=');
            if (!arg.startsWith("--") || equals < 0) {
                throw new IllegalArgumentException("unknown argument '" + arg + "'; options look like --name=value");
            }
            String name = arg.substring(2, equals);
            String value = arg.substring(equals + 1);
            if (value.isBlank()) {
                throw new IllegalArgumentException("--" + name + " needs a value");
            }
            switch (name) {
                case "base-url" -> baseUrl = origin(value);
                case "api-key" -> apiKey = value;
                case "vectors" -> vectors = Path.of(value);
                case "out" -> out = Path.of(value);
                case "only" -> only = Arrays.stream(value.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
                default -> throw new IllegalArgumentException("unknown option --" + name);
            }
        }
        if (apiKey == null) {
            apiKey = System.getenv("VITRINE_API_KEY");
        }
        if (baseUrl != null && (apiKey == null || apiKey.isBlank())) {
            throw new IllegalArgumentException("--base-url=" + baseUrl + " needs --api-key (or VITRINE_API_KEY) to create artifacts");
        }
        if (baseUrl == null && apiKey != null && Arrays.stream(args).anyMatch(a -> a.startsWith("--api-key="))) {
            throw new IllegalArgumentException("--api-key is for a running Vitrine: give --base-url too");
        }
        return new Options(Optional.ofNullable(baseUrl), Optional.ofNullable(apiKey), Optional.ofNullable(vectors), out, only);
    }

    private static URI origin(String value) {
        URI uri;
        try {
            uri = URI.create(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--base-url=" + value + " is not a URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null || !(path.isEmpty() || path.equals("/"))
                || uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new IllegalArgumentException("--base-url=" + value + " must be an app origin like http://localhost:8080");
        }
        return URI.create(scheme + "://" + uri.getRawAuthority());
    }
}

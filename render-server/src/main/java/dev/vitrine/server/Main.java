package dev.vitrine.server;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;

/**
 * The {@code vitrine} command: {@code serve [--key=value…]} runs both origins until the
 * process is stopped; {@code preview <file> [--key=value…]} serves one local file as an artifact
 * and publishes every save as its next version ({@link Preview}); {@code help} lists the settings.
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) throws InterruptedException {
        // Undertow logs through JBoss Logging; send it to the same SLF4J backend as Vitrine.
        System.setProperty("org.jboss.logging.provider", "slf4j");
        String command = args.length == 0 ? "serve" : args[0];
        List<String> rest = args.length == 0 ? List.of() : Arrays.asList(args).subList(1, args.length);
        switch (command) {
            case "serve" -> serve(rest);
            case "preview" -> preview(rest);
            case "help", "--help", "-h" -> help(System.out);
            default -> {
                System.err.println("vitrine: unknown command '" + LogText.safe(command) + "'");
                help(System.err);
                System.exit(2);
            }
        }
    }

    private static void serve(List<String> flags) throws InterruptedException {
        if (flags.contains("--help")) {
            help(System.out);
            return;
        }
        ServerConfig config;
        try {
            config = ConfigLoader.load(flags, System.getenv());
        } catch (IllegalArgumentException e) {
            System.err.println("vitrine: " + e.getMessage());
            System.exit(2);
            return;
        }
        long started = System.nanoTime();
        VitrineServer server = VitrineServer.start(config, Clock.systemUTC(), new SecureRandom());
        try {
            server.compilerReady().join();
        } catch (CompletionException e) {
            System.err.println("vitrine: the React compiler failed to start: " + e.getCause());
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "vitrine-shutdown"));
        System.out.println();
        System.out.println("Vitrine is running (ready in " + (System.nanoTime() - started) / 1_000_000 + " ms).");
        System.out.println("  Chat page:      " + server.appOrigin() + "/#key=" + server.apiKey());
        System.out.println("  API:            " + server.appOrigin() + "/v1  (Authorization: Bearer <key>)");
        System.out.println("  Sandbox origin: " + server.sandboxOrigin());
        System.out.println("  Storage:        " + config.jdbcUrl().map(url -> "PostgreSQL").orElse(
                "SQLite in " + config.dataDirectory().toAbsolutePath().normalize()));
        if (config.apiKey().isEmpty()) {
            System.out.println("  API key:        " + server.apiKey() + "  (development key, new at every start; set VITRINE_API_KEY to fix one)");
        }
        System.out.println("Stop with Ctrl-C.");
        stopped.await();
    }

    /**
     * {@code preview <file> [--key=value…]}: settings as for {@code serve}, except that the database
     * is in a new temporary directory (removed at exit) unless {@code --data-dir} or {@code --jdbc-url} is given.
     */
    private static void preview(List<String> arguments) throws InterruptedException {
        if (arguments.contains("--help")) {
            help(System.out);
            return;
        }
        List<String> files = arguments.stream().filter(argument -> !argument.startsWith("--")).toList();
        if (files.size() != 1) {
            System.err.println("vitrine: preview takes one file (.html, .jsx, .tsx, .svg, .md or .mmd), got " + files.size());
            help(System.err);
            System.exit(2);
            return;
        }
        List<String> flags = new ArrayList<>(arguments.stream().filter(argument -> argument.startsWith("--")).toList());
        Path temporary = null;
        ServerConfig config;
        try {
            if (flags.stream().noneMatch(flag -> flag.startsWith("--data-dir=") || flag.startsWith("--jdbc-url="))) {
                temporary = Files.createTempDirectory("vitrine-preview-");
                flags.add("--data-dir=" + temporary);
            }
            config = ConfigLoader.load(flags, System.getenv());
        } catch (IllegalArgumentException | IOException e) {
            System.err.println("vitrine: " + e.getMessage());
            System.exit(2);
            return;
        }
        Preview preview;
        try {
            preview = Preview.start(Path.of(files.get(0)), config, System.out, System.err);
        } catch (IllegalArgumentException | IOException e) {
            System.err.println("vitrine: " + e.getMessage());
            deleteTree(temporary);
            System.exit(2);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Path dataDirectory = temporary;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            preview.close();
            deleteTree(dataDirectory);
            stopped.countDown();
        }, "vitrine-shutdown"));
        stopped.await();
    }

    /** Removes the preview's temporary database; what cannot be removed stays in the temporary directory. */
    private static void deleteTree(Path directory) {
        if (directory == null) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            System.err.println("vitrine: could not remove " + directory + ": " + e.getMessage());
        }
    }

    private static void help(PrintStream out) {
        out.println("usage: vitrine serve [--key=value ...]");
        out.println("       vitrine preview <file.html|.jsx|.tsx|.svg|.md|.mmd> [--key=value ...]");
        out.println("       vitrine help");
        out.println();
        out.println("Settings (flag --key=value, environment VITRINE_KEY, or a properties file given by --config):");
        for (ConfigLoader.Key key : ConfigLoader.Key.values()) {
            out.printf("  %-27s %-35s %s (default %s)%n", key.name, key.environmentVariable(), key.meaning, key.defaultValue);
        }
    }
}

package dev.vitrine.server;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * {@code vitrine preview <file>}: a Vitrine showing one local file as an artifact, with a new
 * version on every save. The chat page it prints follows the artifact's events, so each version
 * replaces the frame, and a save that does not compile shows as an error there (and here) while
 * the last good version stays on screen. If the file does not compile at start, the artifact is
 * created by the first save that does.
 *
 * <pre>{@code
 * try (Preview preview = Preview.start(Path.of("dashboard.tsx"), config, System.out, System.err)) {
 *     URI page = preview.chatUrl().join();   // also printed
 * }
 * }</pre>
 */
public final class Preview implements AutoCloseable {
    /** The extensions a preview takes, and the artifact type each one means. */
    static final Map<String, String> TYPES = Map.of(
            "html", "html", "jsx", "react", "tsx", "react", "svg", "svg", "md", "markdown", "mmd", "mermaid");
    /** Editors write a file in several steps; one version per save, not per step. */
    static final Duration QUIET = Duration.ofMillis(100);

    private final Path file;
    private final String type;
    private final VitrineServer server;
    private final PreviewClient client;
    private final PrintStream out;
    private final PrintStream err;
    private final CompletableFuture<URI> chatUrl = new CompletableFuture<>();
    private FileWatcher watcher;
    private String artifactId;

    private Preview(Path file, String type, VitrineServer server, PrintStream out, PrintStream err) {
        this.file = file;
        this.type = type;
        this.server = server;
        this.client = new PreviewClient(server.appListenUrl(), server.apiKey());
        this.out = out;
        this.err = err;
    }

    /**
     * Starts a server with {@code config}, creates the artifact from the file (or says why it
     * cannot yet) and watches the file.
     *
     * @throws IllegalArgumentException if the file is missing or its extension names no artifact type
     * @throws IOException              if the file cannot be read or its directory not watched
     */
    public static Preview start(Path file, ServerConfig config, PrintStream out, PrintStream err) throws IOException {
        Path absolute = file.toAbsolutePath().normalize();
        String type = typeOf(absolute);
        if (!Files.isRegularFile(absolute)) {
            throw new IllegalArgumentException("preview: " + absolute + " is not a file");
        }
        String initial = Files.readString(absolute, StandardCharsets.UTF_8);
        VitrineServer server = VitrineServer.start(config, Clock.systemUTC(), new SecureRandom());
        Preview preview = new Preview(absolute, type, server, out, err);
        try {
            try {
                server.compilerReady().join();
            } catch (CompletionException e) {
                err.println("vitrine preview: the React compiler failed to start: " + e.getCause());
            }
            synchronized (preview) {
                preview.watcher = FileWatcher.start(absolute, QUIET, initial, new FileWatcher.Listener() {
                    @Override
                    public void changed(String text) {
                        preview.saved(text);
                    }

                    @Override
                    public void unreadable(Path path, IOException problem) {
                        err.println("vitrine preview: cannot read " + path.getFileName() + ": " + problem.getMessage());
                    }
                });
                preview.saved(initial);
            }
            return preview;
        } catch (IOException | RuntimeException e) {
            preview.close();
            throw e;
        }
    }

    /** The artifact type a file's extension names. */
    static String typeOf(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String extension = dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
        String type = TYPES.get(extension);
        if (type == null) {
            throw new IllegalArgumentException("preview: cannot tell the artifact type of '" + name
                    + "': the name must end in .html, .jsx, .tsx, .svg, .md or .mmd");
        }
        return type;
    }

    /** The chat page showing the artifact, once it exists (the first text that passes the checks). */
    public CompletableFuture<URI> chatUrl() {
        return chatUrl;
    }

    public VitrineServer server() {
        return server;
    }

    /** The artifact's id once it exists. */
    public synchronized Optional<String> artifactId() {
        return Optional.ofNullable(artifactId);
    }

    private synchronized void saved(String text) {
        String name = file.getFileName().toString();
        try {
            PreviewClient.Outcome outcome = artifactId == null
                    ? client.create(type, name, text)
                    : client.publish(artifactId, text);
            switch (outcome) {
                case PreviewClient.Stored stored when artifactId == null -> {
                    artifactId = stored.artifactId();
                    URI page = URI.create(server.appOrigin() + "/#key=" + URLEncoder.encode(server.apiKey(), StandardCharsets.UTF_8)
                            + "&artifact=" + artifactId);
                    out.println("Preview of " + name + ": " + page);
                    out.println("Watching " + file + "; every save is a new version. Stop with Ctrl-C.");
                    chatUrl.complete(page);
                }
                case PreviewClient.Stored stored -> out.println("vitrine preview: " + name + " saved as version " + stored.version());
                case PreviewClient.Refused refused -> err.println("vitrine preview: " + refused.describe(name)
                        + (artifactId == null ? "  (the preview starts with the first save that passes)" : "  (the last good version stays)"));
            }
        } catch (IOException e) {
            err.println("vitrine preview: could not reach the server: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        if (watcher != null) {
            watcher.close();
        }
        server.close();
        chatUrl.cancel(false);
    }
}

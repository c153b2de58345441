package dev.vitrine.browser;

import dev.vitrine.server.ServerConfig;
import dev.vitrine.server.VitrineServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Comparator;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * The Vitrine a browser test or the escape lab talks to: one started in this process on free
 * loopback ports (app origin {@code http://localhost:<p>}, sandbox origin
 * {@code http://127.0.0.1:<q>}, cross-site) over a temporary database, or one already running,
 * known by its app origin and API key.
 *
 * <pre>{@code
 * try (VitrineUnderTest vitrine = VitrineUnderTest.start(UnaryOperator.identity())) {
 *     String id = vitrine.client().create("html", "hi", "<p>hi</p>").get("id").asText();
 *     page.navigate(vitrine.chatUrl(id));
 * }
 * }</pre>
 */
final class VitrineUnderTest implements AutoCloseable {
    private final VitrineServer server;
    private final Path dataDirectory;
    private final URI appOrigin;
    private final String apiKey;
    private final VitrineClient client;

    private VitrineUnderTest(VitrineServer server, Path dataDirectory, URI appOrigin, String apiKey) {
        this.server = server;
        this.dataDirectory = dataDirectory;
        this.appOrigin = appOrigin;
        this.apiKey = apiKey;
        this.client = new VitrineClient(appOrigin, apiKey);
    }

    /** Starts a Vitrine in this process; {@code configure} adjusts its configuration, e.g. with small storage limits. */
    static VitrineUnderTest start(UnaryOperator<ServerConfig> configure) {
        try {
            Path dataDirectory = Files.createTempDirectory("vitrine-browser-test");
            VitrineServer server = VitrineServer.start(configure.apply(ServerConfig.defaults()
                            .withOrigins(URI.create("http://localhost:0"), URI.create("http://127.0.0.1:0"))
                            .withDataDirectory(dataDirectory)),
                    Clock.systemUTC(), new SecureRandom());
            return new VitrineUnderTest(server, dataDirectory, server.appOrigin(), server.apiKey());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the test database directory", e);
        }
    }

    /** A Vitrine that runs elsewhere; its chat page is {@code appOrigin + "/"}. */
    static VitrineUnderTest running(URI appOrigin, String apiKey) {
        return new VitrineUnderTest(null, null, appOrigin, apiKey);
    }

    /** The server, when it runs in this process. */
    Optional<VitrineServer> server() {
        return Optional.ofNullable(server);
    }

    URI appOrigin() {
        return appOrigin;
    }

    String apiKey() {
        return apiKey;
    }

    VitrineClient client() {
        return client;
    }

    /** The chat page, logged in with the API key, showing one artifact in the viewer. */
    String chatUrl(String artifactId) {
        return appOrigin + "/#key=" + apiKey + "&artifact=" + artifactId;
    }

    @Override
    public void close() {
        if (server != null) {
            server.close();
        }
        if (dataDirectory != null) {
            try (Stream<Path> files = Files.walk(dataDirectory)) {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot delete " + dataDirectory, e);
            }
        }
    }
}

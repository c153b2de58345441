package dev.vitrine.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.function.UnaryOperator;

/** A real server on free loopback ports for one test class, with a small HTTP client. */
final class RunningServer implements AutoCloseable {
    final VitrineServer server;
    private final HttpClient http = HttpClient.newHttpClient();

    RunningServer(Path dataDirectory, DataSize maxBody) {
        this(dataDirectory, Clock.systemUTC(), config -> config.withMaxBodySize(maxBody));
    }

    RunningServer(Path dataDirectory, Clock clock, UnaryOperator<ServerConfig> configure) {
        server = VitrineServer.start(configure.apply(ServerConfig.defaults()
                        .withOrigins(URI.create("http://localhost:0"), URI.create("http://127.0.0.1:0"))
                        .withDataDirectory(dataDirectory)),
                clock, new SecureRandom());
    }

    HttpRequest.Builder api(String path) {
        return HttpRequest.newBuilder(server.appOrigin().resolve(path))
                .header("Authorization", "Bearer " + server.apiKey());
    }

    HttpRequest.Builder sandbox(String path) {
        return HttpRequest.newBuilder(server.sandboxOrigin().resolve(path));
    }

    HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static HttpRequest.BodyPublisher json(String body) {
        return HttpRequest.BodyPublishers.ofString(body);
    }

    @Override
    public void close() {
        server.close();
    }
}

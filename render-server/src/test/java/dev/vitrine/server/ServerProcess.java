package dev.vitrine.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Vitrine server in a child JVM, started through {@link Main} as {@code ./vitrine serve}
 * starts it, for tests and benchmarks that need a real process (to kill it, to run two, or to
 * time its start). Both origins bind ephemeral ports; the API key is {@link #API_KEY}.
 */
final class ServerProcess implements AutoCloseable {
    static final String API_KEY = "server-process-key-0123456789abcdef";
    private static final Pattern API_LINE = Pattern.compile("API:\\s+(http://\\S+)/v1");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final Process process;
    private final URI app;
    private final long readyMillis;

    private ServerProcess(Process process, URI app, long readyMillis) {
        this.process = process;
        this.app = app;
        this.readyMillis = readyMillis;
    }

    /** Starts a server from this JVM's class path and returns once it reports that it is running. */
    static ServerProcess start(List<String> jvmFlags, List<String> serveFlags) throws IOException {
        List<String> launch = new ArrayList<>(jvmFlags);
        launch.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName()));
        return launch(launch, serveFlags);
    }

    /** Starts a server from the packaged jar, as {@code ./vitrine serve} does, and returns once it runs. */
    static ServerProcess startJar(Path jar, List<String> jvmFlags, List<String> serveFlags) throws IOException {
        List<String> launch = new ArrayList<>(jvmFlags);
        launch.addAll(List.of("-jar", jar.toString()));
        return launch(launch, serveFlags);
    }

    private static ServerProcess launch(List<String> launch, List<String> serveFlags) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("--enable-native-access=ALL-UNNAMED");
        command.addAll(launch);
        command.addAll(List.of("serve", "--app-origin=http://localhost:0", "--sandbox-origin=http://127.0.0.1:0", "--api-key=" + API_KEY));
        command.addAll(serveFlags);
        long started = System.nanoTime();
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            URI app = awaitApi(process);
            return new ServerProcess(process, app, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
        } catch (IOException | RuntimeException | Error e) {
            process.destroyForcibly();
            throw e;
        }
    }

    /** The app origin, where the API answers. */
    URI app() {
        return app;
    }

    /** From starting the JVM to the server saying it runs. */
    long readyMillis() {
        return readyMillis;
    }

    /** {@code POST} to the API, which must answer 201. */
    JsonNode post(String path, Object body) throws IOException, InterruptedException {
        return expect(201, api(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))));
    }

    /** {@code GET} from the API, which must answer 200. */
    JsonNode get(String path) throws IOException, InterruptedException {
        return expect(200, api(path).GET());
    }

    /** {@code DELETE} on the API, which must answer 204. */
    void delete(String path) throws IOException, InterruptedException {
        expect(204, api(path).DELETE());
    }

    /** One {@code window.storage} call as the embed SDK sends it, with a viewer token; any status. */
    static HttpResponse<String> storageCall(String url, String token, Object operation) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(operation))).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The parsed body of a response. */
    static JsonNode json(HttpResponse<String> response) throws IOException {
        return JSON.readTree(response.body());
    }

    private HttpRequest.Builder api(String path) {
        return HttpRequest.newBuilder(app.resolve(path)).header("Authorization", "Bearer " + API_KEY);
    }

    private static JsonNode expect(int status, HttpRequest.Builder request) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != status) {
            throw new IllegalStateException(request.build().method() + " " + request.build().uri() + " answered "
                    + response.statusCode() + ", expected " + status + ": " + response.body());
        }
        return response.body().isEmpty() ? null : JSON.readTree(response.body());
    }

    /** SIGKILL: the server gets no chance to flush or close anything. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the killed server did not exit");
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            kill();
        }
    }

    private static URI awaitApi(Process process) throws IOException {
        BufferedReader output = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        StringBuilder seen = new StringBuilder();
        String line;
        while ((line = output.readLine()) != null) {
            seen.append(line).append('\n');
            Matcher m = API_LINE.matcher(line);
            if (m.find()) {
                Thread drain = new Thread(() -> {
                    try {
                        output.transferTo(Writer.nullWriter());
                    } catch (IOException ignored) {
                        // the process ended; its output ends here
                    }
                }, "server-output-drain");
                drain.setDaemon(true);
                drain.start();
                return URI.create(m.group(1));
            }
        }
        throw new IllegalStateException("the server exited before it was ready:\n" + seen);
    }
}

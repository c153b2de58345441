package dev.vitrine.server;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Vitrine server in a child JVM, started through {@link Main} on this class path as
 * {@code ./vitrine serve} starts it, for tests and benchmarks that need a real process (to
 * kill it, or to time its start). Both origins bind ephemeral ports.
 */
final class ServerProcess implements AutoCloseable {
    private static final Pattern API_LINE = Pattern.compile("API:\\s+(http://\\S+)/v1");

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
        command.addAll(List.of("serve", "--app-origin=http://localhost:0", "--sandbox-origin=http://127.0.0.1:0"));
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

package dev.vitrine.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vitrine.storage.ArtifactType;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.SubmissionPublisher;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The demo's chat backend: {@link DemoReplay}'s calls made to this server's own REST API over
 * loopback with its API key, so the demo goes through the same checks, streams, events and
 * audit trail as a real chat backend. A stream is one chunked {@code POST …/stream} whose body
 * is written piece by piece while the replay paces it; each piece is one chunk.
 *
 * <pre>{@code
 * try (DemoBackend backend = new DemoBackend(server.appListenUrl(), apiKey)) {
 *     new DemoReplay(transcript, backend, Thread::sleep, 1).play(conversation);
 * }
 * }</pre>
 *
 * Closing it abandons a stream still open (the server keeps its text as a partial) and stops the
 * HTTP client's threads.
 */
final class DemoBackend implements DemoReplay.Backend, AutoCloseable {
    /** Longest wait for one answer; a stream's answer comes after its whole body, which the replay bounds. */
    private static final Duration TIMEOUT = Duration.ofMinutes(2);
    /** Pieces a stream holds while the connection is not ready for them. */
    private static final int STREAM_BUFFER = 64;
    private static final String CONTENT_TYPE = "Content-Type";

    private final ObjectMapper json = new ObjectMapper();
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final HttpClient http;
    private final URI api;
    private final String apiKey;

    /** @param listenUrl where this server's app listener is reachable on this machine */
    DemoBackend(URI listenUrl, String apiKey) {
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .executor(executor)
                .build();
        this.api = listenUrl.resolve("/v1/artifacts");
        this.apiKey = apiKey;
    }

    @Override
    public DemoReplay.Created create(ArtifactType type, String title, String content) throws DemoReplay.Refused, InterruptedException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", type.wireName());
        body.put("title", title);
        body.put("content", content);
        JsonNode created = send(post(api, body), 201);
        return new DemoReplay.Created(created.path("id").asText(), created.path("version").asInt());
    }

    @Override
    public int edit(String artifactId, int baseVersion, List<TextEdits.Edit> edits) throws DemoReplay.Refused, InterruptedException {
        List<Map<String, String>> wire = edits.stream().map(e -> Map.of("old", e.old(), "new", e.replacement())).toList();
        return send(post(artifact(artifactId, "/versions"), Map.of("edits", wire, "baseVersion", baseVersion)), 201)
                .path("number").asInt();
    }

    @Override
    public DemoReplay.Stream stream(String artifactId) throws DemoReplay.Refused, InterruptedException {
        SubmissionPublisher<ByteBuffer> pieces = new SubmissionPublisher<>(executor, STREAM_BUFFER);
        CompletableFuture<Void> subscribed = new CompletableFuture<>();
        HttpRequest request = request(artifact(artifactId, "/stream"))
                .header(CONTENT_TYPE, "text/plain; charset=utf-8")
                // No length: the client sends the body chunked, a chunk per piece, as the pieces come.
                .POST(HttpRequest.BodyPublishers.fromPublisher(subscriber -> {
                    pieces.subscribe(subscriber);
                    subscribed.complete(null);
                }))
                .build();
        CompletableFuture<HttpResponse<byte[]>> answer = http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray());
        PacedStream stream = new PacedStream(pieces, answer);
        try {
            // A piece submitted before the client subscribes would be lost; an answer first is a refusal.
            CompletableFuture.anyOf(subscribed, answer).get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            stream.refusedEarly();
            return stream;
        } catch (ExecutionException | TimeoutException e) {
            stream.close();
            throw unreachable(e);
        } catch (DemoReplay.Refused | InterruptedException | RuntimeException e) {
            stream.close();
            throw e;
        }
    }

    /** One stream's body: pieces go to the HTTP client's subscriber, the answer comes when it ends. */
    private final class PacedStream implements DemoReplay.Stream {
        private final SubmissionPublisher<ByteBuffer> pieces;
        private final CompletableFuture<HttpResponse<byte[]>> answer;
        private boolean finished;

        PacedStream(SubmissionPublisher<ByteBuffer> pieces, CompletableFuture<HttpResponse<byte[]>> answer) {
            this.pieces = pieces;
            this.answer = answer;
        }

        @Override
        public void send(String text) throws DemoReplay.Refused, InterruptedException {
            refusedEarly();
            ByteBuffer piece = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
            if (pieces.offer(piece, TIMEOUT.toMillis(), TimeUnit.MILLISECONDS, (subscriber, dropped) -> false) < 0) {
                if (Thread.interrupted()) {
                    throw new InterruptedException("the demo replay stopped while the stream was full");
                }
                refusedEarly();
                throw new DemoReplay.Refused("demo_backend_failed", "the stream took no text for " + TIMEOUT.toSeconds() + " s");
            }
        }

        @Override
        public int finish() throws DemoReplay.Refused, InterruptedException {
            finished = true;
            pieces.close();
            return answered(await(answer), 201).path("number").asInt();
        }

        /** Throws the server's refusal if it answered before the body ended (a 4xx in mid-body). */
        void refusedEarly() throws DemoReplay.Refused, InterruptedException {
            if (answer.isDone()) {
                answered(await(answer), 201);
                throw new DemoReplay.Refused("demo_backend_failed", "the stream was answered before its body ended");
            }
        }

        @Override
        public void close() {
            if (!finished) {
                // The client drops the connection; the server keeps the text so far as a partial.
                pieces.closeExceptionally(new IOException("the demo replay stopped"));
                answer.cancel(true);
            }
        }
    }

    @Override
    public void close() {
        http.shutdownNow();
        executor.shutdownNow();
    }

    private URI artifact(String artifactId, String path) {
        return URI.create(api + "/" + artifactId + path);
    }

    private HttpRequest.Builder request(URI uri) {
        return HttpRequest.newBuilder(uri).timeout(TIMEOUT).header("Authorization", "Bearer " + apiKey);
    }

    private HttpRequest post(URI uri, Object body) throws DemoReplay.Refused {
        try {
            return request(uri).header(CONTENT_TYPE, "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(body))).build();
        } catch (IOException e) {
            throw new IllegalStateException("cannot serialise a demo request", e);
        }
    }

    private JsonNode send(HttpRequest request, int expected) throws DemoReplay.Refused, InterruptedException {
        try {
            return answered(http.send(request, HttpResponse.BodyHandlers.ofByteArray()), expected);
        } catch (IOException e) {
            throw unreachable(e);
        }
    }

    private static HttpResponse<byte[]> await(CompletableFuture<HttpResponse<byte[]>> answer)
            throws DemoReplay.Refused, InterruptedException {
        try {
            return answer.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw unreachable(e);
        }
    }

    /** The answer's JSON if it has the expected status; otherwise the API's error as a refusal. */
    private JsonNode answered(HttpResponse<byte[]> response, int expected) throws DemoReplay.Refused {
        JsonNode body;
        try {
            body = response.body().length == 0 ? json.createObjectNode() : json.readTree(response.body());
        } catch (IOException e) {
            throw new DemoReplay.Refused("demo_backend_failed", "the API answered " + response.statusCode() + " without JSON");
        }
        if (response.statusCode() == expected) {
            return body;
        }
        JsonNode error = body.path("error");
        throw new DemoReplay.Refused(error.path("code").asText("http_" + response.statusCode()),
                error.path("message").asText("the API answered " + response.statusCode()));
    }

    private static DemoReplay.Refused unreachable(Exception e) {
        Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
        return new DemoReplay.Refused("demo_backend_failed", "the demo could not reach this server's API: "
                + cause.getClass().getSimpleName());
    }
}

package dev.vitrine.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The preview's calls to its own server's REST API, so a saved file goes through the same
 * checks, events and audit trail as a chat backend's content. A save after the first is sent
 * as a one-piece {@code POST /v1/artifacts/{id}/stream}, not as {@code POST …/versions}: both
 * store the next version and emit {@code version}, but only a stream tells the artifact's
 * subscribers (the chat page) when the text does not compile, with a final {@code error}
 * event, while the last good version stays on screen.
 */
final class PreviewClient {
    /** What the server made of some content. */
    sealed interface Outcome {
    }

    record Stored(String artifactId, int version) implements Outcome {
    }

    /** The server refused the content; {@code line} and {@code column} are 0 when it names no place. */
    record Refused(String code, String message, int line, int column) implements Outcome {
        /** {@code dashboard.tsx:12:5 compile_error: Unexpected token}, the way compilers name a place. */
        String describe(String fileName) {
            return fileName + (line > 0 ? ":" + line + ":" + column : "") + " " + code + ": " + message;
        }
    }

    /** How the renderer names a place in the source in a message ({@code SourcePosition.toString()}). */
    private static final Pattern POSITION = Pattern.compile(" \\(line (\\d+), column (\\d+)\\)");
    /** What a refused stream adds to the message when it kept the text; every broken save is kept, so it is noise here. */
    private static final String PARTIAL_NOTE = "; the text received is kept as partial ";
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ObjectMapper json = new ObjectMapper();
    private final URI api;
    private final String apiKey;

    /** @param listenUrl where the app listener is reachable on this machine */
    PreviewClient(URI listenUrl, String apiKey) {
        this.api = listenUrl.resolve("/v1/artifacts");
        this.apiKey = apiKey;
    }

    Outcome create(String type, String title, String content) throws IOException, InterruptedException {
        Map<String, String> body = new LinkedHashMap<>();
        body.put("type", type);
        body.put("title", title);
        body.put("content", content);
        HttpRequest request = request(api)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(body)))
                .build();
        return outcome(request, answer -> new Stored(answer.path("id").asText(), answer.path("version").asInt()));
    }

    Outcome publish(String artifactId, String content) throws IOException, InterruptedException {
        HttpRequest request = request(URI.create(api + "/" + artifactId + "/stream"))
                .header("Content-Type", "text/plain; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofString(content, StandardCharsets.UTF_8))
                .build();
        return outcome(request, answer -> new Stored(artifactId, answer.path("number").asInt()));
    }

    private HttpRequest.Builder request(URI uri) {
        return HttpRequest.newBuilder(uri).timeout(TIMEOUT).header("Authorization", "Bearer " + apiKey);
    }

    private Outcome outcome(HttpRequest request, java.util.function.Function<JsonNode, Stored> stored)
            throws IOException, InterruptedException {
        HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        JsonNode answer = response.body().length == 0 ? json.createObjectNode() : json.readTree(response.body());
        if (response.statusCode() == 201) {
            return stored.apply(answer);
        }
        JsonNode error = answer.path("error");
        return refused(error.path("code").asText("http_" + response.statusCode()),
                error.path("message").asText("the server answered " + response.statusCode()));
    }

    static Refused refused(String code, String message) {
        int note = message.indexOf(PARTIAL_NOTE);
        String text = note < 0 ? message : message.substring(0, note);
        Matcher at = POSITION.matcher(text);
        if (at.find()) {
            return new Refused(code, text.substring(0, at.start()) + text.substring(at.end()),
                    Integer.parseInt(at.group(1)), Integer.parseInt(at.group(2)));
        }
        return new Refused(code, text, 0, 0);
    }
}

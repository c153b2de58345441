package dev.vitrine.browser;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.stream.IntStream;

/** What a chat backend does: calls the REST API with the API key. */
final class VitrineClient {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newHttpClient();
    private final URI appOrigin;
    private final String apiKey;

    VitrineClient(URI appOrigin, String apiKey) {
        this.appOrigin = appOrigin;
        this.apiKey = apiKey;
    }

    /** A status and a JSON body, e.g. {@code 400 {"error": {"code": "unknown_import", ...}}}. */
    record Answer(int status, JsonNode body) {
    }

    /** Creates an artifact and returns the API's answer. */
    JsonNode create(String type, String title, String content) {
        return send("POST", "/v1/artifacts", Map.of("type", type, "title", title, "content", content), 201);
    }

    /** Asks to create an artifact and returns whatever the API answers, a refusal included. */
    Answer tryCreate(String type, String title, String content) {
        return exchange("POST", appOrigin.resolve("/v1/artifacts"), "Bearer " + apiKey,
                Map.of("type", type, "title", title, "content", content));
    }

    /** Mints a viewer's storage capability: {@code {token, storageUrl, frameUrl, ...}}. */
    JsonNode addViewer(String id, String viewer) {
        return send("POST", "/v1/artifacts/" + id + "/viewers", Map.of("viewer", viewer), 201);
    }

    /** One storage call with a viewer's capability, as the embed SDK makes it. */
    JsonNode viewerStorage(JsonNode viewerAccess, Map<String, Object> call) {
        Answer answer = exchange("POST", URI.create(viewerAccess.get("storageUrl").asText()),
                "Bearer " + viewerAccess.get("token").asText(), call);
        if (answer.status() != 200) {
            throw new AssertionError("storage call " + call.get("op") + " answered " + answer.status() + ": " + answer.body());
        }
        return answer.body();
    }

    JsonNode addVersion(String id, String content) {
        return send("POST", "/v1/artifacts/" + id + "/versions", Map.of("content", content), 201);
    }

    /** Adds the next version as edits to {@code baseVersion}, given as old, new, old, new, …; applied in order. */
    JsonNode addVersionByEdits(String id, int baseVersion, String... oldThenNew) {
        var edits = IntStream.range(0, oldThenNew.length / 2)
                .mapToObj(i -> Map.of("old", oldThenNew[2 * i], "new", oldThenNew[2 * i + 1])).toList();
        return send("POST", "/v1/artifacts/" + id + "/versions", Map.of("edits", edits, "baseVersion", baseVersion), 201);
    }

    /** {@code GET} from the API, which must answer 200. */
    JsonNode get(String path) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(appOrigin.resolve(path))
                    .header("Authorization", "Bearer " + apiKey).GET().build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new AssertionError("GET " + path + " answered " + response.statusCode() + ": " + response.body());
            }
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private JsonNode send(String method, String path, Object body, int expectedStatus) {
        Answer answer = exchange(method, appOrigin.resolve(path), "Bearer " + apiKey, body);
        if (answer.status() != expectedStatus) {
            throw new AssertionError(method + " " + path + " answered " + answer.status() + ": " + answer.body());
        }
        return answer.body();
    }

    private Answer exchange(String method, URI uri, String authorization, Object body) {
        try {
            HttpRequest request = HttpRequest.newBuilder(uri)
                    .header("Authorization", authorization)
                    .header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)))
                    .build();
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            JsonNode json = response.body().isEmpty() ? JSON.nullNode() : JSON.readTree(response.body());
            return new Answer(response.statusCode(), json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}

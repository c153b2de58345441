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

    /** Creates an artifact and returns the API's answer. */
    JsonNode create(String type, String title, String content) {
        return send("POST", "/v1/artifacts", Map.of("type", type, "title", title, "content", content), 201);
    }

    JsonNode addVersion(String id, String content) {
        return send("POST", "/v1/artifacts/" + id + "/versions", Map.of("content", content), 201);
    }

    private JsonNode send(String method, String path, Object body, int expectedStatus) {
        try {
            HttpRequest request = HttpRequest.newBuilder(appOrigin.resolve(path))
                    .header("Authorization", "Bearer " + apiKey)
                    .header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)))
                    .build();
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != expectedStatus) {
                throw new AssertionError(method + " " + path + " answered " + response.statusCode() + ": " + response.body());
            }
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}

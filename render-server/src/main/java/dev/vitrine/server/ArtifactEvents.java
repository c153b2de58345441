package dev.vitrine.server;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.vitrine.frame.InvalidArtifactException;
import dev.vitrine.frame.SourcePosition;
import dev.vitrine.storage.ArtifactId;
import dev.vitrine.storage.ArtifactType;
import java.nio.charset.StandardCharsets;

/**
 * The events of {@code GET /v1/artifacts/{id}/events}: their names, their JSON shapes, and the
 * one place that publishes them to the {@link EventHub}. A streamed version's events are
 * {@code start}, then {@code chunk}s with {@code compiled} or {@code error} (not final) as its
 * text grows, then exactly one of {@code version} or a final {@code error}. Storage writes are
 * {@code storage} events, with key and size but never the value; deleting the artifact is
 * {@code deleted}, its last event.
 *
 * <pre>{@code
 * events.start(id, 3, ArtifactType.REACT, "text");
 * events.chunk(id, 3, 0, "export default function App() {");
 * events.version(id, 3, sha256, length, frameUrl);
 * }</pre>
 */
final class ArtifactEvents {
    static final String SUBSCRIBED = "subscribed";
    static final String RESET = "reset";
    static final String START = "start";
    static final String CHUNK = "chunk";
    static final String COMPILED = "compiled";
    static final String ERROR = "error";
    static final String VERSION = "version";
    static final String STORAGE = "storage";
    static final String DELETED = "deleted";

    record Subscribed(String artifactId, boolean resumed) {
    }

    /** @param reason {@code events_dropped} (older than the buffer) or {@code unknown_event_id} */
    record Reset(String artifactId, String reason) {
    }

    /**
     * @param version      the number the streamed version will get if nothing else adds one first
     * @param afterVersion the latest complete version when the stream began
     */
    record Start(int version, int afterVersion, String type, String format) {
    }

    /** @param offset UTF-16 code units (JavaScript string length) of the stream's text before this chunk */
    record Chunk(int version, int offset, String text) {
    }

    /** @param length the first {@code length} UTF-16 code units of the stream's text compiled (or checked) cleanly */
    record Compiled(int version, int length) {
    }

    /**
     * The data of an {@code error} event. Not {@code final}: the text so far (its first {@code length} code
     * units) does not compile, which is normal mid-stream. {@code final}: the stream ended
     * without a version; {@code partial} names the partial record its text was kept as.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Problem(int version, String code, String message, Integer line, Integer column, Integer length,
                 @JsonProperty("final") boolean terminal, Integer partial) {
    }

    record Version(int version, String sha256, int length, String frameUrl) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Storage(String op, boolean shared, String viewer, String key, Long bytes) {
    }

    record Deleted(String artifactId) {
    }

    private final EventHub hub;
    private final JsonCodec json;

    ArtifactEvents(EventHub hub, JsonCodec json) {
        this.hub = hub;
        this.json = json;
    }

    EventHub hub() {
        return hub;
    }

    String data(Object shape) {
        return new String(json.write(shape), StandardCharsets.UTF_8);
    }

    void start(ArtifactId artifact, int version, ArtifactType type, String format) {
        hub.publish(artifact, START, data(new Start(version, version - 1, type.wireName(), format)), EventHub.Mark.STREAM_START);
    }

    void chunk(ArtifactId artifact, int version, int offset, String text) {
        hub.publish(artifact, CHUNK, data(new Chunk(version, offset, text)), EventHub.Mark.NONE);
    }

    void compiled(ArtifactId artifact, int version, int length) {
        hub.publish(artifact, COMPILED, data(new Compiled(version, length)), EventHub.Mark.NONE);
    }

    void compileError(ArtifactId artifact, int version, int length, InvalidArtifactException error) {
        SourcePosition at = error.position().orElse(null);
        hub.publish(artifact, ERROR, data(new Problem(version, error.code(), error.getMessage(),
                at == null ? null : at.line(), at == null ? null : at.column(), length, false, null)), EventHub.Mark.NONE);
    }

    /** The stream ended without a version; {@code partial} is the partial record's number, if one was kept. */
    void failed(ArtifactId artifact, int version, String code, String message, SourcePosition at, Integer partial) {
        hub.publish(artifact, ERROR, data(new Problem(version, code, message, at == null ? null : at.line(),
                at == null ? null : at.column(), null, true, partial)), EventHub.Mark.STREAM_END);
    }

    void version(ArtifactId artifact, int version, String sha256, int length, String frameUrl, boolean endsStream) {
        hub.publish(artifact, VERSION, data(new Version(version, sha256, length, frameUrl)),
                endsStream ? EventHub.Mark.STREAM_END : EventHub.Mark.NONE);
    }

    /** A storage write completed: a set ({@code bytes} is key plus value in UTF-8) or a delete that removed a key. */
    void storage(ArtifactId artifact, String op, boolean shared, String viewer, String key, Long bytes) {
        hub.publish(artifact, STORAGE, data(new Storage(op, shared, shared ? null : viewer, key, bytes)), EventHub.Mark.NONE);
    }

    /** The artifact was deleted: nothing more will come, and its frame URLs answer 404. */
    void deleted(ArtifactId artifact) {
        hub.publish(artifact, DELETED, data(new Deleted(artifact.value())), EventHub.Mark.NONE);
    }
}

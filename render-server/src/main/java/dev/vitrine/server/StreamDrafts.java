package dev.vitrine.server;

import dev.vitrine.storage.ArtifactId;
import dev.vitrine.storage.ArtifactType;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The streams this node is reading, by artifact, so the sandbox origin can render the text
 * received so far ({@code /f/{id}/live/{version}}). A stream is listed from its start until it
 * stops reading; then its version, if it becomes one, is served like any other.
 */
final class StreamDrafts {
    /** One stream's draft: the version it will become and its text so far. */
    record Draft(ArtifactType type, int version, Supplier<String> text) {
    }

    private final ConcurrentHashMap<ArtifactId, Draft> drafts = new ConcurrentHashMap<>();

    void open(ArtifactId artifact, Draft draft) {
        drafts.put(artifact, draft);
    }

    void close(ArtifactId artifact, int version) {
        drafts.computeIfPresent(artifact, (id, draft) -> draft.version() == version ? null : draft);
    }

    Optional<Draft> find(ArtifactId artifact, int version) {
        return Optional.ofNullable(drafts.get(artifact)).filter(draft -> draft.version() == version);
    }
}

package dev.vitrine.storage;

import java.util.List;
import java.util.Optional;

/**
 * Each artifact's {@link PartialVersion}s: streamed text that did not become a version.
 *
 * <p>Partials live in a table of their own rather than as flagged rows among the versions.
 * Versions are numbered without gaps, immutable, and the newest one is what the artifact
 * serves; a partial row in the same numbering would either take the next number (and a later
 * complete version would have to skip it) or need every version query to filter it out,
 * and a frame URL could then name text that was never complete. Apart, no reader of
 * versions can see a partial by mistake, and a partial never costs a version number.
 *
 * <p>Recording a partial also appends a {@code rejected} event with the same code and message
 * to the artifact's {@link AuditLog} trail, in the same transaction. Only the newest
 * {@value #KEPT_PER_ARTIFACT} partials of an artifact are kept: they are for looking at what went
 * wrong, not a history. They are deleted with their artifact. Implementations are
 * thread-safe and safe for many processes on one database, like the other stores.
 *
 * <pre>{@code
 * PartialVersionStore partials = storage.partials();
 * partials.add(id, "<h1>Hel", AuditDetail.Rejected.truncating("stream_disconnected", "the client went away"));
 * partials.list(id).getFirst().content(); // "<h1>Hel"
 * }</pre>
 */
public interface PartialVersionStore {

    /** How many partials an artifact keeps; recording one more deletes the oldest. */
    int KEPT_PER_ARTIFACT = 10;

    /**
     * Records {@code content} as the artifact's next partial, with a {@code rejected} audit event
     * carrying {@code reason}, in one transaction, and deletes partials beyond the newest
     * {@value #KEPT_PER_ARTIFACT}. The artifact and its versions do not change.
     *
     * @throws NoSuchArtifactException  if no artifact has this id
     * @throws IllegalArgumentException if an argument is null or {@code content} contains U+0000
     */
    PartialVersion add(ArtifactId artifact, String content, AuditDetail.Rejected reason);

    /** Returns the artifact's kept partials, newest first; empty if it has none or does not exist. */
    List<PartialVersion> list(ArtifactId artifact);

    /**
     * Returns one partial, or empty if the artifact has no such partial (any more).
     *
     * @throws IllegalArgumentException if {@code number} is less than 1
     */
    Optional<PartialVersion> find(ArtifactId artifact, int number);
}

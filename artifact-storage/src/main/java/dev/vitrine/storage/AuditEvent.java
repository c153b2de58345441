package dev.vitrine.storage;

import java.time.Instant;
import java.util.OptionalInt;

/**
 * One entry of an artifact's append-only audit trail ({@link AuditLog}): created, a version
 * added, content rejected, a storage write, a CSP violation, deleted. Events that record a
 * change (everything but violations and rejections) are written in the same transaction as the
 * change itself, so such an event exists exactly when its change happened. The trail outlives
 * the artifact until retention removes it ({@link AuditLog#prune}).
 *
 * <pre>{@code
 * for (AuditEvent event : storage.audit().events(artifactId, 0, 20)) {
 *     log.info("#{} {} v{} at {}", event.sequence(), event.detail().type(),
 *             event.version().orElse(0), event.at());
 * }
 * }</pre>
 *
 * @param sequence increases with every event of the deployment and is never reused; later
 *                 events have larger numbers
 * @param artifact the artifact the event is about (it may since have been deleted)
 * @param version  the artifact version concerned: the one created, added, deleted at, whose
 *                 code made a storage write or whose document was reported; empty for a
 *                 rejection, which made no version
 * @param at       when it was recorded, to the millisecond
 * @param detail   what happened
 */
public record AuditEvent(long sequence, ArtifactId artifact, OptionalInt version, Instant at, AuditDetail detail) {

    /** @throws IllegalArgumentException if a field is null or out of range */
    public AuditEvent {
        if (sequence < 1) {
            throw new IllegalArgumentException("sequence must be 1 or more; was " + sequence);
        }
        requireNonNull(artifact, "artifact");
        requireNonNull(version, "version");
        if (version.isPresent() && version.getAsInt() < 1) {
            throw new IllegalArgumentException("version must be 1 or more; was " + version.getAsInt());
        }
        requireNonNull(at, "at");
        requireNonNull(detail, "detail");
    }

    private static void requireNonNull(Object value, String field) {
        if (value == null) {
            throw new IllegalArgumentException(field + " must not be null");
        }
    }
}

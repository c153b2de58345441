package dev.vitrine.storage;

import java.time.Instant;
import java.util.Optional;

/**
 * One change to an artifact's storage, recorded in the same transaction as the change itself:
 * an event exists exactly when its write happened. Values are not recorded, only their size,
 * so the trail never holds a copy of what a viewer stored.
 *
 * <pre>{@code
 * for (AuditEvent event : values.audit(artifactId, 20)) {
 *     log.info("{} {} {} bytes by {} (v{})", event.action(), event.key(), event.bytes(),
 *             event.viewer().map(ViewerId::value).orElse("-"), event.artifactVersion());
 * }
 * }</pre>
 *
 * @param sequence        increases with every event of the deployment and is never reused;
 *                        later events have larger numbers
 * @param artifact        the artifact whose storage changed
 * @param artifactVersion the artifact version whose code made the change
 * @param viewer          the viewer whose frame made the change
 * @param shared          true if the shared scope changed, false if the viewer's personal one
 * @param action          {@value #SET} or {@value #DELETE}
 * @param key             the key written or deleted
 * @param bytes           for {@code set}, the entry's size now (UTF-8 bytes of key plus value);
 *                        for {@code delete}, the size the deleted entry freed
 * @param at              when the change was made, to the millisecond
 */
public record AuditEvent(
        long sequence,
        ArtifactId artifact,
        int artifactVersion,
        Optional<ViewerId> viewer,
        boolean shared,
        String action,
        String key,
        long bytes,
        Instant at) {

    /** The action of a {@code window.storage.set}. */
    public static final String SET = "set";
    /** The action of a {@code window.storage.delete} that removed a key. */
    public static final String DELETE = "delete";

    /** @throws IllegalArgumentException if a field is null or out of range */
    public AuditEvent {
        if (sequence < 1) {
            throw new IllegalArgumentException("sequence must be 1 or more; was " + sequence);
        }
        requireNonNull(artifact, "artifact");
        if (artifactVersion < 1) {
            throw new IllegalArgumentException("artifactVersion must be 1 or more; was " + artifactVersion);
        }
        requireNonNull(viewer, "viewer");
        if (!SET.equals(action) && !DELETE.equals(action)) {
            throw new IllegalArgumentException("action must be \"" + SET + "\" or \"" + DELETE + "\"; was "
                    + UntrustedText.quote(action));
        }
        requireNonNull(key, "key");
        if (bytes < 0) {
            throw new IllegalArgumentException("bytes must be 0 or more; was " + bytes);
        }
        requireNonNull(at, "at");
    }

    private static void requireNonNull(Object value, String field) {
        if (value == null) {
            throw new IllegalArgumentException(field + " must not be null");
        }
    }
}

package dev.vitrine.storage;

import java.util.Objects;

/**
 * An operation that needs an existing artifact was given an id that names none, or names one
 * deleted meanwhile. Separate from {@link StorageException} because it is the caller's
 * problem (a 404), not the database's (a 500).
 *
 * <pre>{@code
 * try {
 *     store.appendVersion(id, content);
 * } catch (NoSuchArtifactException e) {
 *     return notFound(e.id());
 * }
 * }</pre>
 */
public class NoSuchArtifactException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final ArtifactId id;

    public NoSuchArtifactException(ArtifactId id) {
        super("no artifact " + Objects.requireNonNull(id, "id must not be null"));
        this.id = id;
    }

    /** The id that named no artifact. */
    public ArtifactId id() {
        return id;
    }
}

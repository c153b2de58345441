package dev.vitrine.storage;

import java.util.Objects;

/**
 * A version was to be appended on top of a version that is no longer the latest: another
 * writer appended first. Nothing was stored. It is the caller's problem to resolve (a 409:
 * read the new latest version and redo the change on it), not the database's.
 *
 * <pre>{@code
 * ArtifactVersion base = store.latestVersion(id).orElseThrow();
 * try {
 *     store.appendVersion(id, edit(base.content()), base.number());
 * } catch (VersionConflictException e) {
 *     // e.expected() == base.number(), e.actual() is what another writer made the latest
 * }
 * }</pre>
 */
public class VersionConflictException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final ArtifactId id;
    private final int expected;
    private final int actual;

    /**
     * @param expected the version the caller expected to be the latest
     * @param actual   the latest version when the append was refused
     */
    public VersionConflictException(ArtifactId id, int expected, int actual) {
        super("artifact " + Objects.requireNonNull(id, "id must not be null") + " is at version " + actual
                + ", not at version " + expected);
        this.id = id;
        this.expected = expected;
        this.actual = actual;
    }

    /** The artifact that was to get the version. */
    public ArtifactId id() {
        return id;
    }

    /** The version the caller expected to be the latest. */
    public int expected() {
        return expected;
    }

    /** The latest version when the append was refused. */
    public int actual() {
        return actual;
    }
}

package dev.vitrine.storage;

import java.util.Optional;

/**
 * Whose data a {@link KeyValueStore} call reads or writes: one viewer's personal data on one
 * artifact ({@code window.storage.get(key)}), or the data all viewers of the artifact share
 * ({@code window.storage.get(key, true)}). Scopes never see each other's keys, and each has its
 * own quota.
 *
 * <pre>{@code
 * StorageScope mine = StorageScope.personal(artifactId, new ViewerId("alice"));
 * StorageScope everyone = StorageScope.shared(artifactId);
 * everyone.shared(); // true
 * }</pre>
 *
 * @param artifact the artifact the data belongs to
 * @param viewer   the viewer whose personal data this is, or empty for the shared scope
 */
public record StorageScope(ArtifactId artifact, Optional<ViewerId> viewer) {

    /** @throws IllegalArgumentException if a field is null */
    public StorageScope {
        if (artifact == null) {
            throw new IllegalArgumentException("artifact must not be null");
        }
        if (viewer == null) {
            throw new IllegalArgumentException(
                    "viewer must not be null; use Optional.empty() (or StorageScope.shared) for the shared scope");
        }
    }

    /** One viewer's own data on one artifact. */
    public static StorageScope personal(ArtifactId artifact, ViewerId viewer) {
        if (viewer == null) {
            throw new IllegalArgumentException("viewer must not be null for a personal scope");
        }
        return new StorageScope(artifact, Optional.of(viewer));
    }

    /** The data every viewer of the artifact reads and writes. */
    public static StorageScope shared(ArtifactId artifact) {
        return new StorageScope(artifact, Optional.empty());
    }

    /** True for the artifact's shared scope, false for a viewer's personal one. */
    public boolean shared() {
        return viewer.isEmpty();
    }

    /**
     * The {@code scope_owner} column: the viewer id, or {@code ""} for the shared scope, which no
     * viewer id can equal because viewer ids are never empty.
     */
    String owner() {
        return viewer.map(ViewerId::value).orElse("");
    }

    @Override
    public String toString() {
        return viewer.map(id -> "personal scope of viewer " + id).orElse("shared scope") + " of artifact " + artifact;
    }
}

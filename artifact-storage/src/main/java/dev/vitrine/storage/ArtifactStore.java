package dev.vitrine.storage;

import java.util.List;
import java.util.Optional;

/**
 * Stores artifacts and their numbered, immutable versions. Implementations are thread-safe and
 * every method is one database transaction: a failure leaves nothing half-written.
 *
 * <p>Storage failures surface as {@link StorageException}; invalid arguments as
 * {@link IllegalArgumentException}; a missing artifact, where one is required, as
 * {@link NoSuchArtifactException}.
 *
 * <pre>{@code
 * try (ArtifactStore store = ArtifactStores.open(settings, Clock.systemUTC(), new SecureRandom())) {
 *     Artifact page = store.create(ArtifactType.HTML, "Greeting", "<h1>Hello</h1>");
 *     ArtifactVersion v2 = store.appendVersion(page.id(), "<h1>Hello, world</h1>");
 *     store.latestVersion(page.id()).orElseThrow().number(); // 2
 *     store.delete(page.id());                               // true
 * }
 * }</pre>
 */
public interface ArtifactStore extends AutoCloseable {

    /**
     * Stores a new artifact with {@code content} as its version 1, and a {@code created} audit
     * event, in one transaction.
     * Text must not contain U+0000: PostgreSQL cannot store it in text columns, and both
     * backends must accept the same input.
     *
     * @return the new artifact, equal to what {@link #find} returns for it afterwards
     * @throws IllegalArgumentException if an argument is null or contains U+0000
     */
    Artifact create(ArtifactType type, String title, String content);

    /** Returns the artifact, or empty if none has this id. */
    Optional<Artifact> find(ArtifactId id);

    /**
     * Returns up to {@code limit} artifacts, most recently updated first; artifacts updated in
     * the same millisecond are ordered by id, descending, so pages are stable.
     *
     * @throws IllegalArgumentException if {@code limit} is less than 1
     */
    List<Artifact> list(int limit);

    /**
     * Returns one version, or empty if the artifact or that version does not exist.
     *
     * @throws IllegalArgumentException if {@code number} is less than 1
     */
    Optional<ArtifactVersion> version(ArtifactId id, int number);

    /** Returns the newest version, or empty if the artifact does not exist. */
    Optional<ArtifactVersion> latestVersion(ArtifactId id);

    /**
     * Stores {@code content} as the next version, moves the artifact's {@code updatedAt} and
     * {@code latestVersion} to it and appends a {@code version} audit event, in one transaction. Concurrent appenders to one artifact each get their own
     * number, with no gaps and no duplicates.
     *
     * @throws NoSuchArtifactException  if no artifact has this id
     * @throws IllegalArgumentException if {@code content} is null or contains U+0000
     */
    ArtifactVersion appendVersion(ArtifactId id, String content);

    /**
     * Like {@link #appendVersion(ArtifactId, String)}, but only if version {@code expectedLatest}
     * is still the latest when the transaction runs: a compare-and-set on the version number.
     * For content derived from a version (edits applied to it), so that two writers editing
     * the same version cannot both succeed and the second silently drop the first one's change:
     * exactly one of them gets {@code expectedLatest + 1}, the other a conflict.
     *
     * @return the new version, numbered {@code expectedLatest + 1}
     * @throws VersionConflictException if the latest version is not {@code expectedLatest};
     *                                  nothing was stored
     * @throws NoSuchArtifactException  if no artifact has this id
     * @throws IllegalArgumentException if {@code content} is null or contains U+0000, or
     *                                  {@code expectedLatest} is less than 1
     */
    ArtifactVersion appendVersion(ArtifactId id, String content, int expectedLatest);

    /**
     * Deletes the artifact with all of its versions and all of its {@link KeyValueStore}
     * storage (every scope's entries and usage) in one transaction. Its {@link AuditLog} trail
     * stays, ending with a {@code deleted} event written in the same transaction, until
     * retention prunes it.
     *
     * @return true if it existed, false if there was nothing to delete
     */
    boolean delete(ArtifactId id);

    /** Releases the connection pool. Further calls fail with {@link StorageException}. */
    @Override
    void close();
}

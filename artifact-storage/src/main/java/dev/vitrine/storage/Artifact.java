package dev.vitrine.storage;

import java.time.Instant;

/**
 * An artifact's metadata. Its content lives in its versions; {@link #latestVersion()} says which
 * one is current, so callers can fetch it with {@link ArtifactStore#version}.
 *
 * <pre>{@code
 * Artifact artifact = store.find(id).orElseThrow();
 * ArtifactVersion current = store.version(artifact.id(), artifact.latestVersion()).orElseThrow();
 * }</pre>
 *
 * @param id            the artifact's id
 * @param type          what kind of document the versions hold
 * @param title         a human-readable title, shown next to the frame
 * @param createdAt     when version 1 was stored, to the millisecond
 * @param updatedAt     when the latest version was stored, to the millisecond
 * @param latestVersion the number of the newest version, 1 or more
 */
public record Artifact(
        ArtifactId id,
        ArtifactType type,
        String title,
        Instant createdAt,
        Instant updatedAt,
        int latestVersion) {

    /** @throws IllegalArgumentException if a field is null or out of range */
    public Artifact {
        requireNonNull(id, "id");
        requireNonNull(type, "type");
        requireNonNull(title, "title");
        requireNonNull(createdAt, "createdAt");
        requireNonNull(updatedAt, "updatedAt");
        if (latestVersion < 1) {
            throw new IllegalArgumentException(
                    "latestVersion must be 1 or more; was " + latestVersion + " for artifact " + id);
        }
    }

    private static void requireNonNull(Object value, String field) {
        if (value == null) {
            throw new IllegalArgumentException(field + " must not be null");
        }
    }
}

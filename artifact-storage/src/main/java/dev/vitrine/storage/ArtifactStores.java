package dev.vitrine.storage;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.Objects;

/**
 * Opens an {@link ArtifactStore} alone, for callers that need no key-value storage or secrets.
 * It is {@link Storage#open} with the default limits, handing back only
 * {@link Storage#artifacts()}; closing the store closes everything it opened.
 *
 * <pre>{@code
 * try (ArtifactStore store = ArtifactStores.open(
 *         StorageSettings.embedded(Path.of("data")), Clock.systemUTC(), new SecureRandom())) {
 *     store.create(ArtifactType.MARKDOWN, "Notes", "# Hello");
 * }
 * }</pre>
 */
public final class ArtifactStores {

    /** File name of the embedded database inside {@link StorageSettings#dataDirectory()}. */
    public static final String SQLITE_FILE_NAME = "vitrine.db";

    private ArtifactStores() {
    }

    /**
     * Opens a store: embedded SQLite at {@code <dataDirectory>/vitrine.db} when
     * {@code settings.jdbcUrl()} is empty (creating the directory if missing), otherwise
     * PostgreSQL. Missing schema migrations are applied before this returns.
     *
     * @param clock  source of the created/updated timestamps
     * @param random source of artifact ids
     * @throws StorageException if the database cannot be opened or migrated
     */
    public static ArtifactStore open(StorageSettings settings, Clock clock, SecureRandom random) {
        Objects.requireNonNull(settings, "settings must not be null");
        Objects.requireNonNull(clock, "clock must not be null");
        Objects.requireNonNull(random, "random must not be null");
        return Storage.open(settings, StorageLimits.defaults(), clock, random).artifacts();
    }
}

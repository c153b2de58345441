package dev.vitrine.storage;

import java.util.List;
import java.util.Optional;

/**
 * Each artifact's persistent {@code window.storage}: text values under text keys, in a shared
 * scope all viewers of the artifact use and one personal scope per viewer. Compatible with
 * Claude's artifact storage: the same key rules ({@link StorageKeys}) and, by default, the same
 * limits ({@link StorageLimits#defaults()}).
 *
 * <p>Implementations are thread-safe, and safe for several processes on one database: limits
 * hold however many writers there are, because every write checks and updates its scope's
 * usage in the same transaction, one writer per scope at a time. A refused write changes
 * nothing. Reads see every write committed before they started, whichever process made it.
 *
 * <p>Refusals because of the input surface as {@link StorageRejectedException} (with a code
 * safe to show the artifact); null arguments as {@link IllegalArgumentException}; database
 * failures as {@link StorageException}.
 *
 * <pre>{@code
 * try (Storage storage = Storage.open(settings, StorageLimits.defaults(), Clock.systemUTC(), new SecureRandom())) {
 *     KeyValueStore values = storage.values();
 *     Artifact game = storage.artifacts().create(ArtifactType.HTML, "Game", html);
 *     ViewerId alice = new ViewerId("alice");
 *     StorageScope mine = StorageScope.personal(game.id(), alice);
 *     values.set(mine, "best-score", "42", new Writer(alice, 1));
 *     values.get(mine, "best-score");                         // Optional[42]
 *     values.keys(mine, "best");                              // [best-score]
 *     values.get(StorageScope.shared(game.id()), "best-score"); // Optional.empty: another scope
 * }
 * }</pre>
 */
public interface KeyValueStore {

    /**
     * Returns the value stored under {@code key} in {@code scope}, or empty if there is none
     * (also when the artifact does not exist).
     *
     * @throws StorageRejectedException with code {@code invalid_key} if the key breaks a key rule
     */
    Optional<String> get(StorageScope scope, String key);

    /**
     * Stores {@code value} under {@code key}, replacing what was there, and appends a
     * {@code storage_write} event to the artifact's {@link AuditLog}, in one transaction. The write is checked against the limits together
     * with everything else in the scope at that moment: replacing a key counts only the
     * difference in size, and a write that does not make the scope larger is always accepted
     * (so a scope over a lowered limit can still shrink).
     *
     * @param writer who writes; for a personal scope, its viewer
     * @throws StorageRejectedException with code {@code invalid_key}, {@code invalid_value}
     *         (U+0000 or a lone surrogate), {@code value_too_large}, {@code quota_exceeded} or
     *         {@code too_many_keys}; nothing was changed
     * @throws NoSuchArtifactException  if the scope's artifact does not exist
     * @throws IllegalArgumentException if an argument is null, or the writer is not the viewer
     *         whose personal scope this is
     */
    void set(StorageScope scope, String key, String value, Writer writer);

    /**
     * Deletes {@code key} from {@code scope}, freeing its bytes, and appends a
     * {@code storage_write} event to the artifact's {@link AuditLog} if there was something to delete.
     *
     * @return true if the key existed
     * @throws StorageRejectedException with code {@code invalid_key} if the key breaks a key rule
     * @throws IllegalArgumentException if an argument is null, or the writer is not the viewer
     *         whose personal scope this is
     */
    boolean delete(StorageScope scope, String key, Writer writer);

    /**
     * Returns the keys of {@code scope} that start with {@code prefix} ({@code ""} for all), in
     * UTF-8 byte order, which is also code point order.
     *
     * @throws StorageRejectedException with code {@code invalid_key} if the prefix breaks a key rule
     */
    List<String> keys(StorageScope scope, String prefix);

    /**
     * Returns what each scope of the artifact holds, read in one consistent snapshot.
     *
     * @throws NoSuchArtifactException if the artifact does not exist
     */
    ArtifactUsage usage(ArtifactId artifact);
}

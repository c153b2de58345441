package dev.vitrine.storage;

import java.util.List;
import java.util.Optional;

/**
 * What one storage scope holds, counted as its quota counts: {@link #bytes()} is the sum of
 * the UTF-8 bytes of every key and value.
 *
 * <pre>{@code
 * for (ScopeUsage scope : values.usage(artifactId).scopes()) {
 *     String owner = scope.viewer().map(ViewerId::value).orElse("(shared)");
 *     System.out.println(owner + ": " + scope.keys() + " keys, " + scope.bytes() + " bytes");
 * }
 * }</pre>
 *
 * @param viewer   the viewer whose personal scope this is, or empty for the shared scope
 * @param bytes    key plus value bytes of all entries
 * @param keys     how many keys the scope holds
 * @param keyNames the keys, in UTF-8 byte order (as {@link KeyValueStore#keys} lists them)
 */
public record ScopeUsage(Optional<ViewerId> viewer, long bytes, int keys, List<String> keyNames) {

    /** @throws IllegalArgumentException if a field is null or negative */
    public ScopeUsage {
        if (viewer == null) {
            throw new IllegalArgumentException("viewer must not be null; use Optional.empty() for the shared scope");
        }
        if (bytes < 0) {
            throw new IllegalArgumentException("bytes must be 0 or more; was " + bytes);
        }
        if (keys < 0) {
            throw new IllegalArgumentException("keys must be 0 or more; was " + keys);
        }
        if (keyNames == null) {
            throw new IllegalArgumentException("keyNames must not be null");
        }
        keyNames = List.copyOf(keyNames);
    }

    /** True for the artifact's shared scope. */
    public boolean shared() {
        return viewer.isEmpty();
    }
}

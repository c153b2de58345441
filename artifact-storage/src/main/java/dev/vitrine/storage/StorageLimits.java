package dev.vitrine.storage;

/**
 * How much one artifact's {@code window.storage} may hold. Sizes are UTF-8 bytes, the unit a
 * database stores and a network carries, not UTF-16 characters. A scope (the shared data, or
 * one viewer's personal data) uses the sum, over its entries, of key bytes plus value bytes;
 * counting keys stops an artifact from filling a scope with huge keys and empty values.
 *
 * <pre>{@code
 * StorageLimits limits = StorageLimits.defaults();           // 5 MiB, 20 MiB, 1000 keys
 * StorageLimits small = new StorageLimits(64 * 1024, 1024 * 1024, 100);
 * }</pre>
 *
 * @param maxValueBytes   largest value a single {@code set} may store
 * @param maxScopeBytes   most key plus value bytes one scope may hold
 * @param maxKeysPerScope most keys one scope may hold
 */
public record StorageLimits(long maxValueBytes, long maxScopeBytes, int maxKeysPerScope) {

    private static final long MEBIBYTE = 1024 * 1024;

    /** @throws IllegalArgumentException if a limit is not positive, or a value could never fit a scope */
    public StorageLimits {
        requirePositive(maxValueBytes, "maxValueBytes");
        requirePositive(maxScopeBytes, "maxScopeBytes");
        requirePositive(maxKeysPerScope, "maxKeysPerScope");
        if (maxValueBytes > maxScopeBytes) {
            throw new IllegalArgumentException("maxValueBytes (" + maxValueBytes
                    + ") must not exceed maxScopeBytes (" + maxScopeBytes
                    + "): a value larger than its scope could never be stored");
        }
    }

    /**
     * 5 MiB per value, 20 MiB and 1000 keys per scope: the sizes Claude's artifact storage
     * documents (5 MB per value, 20 MB per artifact and scope), so artifacts written for it fit.
     */
    public static StorageLimits defaults() {
        return new StorageLimits(5 * MEBIBYTE, 20 * MEBIBYTE, 1000);
    }

    private static void requirePositive(long value, String field) {
        if (value < 1) {
            throw new IllegalArgumentException(field + " must be 1 or more; was " + value);
        }
    }
}

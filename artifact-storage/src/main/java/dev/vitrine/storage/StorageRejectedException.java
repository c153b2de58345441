package dev.vitrine.storage;

import java.util.List;

/**
 * A {@link KeyValueStore} call was refused because of what the caller asked for: a malformed
 * key or value, or a write that would break a {@link StorageLimits limit}. Nothing was changed.
 * The {@link #code()} is a stable, lowercase word safe to hand to the artifact (it becomes the
 * reason a {@code window.storage} promise rejects with); the message says which rule, the limit
 * and the attempted size, and quotes caller text only escaped and cut short.
 *
 * <pre>{@code
 * try {
 *     values.set(scope, key, value, writer);
 * } catch (StorageRejectedException e) {
 *     // e.code() is "quota_exceeded", e.getMessage() e.g. "setting key \"notes\" would make the
 *     // scope 20971621 bytes; the limit is 20971520 bytes per scope ..."
 *     return error(e.code().equals(StorageRejectedException.INVALID_KEY) ? 400 : 413, e.code(), e.getMessage());
 * }
 * }</pre>
 */
public final class StorageRejectedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** The key is empty, too long, or has a character keys may not contain. */
    public static final String INVALID_KEY = "invalid_key";
    /** The value holds U+0000 or a lone surrogate, which UTF-8 storage cannot represent. */
    public static final String INVALID_VALUE = "invalid_value";
    /** The value alone is larger than {@link StorageLimits#maxValueBytes()}. */
    public static final String VALUE_TOO_LARGE = "value_too_large";
    /** The write would take the scope past {@link StorageLimits#maxScopeBytes()}. */
    public static final String QUOTA_EXCEEDED = "quota_exceeded";
    /** The write would add a key past {@link StorageLimits#maxKeysPerScope()}. */
    public static final String TOO_MANY_KEYS = "too_many_keys";

    private static final List<String> CODES = List.of(INVALID_KEY, INVALID_VALUE, VALUE_TOO_LARGE, QUOTA_EXCEEDED, TOO_MANY_KEYS);

    private final String code;

    /**
     * @param code    one of the constants of this class
     * @param message what was refused and why, naming the rule and the sizes involved
     * @throws IllegalArgumentException if {@code code} is not one of the constants
     */
    public StorageRejectedException(String code, String message) {
        super(message);
        if (!CODES.contains(code)) {
            throw new IllegalArgumentException("code must be one of " + CODES + "; was " + UntrustedText.quote(code));
        }
        this.code = code;
    }

    /** Why the call was refused: one of the constants of this class. */
    public String code() {
        return code;
    }
}

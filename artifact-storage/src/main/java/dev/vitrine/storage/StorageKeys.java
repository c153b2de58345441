package dev.vitrine.storage;

/**
 * The rules for {@code window.storage} keys, the same as Claude's artifact storage: fewer than
 * {@value #MAX_LENGTH} characters, and no whitespace, {@code /}, {@code \}, {@code '} or
 * {@code "}. Control characters and lone surrogates are refused too: the first would forge
 * lines in logs and listings, and the second cannot be stored as UTF-8 at all. Length counts
 * UTF-16 characters, as JavaScript's {@code key.length} does, so the artifact can check it
 * the same way.
 *
 * <p>{@link KeyValueStore} applies these rules itself; callers check early to answer before
 * touching storage.
 *
 * <pre>{@code
 * StorageKeys.requireValid("todo:42");     // returns "todo:42"
 * StorageKeys.requireValid("a/b");         // throws StorageRejectedException, code "invalid_key"
 * StorageKeys.requireValidPrefix("");      // fine: lists every key
 * }</pre>
 */
public final class StorageKeys {

    /** Keys must be shorter than this many UTF-16 characters. */
    public static final int MAX_LENGTH = 200;

    private static final String FORBIDDEN = "/\\'\"";

    private StorageKeys() {
    }

    /**
     * Returns {@code key} if it is a valid key.
     *
     * @throws StorageRejectedException with code {@code invalid_key} naming the broken rule
     */
    public static String requireValid(String key) {
        if (key == null) {
            throw rejected("key must not be null");
        }
        if (key.isEmpty()) {
            throw rejected("key must not be empty");
        }
        requireAllowedCharacters(key, "key");
        return key;
    }

    /**
     * Checks a prefix for {@link KeyValueStore#keys}: empty (every key), or text following the
     * character rules of keys. A prefix as long as the longest key could match nothing, so a
     * longer one is refused rather than sent to the database.
     *
     * @throws StorageRejectedException with code {@code invalid_key} naming the broken rule
     */
    public static void requireValidPrefix(String prefix) {
        if (prefix == null) {
            throw rejected("prefix must not be null; use \"\" to list every key");
        }
        requireAllowedCharacters(prefix, "prefix");
    }

    private static void requireAllowedCharacters(String text, String what) {
        if (text.length() >= MAX_LENGTH) {
            throw rejected(what + " is " + text.length() + " characters; keys must be shorter than "
                    + MAX_LENGTH + " characters");
        }
        for (int i = 0; i < text.length(); ) {
            int codePoint = text.codePointAt(i);
            String broken = brokenRule(codePoint);
            if (broken != null) {
                throw rejected(what + " " + UntrustedText.quote(text) + " is not allowed: keys must not contain "
                        + broken + " (found " + String.format("U+%04X", codePoint) + " at index " + i + ")");
            }
            i += Character.charCount(codePoint);
        }
    }

    /** Names the rule {@code codePoint} breaks, or returns null if it may appear in a key. */
    private static String brokenRule(int codePoint) {
        if (Character.getType(codePoint) == Character.SURROGATE) {
            // codePointAt returns a surrogate only when it has no partner.
            return "lone surrogates (they have no UTF-8 form)";
        }
        if (Character.isISOControl(codePoint)) {
            return "control characters";
        }
        if (Character.isWhitespace(codePoint) || Character.isSpaceChar(codePoint)) {
            return "whitespace";
        }
        if (FORBIDDEN.indexOf(codePoint) >= 0) {
            return "/, \\, ' or \"";
        }
        return null;
    }

    private static StorageRejectedException rejected(String message) {
        return new StorageRejectedException(StorageRejectedException.INVALID_KEY, message);
    }
}

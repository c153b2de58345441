package dev.vitrine.storage;

/**
 * Who is looking at an artifact, as the chat backend names them: an opaque id, never parsed,
 * that keys the viewer's personal storage scope and the audit trail. The allowed characters
 * cover user ids, e-mail-like ids and namespaced ids ({@code tenant:user}) while keeping out
 * whitespace, quotes, slashes and control characters, so an id is safe in a URL, a log line
 * and a signed token without escaping.
 *
 * <pre>{@code
 * ViewerId alice = new ViewerId("alice@chat.example");
 * StorageScope notes = StorageScope.personal(artifactId, alice);
 * }</pre>
 *
 * @param value 1 to {@value #MAX_LENGTH} characters from {@code [A-Za-z0-9._:@-]}
 */
public record ViewerId(String value) {

    /** The longest id accepted, in characters. */
    public static final int MAX_LENGTH = 128;

    private static final String RULE = "1 to " + MAX_LENGTH + " characters from [A-Za-z0-9._:@-]";

    /** @throws IllegalArgumentException if {@code value} is null, empty, too long or has another character */
    public ViewerId {
        if (value == null) {
            throw new IllegalArgumentException("viewer id must be " + RULE + "; was null");
        }
        if (value.isEmpty() || value.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("viewer id must be " + RULE + "; was "
                    + UntrustedText.quote(value) + " with length " + value.length());
        }
        for (int i = 0; i < value.length(); i++) {
            if (!allowed(value.charAt(i))) {
                throw new IllegalArgumentException("viewer id must be " + RULE + "; was "
                        + UntrustedText.quote(value) + " with " + UntrustedText.quote(String.valueOf(value.charAt(i)))
                        + " at index " + i);
            }
        }
    }

    @Override
    public String toString() {
        return value;
    }

    private static boolean allowed(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || c == '.' || c == '_' || c == ':' || c == '@' || c == '-';
    }
}

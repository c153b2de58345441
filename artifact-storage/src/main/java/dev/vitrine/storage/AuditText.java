package dev.vitrine.storage;

/**
 * The rules for text in audit events that came from outside: short, and storable in both
 * databases (PostgreSQL {@code text} cannot hold U+0000, and UTF-8 has no form for a lone
 * surrogate). {@link #fit} makes untrusted text follow them; {@link #requireStorable} checks.
 */
final class AuditText {

    private static final char REPLACEMENT = '\ufffd';

    private AuditText() {
    }

    /**
     * Returns {@code text} cut to at most {@code maxChars} characters (never between the two
     * halves of a surrogate pair), with U+0000 and lone surrogates replaced by U+FFFD; null
     * becomes empty.
     */
    static String fit(String text, int maxChars) {
        if (text == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(Math.min(text.length(), maxChars));
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean pair = Character.isHighSurrogate(c) && i + 1 < text.length()
                    && Character.isLowSurrogate(text.charAt(i + 1));
            if (out.length() + (pair ? 2 : 1) > maxChars) {
                break;
            }
            if (pair) {
                out.append(c).append(text.charAt(++i));
            } else if (c == '\u0000' || Character.isSurrogate(c)) {
                out.append(REPLACEMENT);
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** @throws IllegalArgumentException unless {@code text} is what {@link #fit} would leave unchanged */
    static void requireStorable(String text, String field, int maxChars) {
        if (text == null) {
            throw new IllegalArgumentException(field + " must not be null");
        }
        if (text.length() > maxChars) {
            throw new IllegalArgumentException(field + " must be at most " + maxChars + " characters; was " + text.length());
        }
        if (!fit(text, maxChars).equals(text)) {
            throw new IllegalArgumentException(field + " must not contain U+0000 or a lone surrogate; was "
                    + UntrustedText.quote(text));
        }
    }
}

package dev.vitrine.storage;

/**
 * Renders caller-supplied text for error messages. Ids and wire names arrive from URLs and
 * request bodies, and exception messages end up in logs, so they are quoted, stripped of
 * control characters (no forged log lines) and cut short (no megabyte-long messages).
 */
final class UntrustedText {

    private static final int MAX_SHOWN = 64;

    private UntrustedText() {
    }

    static String quote(String value) {
        if (value == null) {
            return "null";
        }
        StringBuilder quoted = new StringBuilder(Math.min(value.length(), MAX_SHOWN) + 8).append('"');
        int shown = 0;
        for (int i = 0; i < value.length(); i = value.offsetByCodePoints(i, 1)) {
            if (shown == MAX_SHOWN) {
                return quoted.append("\"… (").append(value.length()).append(" chars)").toString();
            }
            int codePoint = value.codePointAt(i);
            // A lone surrogate is escaped too: it has no UTF-8 form, so a log writer or JSON
            // encoder would replace it or fail on the whole message.
            if (Character.isISOControl(codePoint) || codePoint == '"' || codePoint == '\\'
                    || Character.getType(codePoint) == Character.SURROGATE
                    || Character.getType(codePoint) == Character.LINE_SEPARATOR
                    || Character.getType(codePoint) == Character.PARAGRAPH_SEPARATOR) {
                quoted.append(String.format("\\u%04x", codePoint));
            } else {
                quoted.appendCodePoint(codePoint);
            }
            shown++;
        }
        return quoted.append('"').toString();
    }
}

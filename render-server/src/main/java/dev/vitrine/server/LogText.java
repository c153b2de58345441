package dev.vitrine.server;

/** Makes untrusted text safe for one log line: control characters escaped, length capped. */
final class LogText {
    private static final int MAX = 200;

    private LogText() {
    }

    static String safe(String untrusted) {
        if (untrusted == null) {
            return "-";
        }
        StringBuilder out = new StringBuilder(Math.min(untrusted.length(), MAX) + 8);
        for (int i = 0; i < untrusted.length() && out.length() < MAX; i++) {
            char c = untrusted.charAt(i);
            if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) || c == '\u2028' || c == '\u2029') {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return untrusted.length() > MAX ? out + "…" : out.toString();
    }
}

package dev.vitrine.sanitizer;

import org.jsoup.nodes.Element;

/**
 * Builds the short {@link Removal#what()} texts: a tag name plus the attribute that mattered,
 * each clipped and stripped of control characters. Both engines report removals through it so
 * that no untrusted markup reaches a report verbatim or at length.
 */
final class MarkupDescription {

    private static final int MAX_NAME = 32;
    private static final int MAX_VALUE = 60;
    private static final String ELLIPSIS = "\u2026";

    private MarkupDescription() {
    }

    /** {@code <tag>}. */
    static String of(Element element) {
        return "<" + name(element) + ">";
    }

    /** {@code <tag attribute="value">}, or {@code <tag attribute>} when the value is empty. */
    static String of(Element element, String attribute) {
        String value = element.attributes().get(attribute); // exact key: SVG names are case-sensitive
        String shown = value.isEmpty() ? "" : "=\"" + clip(value, MAX_VALUE).replace("\"", "\\\"") + "\"";
        return fit("<" + name(element) + " " + clip(attribute, MAX_NAME) + shown + ">");
    }

    /** A description built from other parts, clipped to the length a {@link Removal} accepts. */
    static String fit(String description) {
        return clip(description, Removal.MAX_WHAT_LENGTH);
    }

    private static String name(Element element) {
        return clip(element.tagName(), MAX_NAME);
    }

    /**
     * At most {@code max} characters, whole code points only, with C0/C1 controls and unpaired
     * surrogates replaced: they would garble a log line or a UI and carry no meaning here.
     */
    static String clip(String s, int max) {
        boolean clipped = s.length() > max;
        int budget = clipped ? max - ELLIPSIS.length() : max;
        StringBuilder out = new StringBuilder(Math.min(s.length(), max));
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            int width = Character.charCount(cp);
            if (out.length() + width > budget) {
                break;
            }
            if (Character.isISOControl(cp) || Character.getType(cp) == Character.SURROGATE) {
                out.append('\uFFFD');
            } else {
                out.appendCodePoint(cp);
            }
            i += width;
        }
        return clipped ? out.append(ELLIPSIS).toString() : out.toString();
    }
}

package dev.vitrine.server;

import java.util.List;
import java.util.Objects;

/**
 * Applies a model's {@code str_replace}-style edits to a version's text: each edit replaces
 * the one place where its {@code old} text occurs with its {@code replacement}, in the text
 * the previous edit left. An {@code old} that occurs nowhere, or more than once, stops the
 * whole list: a model that wrote it was looking at other text than this, and guessing which
 * occurrence it meant would store a version nobody asked for.
 *
 * <pre>{@code
 * String v2 = TextEdits.apply(v1.content(), List.of(
 *         new TextEdits.Edit("useState(0)", "useState(10)"),
 *         new TextEdits.Edit("<h1>Counter</h1>", "<h1>Ten up</h1>")));
 * // TextEdits.EditFailedException: edits[1].old occurs 2 times ...
 * }</pre>
 *
 * <p>It lives here, beside {@link ArtifactApi} (and {@link DemoTranscript}, which checks the
 * demo's edits with it), rather than in {@code artifact-storage}: the store keeps whole versions and has no business knowing how a
 * version's text was made, and edits must be applied and the result compiled <em>outside</em>
 * the store's transaction (a React compile must never hold SQLite's write lock). Concurrency is
 * the store's part: the result is appended with
 * {@link dev.vitrine.storage.ArtifactStore#appendVersion(dev.vitrine.storage.ArtifactId, String, int)
 * a compare-and-set} on the version the edits were applied to. It is plain text logic with no
 * HTTP type; a failure is an {@link EditFailedException} the API turns into a 409.
 */
final class TextEdits {
    /** At most this many characters of an edit's {@code old} text are quoted in a message. */
    private static final int EXCERPT_LENGTH = 60;

    /**
     * One replacement: {@code old} must occur exactly once in the text it is applied to.
     *
     * @throws IllegalArgumentException if {@code old} is empty (it would occur everywhere)
     */
    record Edit(String old, String replacement) {
        Edit {
            Objects.requireNonNull(old, "old");
            Objects.requireNonNull(replacement, "replacement");
            if (old.isEmpty()) {
                throw new IllegalArgumentException("old must not be empty");
            }
        }
    }

    /**
     * Edit {@link #index()} could not be applied: its {@code old} text occurs
     * {@link #occurrences()} times (0, or 2 and more) in the text the edits before it left.
     * The message names the edit, the count and a short, escaped excerpt of its {@code old}.
     */
    static final class EditFailedException extends RuntimeException {
        private final int index;
        private final int occurrences;

        EditFailedException(int index, int occurrences, String message) {
            super(message, null, false, false);
            this.index = index;
            this.occurrences = occurrences;
        }

        /** The failed edit's index in the list, from 0. */
        int index() {
            return index;
        }

        /** How often its {@code old} text occurs: 0 when missing, 2 or more when ambiguous. */
        int occurrences() {
            return occurrences;
        }
    }

    private TextEdits() {
    }

    /**
     * Applies {@code edits} in order, each to the result of the one before.
     *
     * @throws EditFailedException if an edit's {@code old} does not occur exactly once
     */
    static String apply(String text, List<Edit> edits) {
        String current = text;
        for (int i = 0; i < edits.size(); i++) {
            Edit edit = edits.get(i);
            Occurrences found = occurrences(current, edit.old());
            if (found.count() != 1) {
                throw failure(i, edits.size(), found.count(), edit.old());
            }
            current = new StringBuilder(current.length() - edit.old().length() + edit.replacement().length())
                    .append(current, 0, found.first())
                    .append(edit.replacement())
                    .append(current, found.first() + edit.old().length(), current.length())
                    .toString();
        }
        return current;
    }

    private record Occurrences(int count, int first) {
    }

    /**
     * Counts where {@code pattern} starts in {@code text}, overlapping matches included ("aa"
     * occurs twice in "aaa": which one was meant is just as unclear), with Knuth–Morris–Pratt.
     * {@link String#indexOf(String)} compares naively, so text and pattern of a few megabytes
     * ("aaaa…" against "aaa…ab", both within the body limit) would take it minutes; this takes
     * one pass over each.
     */
    private static Occurrences occurrences(String text, String pattern) {
        int[] fallback = new int[pattern.length()];
        for (int i = 1, k = 0; i < pattern.length(); i++) {
            while (k > 0 && pattern.charAt(i) != pattern.charAt(k)) {
                k = fallback[k - 1];
            }
            if (pattern.charAt(i) == pattern.charAt(k)) {
                k++;
            }
            fallback[i] = k;
        }
        int count = 0;
        int first = -1;
        for (int i = 0, k = 0; i < text.length(); i++) {
            while (k > 0 && text.charAt(i) != pattern.charAt(k)) {
                k = fallback[k - 1];
            }
            if (text.charAt(i) == pattern.charAt(k)) {
                k++;
            }
            if (k == pattern.length()) {
                if (count++ == 0) {
                    first = i - k + 1;
                }
                k = fallback[k - 1];
            }
        }
        return new Occurrences(count, first);
    }

    private static EditFailedException failure(int index, int total, int count, String old) {
        String which = "edits[" + index + "].old " + excerpt(old);
        String where = switch (index) {
            case 0 -> "the text";
            case 1 -> "the text after edits[0]";
            default -> "the text after edits[0.." + (index - 1) + "]";
        };
        String message = count == 0
                ? which + " does not occur in " + where + "; copy it exactly from the current text, whitespace included"
                : which + " occurs " + count + " times in " + where + "; include more of the surrounding text so it matches once";
        return new EditFailedException(index, count, message + " (edit " + (index + 1) + " of " + total + ")");
    }

    /**
     * The start of an edit's text, quoted, with control characters, quotes, backslashes, line
     * separators and lone surrogates escaped: safe in a log line and in JSON shown to a person.
     */
    static String excerpt(String text) {
        StringBuilder quoted = new StringBuilder(EXCERPT_LENGTH + 24).append('"');
        int shown = 0;
        int i = 0;
        for (; i < text.length() && shown < EXCERPT_LENGTH; i = text.offsetByCodePoints(i, 1), shown++) {
            int codePoint = text.codePointAt(i);
            switch (codePoint) {
                case '\n' -> quoted.append("\\n");
                case '\t' -> quoted.append("\\t");
                case '"' -> quoted.append("\\\"");
                case '\\' -> quoted.append("\\\\");
                default -> {
                    int type = Character.getType(codePoint);
                    if (Character.isISOControl(codePoint) || type == Character.SURROGATE
                            || type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR) {
                        quoted.append(String.format("\\u%04x", codePoint));
                    } else {
                        quoted.appendCodePoint(codePoint);
                    }
                }
            }
        }
        quoted.append('"');
        return i < text.length() ? quoted.append("… (").append(text.length()).append(" chars)").toString() : quoted.toString();
    }
}

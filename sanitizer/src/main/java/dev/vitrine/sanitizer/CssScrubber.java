package dev.vitrine.sanitizer;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Finds and removes the parts of a CSS text that fetch something: {@code url(...)} to anything
 * but a same-document {@code #fragment}, image functions that take URL strings
 * ({@code image-set("x.png" 1x)}), and {@code @import}.
 *
 * <p>A plain search for {@code "url("} is not enough: CSS escapes let {@code \75 rl(} and
 * {@code u\rl(} spell the same function. So this walks the text the way the CSS Syntax tokenizer
 * does, just far enough to know where comments and strings are and what each identifier
 * decodes to. Everything it does not remove is copied through unchanged. When unsure, it errs
 * towards removing: a dimension like {@code 12url(} is treated as a {@code url(} too.
 */
final class CssScrubber {

    /** The scrubbed text, and a short description of each thing removed, in order. */
    record Result(String css, List<String> removed) {
        Result {
            removed = List.copyOf(removed);
        }

        boolean changed() {
            return !removed.isEmpty();
        }
    }

    /** Functions whose string arguments are URLs; {@code url()} is handled on its own. */
    private static final Set<String> FETCHING_FUNCTIONS = Set.of("image-set", "-webkit-image-set", "image", "src");

    /** What a removed fetch is replaced by: a valid value wherever an image or paint was expected. */
    private static final String REPLACEMENT = "none";

    private static final int MAX_SHOWN_URL = 60;

    private final String css;
    private final int length;
    private final StringBuilder out;
    private final List<String> removed = new ArrayList<>();

    private CssScrubber(String css) {
        this.css = css;
        this.length = css.length();
        this.out = new StringBuilder(css.length());
    }

    static Result scrub(String css) {
        return new CssScrubber(css).run();
    }

    private Result run() {
        int i = 0;
        while (i < length) {
            char c = css.charAt(i);
            if (c == '/' && startsWith(i, "/*")) {
                i = copy(i, endOfComment(i));
            } else if (c == '"' || c == '\'') {
                i = copy(i, endOfString(i));
            } else if (c == '@' && startsIdent(i + 1)) {
                i = atKeyword(i);
            } else if (startsIdent(i)) {
                i = identOrFunction(i);
            } else {
                out.append(c);
                i++;
            }
        }
        return new Result(out.toString(), removed);
    }

    private int atKeyword(int at) {
        Ident name = readIdent(at + 1);
        if (name.lower().equals("import")) {
            removed.add("@import");
            return endOfAtRule(name.end());
        }
        return copy(at, name.end());
    }

    private int identOrFunction(int start) {
        Ident name = readIdent(start);
        if (name.end() >= length || css.charAt(name.end()) != '(') {
            return copy(start, name.end());
        }
        String function = name.lower();
        if (function.equals("url")) {
            return url(start, name.end() + 1);
        }
        if (FETCHING_FUNCTIONS.contains(function)) {
            removed.add(function + "()");
            out.append(REPLACEMENT);
            return endOfBlock(name.end() + 1);
        }
        // Any other function: keep its name and keep scanning its arguments, which may hold a url().
        return copy(start, name.end() + 1);
    }

    /** {@code url(} was read; {@code from} is just after the parenthesis. */
    private int url(int start, int from) {
        int i = from;
        while (i < length && isWhitespace(css.charAt(i))) {
            i++;
        }
        String target;
        int end;
        if (i < length && (css.charAt(i) == '"' || css.charAt(i) == '\'')) {
            int stringEnd = endOfString(i);
            target = decodeString(i, stringEnd);
            end = endOfBlock(stringEnd);
        } else {
            // An unquoted URL runs to the next ')'; a malformed one is consumed the same way.
            StringBuilder raw = new StringBuilder();
            while (i < length && css.charAt(i) != ')') {
                if (isValidEscape(i)) {
                    i = decodeEscape(i, raw);
                } else {
                    raw.append(css.charAt(i++));
                }
            }
            target = raw.toString();
            end = Math.min(i + 1, length);
        }
        if (target.strip().startsWith("#")) {
            return copy(start, end);
        }
        removed.add("url(" + MarkupDescription.clip(target.strip(), MAX_SHOWN_URL) + ")");
        out.append(REPLACEMENT);
        return end;
    }

    private int copy(int from, int to) {
        out.append(css, from, to);
        return to;
    }

    private boolean startsWith(int i, String prefix) {
        return css.startsWith(prefix, i);
    }

    private int endOfComment(int start) {
        int close = css.indexOf("*/", start + 2);
        return close < 0 ? length : close + 2;
    }

    /** A string ends at its closing quote, or just before an unescaped newline (a bad string). */
    private int endOfString(int start) {
        char quote = css.charAt(start);
        int i = start + 1;
        while (i < length) {
            char c = css.charAt(i);
            if (c == quote) {
                return i + 1;
            }
            if (isNewline(c)) {
                return i;
            }
            i += c == '\\' ? 2 : 1;
        }
        return length;
    }

    private String decodeString(int start, int end) {
        StringBuilder value = new StringBuilder();
        int close = end > start + 1 && css.charAt(end - 1) == css.charAt(start) ? end - 1 : end;
        int i = start + 1;
        while (i < close) {
            if (css.charAt(i) == '\\' && i + 1 < close && isNewline(css.charAt(i + 1))) {
                i += 2; // an escaped newline continues the string
            } else if (css.charAt(i) == '\\') {
                i = decodeEscape(i, value);
            } else {
                value.append(css.charAt(i++));
            }
        }
        return value.toString();
    }

    /** Index just after the ')' that closes a block opened before {@code from}. */
    private int endOfBlock(int from) {
        int depth = 1;
        int i = from;
        while (i < length) {
            char c = css.charAt(i);
            if (c == '/' && startsWith(i, "/*")) {
                i = endOfComment(i);
                continue;
            }
            if (c == '"' || c == '\'') {
                i = endOfString(i);
                continue;
            }
            if (c == '\\') {
                i += 2;
                continue;
            }
            if (c == '(') {
                depth++;
            } else if (c == ')' && --depth == 0) {
                return i + 1;
            }
            i++;
        }
        return length;
    }

    /** An at-rule's prelude ends at a top-level ';' or with its '{...}' block. */
    private int endOfAtRule(int from) {
        int depth = 0;
        int i = from;
        while (i < length) {
            char c = css.charAt(i);
            if (c == '/' && startsWith(i, "/*")) {
                i = endOfComment(i);
                continue;
            }
            if (c == '"' || c == '\'') {
                i = endOfString(i);
                continue;
            }
            if (c == '\\') {
                i += 2;
                continue;
            }
            if (c == '(' || c == '[' || c == '{') {
                depth++;
            } else if (c == ')' || c == ']' || c == '}') {
                if (depth == 0) {
                    return i; // the enclosing block ends here; leave its '}' in place
                }
                if (--depth == 0 && c == '}') {
                    return i + 1;
                }
            } else if (c == ';' && depth == 0) {
                return i + 1;
            }
            i++;
        }
        return length;
    }

    private record Ident(String name, int end) {
        String lower() {
            return name.toLowerCase(Locale.ROOT);
        }
    }

    private Ident readIdent(int start) {
        StringBuilder name = new StringBuilder();
        int i = start;
        while (i < length) {
            char c = css.charAt(i);
            if (isNameChar(c)) {
                name.append(c);
                i++;
            } else if (isValidEscape(i)) {
                i = decodeEscape(i, name);
            } else {
                break;
            }
        }
        return new Ident(name.toString(), i);
    }

    /** CSS Syntax "would start an ident sequence". */
    private boolean startsIdent(int i) {
        if (i >= length) {
            return false;
        }
        char c = css.charAt(i);
        if (c == '-') {
            return i + 1 < length
                    && (isNameStart(css.charAt(i + 1)) || css.charAt(i + 1) == '-' || isValidEscape(i + 1));
        }
        return isNameStart(c) || isValidEscape(i);
    }

    private boolean isValidEscape(int i) {
        return i < length && css.charAt(i) == '\\' && (i + 1 >= length || !isNewline(css.charAt(i + 1)));
    }

    /** Decodes the escape at {@code i} (a backslash) into {@code into}; returns the index after it. */
    private int decodeEscape(int i, StringBuilder into) {
        int j = i + 1;
        if (j >= length) {
            into.append('\uFFFD');
            return j;
        }
        if (isHexDigit(css.charAt(j))) {
            int start = j;
            while (j < length && j - start < 6 && isHexDigit(css.charAt(j))) {
                j++;
            }
            int cp = Integer.parseInt(css.substring(start, j), 16);
            boolean usable = cp != 0 && cp <= Character.MAX_CODE_POINT
                    && !(cp >= Character.MIN_SURROGATE && cp <= Character.MAX_SURROGATE);
            into.appendCodePoint(usable ? cp : 0xFFFD);
            if (startsWith(j, "\r\n")) {
                return j + 2;
            }
            return j < length && isWhitespace(css.charAt(j)) ? j + 1 : j;
        }
        into.append(css.charAt(j));
        return j + 1;
    }

    private static boolean isNameStart(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c >= 0x80;
    }

    private static boolean isNameChar(char c) {
        return isNameStart(c) || (c >= '0' && c <= '9') || c == '-';
    }

    private static boolean isHexDigit(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    private static boolean isNewline(char c) {
        return c == '\n' || c == '\r' || c == '\f';
    }

    private static boolean isWhitespace(char c) {
        return c == ' ' || c == '\t' || isNewline(c);
    }
}

package dev.vitrine.sanitizer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Scripts that {@link HtmlNormalizer} puts first into an artifact's {@code <head>}, right after
 * the charset declaration and in the given order.
 *
 * <p>They become classic {@code <script src>} elements, neither {@code async}, {@code defer} nor
 * {@code type="module"}: a classic script blocks the parser, so the Vitrine runtime (for
 * example {@code window.storage}) exists before any artifact script runs.
 *
 * <p>Every source must be a root-relative path on the sandbox origin, because
 * {@code script-src 'self'} is what the sandbox trusts. Anything that a browser could resolve
 * to another host is refused: {@code //host/x.js}, {@code /\host/x.js} (browsers treat the
 * backslash as a slash), and paths with whitespace or control characters (browsers strip tabs
 * and newlines out of URLs, which can turn {@code /<tab>/host} into {@code //host}).
 *
 * <pre>{@code
 * HeadInjection runtime = HeadInjection.scripts("/_vitrine/frame.js", "/_vitrine/storage.js");
 * NormalizedDocument doc = HtmlNormalizer.standard().normalize(html, runtime);
 * }</pre>
 *
 * @param scriptSources root-relative script URLs, in execution order; may be empty
 */
public record HeadInjection(List<String> scriptSources) {

    // RFC 3986 path, query and fragment characters, percent escapes included.
    private static final Pattern ROOT_RELATIVE = Pattern.compile("/[A-Za-z0-9\\-._~!$&'()*+,;=:@%/?#]*");

    private static final HeadInjection NONE = new HeadInjection(List.of());

    public HeadInjection {
        Objects.requireNonNull(scriptSources, "HeadInjection.scriptSources must not be null; use HeadInjection.none()");
        // Copied element by element so a null is reported with its position.
        List<String> checked = new ArrayList<>(scriptSources.size());
        for (int i = 0; i < scriptSources.size(); i++) {
            checked.add(requireRootRelative(i, scriptSources.get(i)));
        }
        scriptSources = List.copyOf(checked);
    }

    /** No injected scripts, for previews that do not need the runtime. */
    public static HeadInjection none() {
        return NONE;
    }

    /** Classic scripts loaded from these root-relative paths, in this order. */
    public static HeadInjection scripts(String... srcs) {
        Objects.requireNonNull(srcs, "HeadInjection.scripts(srcs) must not be null");
        return new HeadInjection(Arrays.asList(srcs));
    }

    private static String requireRootRelative(int index, String src) {
        String name = "HeadInjection.scriptSources[" + index + "]";
        if (src == null) {
            throw new NullPointerException(name + " must not be null");
        }
        if (!src.startsWith("/")) {
            throw new IllegalArgumentException(name + " is \"" + src
                    + "\"; it must be a root-relative path starting with \"/\", such as /_vitrine/frame.js,"
                    + " so the script loads from the sandbox origin under script-src 'self'");
        }
        if (src.contains("//")) {
            throw new IllegalArgumentException(name + " is \"" + src
                    + "\"; it must not contain \"//\", which a browser can resolve to another host");
        }
        if (!ROOT_RELATIVE.matcher(src).matches()) {
            throw new IllegalArgumentException(name + " is \"" + printable(src)
                    + "\"; only URL path characters are allowed (no whitespace, control characters,"
                    + " backslashes, quotes or angle brackets), since browsers rewrite those into other URLs");
        }
        return src;
    }

    // The message names the rejected value; control characters would garble a log line.
    private static String printable(String s) {
        StringBuilder out = new StringBuilder(s.length());
        s.chars().forEach(c -> {
            if (c < 0x20 || c == 0x7f) {
                out.append(String.format("\\u%04x", c));
            } else {
                out.append((char) c);
            }
        });
        return out.toString();
    }
}

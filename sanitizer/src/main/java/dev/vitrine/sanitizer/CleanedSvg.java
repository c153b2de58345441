package dev.vitrine.sanitizer;

import java.util.List;
import java.util.Objects;

/**
 * The result of {@link SvgSanitizer#clean}: one {@code <svg>} element, safe to inline into an
 * HTML5 document, and what was removed on the way.
 *
 * <pre>{@code
 * CleanedSvg cleaned = SvgSanitizer.standard().clean(modelOutput);
 * String page = "<!doctype html><body>" + cleaned.svg() + "</body>";
 * }</pre>
 *
 * @param svg      the serialised {@code <svg>} element, with no XML declaration or doctype
 * @param removals every removal, in document order; empty when nothing was removed
 */
public record CleanedSvg(String svg, List<Removal> removals) {

    public CleanedSvg {
        Objects.requireNonNull(svg, "CleanedSvg.svg must not be null");
        removals = List.copyOf(Objects.requireNonNull(removals, "CleanedSvg.removals must not be null"));
    }
}

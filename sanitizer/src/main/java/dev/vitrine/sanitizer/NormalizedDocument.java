package dev.vitrine.sanitizer;

import java.util.List;
import java.util.Objects;

/**
 * The result of {@link HtmlNormalizer#normalize}: a complete UTF-8 HTML5 document and what was
 * removed on the way.
 *
 * <pre>{@code
 * NormalizedDocument doc = HtmlNormalizer.standard().normalize(html, HeadInjection.none());
 * byte[] body = doc.html().getBytes(StandardCharsets.UTF_8);
 * doc.removals().forEach(r -> log.info("removed {}: {}", r.what(), r.reason()));
 * }</pre>
 *
 * @param html     the serialised document, starting with {@code <!doctype html>}
 * @param removals every removal, in document order; empty when nothing was removed
 */
public record NormalizedDocument(String html, List<Removal> removals) {

    public NormalizedDocument {
        Objects.requireNonNull(html, "NormalizedDocument.html must not be null");
        removals = List.copyOf(Objects.requireNonNull(removals, "NormalizedDocument.removals must not be null"));
    }
}

package dev.vitrine.frame;

import dev.vitrine.csp.HeaderSet;
import dev.vitrine.sanitizer.Removal;
import java.util.List;

/**
 * An artifact version as the sandbox origin serves it: the document bytes, the header set
 * that must travel with them, and what normalisation removed (reported to the API client).
 */
public record FrameDocument(byte[] body, HeaderSet headers, List<Removal> removals) {
    public FrameDocument {
        removals = List.copyOf(removals);
    }
}

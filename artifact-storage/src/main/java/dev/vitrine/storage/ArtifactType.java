package dev.vitrine.storage;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The kinds of document an artifact can hold. Each has a lowercase wire name, used in the REST
 * API ({@code "type": "react"}) and in the database, so renaming a constant never changes
 * stored data or the public contract.
 *
 * <pre>{@code
 * ArtifactType type = ArtifactType.fromWireName("react"); // REACT
 * String column = type.wireName();                        // "react"
 * }</pre>
 */
public enum ArtifactType {
    HTML("html"),
    REACT("react"),
    SVG("svg"),
    MARKDOWN("markdown"),
    MERMAID("mermaid");

    private static final String ALLOWED = Arrays.stream(values())
            .map(ArtifactType::wireName)
            .collect(Collectors.joining(", "));

    private final String wireName;

    ArtifactType(String wireName) {
        this.wireName = wireName;
    }

    /** The lowercase name used on the wire and in storage, for example {@code "markdown"}. */
    public String wireName() {
        return wireName;
    }

    /**
     * Returns the type with the given wire name. Matching is exact: the wire format is
     * lowercase, and accepting {@code "HTML"} here would let two spellings into stored data.
     *
     * @throws IllegalArgumentException if {@code wireName} is not one of the allowed names
     */
    public static ArtifactType fromWireName(String wireName) {
        for (ArtifactType type : values()) {
            if (type.wireName.equals(wireName)) {
                return type;
            }
        }
        throw new IllegalArgumentException("type must be one of " + ALLOWED + "; was "
                + UntrustedText.quote(wireName)
                + (wireName != null && !wireName.equals(wireName.toLowerCase(Locale.ROOT))
                        ? " (wire names are lowercase)" : ""));
    }
}

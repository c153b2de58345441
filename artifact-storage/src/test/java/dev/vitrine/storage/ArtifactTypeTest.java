package dev.vitrine.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ArtifactTypeTest {

    @Test
    void wireNamesAreTheLowercaseNamesOfTheRestContract() {
        assertEquals(List.of("html", "react", "svg", "markdown", "mermaid"),
                Arrays.stream(ArtifactType.values()).map(ArtifactType::wireName).toList());
    }

    @ParameterizedTest
    @EnumSource(ArtifactType.class)
    void fromWireNameReturnsTheTypeWithThatWireName(ArtifactType type) {
        assertEquals(type, ArtifactType.fromWireName(type.wireName()));
    }

    @Test
    void anUnknownWireNameIsRejectedListingTheAllowedOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ArtifactType.fromWireName("pdf"));
        assertEquals("type must be one of html, react, svg, markdown, mermaid; was \"pdf\"", e.getMessage());
    }

    @Test
    void wireNamesAreCaseSensitiveAndTheErrorSaysSo() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ArtifactType.fromWireName("HTML"));
        assertEquals("type must be one of html, react, svg, markdown, mermaid; was \"HTML\""
                + " (wire names are lowercase)", e.getMessage());
    }

    @Test
    void aNullWireNameIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ArtifactType.fromWireName(null));
        assertEquals("type must be one of html, react, svg, markdown, mermaid; was null", e.getMessage());
    }
}

package dev.vitrine.sanitizer;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RemovalTest {

    @Test
    void whatLongerThan120CharactersIsRejectedSoUntrustedMarkupIsNeverEchoedAtLength() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Removal("x".repeat(121), "why"));

        assertTrue(e.getMessage().contains("121 characters"), e.getMessage());
        assertDoesNotThrow(() -> new Removal("x".repeat(120), "why"));
    }

    @Test
    void blankOrMissingPartsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> new Removal(" ", "why"));
        assertThrows(IllegalArgumentException.class, () -> new Removal("<base>", ""));
        assertThrows(NullPointerException.class, () -> new Removal(null, "why"));
        assertThrows(NullPointerException.class, () -> new Removal("<base>", null));
    }

    @Test
    void descriptionsClipLongValuesAndReplaceControlCharacters() {
        String clipped = MarkupDescription.clip("a\u0000b\ud800" + "c".repeat(500), 20);

        assertTrue(clipped.length() <= 20, clipped);
        assertTrue(clipped.startsWith("a\ufffdb\ufffdc"), clipped);
        assertTrue(clipped.endsWith("\u2026"), clipped);
    }

    @Test
    void clippingNeverSplitsASurrogatePair() {
        assertEquals("ab\u2026", MarkupDescription.clip("ab" + "\ud83d\ude00".repeat(10), 4));
        assertEquals("ab\ud83d\ude00\u2026", MarkupDescription.clip("ab" + "\ud83d\ude00".repeat(10), 5));
    }
}

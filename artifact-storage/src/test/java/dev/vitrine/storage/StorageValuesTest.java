package dev.vitrine.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class StorageValuesTest {

    @Test
    void sizeIsTheUtf8ByteCount() {
        String mixed = "a é € 😀 \u2028 \uffff";

        assertEquals(mixed.getBytes(StandardCharsets.UTF_8).length, StorageValues.requireValid(mixed, 1_000));
        assertEquals(0, StorageValues.requireValid("", 1));
        assertEquals(4, StorageValues.requireValid("😀", 4));
    }

    @Test
    void aValueExactlyAtTheLimitIsAcceptedAndOneByteMoreIsNot() {
        assertEquals(6, StorageValues.requireValid("ééab", 6));

        StorageRejectedException e = assertThrows(StorageRejectedException.class,
                () -> StorageValues.requireValid("ééé", 5));
        assertEquals(StorageRejectedException.VALUE_TOO_LARGE, e.code());
        assertEquals("value is 6 bytes; the limit is 5 bytes per value", e.getMessage());
    }

    @Test
    void nulAndLoneSurrogatesAreInvalid() {
        assertEquals("value must not contain U+0000 (NUL); found at index 0",
                assertThrows(StorageRejectedException.class, () -> StorageValues.requireValid("\u0000", 10)).getMessage());
        assertEquals("value must be well-formed text; found a lone surrogate U+DC00 at index 1, which has no UTF-8 form",
                assertThrows(StorageRejectedException.class, () -> StorageValues.requireValid("a\udc00", 10)).getMessage());
        assertEquals(StorageRejectedException.INVALID_VALUE,
                assertThrows(StorageRejectedException.class, () -> StorageValues.requireValid("\ud83d", 10)).code());
    }
}

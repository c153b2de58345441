package dev.vitrine.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class StorageRejectedExceptionTest {

    @Test
    void theCodeAndMessageAreKept() {
        StorageRejectedException e = new StorageRejectedException(StorageRejectedException.QUOTA_EXCEEDED, "full");

        assertEquals("quota_exceeded", e.code());
        assertEquals("full", e.getMessage());
    }

    @Test
    void anUnknownCodeIsRejectedListingTheKnownOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new StorageRejectedException("nope", "message"));
        assertEquals("code must be one of [invalid_key, invalid_value, value_too_large, quota_exceeded,"
                + " too_many_keys]; was \"nope\"", e.getMessage());
    }
}

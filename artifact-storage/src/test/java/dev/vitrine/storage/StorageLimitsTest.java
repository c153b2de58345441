package dev.vitrine.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class StorageLimitsTest {

    @Test
    void defaultsAreFiveMebibytesPerValueTwentyPerScopeAndAThousandKeys() {
        assertEquals(new StorageLimits(5_242_880, 20_971_520, 1000), StorageLimits.defaults());
    }

    @Test
    void aValueLimitEqualToTheScopeLimitIsAccepted() {
        assertEquals(10, new StorageLimits(10, 10, 1).maxValueBytes());
    }

    @Test
    void limitsBelowOneAreRejectedByName() {
        assertEquals("maxValueBytes must be 1 or more; was 0",
                assertThrows(IllegalArgumentException.class, () -> new StorageLimits(0, 10, 1)).getMessage());
        assertEquals("maxScopeBytes must be 1 or more; was -1",
                assertThrows(IllegalArgumentException.class, () -> new StorageLimits(1, -1, 1)).getMessage());
        assertEquals("maxKeysPerScope must be 1 or more; was 0",
                assertThrows(IllegalArgumentException.class, () -> new StorageLimits(1, 10, 0)).getMessage());
    }

    @Test
    void aValueLimitAboveTheScopeLimitIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new StorageLimits(11, 10, 1));
        assertEquals("maxValueBytes (11) must not exceed maxScopeBytes (10): a value larger than its scope could"
                + " never be stored", e.getMessage());
    }
}

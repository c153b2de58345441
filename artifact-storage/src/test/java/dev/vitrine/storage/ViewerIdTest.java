package dev.vitrine.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ViewerIdTest {

    @ParameterizedTest
    @ValueSource(strings = {"a", "alice", "alice@chat.example", "tenant:user-42", "A.B_C", "0"})
    void idsFromTheAllowedCharactersAreAccepted(String value) {
        assertEquals(value, new ViewerId(value).value());
        assertEquals(value, new ViewerId(value).toString());
    }

    @Test
    void anIdOf128CharactersIsAcceptedAndOneMoreIsNot() {
        new ViewerId("v".repeat(128));

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new ViewerId("v".repeat(129)));
        assertEquals("viewer id must be 1 to 128 characters from [A-Za-z0-9._:@-]; was \"" + "v".repeat(64)
                + "\"… (129 chars) with length 129", e.getMessage());
    }

    @Test
    void anEmptyIdIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new ViewerId(""));
        assertEquals("viewer id must be 1 to 128 characters from [A-Za-z0-9._:@-]; was \"\" with length 0", e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"has space", "a/b", "quote\"", "apos'", "back\\slash", "new\nline", "é", "a+b", "a%40b"})
    void idsWithOtherCharactersAreRejected(String value) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new ViewerId(value));
        assertEquals(true, e.getMessage().startsWith("viewer id must be 1 to 128 characters from [A-Za-z0-9._:@-]; was "),
                e.getMessage());
    }

    @Test
    void theRejectedCharacterAndItsIndexAreNamedWithoutEchoingControlCharacters() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new ViewerId("ab\ncd"));
        assertEquals("viewer id must be 1 to 128 characters from [A-Za-z0-9._:@-]; was \"ab\\u000acd\" with"
                + " \"\\u000a\" at index 2", e.getMessage());
    }

    @Test
    void nullIsRejected() {
        assertEquals("viewer id must be 1 to 128 characters from [A-Za-z0-9._:@-]; was null",
                assertThrows(IllegalArgumentException.class, () -> new ViewerId(null)).getMessage());
    }
}

package dev.vitrine.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ArtifactIdTest {

    private static final Pattern DNS_LABEL_SAFE = Pattern.compile("[a-z2-7]{26}");

    @Test
    void randomIdsAre26LowercaseBase32Characters() {
        SecureRandom random = new SecureRandom();
        for (int i = 0; i < 1_000; i++) {
            String value = ArtifactId.random(random).value();
            assertTrue(DNS_LABEL_SAFE.matcher(value).matches(), value);
        }
    }

    @Test
    void randomIdsDoNotRepeat() {
        SecureRandom random = new SecureRandom();
        Set<ArtifactId> seen = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            assertTrue(seen.add(ArtifactId.random(random)));
        }
    }

    /** Expected values come from Python's base64.b32encode, lowercased, padding removed. */
    @Test
    void randomEncodesThe128BitsAsLowercaseRfc4648Base32() {
        assertEquals("aaaqeayeaudaocajbifqydiob4", idFromBytes(new byte[] {
                0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15}).value());
        assertEquals("aaaaaaaaaaaaaaaaaaaaaaaa74", idFromBytes(new byte[] {
                0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff}).value());
        // 25 characters of five one-bits, then three one-bits and two padding zeros (11100 = '4').
        assertEquals("77777777777777777777777774", idFromBytes(allOnes()).value());
    }

    @Test
    void parseAcceptsWhatRandomProducesAndToStringIsTheValue() {
        ArtifactId id = ArtifactId.random(new SecureRandom());

        assertEquals(id, ArtifactId.parse(id.toString()));
        assertEquals(id.value(), id.toString());
    }

    @Test
    void parseRejectsTheWrongLength() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ArtifactId.parse("abc"));
        assertEquals("artifact id must be 26 lowercase base32 characters [a-z2-7]; was \"abc\" with length 3",
                e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "Aaaaaaaaaaaaaaaaaaaaaaaaaa", // uppercase
        "aaaaaaaaaaaaaaaaaaaaaaaa0a", // 0 is not in the base32 alphabet
        "aaaaaaaaaaaaaaaaaaaaaaaa8a", // nor is 8
        "aaaaaaaaaaaaaaaaaaaaaaaa=a", // padding
        "aaaaaaaaaaaaaaaaaaaaaaaa.a", // would split a DNS label
        "aaaaaaaaaaaaaaaaaaaaaaaa-a"})
    void parseRejectsCharactersOutsideLowercaseBase32(String value) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ArtifactId.parse(value));
        assertTrue(e.getMessage().startsWith("artifact id must contain only lowercase base32 characters [a-z2-7]"),
                e.getMessage());
    }

    @Test
    void parseRejectsANonCanonicalLastCharacter() {
        // 'b' sets a padding bit: it would decode to the same 128 bits as 'a'.
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ArtifactId.parse("aaaaaaaaaaaaaaaaaaaaaaaaab"));
        assertEquals("artifact id must be canonical base32 (the last character encodes 3 bits, so it must be one"
                + " of aeimquy4); was \"aaaaaaaaaaaaaaaaaaaaaaaaab\"", e.getMessage());
    }

    @Test
    void parseRejectsNull() {
        assertThrows(IllegalArgumentException.class, () -> ArtifactId.parse(null));
    }

    @Test
    void errorMessagesDoNotEchoControlCharactersOrHugeInput() {
        IllegalArgumentException forged = assertThrows(IllegalArgumentException.class,
                () -> ArtifactId.parse("x\nERROR fake log line"));
        assertTrue(forged.getMessage().contains("\"x\\u000aERROR fake log line\""), forged.getMessage());

        IllegalArgumentException huge = assertThrows(IllegalArgumentException.class,
                () -> ArtifactId.parse("a".repeat(1_000_000)));
        assertTrue(huge.getMessage().length() < 300, "message length " + huge.getMessage().length());
    }

    @Test
    void idsWithDifferentValuesAreNotEqual() {
        SecureRandom random = new SecureRandom();
        assertNotEquals(ArtifactId.random(random), ArtifactId.random(random));
    }

    private static byte[] allOnes() {
        byte[] bytes = new byte[16];
        Arrays.fill(bytes, (byte) 0xff);
        return bytes;
    }

    /** A SecureRandom that returns exactly {@code bytes}, to pin the encoding. */
    private static ArtifactId idFromBytes(byte[] bytes) {
        return ArtifactId.random(new SecureRandom() {
            private static final long serialVersionUID = 1L;

            @Override
            public void nextBytes(byte[] out) {
                System.arraycopy(bytes, 0, out, 0, out.length);
            }
        });
    }
}

package dev.vitrine.storage;

import java.security.SecureRandom;
import java.util.Objects;

/**
 * Identifies an artifact: 128 random bits written as 26 lowercase base32 characters (RFC 4648
 * alphabet {@code a-z2-7}, no padding).
 *
 * <p>Lowercase base32 rather than hex or base64 because the id is meant to become a DNS label
 * ({@code <id>.sandbox.example}) for per-artifact origins: browsers lowercase host names, so a
 * mixed-case alphabet like base64 would not survive the trip, and base32 uses only letters and
 * digits, which every label may hold. At 26 characters it stays far below the 63-character label
 * limit and is shorter than the 32 of hex. 128 random bits make ids unguessable, so knowing one
 * artifact's id reveals nothing about another's.
 *
 * <pre>{@code
 * ArtifactId id = ArtifactId.random(secureRandom);   // e.g. "mfrggzdfmztwq2lknnwg23tpoa"
 * ArtifactId same = ArtifactId.parse(id.toString()); // equal to id
 * }</pre>
 *
 * @param value the 26-character canonical form
 */
public record ArtifactId(String value) {

    /** Number of characters: 128 bits at 5 bits per character, rounded up. */
    public static final int LENGTH = 26;

    private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz234567";
    private static final int BITS = 128;
    /** The last character carries 128 - 25 * 5 = 3 bits; its low 2 bits are padding. */
    private static final int PADDING_BITS = LENGTH * 5 - BITS;

    /**
     * @throws IllegalArgumentException if {@code value} is not 26 lowercase base32 characters
     *         in canonical form
     */
    public ArtifactId {
        Objects.requireNonNull(value, "artifact id must not be null");
        if (value.length() != LENGTH) {
            throw new IllegalArgumentException("artifact id must be " + LENGTH
                    + " lowercase base32 characters [a-z2-7]; was " + UntrustedText.quote(value)
                    + " with length " + value.length());
        }
        for (int i = 0; i < LENGTH; i++) {
            if (ALPHABET.indexOf(value.charAt(i)) < 0) {
                throw new IllegalArgumentException("artifact id must contain only lowercase base32"
                        + " characters [a-z2-7]; was " + UntrustedText.quote(value)
                        + " with " + UntrustedText.quote(String.valueOf(value.charAt(i)))
                        + " at index " + i);
            }
        }
        // Without this check four different strings would name the same 128 bits; requiring
        // zero padding keeps exactly one spelling per id, as RFC 4648 section 3.5 asks.
        int last = ALPHABET.indexOf(value.charAt(LENGTH - 1));
        if ((last & ((1 << PADDING_BITS) - 1)) != 0) {
            throw new IllegalArgumentException("artifact id must be canonical base32 (the last"
                    + " character encodes 3 bits, so it must be one of "
                    + canonicalLastCharacters() + "); was " + UntrustedText.quote(value));
        }
    }

    /** Returns a new id made of 128 bits from {@code random}. */
    public static ArtifactId random(SecureRandom random) {
        Objects.requireNonNull(random, "random must not be null");
        byte[] bits = new byte[BITS / 8];
        random.nextBytes(bits);
        return new ArtifactId(encode(bits));
    }

    /**
     * Parses the canonical form, typically taken from a URL path.
     *
     * @throws IllegalArgumentException if {@code value} is not a canonical id
     */
    public static ArtifactId parse(String value) {
        if (value == null) {
            throw new IllegalArgumentException("artifact id must be " + LENGTH
                    + " lowercase base32 characters [a-z2-7]; was null");
        }
        return new ArtifactId(value);
    }

    @Override
    public String toString() {
        return value;
    }

    private static String encode(byte[] bytes) {
        StringBuilder out = new StringBuilder(LENGTH);
        int buffer = 0;
        int buffered = 0;
        for (byte b : bytes) {
            buffer = (buffer << 8) | (b & 0xff);
            buffered += 8;
            while (buffered >= 5) {
                buffered -= 5;
                out.append(ALPHABET.charAt((buffer >>> buffered) & 0x1f));
            }
        }
        if (buffered > 0) {
            out.append(ALPHABET.charAt((buffer << (5 - buffered)) & 0x1f));
        }
        return out.toString();
    }

    private static String canonicalLastCharacters() {
        StringBuilder allowed = new StringBuilder();
        for (int i = 0; i < ALPHABET.length(); i += 1 << PADDING_BITS) {
            allowed.append(ALPHABET.charAt(i));
        }
        return allowed.toString();
    }
}

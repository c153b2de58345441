package dev.vitrine.storage;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Lowercase hex SHA-256 of UTF-8 text: version hashes and migration script checksums. */
final class Sha256 {

    private Sha256() {
    }

    static String hex(String text) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(digest.digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            // Every Java platform must provide SHA-256 (MessageDigest javadoc), so this is a broken JDK.
            throw new IllegalStateException("SHA-256 is not available in this JDK", e);
        }
    }
}

package dev.vitrine.server;

import dev.vitrine.storage.ArtifactId;
import dev.vitrine.storage.ViewerId;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signed, expiring capabilities that let one viewer use one artifact's storage. The chat
 * backend mints them with its API key; the embed SDK on the chat page presents them; the
 * artifact's own realm never sees one. Format: {@code v1.<payload>.<mac>}, both base64url,
 * payload {@code <artifact id>|<viewer id>|<version>|<expiry epoch seconds>}, HMAC-SHA256 with a key
 * every node shares through the database.
 */
final class ViewerTokens {
    private static final String VERSION = "v1";
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

    /** A minted token and when it stops working. */
    record Minted(String token, Instant expiresAt) {
    }

    /** What a valid token grants: storage of its artifact as this viewer, viewing this version. */
    record Grant(ViewerId viewer, int version) {
    }

    private final SecretKeySpec key;
    private final Clock clock;

    ViewerTokens(byte[] secret, Clock clock) {
        if (secret.length < 32) {
            throw new IllegalArgumentException("a viewer token key needs at least 32 bytes, got " + secret.length);
        }
        this.key = new SecretKeySpec(secret, "HmacSHA256");
        this.clock = clock;
    }

    Minted mint(ArtifactId artifact, ViewerId viewer, int version, Duration lifetime) {
        Instant expiresAt = clock.instant().plus(lifetime);
        String payload = ENCODER.encodeToString((artifact.value() + "|" + viewer.value() + "|" + version + "|" + expiresAt.getEpochSecond())
                .getBytes(StandardCharsets.UTF_8));
        return new Minted(VERSION + "." + payload + "." + ENCODER.encodeToString(mac(payload)), expiresAt);
    }

    /**
     * What a token grants, if it is genuine, unexpired and made for {@code artifact}.
     *
     * @throws ApiException 403 {@code invalid_token} or {@code token_expired}
     */
    Grant verify(String token, ArtifactId artifact) {
        String[] parts = token == null ? new String[0] : token.split("\\.", -1);
        if (parts.length != 3 || !parts[0].equals(VERSION)) {
            throw invalid();
        }
        byte[] presented;
        String[] fields;
        try {
            presented = DECODER.decode(parts[2]);
            fields = new String(DECODER.decode(parts[1]), StandardCharsets.UTF_8).split("\\|", -1);
        } catch (IllegalArgumentException e) {
            throw invalid();
        }
        if (!MessageDigest.isEqual(mac(parts[1]), presented) || fields.length != 4) {
            throw invalid();
        }
        if (!fields[0].equals(artifact.value())) {
            throw new ApiException(403, "invalid_token", "this viewer token was made for another artifact");
        }
        long expiry;
        int version;
        try {
            version = Integer.parseInt(fields[2]);
            expiry = Long.parseLong(fields[3]);
        } catch (NumberFormatException e) {
            throw invalid();
        }
        if (clock.instant().getEpochSecond() >= expiry) {
            throw new ApiException(403, "token_expired", "this viewer token has expired; ask the chat backend for a new one");
        }
        return new Grant(new ViewerId(fields[1]), version);
    }

    private byte[] mac(String payload) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac.doFinal(payload.getBytes(StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JDK has HmacSHA256", e);
        }
    }

    private static ApiException invalid() {
        return new ApiException(403, "invalid_token", "the viewer token is not one this server issued");
    }
}

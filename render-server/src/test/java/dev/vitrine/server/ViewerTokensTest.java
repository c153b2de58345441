package dev.vitrine.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.vitrine.storage.ArtifactId;
import dev.vitrine.storage.ViewerId;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ViewerTokensTest {
    private static final ArtifactId ARTIFACT = ArtifactId.parse("aaaaaaaaaaaaaaaaaaaaaaaaaa");
    private static final ArtifactId OTHER = ArtifactId.parse("bbbbbbbbbbbbbbbbbbbbbbbbba");
    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final ViewerTokens tokens = new ViewerTokens(new byte[32], clock);

    @Test
    void mintedTokenGrantsItsViewerAndVersion() {
        String token = tokens.mint(ARTIFACT, new ViewerId("alice@chat"), 3, Duration.ofMinutes(5)).token();
        assertEquals(new ViewerTokens.Grant(new ViewerId("alice@chat"), 3), tokens.verify(token, ARTIFACT));
    }

    @Test
    void tokenStopsWorkingAtItsExpiry() {
        String token = tokens.mint(ARTIFACT, new ViewerId("alice"), 1, Duration.ofMinutes(5)).token();
        clock.advance(Duration.ofMinutes(5));
        assertEquals("token_expired", assertThrows(ApiException.class, () -> tokens.verify(token, ARTIFACT)).code());
    }

    @Test
    void tokenSignedWithAnotherKeyIsInvalid() {
        byte[] otherKey = new byte[32];
        Arrays.fill(otherKey, (byte) 1);
        String token = new ViewerTokens(otherKey, clock).mint(ARTIFACT, new ViewerId("alice"), 1, Duration.ofMinutes(5)).token();
        assertEquals("invalid_token", assertThrows(ApiException.class, () -> tokens.verify(token, ARTIFACT)).code());
    }

    @Test
    void tokenForAnotherArtifactIsInvalid() {
        String token = tokens.mint(OTHER, new ViewerId("alice"), 1, Duration.ofMinutes(5)).token();
        assertEquals(403, assertThrows(ApiException.class, () -> tokens.verify(token, ARTIFACT)).status());
    }

    @Test
    void payloadEditedToAnotherViewerIsInvalid() {
        String token = tokens.mint(ARTIFACT, new ViewerId("alice"), 1, Duration.ofMinutes(5)).token();
        String[] parts = token.split("\\.");
        String forgedPayload = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
                (ARTIFACT + "|mallory|1|" + Instant.parse("2027-01-01T00:00:00Z").getEpochSecond()).getBytes());
        assertEquals("invalid_token", assertThrows(ApiException.class,
                () -> tokens.verify(parts[0] + "." + forgedPayload + "." + parts[2], ARTIFACT)).code());
    }
}

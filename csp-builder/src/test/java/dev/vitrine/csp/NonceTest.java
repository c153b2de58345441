package dev.vitrine.csp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class NonceTest {

  /** SHA1PRNG seeded before first use is deterministic, which makes the generator testable. */
  private static SecureRandom seeded(long seed) throws NoSuchAlgorithmException {
    SecureRandom random = SecureRandom.getInstance("SHA1PRNG");
    random.setSeed(seed);
    return random;
  }

  @Test
  void generatedNoncesAre24Base64CharactersCarrying144Bits() throws Exception {
    Nonce nonce = new NonceGenerator(seeded(1)).next();
    assertEquals(24, nonce.value().length());
    assertEquals(18, Base64.getDecoder().decode(nonce.value()).length);
    assertTrue(nonce.value().matches("[A-Za-z0-9+/]{24}"), nonce.value());
  }

  @Test
  void tenThousandGeneratedNoncesAreAllDifferent() throws Exception {
    NonceGenerator generator = new NonceGenerator(seeded(2));
    Set<Nonce> seen = new HashSet<>();
    for (int i = 0; i < 10_000; i++) {
      assertTrue(seen.add(generator.next()));
    }
  }

  @Test
  void theInjectedRandomnessAloneDecidesTheNonces() throws Exception {
    NonceGenerator first = new NonceGenerator(seeded(42));
    NonceGenerator second = new NonceGenerator(seeded(42));
    NonceGenerator other = new NonceGenerator(seeded(43));
    Nonce a = first.next();
    assertEquals(a, second.next());
    assertNotEquals(a, other.next());
  }

  @Test
  void aGeneratorNeedsARandomSource() {
    assertThrows(NullPointerException.class, () -> new NonceGenerator(null));
  }

  @Test
  void aNonceShorterThan128BitsIsRejectedWithItsBitCount() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Nonce("abcdefghijklmnopqrstu"));
    assertTrue(e.getMessage().contains("'abcdefghijklmnopqrstu'"), e.getMessage());
    assertTrue(e.getMessage().contains("126 bits"), e.getMessage());
  }

  @Test
  void aNonceOutsideTheBase64AlphabetIsRejected() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new Nonce("abcdefghijklmnopqrstuvw'x"));
    assertTrue(e.getMessage().contains("not base64"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new Nonce("abcdefghijklmnopqrstuvwx==="));
    assertThrows(IllegalArgumentException.class, () -> new Nonce(null));
  }

  @Test
  void base64UrlAndPaddedNoncesAreAccepted() {
    assertEquals("abcdefghij-_klmnopqrstuv==", new Nonce("abcdefghij-_klmnopqrstuv==").value());
  }
}

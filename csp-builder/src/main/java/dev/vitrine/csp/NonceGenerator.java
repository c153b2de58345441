package dev.vitrine.csp;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.Objects;

/**
 * Makes a fresh {@link Nonce} per response: 18 random bytes, which encode to exactly 24 base64
 * characters (144 bits, no padding). Thread-safe, as {@link SecureRandom} is.
 *
 * <pre>{@code
 * NonceGenerator nonces = new NonceGenerator(new SecureRandom()); // once, at start-up
 * Nonce nonce = nonces.next();                                   // per response
 * }</pre>
 */
public final class NonceGenerator {

  /** 18 bytes: above the 128 bits CSP asks for, and a multiple of 3 so base64 needs no '='. */
  private static final int BYTES = 18;

  private final SecureRandom random;

  /** The randomness is injected so tests can seed it; production passes {@code new SecureRandom()}. */
  public NonceGenerator(SecureRandom random) {
    this.random = Objects.requireNonNull(random, "random");
  }

  public Nonce next() {
    byte[] bytes = new byte[BYTES];
    random.nextBytes(bytes);
    return new Nonce(Base64.getEncoder().encodeToString(bytes));
  }
}

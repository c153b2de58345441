package dev.vitrine.csp;

/**
 * A CSP nonce value: the part between {@code 'nonce-} and {@code '}. Valid values use the
 * base64 (or base64url) alphabet and carry at least 128 bits, so they cannot be guessed; get
 * fresh ones from a {@link NonceGenerator}, one per response.
 *
 * <pre>{@code
 * Nonce nonce = new NonceGenerator(new SecureRandom()).next();
 * String attribute = "<script nonce=\"" + nonce.value() + "\">";
 * SourceExpression.nonce(nonce).render(); // "'nonce-…'"
 * }</pre>
 *
 * @param value base64 characters, optionally padded with up to two {@code =}
 */
public record Nonce(String value) {

  /** 22 base64 characters carry 132 bits, the shortest encoding of 128. */
  static final int MIN_CHARS = 22;

  public Nonce {
    if (value == null) {
      throw new IllegalArgumentException("nonce value is null; a nonce needs at least 128 bits");
    }
    int significant = Base64Grammar.significantLength(value);
    if (significant < 0) {
      throw new IllegalArgumentException(
          "nonce value " + Printable.quote(value)
              + " is not base64: only A-Z a-z 0-9 + / - _ followed by at most two '=' are allowed");
    }
    if (significant < MIN_CHARS) {
      throw new IllegalArgumentException(
          "nonce value " + Printable.quote(value) + " is too short: " + significant
              + " base64 characters carry " + (significant * 6) + " bits, a nonce needs at least"
              + " 128 bits (" + MIN_CHARS + " characters) so it cannot be guessed");
    }
  }
}

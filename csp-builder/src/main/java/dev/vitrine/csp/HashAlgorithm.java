package dev.vitrine.csp;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;

/**
 * The digest algorithms a CSP hash source may name.
 *
 * <pre>{@code
 * SourceExpression.hash(HashAlgorithm.SHA384, "console.log(1)").render(); // "'sha384-…'"
 * }</pre>
 */
public enum HashAlgorithm {
  SHA256("sha256", "SHA-256", 32),
  SHA384("sha384", "SHA-384", 48),
  SHA512("sha512", "SHA-512", 64);

  private final String prefix;
  private final String jcaName;
  private final int digestBytes;

  HashAlgorithm(String prefix, String jcaName, int digestBytes) {
    this.prefix = prefix;
    this.jcaName = jcaName;
    this.digestBytes = digestBytes;
  }

  /** The name as written in a hash source, e.g. {@code sha256}. */
  public String prefix() {
    return prefix;
  }

  /** Length of a digest in bytes; a hash source of any other length can never match. */
  public int digestBytes() {
    return digestBytes;
  }

  static Optional<HashAlgorithm> byPrefix(String prefix) {
    String lower = Ascii.lowercase(prefix);
    for (HashAlgorithm algorithm : values()) {
      if (algorithm.prefix.equals(lower)) {
        return Optional.of(algorithm);
      }
    }
    return Optional.empty();
  }

  byte[] digest(byte[] input) {
    try {
      return MessageDigest.getInstance(jcaName).digest(input);
    } catch (NoSuchAlgorithmException e) {
      // Every Java SE runtime must provide SHA-256/384/512, so this is a broken JDK.
      throw new IllegalStateException("JDK lacks required digest " + jcaName, e);
    }
  }
}

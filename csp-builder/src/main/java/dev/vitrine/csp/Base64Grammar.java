package dev.vitrine.csp;

import java.util.Base64;
import java.util.Optional;

/** CSP's {@code base64-value}: base64 or base64url characters, then at most two {@code =}. */
final class Base64Grammar {

  private Base64Grammar() {}

  /**
   * Returns the number of characters before the padding, or -1 if {@code value} is not a
   * {@code base64-value}.
   */
  static int significantLength(String value) {
    int end = value.length();
    int padding = 0;
    while (end > 0 && value.charAt(end - 1) == '=' && padding < 2) {
      end--;
      padding++;
    }
    if (end == 0) {
      return -1;
    }
    for (int i = 0; i < end; i++) {
      char c = value.charAt(i);
      if (!Ascii.isAlphaNumeric(c) && c != '+' && c != '/' && c != '-' && c != '_') {
        return -1;
      }
    }
    return end;
  }

  /**
   * Decodes a base64 or base64url value. Browsers map base64url to base64 before comparing
   * hashes (CSP3 "does a source list match a hash"), so both spellings mean the same digest.
   */
  static Optional<byte[]> decode(String value) {
    if (significantLength(value) < 0) {
      return Optional.empty();
    }
    String standard = value.replace('-', '+').replace('_', '/');
    try {
      return Optional.of(Base64.getDecoder().decode(standard));
    } catch (IllegalArgumentException notBase64) {
      return Optional.empty();
    }
  }
}

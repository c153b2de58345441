package dev.vitrine.csp;

/**
 * ASCII character classes of the CSP grammar. {@link String#toLowerCase} is not used for names
 * because it maps some non-ASCII letters onto ASCII ones (KELVIN SIGN to {@code k}), which would
 * let a look-alike token pass as a known one.
 */
final class Ascii {

  private Ascii() {}

  static boolean isAlpha(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }

  static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  static boolean isAlphaNumeric(char c) {
    return isAlpha(c) || isDigit(c);
  }

  /** CSP's "ASCII whitespace": tab, line feed, form feed, carriage return, space. */
  static boolean isWhitespace(char c) {
    return c == '\t' || c == '\n' || c == '\f' || c == '\r' || c == ' ';
  }

  /** Visible ASCII, U+0021 to U+007E. */
  static boolean isVisible(char c) {
    return c > 0x20 && c < 0x7f;
  }

  static String lowercase(String text) {
    char[] chars = text.toCharArray();
    for (int i = 0; i < chars.length; i++) {
      if (chars[i] >= 'A' && chars[i] <= 'Z') {
        chars[i] = (char) (chars[i] + ('a' - 'A'));
      }
    }
    return new String(chars);
  }

  /** True for an RFC 9110 token: the grammar of header names and of report-to group names. */
  static boolean isToken(String text) {
    if (text.isEmpty()) {
      return false;
    }
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (!isAlphaNumeric(c) && "!#$%&'*+-.^_`|~".indexOf(c) < 0) {
        return false;
      }
    }
    return true;
  }
}

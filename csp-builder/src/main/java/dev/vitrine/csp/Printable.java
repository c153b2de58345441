package dev.vitrine.csp;

/**
 * Makes untrusted text safe to put in an exception message: policies come from operators' config
 * files and may hold control characters or megabytes of junk, and messages end up in logs.
 */
final class Printable {

  private static final int MAX_LENGTH = 80;

  private Printable() {}

  /** Returns {@code text} in single quotes, non-printable ASCII escaped, long text cut. */
  static String quote(String text) {
    if (text == null) {
      return "null";
    }
    StringBuilder out = new StringBuilder(Math.min(text.length(), MAX_LENGTH) + 8).append('\'');
    int limit = Math.min(text.length(), MAX_LENGTH);
    for (int i = 0; i < limit; i++) {
      char c = text.charAt(i);
      if (c >= 0x20 && c < 0x7f && c != '\\') {
        out.append(c);
      } else {
        out.append(String.format("\\u%04x", (int) c));
      }
    }
    if (text.length() > MAX_LENGTH) {
      out.append("...(").append(text.length()).append(" chars)");
    }
    return out.append('\'').toString();
  }
}

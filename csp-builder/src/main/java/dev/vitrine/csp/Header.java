package dev.vitrine.csp;

/**
 * One HTTP response header, validated so that it cannot split a response: the name is an HTTP
 * token and the value holds no CR, LF or other control character.
 *
 * <pre>{@code
 * Header nosniff = new Header("X-Content-Type-Options", "nosniff");
 * }</pre>
 *
 * @param name the header name, an RFC 9110 token
 * @param value the header value: visible ASCII, spaces and tabs, not starting or ending with one
 */
public record Header(String name, String value) {

  public Header {
    if (name == null || !Ascii.isToken(name)) {
      throw new IllegalArgumentException(
          "header name " + Printable.quote(name) + " must be an HTTP token"
              + " (letters, digits and !#$%&'*+-.^_`|~)");
    }
    if (value == null) {
      throw new IllegalArgumentException("header " + name + " value is null");
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (!Ascii.isVisible(c) && c != ' ' && c != '\t') {
        throw new IllegalArgumentException(
            String.format("header %s value %s has U+%04X at index %d; only visible ASCII, space"
                + " and tab are allowed (CR or LF would split the response)",
                name, Printable.quote(value), (int) c, i));
      }
    }
    if (!value.equals(value.strip())) {
      throw new IllegalArgumentException(
          "header " + name + " value " + Printable.quote(value)
              + " starts or ends with whitespace, which servers and proxies strip inconsistently");
    }
  }
}

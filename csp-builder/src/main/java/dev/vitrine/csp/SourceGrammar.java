package dev.vitrine.csp;

import java.net.URI;
import java.util.Base64;

/**
 * The source-expression grammar of CSP Level 3, section 2.3.1. Kept strict: a token a browser
 * would ignore (and so silently allow less or more than it reads) is rejected with the rule it
 * breaks.
 */
final class SourceGrammar {

  private SourceGrammar() {}

  /** Parses one token of a source list. */
  static SourceExpression parseSource(String token) {
    if (token.startsWith("'")) {
      return parseQuoted(token);
    }
    int colon = token.indexOf(':');
    if (colon == token.length() - 1 && colon > 0) {
      return new SourceExpression.SchemeSource(token.substring(0, colon));
    }
    return parseHost(token);
  }

  private static SourceExpression parseQuoted(String token) {
    if (token.length() < 3 || !token.endsWith("'")) {
      throw new IllegalArgumentException(
          "source expression " + Printable.quote(token) + " opens a quote it does not close");
    }
    var keyword = Keyword.byToken(token);
    if (keyword.isPresent()) {
      return new SourceExpression.KeywordSource(keyword.get());
    }
    String inner = token.substring(1, token.length() - 1);
    int dash = inner.indexOf('-');
    String prefix = dash < 0 ? inner : Ascii.lowercase(inner.substring(0, dash));
    if (prefix.equals("nonce")) {
      return new SourceExpression.NonceSource(new Nonce(inner.substring(dash + 1)));
    }
    var algorithm = HashAlgorithm.byPrefix(prefix);
    if (algorithm.isPresent() && dash >= 0) {
      return new SourceExpression.HashSource(algorithm.get(), inner.substring(dash + 1));
    }
    throw new IllegalArgumentException(
        "source expression " + Printable.quote(token)
            + " is not a CSP keyword, 'nonce-…' or 'sha256/384/512-…' source");
  }

  static SourceExpression.HostSource parseHost(String text) {
    if (text == null || text.isEmpty()) {
      throw new IllegalArgumentException("host source is empty; write 'none' to allow nothing");
    }
    String rest = text;
    String scheme = "";
    int separator = rest.indexOf("://");
    if (separator == 0) {
      // Browsers ignore such a source; read as scheme-less it would render as a host they honour.
      throw new IllegalArgumentException(
          "host source " + Printable.quote(text) + " has '://' with no scheme before it");
    }
    if (separator > 0) {
      scheme = rest.substring(0, separator);
      rest = rest.substring(separator + 3);
    }
    int hostEnd = 0;
    while (hostEnd < rest.length() && rest.charAt(hostEnd) != ':' && rest.charAt(hostEnd) != '/') {
      hostEnd++;
    }
    String host = rest.substring(0, hostEnd);
    rest = rest.substring(hostEnd);
    String port = "";
    if (rest.startsWith(":")) {
      int portEnd = rest.indexOf('/');
      portEnd = portEnd < 0 ? rest.length() : portEnd;
      port = rest.substring(1, portEnd);
      rest = rest.substring(portEnd);
      if (port.isEmpty()) {
        throw new IllegalArgumentException(
            "host source " + Printable.quote(text) + " has a ':' but no port after it");
      }
    }
    try {
      return new SourceExpression.HostSource(scheme, host, port, rest);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "host source " + Printable.quote(text) + " is invalid: " + e.getMessage(), e);
    }
  }

  static SourceExpression.HostSource fromUri(URI uri, boolean withPath) {
    String what = withPath ? "URL for a path-limited host source" : "origin for a host source";
    if (uri == null) {
      throw new IllegalArgumentException(what + " is null");
    }
    String shown = Printable.quote(uri.toString());
    if (!uri.isAbsolute() || uri.isOpaque() || uri.getHost() == null) {
      throw new IllegalArgumentException(
          what + " " + shown + " must be an absolute URL with a host, like http://127.0.0.1:8081");
    }
    if (uri.getRawUserInfo() != null) {
      throw new IllegalArgumentException(what + " " + shown + " must not carry user info");
    }
    if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
      throw new IllegalArgumentException(
          what + " " + shown + " must not have a query or fragment; CSP matching ignores them");
    }
    String path = uri.getRawPath() == null ? "" : uri.getRawPath();
    if (withPath && path.isEmpty()) {
      throw new IllegalArgumentException(
          what + " " + shown + " has no path; use SourceExpression.host(URI) for a whole origin");
    }
    if (!withPath) {
      if (!path.isEmpty() && !path.equals("/")) {
        throw new IllegalArgumentException(
            what + " " + shown + " must be scheme, host and port only, without the path " + Printable.quote(path));
      }
      path = "";
    }
    String port = uri.getPort() < 0 ? "" : Integer.toString(uri.getPort());
    try {
      return new SourceExpression.HostSource(uri.getScheme(), uri.getHost(), port, path);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(what + " " + shown + " is invalid: " + e.getMessage(), e);
    }
  }

  static String requireScheme(String scheme, String what) {
    if (scheme == null || scheme.isEmpty()) {
      throw new IllegalArgumentException(what + " has an empty scheme");
    }
    boolean valid = Ascii.isAlpha(scheme.charAt(0));
    for (int i = 1; i < scheme.length() && valid; i++) {
      char c = scheme.charAt(i);
      valid = Ascii.isAlphaNumeric(c) || c == '+' || c == '-' || c == '.';
    }
    if (!valid) {
      throw new IllegalArgumentException(
          what + " scheme " + Printable.quote(scheme)
              + " must be a letter followed by letters, digits, '+', '-' or '.'");
    }
    return Ascii.lowercase(scheme);
  }

  static String requireHost(String host) {
    if (host == null || host.isEmpty()) {
      throw new IllegalArgumentException("host is empty");
    }
    if (host.equals("*")) {
      return host;
    }
    String names = host.startsWith("*.") ? host.substring(2) : host;
    if (names.endsWith(".")) {
      // A trailing dot (fully qualified name) is allowed by the CSP grammar.
      names = names.substring(0, names.length() - 1);
    }
    for (String label : names.split("\\.", -1)) {
      if (label.isEmpty()) {
        throw new IllegalArgumentException(
            "host " + Printable.quote(host) + " has an empty label; '*' may only stand alone or"
                + " as the whole first label");
      }
      for (int i = 0; i < label.length(); i++) {
        char c = label.charAt(i);
        if (!Ascii.isAlphaNumeric(c) && c != '-') {
          throw new IllegalArgumentException(
              "host " + Printable.quote(host) + " has " + Printable.quote(String.valueOf(c))
                  + "; CSP host names allow only A-Z a-z 0-9 '-' and '.' (no IPv6 literals)");
        }
      }
    }
    return Ascii.lowercase(host);
  }

  static String requirePort(String port) {
    if (port.isEmpty() || port.equals("*")) {
      return port;
    }
    boolean digits = port.length() <= 5;
    for (int i = 0; i < port.length() && digits; i++) {
      digits = Ascii.isDigit(port.charAt(i));
    }
    if (!digits || Integer.parseInt(port) > 65535) {
      throw new IllegalArgumentException(
          "port " + Printable.quote(port) + " must be '*' or a number from 0 to 65535");
    }
    return port;
  }

  static String requirePath(String path) {
    if (path.isEmpty()) {
      return path;
    }
    if (!path.startsWith("/") || path.startsWith("//")) {
      throw new IllegalArgumentException(
          "path " + Printable.quote(path) + " must start with a single '/'");
    }
    for (int i = 0; i < path.length(); i++) {
      char c = path.charAt(i);
      if (c == '%') {
        if (i + 2 >= path.length() || !isHex(path.charAt(i + 1)) || !isHex(path.charAt(i + 2))) {
          throw new IllegalArgumentException(
              "path " + Printable.quote(path) + " has a '%' not followed by two hex digits");
        }
      } else if (!Ascii.isAlphaNumeric(c) && "-._~!$&'()*+=:@/".indexOf(c) < 0) {
        // ';' and ',' are legal in URLs but end a directive or a policy in CSP: percent-encode.
        throw new IllegalArgumentException(
            "path " + Printable.quote(path) + " has " + Printable.quote(String.valueOf(c))
                + "; percent-encode it (';' and ',' would end the directive or the policy)");
      }
    }
    return path;
  }

  static String requireDigest(HashAlgorithm algorithm, String digest) {
    if (digest == null) {
      throw new IllegalArgumentException(algorithm.prefix() + " hash digest is null");
    }
    byte[] bytes =
        Base64Grammar.decode(digest)
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        algorithm.prefix() + " hash digest " + Printable.quote(digest)
                            + " is not base64"));
    if (bytes.length != algorithm.digestBytes()) {
      throw new IllegalArgumentException(
          algorithm.prefix() + " hash digest " + Printable.quote(digest) + " decodes to "
              + bytes.length + " bytes, but a " + algorithm.prefix() + " digest has "
              + algorithm.digestBytes() + "; it could never match");
    }
    return Base64.getEncoder().encodeToString(bytes);
  }

  private static boolean isHex(char c) {
    return Ascii.isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  }
}

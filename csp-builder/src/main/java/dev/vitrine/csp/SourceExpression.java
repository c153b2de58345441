package dev.vitrine.csp;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Objects;

/**
 * One entry of a CSP source list. Every implementation validates itself on construction, so a
 * {@code SourceExpression} always renders to a token browsers parse the way it reads.
 *
 * <pre>{@code
 * List<SourceExpression> sources = List.of(
 *     SourceExpression.self(),
 *     SourceExpression.scheme("data:"),
 *     SourceExpression.host("*.example.com"),
 *     SourceExpression.hostWithPath(URI.create("http://127.0.0.1:8081/f/")),
 *     SourceExpression.sha256("console.log('hi')"));
 * }</pre>
 */
public sealed interface SourceExpression {

  /** The token as written in a policy. */
  String render();

  /** A quoted keyword such as {@code 'self'}. */
  record KeywordSource(Keyword keyword) implements SourceExpression {
    public KeywordSource {
      Objects.requireNonNull(keyword, "keyword");
    }

    @Override
    public String render() {
      return keyword.render();
    }
  }

  /**
   * A scheme source such as {@code data:}: matches every URL of that scheme.
   *
   * @param scheme the scheme without the colon, lower case
   */
  record SchemeSource(String scheme) implements SourceExpression {
    public SchemeSource {
      scheme = SourceGrammar.requireScheme(scheme, "scheme source");
    }

    @Override
    public String render() {
      return scheme + ":";
    }
  }

  /**
   * A host source such as {@code https://a.example}, {@code *.example.com} or {@code
   * http://127.0.0.1:8081/f/}. Absent parts are empty strings rather than {@code null} so that
   * the record stays a plain value.
   *
   * @param scheme scheme without {@code ://}, lower case, or empty to mean "the page's scheme"
   * @param host {@code *}, a host name (optionally starting with {@code *.}) or an IPv4 address,
   *     lower case
   * @param port digits, {@code *} for any port, or empty for the scheme's default port
   * @param path empty, or an absolute path; a trailing {@code /} matches every path below it
   */
  record HostSource(String scheme, String host, String port, String path)
      implements SourceExpression {
    public HostSource {
      scheme = scheme == null || scheme.isEmpty() ? "" : SourceGrammar.requireScheme(scheme, "host source");
      host = SourceGrammar.requireHost(host);
      port = SourceGrammar.requirePort(port == null ? "" : port);
      path = SourceGrammar.requirePath(path == null ? "" : path);
    }

    /** True for {@code *}, {@code https://*} and {@code *.example.com}-style hosts. */
    public boolean hasWildcardHost() {
      return host.startsWith("*");
    }

    @Override
    public String render() {
      StringBuilder out = new StringBuilder();
      if (!scheme.isEmpty()) {
        out.append(scheme).append("://");
      }
      out.append(host);
      if (!port.isEmpty()) {
        out.append(':').append(port);
      }
      return out.append(path).toString();
    }
  }

  /** A nonce source, {@code 'nonce-…'}. Never put one in an artifact document's policy. */
  record NonceSource(Nonce nonce) implements SourceExpression {
    public NonceSource {
      Objects.requireNonNull(nonce, "nonce");
    }

    @Override
    public String render() {
      return "'nonce-" + nonce.value() + "'";
    }
  }

  /**
   * A hash source, {@code 'sha256-…'}. The digest is kept in canonical padded base64, because
   * browsers compare the text after mapping base64url to base64 and a missing {@code =} would
   * silently never match.
   *
   * @param algorithm the digest algorithm
   * @param digest the digest in base64 or base64url; must decode to {@link
   *     HashAlgorithm#digestBytes()} bytes
   */
  record HashSource(HashAlgorithm algorithm, String digest) implements SourceExpression {
    public HashSource {
      Objects.requireNonNull(algorithm, "algorithm");
      digest = SourceGrammar.requireDigest(algorithm, digest);
    }

    @Override
    public String render() {
      return "'" + algorithm.prefix() + "-" + digest + "'";
    }
  }

  /** {@code 'self'}: the origin the policy was delivered from. */
  static SourceExpression self() {
    return new KeywordSource(Keyword.SELF);
  }

  /** {@code 'none'}: nothing; must be the only source of its directive. */
  static SourceExpression none() {
    return new KeywordSource(Keyword.NONE);
  }

  static SourceExpression unsafeInline() {
    return new KeywordSource(Keyword.UNSAFE_INLINE);
  }

  static SourceExpression unsafeEval() {
    return new KeywordSource(Keyword.UNSAFE_EVAL);
  }

  static SourceExpression keyword(Keyword keyword) {
    return new KeywordSource(keyword);
  }

  /** A scheme source; {@code "data"} and {@code "data:"} both give {@code data:}. */
  static SourceExpression scheme(String scheme) {
    if (scheme != null && scheme.endsWith(":")) {
      scheme = scheme.substring(0, scheme.length() - 1);
    }
    return new SchemeSource(scheme);
  }

  /**
   * Parses a host source as written in a policy, e.g. {@code https://a.example}, {@code
   * *.example.com} or {@code http://127.0.0.1:8081/f/}.
   *
   * @throws IllegalArgumentException naming the part that breaks the CSP host-source grammar
   */
  static HostSource host(String hostSource) {
    return SourceGrammar.parseHost(hostSource);
  }

  /**
   * The host source for an origin: scheme, host and port of {@code origin}, which must carry
   * nothing else (a path of {@code /} is accepted as "no path").
   */
  static HostSource host(URI origin) {
    return SourceGrammar.fromUri(origin, false);
  }

  /**
   * A host source limited to the path of {@code url}, e.g. {@code http://127.0.0.1:8081/f/}. A
   * path ending in {@code /} allows everything below it; otherwise only that exact path.
   */
  static HostSource hostWithPath(URI url) {
    return SourceGrammar.fromUri(url, true);
  }

  static SourceExpression nonce(Nonce nonce) {
    return new NonceSource(nonce);
  }

  /** The {@code 'sha256-…'} source allowing an inline script or style whose text is exactly this. */
  static SourceExpression sha256(String inlineText) {
    return hash(HashAlgorithm.SHA256, inlineText);
  }

  /** The hash source allowing an inline script or style whose UTF-8 text is exactly this. */
  static SourceExpression hash(HashAlgorithm algorithm, String inlineText) {
    Objects.requireNonNull(algorithm, "algorithm");
    Objects.requireNonNull(inlineText, "inlineText");
    byte[] digest = algorithm.digest(inlineText.getBytes(StandardCharsets.UTF_8));
    return new HashSource(algorithm, Base64.getEncoder().encodeToString(digest));
  }
}

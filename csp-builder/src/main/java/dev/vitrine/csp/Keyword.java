package dev.vitrine.csp;

import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The quoted keyword sources of CSP Level 3.
 *
 * <pre>{@code
 * SourceExpression.keyword(Keyword.UNSAFE_EVAL).render(); // "'unsafe-eval'"
 * }</pre>
 */
public enum Keyword {
  SELF("'self'"),
  NONE("'none'"),
  UNSAFE_INLINE("'unsafe-inline'"),
  UNSAFE_EVAL("'unsafe-eval'"),
  STRICT_DYNAMIC("'strict-dynamic'"),
  UNSAFE_HASHES("'unsafe-hashes'"),
  WASM_UNSAFE_EVAL("'wasm-unsafe-eval'"),
  REPORT_SAMPLE("'report-sample'"),
  INLINE_SPECULATION_RULES("'inline-speculation-rules'");

  private static final Map<String, Keyword> BY_TOKEN =
      Stream.of(values()).collect(Collectors.toUnmodifiableMap(Keyword::render, Function.identity()));

  private final String token;

  Keyword(String token) {
    this.token = token;
  }

  /** The keyword as written in a policy, quotes included, e.g. {@code 'self'}. */
  public String render() {
    return token;
  }

  /** Finds the keyword for a quoted token, ignoring ASCII case as browsers do. */
  static Optional<Keyword> byToken(String token) {
    return Optional.ofNullable(BY_TOKEN.get(Ascii.lowercase(token)));
  }
}

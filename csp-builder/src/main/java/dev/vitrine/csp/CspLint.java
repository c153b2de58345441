package dev.vitrine.csp;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Judges a policy for pages that must stop XSS (the app origin), in the spirit of Google's
 * {@code csp_evaluator}. Do not run it against artifact documents: their {@code 'unsafe-inline'}
 * is deliberate (the artifact <em>is</em> the script), and it is the one error they report.
 *
 * <pre>{@code
 * List<Finding> findings = CspLint.check(policy);
 * ContentSecurityPolicy appPolicy = CspLint.requireStrong(ContentSecurityPolicy.parse(configured));
 * }</pre>
 */
public final class CspLint {

  /** {@code 'unsafe-inline'} next to a nonce or hash: old browsers run every inline script. */
  public static final String UNSAFE_INLINE_WITH_NONCE = "unsafe-inline-with-nonce";
  /** {@code 'unsafe-inline'} with no nonce or hash: any injected inline script runs. */
  public static final String UNSAFE_INLINE = "unsafe-inline";
  /** {@code *} or {@code *.host} where script or plugins come from. */
  public static final String WILDCARD_SOURCE = "wildcard-source";
  /** A scheme source such as {@code https:} or {@code data:} where script or plugins come from. */
  public static final String INSECURE_SCRIPT_SCHEME = "insecure-script-scheme";
  /** {@code 'strict-dynamic'} anywhere. */
  public static final String STRICT_DYNAMIC = "strict-dynamic";
  public static final String MISSING_OBJECT_SRC = "missing-object-src";
  public static final String MISSING_BASE_URI = "missing-base-uri";
  public static final String MISSING_SCRIPT_SRC = "missing-script-src";
  /** {@code 'unsafe-eval'} where script comes from (a warning only). */
  public static final String UNSAFE_EVAL = "unsafe-eval";

  /** Directives that decide where script or plugin content comes from. */
  private static final List<Directive> CODE_DIRECTIVES =
      List.of(Directive.DEFAULT_SRC, Directive.SCRIPT_SRC, Directive.SCRIPT_SRC_ELEM,
          Directive.SCRIPT_SRC_ATTR, Directive.OBJECT_SRC);

  private static final Set<String> INSECURE_SCHEMES = Set.of("http", "https", "data", "blob", "filesystem");

  private CspLint() {}

  /** All findings, errors and warnings, in a stable order (by rule, then by directive). */
  public static List<Finding> check(ContentSecurityPolicy policy) {
    List<Finding> findings = new ArrayList<>();
    Map<Directive, List<SourceExpression>> scriptLists = effectiveScriptLists(policy);

    scriptLists.forEach((directive, sources) -> {
      boolean inline = sources.contains(SourceExpression.unsafeInline());
      boolean nonceOrHash = sources.stream().anyMatch(CspLint::isNonceOrHash);
      if (inline && nonceOrHash) {
        findings.add(error(UNSAFE_INLINE_WITH_NONCE, directive,
            "'unsafe-inline' next to a nonce or hash: current browsers ignore it, older ones run"
                + " every inline script; keep only the nonce or hash"));
      } else if (inline) {
        findings.add(error(UNSAFE_INLINE, directive,
            "'unsafe-inline' without a nonce or hash runs any injected inline script or handler"));
      }
    });

    for (Directive directive : CODE_DIRECTIVES) {
      for (SourceExpression source : policy.sources(directive).orElse(List.of())) {
        if (source instanceof SourceExpression.HostSource host && host.hasWildcardHost()) {
          findings.add(error(WILDCARD_SOURCE, directive,
              "wildcard source " + host.render() + " lets code come from hosts nobody reviewed"));
        }
      }
    }

    for (Directive directive : CODE_DIRECTIVES) {
      for (SourceExpression source : policy.sources(directive).orElse(List.of())) {
        if (source instanceof SourceExpression.SchemeSource scheme
            && INSECURE_SCHEMES.contains(scheme.scheme())) {
          findings.add(error(INSECURE_SCRIPT_SCHEME, directive,
              "scheme source " + scheme.render() + " allows code from any URL of that scheme,"
                  + " including ones an attacker makes"));
        }
      }
    }

    for (Directive directive : policy.directives()) {
      if (directive.kind().isSourceList()
          && policy.sources(directive).orElseThrow().contains(SourceExpression.keyword(Keyword.STRICT_DYNAMIC))) {
        findings.add(error(STRICT_DYNAMIC, directive,
            "'strict-dynamic' passes trust on to every script a trusted one loads; in Vitrine that"
                + " propagation is exactly how a nonce'd page leaks"));
      }
    }

    boolean defaultNone = policy.sources(Directive.DEFAULT_SRC)
        .map(sources -> sources.equals(List.of(SourceExpression.none())))
        .orElse(false);
    if (!policy.has(Directive.OBJECT_SRC) && !defaultNone) {
      findings.add(error(MISSING_OBJECT_SRC, null,
          "no object-src and default-src is not 'none': plugins can load script-capable content;"
              + " add object-src 'none'"));
    }
    if (!policy.has(Directive.BASE_URI)) {
      findings.add(error(MISSING_BASE_URI, null,
          "no base-uri: an injected <base> redirects every relative script URL; add base-uri 'none'"
              + " (it does not fall back to default-src)"));
    }
    if (!policy.has(Directive.SCRIPT_SRC) && !policy.has(Directive.DEFAULT_SRC)) {
      findings.add(error(MISSING_SCRIPT_SRC, null,
          "neither script-src nor default-src: script may come from anywhere"));
    }

    scriptLists.forEach((directive, sources) -> {
      if (sources.contains(SourceExpression.unsafeEval())) {
        findings.add(new Finding(Severity.WARNING, UNSAFE_EVAL, Optional.of(directive),
            "'unsafe-eval' lets strings become code (eval, new Function, string timers)"));
      }
    });
    return List.copyOf(findings);
  }

  /**
   * Returns {@code policy} if it has no error finding.
   *
   * @throws WeakPolicyException listing every error finding
   */
  public static ContentSecurityPolicy requireStrong(ContentSecurityPolicy policy) {
    List<Finding> errors = check(policy).stream().filter(f -> f.severity() == Severity.ERROR).toList();
    if (!errors.isEmpty()) {
      throw new WeakPolicyException(policy, errors);
    }
    return policy;
  }

  /**
   * The lists that decide which script runs: script-src (or default-src when script-src is
   * absent, as browsers fall back), plus script-src-elem and script-src-attr when present.
   */
  private static Map<Directive, List<SourceExpression>> effectiveScriptLists(ContentSecurityPolicy policy) {
    Map<Directive, List<SourceExpression>> lists = new LinkedHashMap<>();
    Directive main = policy.has(Directive.SCRIPT_SRC) ? Directive.SCRIPT_SRC : Directive.DEFAULT_SRC;
    for (Directive directive : List.of(main, Directive.SCRIPT_SRC_ELEM, Directive.SCRIPT_SRC_ATTR)) {
      policy.sources(directive).ifPresent(sources -> lists.put(directive, sources));
    }
    return lists;
  }

  private static boolean isNonceOrHash(SourceExpression source) {
    return source instanceof SourceExpression.NonceSource || source instanceof SourceExpression.HashSource;
  }

  private static Finding error(String code, Directive directive, String message) {
    return new Finding(Severity.ERROR, code, Optional.ofNullable(directive), message);
  }
}

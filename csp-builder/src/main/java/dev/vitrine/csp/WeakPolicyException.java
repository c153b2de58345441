package dev.vitrine.csp;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A policy that {@link CspLint#requireStrong} refused. The message lists every error finding;
 * {@link #findings()} gives them as values.
 *
 * <pre>{@code
 * try {
 *   CspLint.requireStrong(ContentSecurityPolicy.parse(operatorPolicy));
 * } catch (WeakPolicyException e) {
 *   e.findings().forEach(f -> System.err.println(f));
 * }
 * }</pre>
 */
public final class WeakPolicyException extends IllegalArgumentException {

  private final transient List<Finding> findings;

  WeakPolicyException(ContentSecurityPolicy policy, List<Finding> findings) {
    super(
        "policy " + Printable.quote(policy.render()) + " is too weak for an app page: "
            + findings.stream().map(Finding::toString).collect(Collectors.joining("; ")));
    this.findings = List.copyOf(findings);
  }

  /** The error findings, in the order {@link CspLint#check} reported them. */
  public List<Finding> findings() {
    return findings;
  }
}

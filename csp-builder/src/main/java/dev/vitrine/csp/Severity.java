package dev.vitrine.csp;

/**
 * How bad a {@link Finding} is. {@link CspLint#requireStrong} refuses a policy with any {@link
 * #ERROR}; a {@link #WARNING} is worth a log line.
 *
 * <pre>{@code
 * boolean acceptable = CspLint.check(policy).stream().noneMatch(f -> f.severity() == Severity.ERROR);
 * }</pre>
 */
public enum Severity {
  /** The policy does not stop script injection, or leaks trust; refuse it for app pages. */
  ERROR,
  /** Weakens the policy in a way some pages need; accept knowingly. */
  WARNING
}

package dev.vitrine.csp;

import java.util.Objects;
import java.util.Optional;

/**
 * One problem {@link CspLint} found in a policy.
 *
 * <pre>{@code
 * for (Finding f : CspLint.check(policy)) {
 *   log.warn("{} {} {}: {}", f.severity(), f.code(), f.directive().map(Directive::headerName).orElse("-"), f.message());
 * }
 * }</pre>
 *
 * @param severity how bad it is
 * @param code a stable identifier such as {@code wildcard-source}, safe to match on
 * @param directive the directive at fault, or empty when the problem is a missing directive
 * @param message what is wrong and why, for people
 */
public record Finding(Severity severity, String code, Optional<Directive> directive, String message) {

  public Finding {
    Objects.requireNonNull(severity, "severity");
    Objects.requireNonNull(directive, "directive");
    if (code == null || code.isBlank()) {
      throw new IllegalArgumentException("finding code " + Printable.quote(code) + " must not be blank");
    }
    if (message == null || message.isBlank()) {
      throw new IllegalArgumentException("finding message " + Printable.quote(message) + " must not be blank");
    }
  }

  /** E.g. {@code ERROR wildcard-source (script-src): …}. */
  @Override
  public String toString() {
    return severity + " " + code + directive.map(d -> " (" + d.headerName() + ")").orElse("") + ": " + message;
  }
}

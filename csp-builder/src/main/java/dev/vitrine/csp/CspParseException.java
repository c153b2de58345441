package dev.vitrine.csp;

/**
 * A policy string that {@link ContentSecurityPolicy#parse} rejects. The message names the
 * directive and token at fault and why, with untrusted text quoted and escaped, so it is safe to
 * log and to show to the operator who supplied the policy.
 *
 * <pre>{@code
 * try {
 *   ContentSecurityPolicy.parse(config.appPolicy());
 * } catch (CspParseException e) {
 *   throw new IllegalArgumentException("VITRINE_APP_CSP: " + e.getMessage(), e);
 * }
 * }</pre>
 */
public final class CspParseException extends IllegalArgumentException {

  CspParseException(String message) {
    super(message);
  }

  CspParseException(String message, Throwable cause) {
    super(message, cause);
  }
}

package dev.vitrine.csp;

import java.util.Optional;

/**
 * The tokens of the {@code sandbox} directive (the same keywords as the iframe attribute). Each
 * one <em>lifts</em> a restriction; a bare {@code sandbox} lifts none.
 *
 * <pre>{@code
 * ContentSecurityPolicy.builder()
 *     .sandbox(SandboxFlag.ALLOW_SCRIPTS, SandboxFlag.ALLOW_FORMS)
 *     .build()
 *     .render(); // "sandbox allow-scripts allow-forms"
 * }</pre>
 */
public enum SandboxFlag {
  ALLOW_SCRIPTS,
  ALLOW_FORMS,
  /** Never combine with {@link #ALLOW_SCRIPTS}: the frame could then remove its own sandbox. */
  ALLOW_SAME_ORIGIN,
  ALLOW_POPUPS,
  ALLOW_POPUPS_TO_ESCAPE_SANDBOX,
  ALLOW_TOP_NAVIGATION,
  ALLOW_TOP_NAVIGATION_BY_USER_ACTIVATION,
  ALLOW_TOP_NAVIGATION_TO_CUSTOM_PROTOCOLS,
  ALLOW_MODALS,
  ALLOW_DOWNLOADS,
  ALLOW_ORIENTATION_LOCK,
  ALLOW_POINTER_LOCK,
  ALLOW_PRESENTATION,
  ALLOW_STORAGE_ACCESS_BY_USER_ACTIVATION;

  private final String token = Ascii.lowercase(name()).replace('_', '-');

  /** The flag as written in a policy, e.g. {@code allow-scripts}. */
  public String render() {
    return token;
  }

  /** Finds a flag by its token, ignoring ASCII case as browsers do. */
  public static Optional<SandboxFlag> byToken(String token) {
    if (token == null) {
      return Optional.empty();
    }
    String lower = Ascii.lowercase(token);
    for (SandboxFlag flag : values()) {
      if (flag.token.equals(lower)) {
        return Optional.of(flag);
      }
    }
    return Optional.empty();
  }
}

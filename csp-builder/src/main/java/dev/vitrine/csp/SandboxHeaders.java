package dev.vitrine.csp;

import java.util.List;
import java.util.Objects;

/**
 * The complete header sets of the sandbox origin. Every response there gets one of them: the
 * artifact document, the static runtime files it loads, and {@link #lockedDown} for everything
 * else (404s, errors, health). Build each once at start-up and keep it.
 *
 * <pre>{@code
 * HeaderSet artifact = SandboxHeaders.artifactDocument(settings, false);
 * HeaderSet runtime = SandboxHeaders.resource(settings);
 * HeaderSet other = SandboxHeaders.lockedDown(settings);
 * }</pre>
 */
public final class SandboxHeaders {

  private SandboxHeaders() {}

  /**
   * Headers for the document served at an artifact's frame URL. The policy controls egress, not
   * XSS: the artifact is hostile script by design, so it trusts only where code comes from: the
   * runtime folder of the sandbox origin (narrower than {@code 'self'}, which would also admit
   * other artifacts' documents), plus inline code. It never holds a nonce or hash:
   * a nonce'd script can pass its trust to a script from anywhere, and a hash admits an external
   * script whose integrity attribute names it. {@code connect-src 'none'} cuts the network; the
   * {@code sandbox} directive keeps even a directly opened artifact in an opaque origin.
   *
   * <p>No {@code X-Frame-Options}: it cannot name the chat origin, so any value would block the
   * chat page in browsers that honour it without {@code frame-ancestors}, which already does the
   * job.
   *
   * <p>Violations are reported with {@code report-uri} alone, no {@code report-to}. Chromium
   * ignores {@code report-uri} once a policy has {@code report-to}, and measured in headless
   * Chromium 156 its Reporting API then delivered nothing within 75 seconds, for this sandboxed
   * document or an unsandboxed one, even with {@code --short-reporting-delay}; with
   * {@code report-uri} alone, the sandboxed document's report arrived at once as
   * {@code application/csp-report}.
   *
   * @param allowEval add {@code 'unsafe-eval'} to script-src, for artifacts that compile code in
   *     the frame
   */
  public static HeaderSet artifactDocument(SandboxSettings settings, boolean allowEval) {
    Objects.requireNonNull(settings, "settings");
    SourceExpression runtime = SourceExpression.hostWithPath(settings.runtimeUrl());
    ContentSecurityPolicy.Builder policy = ContentSecurityPolicy.builder()
        .add(Directive.DEFAULT_SRC, SourceExpression.none())
        .add(Directive.SCRIPT_SRC, runtime, SourceExpression.unsafeInline());
    if (allowEval) {
      policy.add(Directive.SCRIPT_SRC, SourceExpression.unsafeEval());
    }
    policy
        .add(Directive.STYLE_SRC, runtime, SourceExpression.unsafeInline())
        .add(Directive.IMG_SRC, runtime, SourceExpression.scheme("data"), SourceExpression.scheme("blob"))
        .add(Directive.FONT_SRC, runtime, SourceExpression.scheme("data"))
        .add(Directive.MEDIA_SRC, runtime, SourceExpression.scheme("data"), SourceExpression.scheme("blob"))
        // Spelled out although default-src covers them, so that a reader (and a browser that
        // mishandles fallback) sees the egress rule for each without working it out.
        .add(Directive.CONNECT_SRC, SourceExpression.none())
        .add(Directive.FRAME_SRC, SourceExpression.none())
        .add(Directive.CHILD_SRC, SourceExpression.none())
        .add(Directive.WORKER_SRC, SourceExpression.none())
        .add(Directive.OBJECT_SRC, SourceExpression.none())
        .add(Directive.MANIFEST_SRC, SourceExpression.none())
        // base-uri and form-action do not fall back to default-src.
        .add(Directive.BASE_URI, SourceExpression.none())
        .add(Directive.FORM_ACTION, SourceExpression.none());
    for (var ancestor : settings.frameAncestors()) {
      policy.add(Directive.FRAME_ANCESTORS, SourceExpression.host(ancestor));
    }
    policy
        // allow-forms only so React onSubmit handlers run; form-action 'none' still stops sending.
        .sandbox(SandboxFlag.ALLOW_SCRIPTS, SandboxFlag.ALLOW_FORMS)
        .reportUri(settings.reportPath());
    return new HeaderSet(List.of(
        HardeningHeaders.csp(policy.build()),
        HardeningHeaders.NOSNIFF,
        HardeningHeaders.NO_REFERRER,
        HardeningHeaders.CORP_SAME_ORIGIN,
        HardeningHeaders.COOP_SAME_ORIGIN,
        HardeningHeaders.PERMISSIONS_DENY_ALL,
        HardeningHeaders.NO_STORE));
  }

  /**
   * Headers for static runtime files (JS, CSS, fonts) that artifact frames load. Those frames
   * have an opaque origin, and module scripts load with CORS, hence {@code
   * Access-Control-Allow-Origin: *} and a cross-origin CORP. The files are public code, never
   * data, so that opens nothing. Cache-Control is left to the server, per file.
   */
  public static HeaderSet resource(SandboxSettings settings) {
    Objects.requireNonNull(settings, "settings");
    ContentSecurityPolicy policy = ContentSecurityPolicy.builder()
        .add(Directive.DEFAULT_SRC, SourceExpression.none())
        .add(Directive.FRAME_ANCESTORS, SourceExpression.none())
        .sandbox()
        .build();
    return new HeaderSet(List.of(
        HardeningHeaders.csp(policy),
        HardeningHeaders.NOSNIFF,
        HardeningHeaders.NO_REFERRER,
        HardeningHeaders.CORP_CROSS_ORIGIN,
        HardeningHeaders.ANY_ORIGIN,
        HardeningHeaders.PERMISSIONS_DENY_ALL));
  }

  /**
   * Headers for every other response of the sandbox origin: 404s, errors, health checks. Opened
   * anywhere, such a page can run nothing, load nothing and be framed by no one.
   */
  public static HeaderSet lockedDown(SandboxSettings settings) {
    Objects.requireNonNull(settings, "settings");
    ContentSecurityPolicy policy = ContentSecurityPolicy.builder()
        .add(Directive.DEFAULT_SRC, SourceExpression.none())
        .add(Directive.BASE_URI, SourceExpression.none())
        .add(Directive.FORM_ACTION, SourceExpression.none())
        .add(Directive.FRAME_ANCESTORS, SourceExpression.none())
        .sandbox()
        .build();
    return new HeaderSet(List.of(
        HardeningHeaders.csp(policy),
        HardeningHeaders.NOSNIFF,
        HardeningHeaders.NO_REFERRER,
        HardeningHeaders.CORP_SAME_ORIGIN,
        HardeningHeaders.COOP_SAME_ORIGIN,
        HardeningHeaders.PERMISSIONS_DENY_ALL,
        HardeningHeaders.NO_STORE));
  }
}

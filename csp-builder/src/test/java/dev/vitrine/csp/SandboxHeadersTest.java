package dev.vitrine.csp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SandboxHeadersTest {

  private static final SandboxSettings SETTINGS = new SandboxSettings(
      URI.create("http://127.0.0.1:8081"),
      List.of(URI.create("http://localhost:8080"), URI.create("https://chat.example")),
      "/_vitrine/", "/_vitrine/csp-report");

  private static final List<String> REQUIRED_DENIED_FEATURES = List.of(
      "accelerometer", "ambient-light-sensor", "autoplay", "battery", "bluetooth", "camera",
      "clipboard-read", "clipboard-write", "display-capture", "encrypted-media", "fullscreen",
      "gamepad", "geolocation", "gyroscope", "hid", "identity-credentials-get", "idle-detection",
      "local-fonts", "magnetometer", "microphone", "midi", "otp-credentials", "payment",
      "picture-in-picture", "publickey-credentials-create", "publickey-credentials-get",
      "screen-wake-lock", "serial", "storage-access", "usb", "web-share", "window-management",
      "xr-spatial-tracking", "browsing-topics", "attribution-reporting");

  private static ContentSecurityPolicy policy(HeaderSet headers) {
    return ContentSecurityPolicy.parse(headers.value("Content-Security-Policy").orElseThrow());
  }

  static void assertDeniesEveryPowerfulFeature(HeaderSet headers) {
    String value = headers.value("Permissions-Policy").orElseThrow();
    for (String feature : REQUIRED_DENIED_FEATURES) {
      assertTrue((", " + value + ",").contains(", " + feature + "=(),"), feature + " missing in " + value);
    }
    assertFalse(value.matches(".*=\\([^)].*"), "some feature is allowed: " + value);
  }

  @Test
  void theArtifactPolicyIsExactlyTheDesignedOne() {
    assertEquals("default-src 'none'; script-src http://127.0.0.1:8081/_vitrine/ 'unsafe-inline'; style-src http://127.0.0.1:8081/_vitrine/ 'unsafe-inline';"
            + " img-src http://127.0.0.1:8081/_vitrine/ data: blob:; font-src http://127.0.0.1:8081/_vitrine/ data:; media-src http://127.0.0.1:8081/_vitrine/ data: blob:;"
            + " connect-src 'none'; frame-src 'none'; child-src 'none'; worker-src 'none';"
            + " object-src 'none'; manifest-src 'none'; base-uri 'none'; form-action 'none';"
            + " frame-ancestors http://localhost:8080 https://chat.example;"
            + " sandbox allow-scripts allow-forms; report-uri /_vitrine/csp-report",
        SandboxHeaders.artifactDocument(SETTINGS, false).value("Content-Security-Policy").orElseThrow());
  }

  @Test
  void theArtifactPolicyTrustsNoNonceAndNoHash() {
    for (boolean allowEval : List.of(false, true)) {
      ContentSecurityPolicy policy = policy(SandboxHeaders.artifactDocument(SETTINGS, allowEval));
      for (Directive directive : policy.directives()) {
        if (directive.kind().isSourceList()) {
          for (SourceExpression source : policy.sources(directive).orElseThrow()) {
            assertFalse(source instanceof SourceExpression.NonceSource || source instanceof SourceExpression.HashSource,
                directive.headerName() + " holds " + source.render());
          }
        }
      }
      String rendered = policy.render();
      assertFalse(rendered.contains("'nonce-") || rendered.contains("'sha"), rendered);
      assertFalse(rendered.contains("'strict-dynamic'"), rendered);
    }
  }

  @Test
  void theArtifactCannotConnectAnywhere() {
    ContentSecurityPolicy policy = policy(SandboxHeaders.artifactDocument(SETTINGS, false));
    assertEquals(Optional.of(List.of(SourceExpression.none())), policy.sources(Directive.CONNECT_SRC));
    assertEquals(Optional.of(List.of(SourceExpression.none())), policy.sources(Directive.DEFAULT_SRC));
    assertEquals(Optional.of(List.of(SourceExpression.none())), policy.sources(Directive.FORM_ACTION));
    assertEquals(Optional.of(List.of(SourceExpression.none())), policy.sources(Directive.FRAME_SRC));
  }

  @Test
  void theArtifactIsSandboxedWithScriptsAndFormsOnly() {
    ContentSecurityPolicy policy = policy(SandboxHeaders.artifactDocument(SETTINGS, true));
    assertEquals(Optional.of(Set.of(SandboxFlag.ALLOW_SCRIPTS, SandboxFlag.ALLOW_FORMS)), policy.sandboxFlags());
  }

  @Test
  void theArtifactMayBeFramedByExactlyTheConfiguredOrigins() {
    ContentSecurityPolicy policy = policy(SandboxHeaders.artifactDocument(SETTINGS, false));
    assertEquals(Optional.of(List.of(
            SourceExpression.host(URI.create("http://localhost:8080")),
            SourceExpression.host(URI.create("https://chat.example")))),
        policy.sources(Directive.FRAME_ANCESTORS));
  }

  @Test
  void unsafeEvalIsAddedOnlyWhenAllowed() {
    assertEquals(Optional.of(List.of(SourceExpression.hostWithPath(URI.create("http://127.0.0.1:8081/_vitrine/")), SourceExpression.unsafeInline())),
        policy(SandboxHeaders.artifactDocument(SETTINGS, false)).sources(Directive.SCRIPT_SRC));
    assertEquals(Optional.of(List.of(SourceExpression.hostWithPath(URI.create("http://127.0.0.1:8081/_vitrine/")), SourceExpression.unsafeInline(), SourceExpression.unsafeEval())),
        policy(SandboxHeaders.artifactDocument(SETTINGS, true)).sources(Directive.SCRIPT_SRC));
  }

  @Test
  void theArtifactDocumentCarriesEveryRequiredHeaderAndNoXFrameOptions() {
    HeaderSet headers = SandboxHeaders.artifactDocument(SETTINGS, false);
    assertEquals(Optional.of("nosniff"), headers.value("X-Content-Type-Options"));
    assertEquals(Optional.of("no-referrer"), headers.value("Referrer-Policy"));
    assertEquals(Optional.of("same-origin"), headers.value("Cross-Origin-Resource-Policy"));
    assertEquals(Optional.of("same-origin"), headers.value("Cross-Origin-Opener-Policy"));
    assertEquals(Optional.of("no-store"), headers.value("Cache-Control"));
    assertEquals(Optional.empty(), headers.value("X-Frame-Options"));
    assertDeniesEveryPowerfulFeature(headers);
    assertEquals(7, headers.headers().size());
  }

  /** Regression: with report-to present, Chromium 156 ignored report-uri and delivered no report at all. */
  @Test
  void violationsAreReportedThroughReportUriAloneSoChromiumSendsThem() {
    HeaderSet headers = SandboxHeaders.artifactDocument(SETTINGS, false);
    assertEquals(Optional.of(List.of("/_vitrine/csp-report")), policy(headers).tokens(Directive.REPORT_URI));
    assertEquals(Optional.empty(), policy(headers).tokens(Directive.REPORT_TO));
    assertEquals(Optional.empty(), headers.value("Reporting-Endpoints"));
  }

  @Test
  void runtimeResourcesAreLoadableByOpaqueOriginFramesButRunNothingThemselves() {
    HeaderSet headers = SandboxHeaders.resource(SETTINGS);
    assertEquals(Optional.of("default-src 'none'; frame-ancestors 'none'; sandbox"), headers.value("Content-Security-Policy"));
    assertEquals(Optional.of("cross-origin"), headers.value("Cross-Origin-Resource-Policy"));
    assertEquals(Optional.of("*"), headers.value("Access-Control-Allow-Origin"));
    assertEquals(Optional.of("nosniff"), headers.value("X-Content-Type-Options"));
    assertEquals(Optional.of("no-referrer"), headers.value("Referrer-Policy"));
    assertEquals(Optional.empty(), headers.value("Cache-Control"));
    assertDeniesEveryPowerfulFeature(headers);
  }

  @Test
  void everyOtherSandboxResponseIsLockedDown() {
    HeaderSet headers = SandboxHeaders.lockedDown(SETTINGS);
    assertEquals(Optional.of("default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'; sandbox"),
        headers.value("Content-Security-Policy"));
    assertEquals(Optional.of("nosniff"), headers.value("X-Content-Type-Options"));
    assertEquals(Optional.of("no-referrer"), headers.value("Referrer-Policy"));
    assertEquals(Optional.of("same-origin"), headers.value("Cross-Origin-Resource-Policy"));
    assertEquals(Optional.of("same-origin"), headers.value("Cross-Origin-Opener-Policy"));
    assertEquals(Optional.of("no-store"), headers.value("Cache-Control"));
    assertEquals(Optional.empty(), headers.value("Access-Control-Allow-Origin"));
    assertDeniesEveryPowerfulFeature(headers);
  }
}

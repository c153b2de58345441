package dev.vitrine.csp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.security.SecureRandom;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AppPageHeadersTest {

  private static final AppPageHeaders APP = AppPageHeaders.create(URI.create("http://127.0.0.1:8081/f/"));
  private static final Nonce NONCE = new Nonce("abcdefghijklmnopqrstuvwx");

  @Test
  void thePolicyIsExactlyTheDesignedOneWithTheNonceInScriptSrc() {
    assertEquals(Optional.of("default-src 'none'; script-src 'nonce-abcdefghijklmnopqrstuvwx'; style-src 'self';"
            + " img-src 'self' data:; connect-src 'self'; frame-src http://127.0.0.1:8081/f/;"
            + " object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none';"
            + " require-trusted-types-for 'script'"),
        APP.forResponse(NONCE).value("Content-Security-Policy"));
  }

  @Test
  void thePolicyPassesLintWithoutAnyFinding() {
    assertEquals(List.of(), CspLint.check(APP.policy(NONCE)));
    assertEquals(List.of(), CspLint.check(
        ContentSecurityPolicy.parse(APP.forResponse(NONCE).value("Content-Security-Policy").orElseThrow())));
  }

  @Test
  void eachResponseCarriesItsOwnNonceAsTheOnlyScriptSource() {
    NonceGenerator nonces = new NonceGenerator(new SecureRandom());
    Nonce first = nonces.next();
    Nonce second = nonces.next();
    String firstPolicy = APP.forResponse(first).value("Content-Security-Policy").orElseThrow();
    assertEquals(Optional.of(List.of(SourceExpression.nonce(first))),
        ContentSecurityPolicy.parse(firstPolicy).sources(Directive.SCRIPT_SRC));
    assertNotEquals(firstPolicy, APP.forResponse(second).value("Content-Security-Policy").orElseThrow());
  }

  @Test
  void theSplicedHeaderEqualsThePolicyValue() {
    assertEquals(APP.policy(NONCE).render(), APP.forResponse(NONCE).value("Content-Security-Policy").orElseThrow());
  }

  @Test
  void pageResponsesCarryEveryHardeningHeader() {
    HeaderSet headers = APP.forResponse(NONCE);
    assertEquals(Optional.of("nosniff"), headers.value("X-Content-Type-Options"));
    assertEquals(Optional.of("no-referrer"), headers.value("Referrer-Policy"));
    assertEquals(Optional.of("same-origin"), headers.value("Cross-Origin-Opener-Policy"));
    assertEquals(Optional.of("same-origin"), headers.value("Cross-Origin-Resource-Policy"));
    assertEquals(Optional.of("DENY"), headers.value("X-Frame-Options"));
    assertEquals(Optional.of("no-store"), headers.value("Cache-Control"));
    SandboxHeadersTest.assertDeniesEveryPowerfulFeature(headers);
  }

  @Test
  void assetsGetNosniffCorpAndNoReferrerButNoPolicy() {
    HeaderSet headers = APP.forAsset();
    assertEquals(Optional.of("nosniff"), headers.value("X-Content-Type-Options"));
    assertEquals(Optional.of("same-origin"), headers.value("Cross-Origin-Resource-Policy"));
    assertEquals(Optional.of("no-referrer"), headers.value("Referrer-Policy"));
    assertEquals(Optional.empty(), headers.value("Content-Security-Policy"));
  }

  @Test
  void aBareOriginAllowsFramesFromTheWholeSandboxOrigin() {
    AppPageHeaders app = AppPageHeaders.create(URI.create("http://127.0.0.1:8081"));
    assertEquals(Optional.of(List.of(SourceExpression.host("http://127.0.0.1:8081"))),
        app.policy(NONCE).sources(Directive.FRAME_SRC));
  }

  @Test
  void aFrameSrcThatIsNotAnHttpUrlIsRejectedNamingIt() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> AppPageHeaders.create(URI.create("javascript:alert(1)")));
    assertTrue(e.getMessage().startsWith("frameSrc 'javascript:alert(1)'"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> AppPageHeaders.create(null));
    IllegalArgumentException query = assertThrows(IllegalArgumentException.class,
        () -> AppPageHeaders.create(URI.create("http://127.0.0.1:8081/f/?x=1")));
    assertTrue(query.getMessage().startsWith("frameSrc:"), query.getMessage());
  }

  @Test
  void aNullNonceIsRejected() {
    assertThrows(NullPointerException.class, () -> APP.forResponse(null));
  }
}

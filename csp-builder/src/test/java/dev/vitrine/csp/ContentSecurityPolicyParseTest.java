package dev.vitrine.csp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ContentSecurityPolicyParseTest {

  private static final String EVERYTHING =
      "default-src 'none'; script-src 'self' 'nonce-abcdefghijklmnopqrstuvwx'"
          + " 'sha256-qznLcsROx4GACP2dm0UCKCzCG+HiZ1guq6ZZDob/Tng=' 'strict-dynamic' 'report-sample';"
          + " style-src 'self' 'unsafe-inline' data:; img-src * blob:; connect-src https://a.example:443/api/;"
          + " frame-src http://127.0.0.1:8081/f/; frame-ancestors 'self' *.example.com;"
          + " sandbox allow-scripts allow-forms; upgrade-insecure-requests;"
          + " require-trusted-types-for 'script'; trusted-types app dompurify 'allow-duplicates';"
          + " report-uri /csp https://r.example/x; report-to csp";

  @Test
  void aRenderedPolicyParsesBackToTheSamePolicy() {
    ContentSecurityPolicy policy = ContentSecurityPolicy.parse(EVERYTHING);
    assertEquals(EVERYTHING, policy.render());
    assertEquals(policy, ContentSecurityPolicy.parse(policy.render()));
  }

  @Test
  void thePresetPoliciesRoundTrip() {
    SandboxSettings settings = new SandboxSettings(URI.create("http://127.0.0.1:8081"),
        List.of(URI.create("http://localhost:8080"), URI.create("https://chat.example")), "/_vitrine/", "/_vitrine/csp-report");
    List<HeaderSet> sets = List.of(
        SandboxHeaders.artifactDocument(settings, true), SandboxHeaders.resource(settings),
        SandboxHeaders.lockedDown(settings),
        AppPageHeaders.create(URI.create("http://127.0.0.1:8081/f/")).forResponse(new Nonce("abcdefghijklmnopqrstuvwx")));
    for (HeaderSet set : sets) {
      String value = set.value("Content-Security-Policy").orElseThrow();
      assertEquals(value, ContentSecurityPolicy.parse(value).render());
    }
  }

  @Test
  void namesKeywordsAndSchemesAreReadIgnoringCaseAndExtraWhitespace() {
    ContentSecurityPolicy policy = ContentSecurityPolicy.parse(
        " ;; SCRIPT-SRC\t'SELF'   DATA: HTTPS://A.EXAMPLE ; Sandbox Allow-Scripts ;");
    assertEquals("script-src 'self' data: https://a.example; sandbox allow-scripts", policy.render());
  }

  @Test
  void anUnknownDirectiveIsNamedInTheError() {
    CspParseException e = assertThrows(CspParseException.class,
        () -> ContentSecurityPolicy.parse("default-src 'none'; scirpt-src 'self'"));
    assertTrue(e.getMessage().startsWith("unknown directive 'scirpt-src'"), e.getMessage());
  }

  @Test
  void aDuplicateDirectiveIsNamedInTheError() {
    CspParseException e = assertThrows(CspParseException.class,
        () -> ContentSecurityPolicy.parse("script-src 'self'; Script-Src https://evil.example"));
    assertTrue(e.getMessage().startsWith("duplicate directive 'script-src'"), e.getMessage());
    assertTrue(e.getMessage().contains("https://evil.example"), e.getMessage());
  }

  @Test
  void aBadSourceExpressionNamesTheDirectiveAndToken() {
    CspParseException e = assertThrows(CspParseException.class,
        () -> ContentSecurityPolicy.parse("img-src 'self' exa_mple.com"));
    assertTrue(e.getMessage().contains("bad source expression 'exa_mple.com' in directive 'img-src'"), e.getMessage());
  }

  @Test
  void anUnknownKeywordIsABadSourceExpression() {
    CspParseException e = assertThrows(CspParseException.class,
        () -> ContentSecurityPolicy.parse("script-src 'unsafe-everything'"));
    assertTrue(e.getMessage().contains("'script-src'"), e.getMessage());
    assertTrue(e.getMessage().contains("is not a CSP keyword"), e.getMessage());
  }

  @Test
  void aShortNonceIsRejectedWithTheReason() {
    CspParseException e = assertThrows(CspParseException.class,
        () -> ContentSecurityPolicy.parse("script-src 'nonce-abc123'"));
    assertTrue(e.getMessage().contains("'script-src'"), e.getMessage());
    assertTrue(e.getMessage().contains("too short"), e.getMessage());
  }

  @Test
  void aMalformedHashIsRejectedWithTheReason() {
    CspParseException wrongLength = assertThrows(CspParseException.class,
        () -> ContentSecurityPolicy.parse("script-src 'sha512-qznLcsROx4GACP2dm0UCKCzCG+HiZ1guq6ZZDob/Tng='"));
    assertTrue(wrongLength.getMessage().contains("decodes to 32 bytes"), wrongLength.getMessage());
    CspParseException notBase64 = assertThrows(CspParseException.class,
        () -> ContentSecurityPolicy.parse("script-src 'sha256-not*base64'"));
    assertTrue(notBase64.getMessage().contains("is not base64"), notBase64.getMessage());
  }

  @Test
  void aBadSourceCombinationIsRejectedNamingTheDirective() {
    CspParseException e = assertThrows(CspParseException.class,
        () -> ContentSecurityPolicy.parse("object-src 'none' 'self'"));
    assertTrue(e.getMessage().startsWith("directive 'object-src'"), e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(strings = {"script-src 'self'\r\nSet-Cookie: a=b", "script-src 'self'\u0000", "img-src\u000b'self'"})
  void controlCharactersAreRejectedAndShownEscaped(String policy) {
    CspParseException e = assertThrows(CspParseException.class, () -> ContentSecurityPolicy.parse(policy));
    assertTrue(e.getMessage().startsWith("control character U+"), e.getMessage());
    assertFalse(e.getMessage().chars().anyMatch(c -> c < 0x20), e.getMessage());
  }

  @Test
  void nonAsciiCharactersAreRejected() {
    CspParseException e = assertThrows(CspParseException.class,
        () -> ContentSecurityPolicy.parse("script-src 'self' https://\u0435xample.com"));
    assertTrue(e.getMessage().startsWith("non-ASCII character U+0435"), e.getMessage());
  }

  @Test
  void aCommaJoiningTwoPoliciesIsRejected() {
    CspParseException e = assertThrows(CspParseException.class,
        () -> ContentSecurityPolicy.parse("script-src 'self', script-src 'none'"));
    assertTrue(e.getMessage().startsWith("comma at index 17"), e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "   ", ";", " ; ;\t"})
  void anEmptyPolicyIsRejected(String policy) {
    CspParseException e = assertThrows(CspParseException.class, () -> ContentSecurityPolicy.parse(policy));
    assertTrue(e.getMessage().startsWith("empty policy"), e.getMessage());
  }

  @Test
  void aNullPolicyIsRejected() {
    assertThrows(CspParseException.class, () -> ContentSecurityPolicy.parse(null));
  }

  @Test
  void aSourceDirectiveWithoutSourcesIsRejected() {
    CspParseException e = assertThrows(CspParseException.class, () -> ContentSecurityPolicy.parse("script-src"));
    assertTrue(e.getMessage().contains("'script-src' has no sources"), e.getMessage());
  }

  @Test
  void anUnknownSandboxFlagIsRejected() {
    CspParseException e = assertThrows(CspParseException.class,
        () -> ContentSecurityPolicy.parse("sandbox allow-scripts allow-everything"));
    assertTrue(e.getMessage().startsWith("unknown sandbox flag 'allow-everything' in directive 'sandbox'"), e.getMessage());
  }

  @Test
  void aValuelessDirectiveWithAValueIsRejected() {
    CspParseException e = assertThrows(CspParseException.class,
        () -> ContentSecurityPolicy.parse("upgrade-insecure-requests yes"));
    assertTrue(e.getMessage().contains("'upgrade-insecure-requests' takes no value, found 'yes'"), e.getMessage());
  }

  @Test
  void badTrustedTypesAndReportingValuesNameTheDirective() {
    assertTrue(assertThrows(CspParseException.class,
        () -> ContentSecurityPolicy.parse("require-trusted-types-for script")).getMessage()
        .startsWith("directive 'require-trusted-types-for'"));
    assertTrue(assertThrows(CspParseException.class,
        () -> ContentSecurityPolicy.parse("report-to a b")).getMessage()
        .startsWith("directive 'report-to'"));
    assertTrue(assertThrows(CspParseException.class,
        () -> ContentSecurityPolicy.parse("report-uri")).getMessage()
        .contains("'report-uri' has no value"));
  }

  @Test
  void aVeryLongTokenIsCutInTheMessage() {
    String longHost = "a".repeat(5000) + "_";
    CspParseException e = assertThrows(CspParseException.class,
        () -> ContentSecurityPolicy.parse("img-src " + longHost));
    assertTrue(e.getMessage().length() < 1000, "message has " + e.getMessage().length() + " chars");
  }
}

package dev.vitrine.csp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class SourceExpressionTest {

  @Test
  void keywordFactoriesRenderQuotedKeywords() {
    assertEquals("'self'", SourceExpression.self().render());
    assertEquals("'none'", SourceExpression.none().render());
    assertEquals("'unsafe-inline'", SourceExpression.unsafeInline().render());
    assertEquals("'unsafe-eval'", SourceExpression.unsafeEval().render());
    assertEquals("'wasm-unsafe-eval'", SourceExpression.keyword(Keyword.WASM_UNSAFE_EVAL).render());
    assertEquals("'inline-speculation-rules'", SourceExpression.keyword(Keyword.INLINE_SPECULATION_RULES).render());
  }

  @Test
  void schemeSourcesAcceptTheNameWithOrWithoutColonAndLowerCaseIt() {
    assertEquals("data:", SourceExpression.scheme("data:").render());
    assertEquals("data:", SourceExpression.scheme("DATA").render());
    assertEquals(SourceExpression.scheme("blob"), SourceExpression.scheme("blob:"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", ":", "1http", "ht tp", "da*ta"})
  void malformedSchemesAreRejected(String scheme) {
    assertThrows(IllegalArgumentException.class, () -> SourceExpression.scheme(scheme));
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "https://a.example", "*.example.com", "http://127.0.0.1:8081/f/", "a.example:*", "*",
      "https://*", "wss://chat.example:443/socket", "example.com.", "a.example/p%20q/x.js"})
  void validHostSourcesRenderAsWritten(String text) {
    assertEquals(text, SourceExpression.host(text).render());
  }

  @Test
  void hostSourcesAreLowerCasedInSchemeAndHostButNotPath() {
    assertEquals("https://a.example/Path", SourceExpression.host("HTTPS://A.Example/Path").render());
  }

  @Test
  void hostSourcesSplitIntoTheirParts() {
    SourceExpression.HostSource host = SourceExpression.host("http://127.0.0.1:8081/f/");
    assertEquals("http", host.scheme());
    assertEquals("127.0.0.1", host.host());
    assertEquals("8081", host.port());
    assertEquals("/f/", host.path());
    assertFalse(host.hasWildcardHost());
    assertTrue(SourceExpression.host("*.example.com").hasWildcardHost());
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "https://", "a..example", "*example.com", "a.*.example", "exa_mple.com", "[::1]",
      "a.example:99999", "a.example:8a", "a.example:", "a.example/x;y", "a.example/x,y",
      "a.example/%zz", "https://a.example//x", "a example"})
  void malformedHostSourcesAreRejectedNamingTheSource(String text) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SourceExpression.host(text));
    assertTrue(e.getMessage().contains("host source"), e.getMessage());
  }

  @Test
  void aHostSourceWithAnEmptySchemeIsRejectedNotReadAsSchemeless() {
    // Found by ContentSecurityPolicyFuzzTest: "://h:1/p://q" was read as "h:1/p://q", whose
    // rendering no longer parsed; a browser ignores a source with an empty scheme.
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> SourceExpression.host("://127.0.0.1:8081/f/"));
    assertTrue(e.getMessage().startsWith("host source '://127.0.0.1:8081/f/'"), e.getMessage());
  }

  @Test
  void anOriginUriBecomesAHostSourceWithoutPath() {
    assertEquals("http://localhost:8080", SourceExpression.host(URI.create("http://LocalHost:8080")).render());
    assertEquals("https://a.example", SourceExpression.host(URI.create("https://a.example/")).render());
  }

  @Test
  void anOriginUriWithPathQueryOrUserInfoIsRejected() {
    assertThrows(IllegalArgumentException.class, () -> SourceExpression.host(URI.create("https://a.example/f/")));
    assertThrows(IllegalArgumentException.class, () -> SourceExpression.host(URI.create("https://a.example?x=1")));
    assertThrows(IllegalArgumentException.class, () -> SourceExpression.host(URI.create("https://u@a.example")));
    assertThrows(IllegalArgumentException.class, () -> SourceExpression.host(URI.create("/relative")));
    assertThrows(IllegalArgumentException.class, () -> SourceExpression.host(URI.create("mailto:a@b.example")));
  }

  @Test
  void aUrlBecomesAPathLimitedHostSource() {
    assertEquals("http://127.0.0.1:8081/f/",
        SourceExpression.hostWithPath(URI.create("http://127.0.0.1:8081/f/")).render());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> SourceExpression.hostWithPath(URI.create("http://127.0.0.1:8081")));
    assertTrue(e.getMessage().contains("has no path"), e.getMessage());
  }

  @Test
  void sha256OfAKnownScriptMatchesAnIndependentlyComputedDigest() throws Exception {
    String script = "alert('Hello, world.');";
    String expected = Base64.getEncoder().encodeToString(
        MessageDigest.getInstance("SHA-256").digest(script.getBytes(StandardCharsets.UTF_8)));
    assertEquals("'sha256-" + expected + "'", SourceExpression.sha256(script).render());
    // The example digest published in the CSP Level 3 specification for this script.
    assertEquals("'sha256-qznLcsROx4GACP2dm0UCKCzCG+HiZ1guq6ZZDob/Tng='", SourceExpression.sha256(script).render());
  }

  @Test
  void sha384AndSha512DigestsHaveTheirAlgorithmPrefix() {
    assertTrue(SourceExpression.hash(HashAlgorithm.SHA384, "x").render().startsWith("'sha384-"));
    assertTrue(SourceExpression.hash(HashAlgorithm.SHA512, "x").render().startsWith("'sha512-"));
  }

  @Test
  void hashDigestsAreStoredAsPaddedStandardBase64() {
    String standard = "qznLcsROx4GACP2dm0UCKCzCG+HiZ1guq6ZZDob/Tng=";
    String urlSafeUnpadded = "qznLcsROx4GACP2dm0UCKCzCG-HiZ1guq6ZZDob_Tng";
    assertEquals(new SourceExpression.HashSource(HashAlgorithm.SHA256, standard),
        new SourceExpression.HashSource(HashAlgorithm.SHA256, urlSafeUnpadded));
  }

  @Test
  void aHashDigestOfTheWrongLengthIsRejected() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new SourceExpression.HashSource(HashAlgorithm.SHA384, "qznLcsROx4GACP2dm0UCKCzCG+HiZ1guq6ZZDob/Tng="));
    assertTrue(e.getMessage().contains("decodes to 32 bytes"), e.getMessage());
  }

  @Test
  void nonceSourcesRenderTheNonceValue() {
    Nonce nonce = new Nonce("abcdefghijklmnopqrstuvwx");
    assertEquals("'nonce-abcdefghijklmnopqrstuvwx'", SourceExpression.nonce(nonce).render());
  }
}

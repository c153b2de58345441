package dev.vitrine.csp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class CspLintTest {

  /** A strong policy to which each test adds one weakness. */
  private static final String STRONG =
      "default-src 'none'; script-src 'nonce-abcdefghijklmnopqrstuvwx'; object-src 'none'; base-uri 'none'";

  private static List<Finding> lint(String policy) {
    return CspLint.check(ContentSecurityPolicy.parse(policy));
  }

  private static Set<String> codes(String policy) {
    return lint(policy).stream().map(Finding::code).collect(Collectors.toSet());
  }

  @Test
  void aStrictNoncePolicyHasNoFinding() {
    assertEquals(List.of(), lint(STRONG));
  }

  @Test
  void unsafeInlineNextToANonceInScriptSrcIsAnError() {
    List<Finding> findings = lint(STRONG.replace("script-src", "script-src 'unsafe-inline'"));
    assertEquals(List.of(CspLint.UNSAFE_INLINE_WITH_NONCE), findings.stream().map(Finding::code).toList());
    assertEquals(Severity.ERROR, findings.get(0).severity());
    assertEquals(Optional.of(Directive.SCRIPT_SRC), findings.get(0).directive());
  }

  @Test
  void unsafeInlineNextToAHashInDefaultSrcWithoutScriptSrcIsAnError() {
    Set<String> codes = codes("default-src 'unsafe-inline' 'sha256-qznLcsROx4GACP2dm0UCKCzCG+HiZ1guq6ZZDob/Tng=';"
        + " object-src 'none'; base-uri 'none'");
    assertEquals(Set.of(CspLint.UNSAFE_INLINE_WITH_NONCE), codes);
  }

  @Test
  void unsafeInlineInDefaultSrcIsNotAScriptFindingWhenScriptSrcIsPresent() {
    assertEquals(Set.of(), codes("default-src 'self' 'unsafe-inline'; script-src 'nonce-abcdefghijklmnopqrstuvwx';"
        + " object-src 'none'; base-uri 'none'"));
  }

  @Test
  void unsafeInlineWithoutNonceOrHashIsItsOwnError() {
    assertEquals(Set.of(CspLint.UNSAFE_INLINE), codes(STRONG.replace("'nonce-abcdefghijklmnopqrstuvwx'", "'self' 'unsafe-inline'")));
    assertEquals(Set.of(CspLint.UNSAFE_INLINE), codes(STRONG + "; script-src-attr 'unsafe-inline'"));
  }

  @Test
  void wildcardSourcesWhereCodeComesFromAreErrors() {
    assertEquals(Set.of(CspLint.WILDCARD_SOURCE), codes(STRONG.replace("script-src", "script-src *.cdn.example")));
    assertEquals(Set.of(CspLint.WILDCARD_SOURCE), codes(STRONG.replace("object-src 'none'", "object-src *")));
    assertEquals(Set.of(CspLint.WILDCARD_SOURCE), codes(STRONG.replace("default-src 'none'", "default-src https://*")));
    assertEquals(Set.of(CspLint.WILDCARD_SOURCE), codes(STRONG + "; script-src-elem *"));
  }

  @Test
  void wildcardSourcesForImagesAreFine() {
    assertEquals(Set.of(), codes(STRONG + "; img-src * *.example.com"));
  }

  @Test
  void schemeSourcesWhereCodeComesFromAreErrors() {
    for (String scheme : List.of("http:", "https:", "data:", "blob:", "filesystem:")) {
      List<Finding> findings = lint(STRONG.replace("script-src", "script-src " + scheme));
      assertEquals(List.of(CspLint.INSECURE_SCRIPT_SCHEME), findings.stream().map(Finding::code).toList(), scheme);
      assertTrue(findings.get(0).message().contains(scheme), findings.get(0).message());
    }
    assertEquals(Set.of(CspLint.INSECURE_SCRIPT_SCHEME), codes(STRONG.replace("object-src 'none'", "object-src data:")));
    assertEquals(Set.of(CspLint.INSECURE_SCRIPT_SCHEME), codes(STRONG.replace("default-src 'none'", "default-src https:")));
  }

  @Test
  void schemeSourcesForImagesAndOtherSchemesInScriptSrcAreFine() {
    assertEquals(Set.of(), codes(STRONG + "; img-src data: blob: https:"));
    assertEquals(Set.of(), codes(STRONG.replace("script-src", "script-src wss:")));
  }

  @Test
  void strictDynamicIsAnErrorWhereverItAppears() {
    assertEquals(Set.of(CspLint.STRICT_DYNAMIC), codes(STRONG.replace("script-src", "script-src 'strict-dynamic'")));
    assertEquals(Set.of(CspLint.STRICT_DYNAMIC), codes(STRONG + "; worker-src 'strict-dynamic'"));
  }

  @Test
  void aMissingObjectSrcIsAnErrorUnlessDefaultSrcIsNone() {
    assertEquals(Set.of(), codes(STRONG.replace("; object-src 'none'", "")));
    List<Finding> findings = lint("default-src 'self'; script-src 'nonce-abcdefghijklmnopqrstuvwx'; base-uri 'none'");
    assertEquals(List.of(CspLint.MISSING_OBJECT_SRC), findings.stream().map(Finding::code).toList());
    assertEquals(Optional.empty(), findings.get(0).directive());
    assertEquals(Set.of(), codes("default-src 'self'; script-src 'nonce-abcdefghijklmnopqrstuvwx'; object-src 'none';"
        + " base-uri 'none'"));
  }

  @Test
  void aMissingBaseUriIsAnError() {
    assertEquals(Set.of(CspLint.MISSING_BASE_URI), codes(STRONG.replace("; base-uri 'none'", "")));
  }

  @Test
  void neitherScriptSrcNorDefaultSrcIsAnError() {
    assertEquals(Set.of(CspLint.MISSING_SCRIPT_SRC), codes("object-src 'none'; base-uri 'none'"));
    assertEquals(Set.of(), codes("script-src 'nonce-abcdefghijklmnopqrstuvwx'; object-src 'none'; base-uri 'none'"));
  }

  @Test
  void unsafeEvalIsOnlyAWarning() {
    List<Finding> findings = lint(STRONG.replace("script-src", "script-src 'unsafe-eval'"));
    assertEquals(1, findings.size());
    assertEquals(Severity.WARNING, findings.get(0).severity());
    assertEquals(CspLint.UNSAFE_EVAL, findings.get(0).code());
    ContentSecurityPolicy withEval = ContentSecurityPolicy.parse(STRONG.replace("script-src", "script-src 'unsafe-eval'"));
    assertSame(withEval, CspLint.requireStrong(withEval));
  }

  @Test
  void requireStrongReturnsAStrongPolicyUnchanged() {
    ContentSecurityPolicy policy = ContentSecurityPolicy.parse(STRONG);
    assertSame(policy, CspLint.requireStrong(policy));
  }

  @Test
  void requireStrongListsEveryErrorOfAWeakPolicy() {
    WeakPolicyException e = assertThrows(WeakPolicyException.class,
        () -> CspLint.requireStrong(ContentSecurityPolicy.parse("script-src * 'unsafe-inline' 'unsafe-eval'")));
    assertEquals(List.of(CspLint.UNSAFE_INLINE, CspLint.WILDCARD_SOURCE, CspLint.MISSING_OBJECT_SRC, CspLint.MISSING_BASE_URI),
        e.findings().stream().map(Finding::code).toList());
    for (Finding finding : e.findings()) {
      assertTrue(e.getMessage().contains(finding.code()), e.getMessage());
    }
    assertFalse(e.getMessage().contains("WARNING"), "warnings are not errors: " + e.getMessage());
  }

  @Test
  void theArtifactPolicysOnlyErrorIsItsDeliberateUnsafeInline() {
    SandboxSettings settings = new SandboxSettings(URI.create("http://127.0.0.1:8081"),
        List.of(URI.create("http://localhost:8080")), "/_vitrine/", "/_vitrine/csp-report");
    String value = SandboxHeaders.artifactDocument(settings, true).value("Content-Security-Policy").orElseThrow();
    assertEquals(Set.of(CspLint.UNSAFE_INLINE, CspLint.UNSAFE_EVAL), codes(value));
  }
}

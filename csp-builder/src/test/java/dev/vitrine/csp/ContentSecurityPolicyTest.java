package dev.vitrine.csp;

import static dev.vitrine.csp.SourceExpression.none;
import static dev.vitrine.csp.SourceExpression.self;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ContentSecurityPolicyTest {

  private static final Nonce NONCE = new Nonce("abcdefghijklmnopqrstuvwx");

  @Test
  void directivesRenderInTheOrderTheyWereFirstAdded() {
    ContentSecurityPolicy policy = ContentSecurityPolicy.builder()
        .add(Directive.SCRIPT_SRC, self())
        .add(Directive.DEFAULT_SRC, none())
        .add(Directive.SCRIPT_SRC, SourceExpression.host("https://cdn.example"))
        .build();
    assertEquals("script-src 'self' https://cdn.example; default-src 'none'", policy.render());
    assertEquals(List.of(Directive.SCRIPT_SRC, Directive.DEFAULT_SRC), policy.directives());
  }

  @Test
  void addingTheSameSourceTwiceKeepsItOnce() {
    ContentSecurityPolicy policy = ContentSecurityPolicy.builder()
        .add(Directive.IMG_SRC, self(), SourceExpression.scheme("data"))
        .add(Directive.IMG_SRC, self())
        .build();
    assertEquals("img-src 'self' data:", policy.render());
  }

  @Test
  void everyValueKindRenders() {
    ContentSecurityPolicy policy = ContentSecurityPolicy.builder()
        .add(Directive.DEFAULT_SRC, none())
        .sandbox(SandboxFlag.ALLOW_FORMS, SandboxFlag.ALLOW_SCRIPTS)
        .flag(Directive.UPGRADE_INSECURE_REQUESTS)
        .tokens(Directive.REQUIRE_TRUSTED_TYPES_FOR, "'script'")
        .tokens(Directive.TRUSTED_TYPES, "app", "'allow-duplicates'")
        .reportUri("/csp")
        .reportUri("https://reports.example/csp")
        .reportTo("csp")
        .build();
    assertEquals("default-src 'none'; sandbox allow-scripts allow-forms; upgrade-insecure-requests;"
        + " require-trusted-types-for 'script'; trusted-types app 'allow-duplicates';"
        + " report-uri /csp https://reports.example/csp; report-to csp", policy.render());
  }

  @Test
  void aBareSandboxIsPresentWithNoFlagsWhileNoSandboxIsAbsent() {
    assertEquals(Optional.of(Set.of()), ContentSecurityPolicy.builder().sandbox().build().sandboxFlags());
    assertEquals("sandbox", ContentSecurityPolicy.builder().sandbox().build().render());
    assertEquals(Optional.empty(), ContentSecurityPolicy.builder().add(Directive.DEFAULT_SRC, none()).build().sandboxFlags());
  }

  @Test
  void accessorsReturnTheTypedValues() {
    ContentSecurityPolicy policy = ContentSecurityPolicy.builder()
        .add(Directive.SCRIPT_SRC, self())
        .reportTo("csp")
        .build();
    assertEquals(Optional.of(List.of(self())), policy.sources(Directive.SCRIPT_SRC));
    assertEquals(Optional.empty(), policy.sources(Directive.STYLE_SRC));
    assertEquals(Optional.of(List.of("csp")), policy.tokens(Directive.REPORT_TO));
    assertTrue(policy.has(Directive.SCRIPT_SRC));
    assertFalse(policy.has(Directive.DEFAULT_SRC));
    assertThrows(IllegalArgumentException.class, () -> policy.sources(Directive.SANDBOX));
    assertThrows(IllegalArgumentException.class, () -> policy.tokens(Directive.SCRIPT_SRC));
  }

  @Test
  void withAddsOneSourceToACopyAndLeavesTheOriginalUnchanged() {
    ContentSecurityPolicy base = ContentSecurityPolicy.builder()
        .add(Directive.DEFAULT_SRC, none())
        .add(Directive.SCRIPT_SRC, self())
        .add(Directive.OBJECT_SRC, none())
        .build();
    ContentSecurityPolicy withNonce = base.with(Directive.SCRIPT_SRC, SourceExpression.nonce(NONCE));
    assertEquals("default-src 'none'; script-src 'self' 'nonce-abcdefghijklmnopqrstuvwx'; object-src 'none'",
        withNonce.render());
    assertEquals("default-src 'none'; script-src 'self'; object-src 'none'", base.render());
  }

  @Test
  void withAppendsADirectiveThatWasAbsent() {
    ContentSecurityPolicy base = ContentSecurityPolicy.builder().add(Directive.DEFAULT_SRC, none()).build();
    assertEquals("default-src 'none'; script-src 'nonce-abcdefghijklmnopqrstuvwx'",
        base.with(Directive.SCRIPT_SRC, SourceExpression.nonce(NONCE)).render());
  }

  @Test
  void withRefusesToPutASourceNextToNone() {
    ContentSecurityPolicy base = ContentSecurityPolicy.builder().add(Directive.SCRIPT_SRC, none()).build();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> base.with(Directive.SCRIPT_SRC, self()));
    assertTrue(e.getMessage().contains("script-src"), e.getMessage());
    assertTrue(e.getMessage().contains("'none'"), e.getMessage());
  }

  @Test
  void policiesAreEqualByValueAndDirectiveOrder() {
    ContentSecurityPolicy a = ContentSecurityPolicy.builder()
        .add(Directive.DEFAULT_SRC, none()).add(Directive.SCRIPT_SRC, self()).build();
    ContentSecurityPolicy b = ContentSecurityPolicy.builder()
        .add(Directive.DEFAULT_SRC, none()).add(Directive.SCRIPT_SRC, self()).build();
    ContentSecurityPolicy reordered = ContentSecurityPolicy.builder()
        .add(Directive.SCRIPT_SRC, self()).add(Directive.DEFAULT_SRC, none()).build();
    assertEquals(a, b);
    assertEquals(a.hashCode(), b.hashCode());
    assertNotEquals(a, reordered);
    assertEquals(a.render(), a.toString());
  }

  @Test
  void anEmptyPolicyCannotBeBuilt() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ContentSecurityPolicy.builder().build());
    assertTrue(e.getMessage().contains("no directives"), e.getMessage());
  }

  @Test
  void aSourceListNeedsAtLeastOneSource() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ContentSecurityPolicy.builder().add(Directive.SCRIPT_SRC));
    assertTrue(e.getMessage().contains("script-src"), e.getMessage());
  }

  @Test
  void eachDirectiveOnlyTakesItsOwnKindOfValue() {
    var builder = ContentSecurityPolicy.builder();
    assertTrue(assertThrows(IllegalArgumentException.class, () -> builder.add(Directive.SANDBOX, self()))
        .getMessage().contains("sandbox(SandboxFlag...)"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> builder.flag(Directive.SCRIPT_SRC))
        .getMessage().contains("add(SCRIPT_SRC"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> builder.tokens(Directive.UPGRADE_INSECURE_REQUESTS, "x"))
        .getMessage().contains("flag(UPGRADE_INSECURE_REQUESTS)"));
  }

  @Test
  void frameAncestorsTakesOnlySelfNoneSchemesAndHosts() {
    var builder = ContentSecurityPolicy.builder();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> builder.add(Directive.FRAME_ANCESTORS, SourceExpression.nonce(NONCE)));
    assertTrue(e.getMessage().contains("frame-ancestors"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> builder.add(Directive.FRAME_ANCESTORS, SourceExpression.unsafeInline()));
    builder.add(Directive.FRAME_ANCESTORS, self(), SourceExpression.scheme("https"), SourceExpression.host("chat.example"));
    assertEquals("frame-ancestors 'self' https: chat.example", builder.build().render());
  }

  @Test
  void tokenValuesAreValidated() {
    var builder = ContentSecurityPolicy.builder();
    assertThrows(IllegalArgumentException.class, () -> builder.tokens(Directive.REQUIRE_TRUSTED_TYPES_FOR, "script"));
    assertThrows(IllegalArgumentException.class, () -> builder.tokens(Directive.TRUSTED_TYPES, "bad'name"));
    assertThrows(IllegalArgumentException.class, () -> builder.tokens(Directive.TRUSTED_TYPES, "'none'", "app"));
    assertThrows(IllegalArgumentException.class, () -> builder.reportUri("/csp report"));
    assertThrows(IllegalArgumentException.class, () -> builder.reportUri("/csp;x"));
    assertThrows(IllegalArgumentException.class, () -> builder.reportTo("a group"));
  }

  @Test
  void reportToTakesExactlyOneGroup() {
    var builder = ContentSecurityPolicy.builder().reportTo("csp").reportTo("csp");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> builder.reportTo("other"));
    assertTrue(e.getMessage().contains("exactly one group"), e.getMessage());
  }
}

package dev.vitrine.csp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class DirectiveTest {

  @Test
  void everyDirectiveIsFoundByItsOwnHeaderName() {
    for (Directive directive : Directive.values()) {
      assertEquals(Optional.of(directive), Directive.byName(directive.headerName()));
    }
  }

  @Test
  void headerNamesAreTheLowerCaseDashedEnumNames() {
    for (Directive directive : Directive.values()) {
      assertEquals(directive.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'), directive.headerName());
    }
    assertEquals(26, Directive.values().length);
  }

  @Test
  void lookupIgnoresAsciiCase() {
    assertEquals(Optional.of(Directive.SCRIPT_SRC), Directive.byName("Script-SRC"));
  }

  @Test
  void unknownNullAndLookAlikeNamesAreNotFound() {
    assertTrue(Directive.byName("script-source").isEmpty());
    assertTrue(Directive.byName(null).isEmpty());
    // U+0130 (capital I with dot) lower-cases to "i" plus a combining dot under Locale.ROOT.
    assertTrue(Directive.byName("\u0130mg-src").isEmpty());
  }

  @Test
  void keywordsAreFoundIgnoringCaseButNeverThroughNonAsciiLookAlikes() {
    assertEquals(Optional.of(Keyword.SELF), Keyword.byToken("'SELF'"));
    // KELVIN SIGN lower-cases to an ASCII 'k' with String.toLowerCase.
    assertTrue(Keyword.byToken("'unsafe-\u212Aeval'").isEmpty());
  }
}

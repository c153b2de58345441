package dev.vitrine.csp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Seeded random inputs for the parser, which reads operator-supplied text. A stand-in for a
 * coverage-guided fuzzer until the reactor pins one: the module may use the JDK only.
 */
class ContentSecurityPolicyFuzzTest {

  private static final List<String> NAMES = List.of(
      "default-src", "script-src", "img-src", "frame-ancestors", "sandbox", "report-uri", "report-to",
      "trusted-types", "require-trusted-types-for", "upgrade-insecure-requests", "Style-Src", "bogus-src");

  private static final List<String> VALUES = List.of(
      "'self'", "'none'", "'unsafe-inline'", "'nonce-abcdefghijklmnopqrstuvwx'",
      "'sha256-qznLcsROx4GACP2dm0UCKCzCG+HiZ1guq6ZZDob/Tng='", "data:", "https:", "*", "*.a.example",
      "https://a.example:8443/p/", "allow-scripts", "allow-forms", "/csp", "csp", "'script'", "app");

  private static final List<String> GARBAGE = List.of(
      ";", " ", "\t", "'", ":", "//", "%", ",", "\n", "\u00e9", "=", "-", "'nonce-", "'sha256-", "\u0000");

  @Test
  void randomPoliciesEitherParseAndRoundTripOrFailWithCspParseException() {
    Random random = new Random(20_261_101L);
    int parsed = 0;
    for (int i = 0; i < 50_000; i++) {
      StringBuilder text = new StringBuilder();
      int directives = random.nextInt(5);
      for (int d = 0; d < directives; d++) {
        text.append(NAMES.get(random.nextInt(NAMES.size())));
        int values = random.nextInt(4);
        for (int v = 0; v < values; v++) {
          text.append(' ').append(VALUES.get(random.nextInt(VALUES.size())));
        }
        if (random.nextInt(4) == 0) {
          // Splice garbage into a random position, not only between tokens.
          text.insert(random.nextInt(text.length() + 1), GARBAGE.get(random.nextInt(GARBAGE.size())));
        }
        text.append(random.nextBoolean() ? "; " : ";");
      }
      String input = text.toString();
      ContentSecurityPolicy policy;
      try {
        policy = ContentSecurityPolicy.parse(input);
      } catch (CspParseException expected) {
        continue;
      } catch (RuntimeException unexpected) {
        fail("input " + Printable.quote(input) + " threw " + unexpected, unexpected);
        return;
      }
      parsed++;
      assertEquals(policy, ContentSecurityPolicy.parse(policy.render()), input);
    }
    // Guards the generator itself: if nothing parses, the round-trip check above tests nothing.
    if (parsed < 1_000) {
      fail("only " + parsed + " random policies parsed; the generator no longer exercises round trips");
    }
  }
}

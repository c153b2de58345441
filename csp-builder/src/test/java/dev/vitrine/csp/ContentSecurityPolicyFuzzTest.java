package dev.vitrine.csp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The parser reads operator-supplied text, so it is fuzzed. The {@link FuzzTest} is Jazzer's: in
 * a normal build it replays the inputs under {@code ContentSecurityPolicyFuzzTestInputs/} (past
 * findings and hand-written seeds); with {@code JAZZER_FUZZ=1} it fuzzes, guided by coverage
 * (docs/FUZZING.md). The seeded random test below keeps exercising round trips of well-formed
 * policies in every build, which a coverage-guided fuzzer reaches only slowly from bytes.
 */
class ContentSecurityPolicyFuzzTest {

  /**
   * A message quotes at most three pieces of the input, each cut to 80 characters that escape to
   * at most 6 each: long, but never growing with the input.
   */
  private static final int MAX_MESSAGE_LENGTH = 2_000;

  private static final List<String> NAMES = List.of(
      "default-src", "script-src", "img-src", "frame-ancestors", "sandbox", "report-uri", "report-to",
      "trusted-types", "require-trusted-types-for", "upgrade-insecure-requests", "Style-Src", "bogus-src");

  private static final List<String> VALUES = List.of(
      "'self'", "'none'", "'unsafe-inline'", "'nonce-abcdefghijklmnopqrstuvwx'",
      "'sha256-qznLcsROx4GACP2dm0UCKCzCG+HiZ1guq6ZZDob/Tng='", "data:", "https:", "*", "*.a.example",
      "https://a.example:8443/p/", "allow-scripts", "allow-forms", "/csp", "csp", "'script'", "app");

  private static final List<String> GARBAGE = List.of(
      ";", " ", "\t", "'", ":", "//", "%", ",", "\n", "\u00e9", "=", "-", "'nonce-", "'sha256-", "\u0000");

  /**
   * Any text either parses into a policy that survives a render and a re-parse unchanged, or is
   * refused with a {@link CspParseException} whose message is safe to log. Bytes are read as
   * UTF-8, so the fuzzer also reaches non-ASCII and replacement characters.
   */
  @FuzzTest(maxDuration = "5m")
  @DictionaryEntries({
      "default-src", "script-src", "style-src-attr", "frame-ancestors", "sandbox", "report-uri",
      "report-to", "trusted-types", "require-trusted-types-for", "upgrade-insecure-requests",
      "'self'", "'none'", "'unsafe-inline'", "'unsafe-eval'", "'strict-dynamic'", "'nonce-",
      "'sha256-", "'sha512-", "'script'", "'allow-duplicates'", "allow-scripts", "allow-forms",
      "https://", "http://127.0.0.1:8081/f/", "*.", ":*", "data:", "blob:", "; "})
  void anyTextRoundTripsOrIsRefusedWithCspParseException(byte[] input) {
    String text = new String(input, StandardCharsets.UTF_8);
    ContentSecurityPolicy policy;
    try {
      policy = ContentSecurityPolicy.parse(text);
    } catch (CspParseException refused) {
      String message = refused.getMessage();
      assertTrue(message.length() <= MAX_MESSAGE_LENGTH, () -> "message of " + message.length()
          + " chars for " + Printable.quote(text));
      assertTrue(message.chars().noneMatch(Character::isISOControl),
          () -> "control character in the message " + Printable.quote(message));
      return;
    }
    ContentSecurityPolicy reparsed = ContentSecurityPolicy.parse(policy.render());
    assertEquals(policy, reparsed, () -> "input " + Printable.quote(text));
    assertEquals(policy.render(), reparsed.render(), () -> "input " + Printable.quote(text));
  }

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

package dev.vitrine.csp;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Parses one serialized policy following CSP3 "parse a serialized CSP", but fails where a
 * browser would skip: an operator's typo must stop start-up rather than quietly drop a
 * directive.
 */
final class PolicyParser {

  private PolicyParser() {}

  static ContentSecurityPolicy parse(String policy) {
    if (policy == null) {
      throw new CspParseException("policy is null");
    }
    rejectUnsafeCharacters(policy);
    ContentSecurityPolicy.Builder builder = ContentSecurityPolicy.builder();
    Set<Directive> seen = EnumSet.noneOf(Directive.class);
    for (String part : policy.split(";", -1)) {
      List<String> words = words(part);
      if (words.isEmpty()) {
        continue;
      }
      String name = words.get(0);
      Directive directive =
          Directive.byName(name)
              .orElseThrow(
                  () ->
                      new CspParseException(
                          "unknown directive " + Printable.quote(name) + " in "
                              + Printable.quote(part.strip())
                              + ": not a CSP Level 3 directive; browsers ignore it, so it would"
                              + " protect nothing"));
      if (!seen.add(directive)) {
        throw new CspParseException(
            "duplicate directive " + Printable.quote(directive.headerName())
                + ": browsers ignore every repeat after the first, so "
                + Printable.quote(part.strip()) + " would silently do nothing");
      }
      apply(builder, directive, words.subList(1, words.size()));
    }
    if (seen.isEmpty()) {
      throw new CspParseException(
          "empty policy " + Printable.quote(policy) + ": it has no directive and restricts nothing");
    }
    return builder.build();
  }

  private static void apply(ContentSecurityPolicy.Builder builder, Directive directive, List<String> values) {
    String name = directive.headerName();
    switch (directive.kind()) {
      case SOURCES, ANCESTOR_SOURCES -> {
        if (values.isEmpty()) {
          throw new CspParseException(
              "directive " + Printable.quote(name)
                  + " has no sources; an empty list means 'none', so write 'none' to say so");
        }
        List<SourceExpression> sources = new ArrayList<>();
        for (String token : values) {
          try {
            sources.add(SourceGrammar.parseSource(token));
          } catch (IllegalArgumentException e) {
            throw new CspParseException(
                "bad source expression " + Printable.quote(token) + " in directive "
                    + Printable.quote(name) + ": " + e.getMessage(), e);
          }
        }
        wrap(directive, () -> builder.add(directive, sources.toArray(SourceExpression[]::new)));
      }
      case SANDBOX_FLAGS -> {
        List<SandboxFlag> flags = new ArrayList<>();
        for (String token : values) {
          flags.add(
              SandboxFlag.byToken(token)
                  .orElseThrow(
                      () ->
                          new CspParseException(
                              "unknown sandbox flag " + Printable.quote(token) + " in directive "
                                  + Printable.quote(name)
                                  + ": browsers ignore it, so the frame would get less than meant")));
        }
        builder.sandbox(flags.toArray(SandboxFlag[]::new));
      }
      case NO_VALUE -> {
        if (!values.isEmpty()) {
          throw new CspParseException(
              "directive " + Printable.quote(name) + " takes no value, found "
                  + Printable.quote(String.join(" ", values)));
        }
        builder.flag(directive);
      }
      case REPORT_URIS, REPORT_GROUP, SINK_GROUPS, POLICY_NAMES -> {
        if (values.isEmpty()) {
          throw new CspParseException("directive " + Printable.quote(name) + " has no value");
        }
        wrap(directive, () -> builder.tokens(directive, values.toArray(String[]::new)));
      }
    }
  }

  private static void wrap(Directive directive, Runnable step) {
    try {
      step.run();
    } catch (CspParseException e) {
      throw e;
    } catch (IllegalArgumentException e) {
      throw new CspParseException(
          "directive " + Printable.quote(directive.headerName()) + ": " + e.getMessage(), e);
    }
  }

  /**
   * A header value with CR or LF could smuggle a second header, and a comma joins two policies
   * (the header-list syntax), which this model does not represent; both are refused outright.
   */
  private static void rejectUnsafeCharacters(String policy) {
    for (int i = 0; i < policy.length(); i++) {
      char c = policy.charAt(i);
      if (c == ',') {
        throw new CspParseException(
            "comma at index " + i + " of " + Printable.quote(policy)
                + ": a comma separates two policies; give one policy per header value");
      }
      if (c > 0x7e) {
        throw new CspParseException(
            String.format("non-ASCII character U+%04X at index %d of %s: CSP is ASCII-only",
                (int) c, i, Printable.quote(policy)));
      }
      if (c < 0x20 && c != '\t' || c == 0x7f) {
        throw new CspParseException(
            String.format("control character U+%04X at index %d of %s: not allowed in a header"
                + " value", (int) c, i, Printable.quote(policy)));
      }
    }
  }

  private static List<String> words(String part) {
    List<String> words = new ArrayList<>();
    int i = 0;
    while (i < part.length()) {
      while (i < part.length() && Ascii.isWhitespace(part.charAt(i))) {
        i++;
      }
      int start = i;
      while (i < part.length() && !Ascii.isWhitespace(part.charAt(i))) {
        i++;
      }
      if (i > start) {
        words.add(part.substring(start, i));
      }
    }
    return words;
  }
}

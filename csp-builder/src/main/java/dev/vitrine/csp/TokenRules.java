package dev.vitrine.csp;

import java.net.URI;
import java.net.URISyntaxException;

/** Validation of the plain-token values: report-uri, report-to and the Trusted Types pair. */
final class TokenRules {

  private TokenRules() {}

  /** Returns the token in canonical form, or throws naming the directive, token and rule. */
  static String require(Directive directive, String token) {
    if (token == null || token.isEmpty()) {
      throw new IllegalArgumentException(directive.headerName() + " has an empty value token");
    }
    return switch (directive.kind()) {
      case REPORT_URIS -> requireReportUri(directive, token);
      case REPORT_GROUP -> requireGroup(directive, token);
      case SINK_GROUPS -> requireSinkGroup(directive, token);
      case POLICY_NAMES -> requirePolicyName(directive, token);
      default -> throw new IllegalArgumentException(
          directive.headerName() + " does not take plain tokens; " + hint(directive));
    };
  }

  static String hint(Directive directive) {
    return switch (directive.kind()) {
      case SOURCES, ANCESTOR_SOURCES -> "use add(" + directive + ", SourceExpression...)";
      case SANDBOX_FLAGS -> "use sandbox(SandboxFlag...)";
      case REPORT_URIS -> "use reportUri(String)";
      case REPORT_GROUP -> "use reportTo(String)";
      case NO_VALUE -> "use flag(" + directive + ")";
      case SINK_GROUPS, POLICY_NAMES -> "use tokens(" + directive + ", String...)";
    };
  }

  private static String requireReportUri(Directive directive, String token) {
    for (int i = 0; i < token.length(); i++) {
      char c = token.charAt(i);
      if (!Ascii.isVisible(c) || c == ';' || c == ',') {
        throw new IllegalArgumentException(
            directive.headerName() + " URI " + Printable.quote(token) + " has "
                + Printable.quote(String.valueOf(c))
                + "; percent-encode it (whitespace, ';' and ',' end the value, directive or policy)");
      }
    }
    try {
      new URI(token);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(
          directive.headerName() + " URI " + Printable.quote(token) + " is not a URI reference: "
              + e.getReason(), e);
    }
    return token;
  }

  private static String requireGroup(Directive directive, String token) {
    if (!Ascii.isToken(token)) {
      throw new IllegalArgumentException(
          directive.headerName() + " group " + Printable.quote(token)
              + " must be an HTTP token (letters, digits and !#$%&'*+-.^_`|~)");
    }
    return token;
  }

  private static String requireSinkGroup(Directive directive, String token) {
    if (!Ascii.lowercase(token).equals("'script'")) {
      throw new IllegalArgumentException(
          directive.headerName() + " value " + Printable.quote(token)
              + " is not a sink group; the only one is 'script' (with the quotes)");
    }
    return "'script'";
  }

  private static String requirePolicyName(Directive directive, String token) {
    String lower = Ascii.lowercase(token);
    if (lower.equals("'none'") || lower.equals("'allow-duplicates'")) {
      return lower;
    }
    if (token.equals("*")) {
      return token;
    }
    for (int i = 0; i < token.length(); i++) {
      char c = token.charAt(i);
      if (!Ascii.isAlphaNumeric(c) && "-#=_/@.%".indexOf(c) < 0) {
        throw new IllegalArgumentException(
            directive.headerName() + " value " + Printable.quote(token)
                + " is not a policy name (letters, digits and -#=_/@.%), 'none',"
                + " 'allow-duplicates' or *");
      }
    }
    return token;
  }
}

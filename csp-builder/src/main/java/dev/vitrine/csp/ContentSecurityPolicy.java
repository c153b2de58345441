package dev.vitrine.csp;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * An immutable, validated Content Security Policy: directives in the order they were first
 * added, each with a typed value. Equal policies render equally and vice versa; {@code
 * parse(p.render())} equals {@code p}.
 *
 * <pre>{@code
 * ContentSecurityPolicy policy = ContentSecurityPolicy.builder()
 *     .add(Directive.DEFAULT_SRC, SourceExpression.none())
 *     .add(Directive.SCRIPT_SRC, SourceExpression.self())
 *     .add(Directive.OBJECT_SRC, SourceExpression.none())
 *     .add(Directive.BASE_URI, SourceExpression.none())
 *     .build();
 * policy.render(); // "default-src 'none'; script-src 'self'; object-src 'none'; base-uri 'none'"
 *
 * ContentSecurityPolicy operator = ContentSecurityPolicy.parse(System.getenv("APP_CSP"));
 * }</pre>
 */
public final class ContentSecurityPolicy {

  private final Map<Directive, DirectiveValue> directives;
  private final List<Directive> order;
  private final String rendered;

  private ContentSecurityPolicy(LinkedHashMap<Directive, DirectiveValue> directives) {
    this.directives = Collections.unmodifiableMap(new LinkedHashMap<>(directives));
    this.order = List.copyOf(directives.keySet());
    // Rendered once: policies are built at start-up and rendered on every response.
    this.rendered =
        directives.entrySet().stream()
            .map(e -> renderDirective(e.getKey(), e.getValue()))
            .collect(Collectors.joining("; "));
  }

  private static String renderDirective(Directive directive, DirectiveValue value) {
    String text = value.render();
    return text.isEmpty() ? directive.headerName() : directive.headerName() + " " + text;
  }

  public static Builder builder() {
    return new Builder(new LinkedHashMap<>());
  }

  /**
   * Parses one serialized policy, e.g. an operator-supplied header value. Stricter than a
   * browser: whatever a browser would ignore with a console warning (unknown or repeated
   * directives, malformed sources) is an error here, because an ignored directive protects
   * nothing.
   *
   * @throws CspParseException naming the directive, the token and the rule it breaks
   */
  public static ContentSecurityPolicy parse(String policy) {
    return PolicyParser.parse(policy);
  }

  /** The directives present, in render order. */
  public List<Directive> directives() {
    return order;
  }

  public boolean has(Directive directive) {
    return directives.containsKey(directive);
  }

  /**
   * The source list of a source-list directive, or empty if the directive is absent.
   *
   * @throws IllegalArgumentException if {@code directive} does not take sources (e.g. sandbox)
   */
  public Optional<List<SourceExpression>> sources(Directive directive) {
    if (!directive.kind().isSourceList()) {
      throw new IllegalArgumentException(
          directive.headerName() + " has no source list; " + TokenRules.hint(directive));
    }
    return Optional.ofNullable(directives.get(directive))
        .map(value -> ((DirectiveValue.Sources) value).sources());
  }

  /**
   * The flags of the sandbox directive; empty if there is no sandbox directive, an empty set for
   * a bare {@code sandbox} (the strictest).
   */
  public Optional<Set<SandboxFlag>> sandboxFlags() {
    return Optional.ofNullable(directives.get(Directive.SANDBOX))
        .map(value -> ((DirectiveValue.Flags) value).flags());
  }

  /**
   * The tokens of report-uri, report-to, require-trusted-types-for or trusted-types, or empty if
   * the directive is absent.
   *
   * @throws IllegalArgumentException for a directive that takes sources, flags or nothing
   */
  public Optional<List<String>> tokens(Directive directive) {
    if (!directive.kind().isTokenList()) {
      throw new IllegalArgumentException(
          directive.headerName() + " has no plain tokens; " + TokenRules.hint(directive));
    }
    return Optional.ofNullable(directives.get(directive))
        .map(value -> ((DirectiveValue.Tokens) value).tokens());
  }

  /**
   * A copy with one more source in {@code directive}, e.g. a per-response nonce added to a
   * prebuilt policy. If the directive is absent it is appended with just this source, and so no
   * longer falls back to {@code default-src}.
   *
   * @throws IllegalArgumentException under the same rules as {@link Builder#add}
   */
  public ContentSecurityPolicy with(Directive directive, SourceExpression source) {
    return new Builder(new LinkedHashMap<>(directives)).add(directive, source).build();
  }

  /** The header value, e.g. {@code default-src 'none'; script-src 'self'}. */
  public String render() {
    return rendered;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof ContentSecurityPolicy that
        && order.equals(that.order)
        && directives.equals(that.directives);
  }

  @Override
  public int hashCode() {
    return Objects.hash(order, directives);
  }

  @Override
  public String toString() {
    return rendered;
  }

  /**
   * Collects directives for a {@link ContentSecurityPolicy}. Adding to a directive that is
   * already present appends to it (its position stays where it was first added). Every method
   * validates at once, so the stack trace points at the offending call. Not thread-safe.
   */
  public static final class Builder {

    private final LinkedHashMap<Directive, DirectiveValue> directives;

    private Builder(LinkedHashMap<Directive, DirectiveValue> directives) {
      this.directives = directives;
    }

    /**
     * Appends sources to a source-list directive. Repeated sources are kept once.
     *
     * @throws IllegalArgumentException if the directive takes no sources, no source is given,
     *     {@code 'none'} would share the list with another source (browsers then ignore {@code
     *     'none'}), or frame-ancestors gets anything but {@code 'self'}, {@code 'none'}, schemes
     *     and hosts
     */
    public Builder add(Directive directive, SourceExpression... sources) {
      Objects.requireNonNull(directive, "directive");
      if (!directive.kind().isSourceList()) {
        throw new IllegalArgumentException(
            directive.headerName() + " takes no source expressions; " + TokenRules.hint(directive));
      }
      if (sources == null || sources.length == 0) {
        throw new IllegalArgumentException(
            directive.headerName() + " needs at least one source; add 'none' to allow nothing");
      }
      Set<SourceExpression> merged = new LinkedHashSet<>(existingSources(directive));
      for (SourceExpression source : sources) {
        if (source == null) {
          throw new IllegalArgumentException(directive.headerName() + " source is null");
        }
        if (directive.kind() == ValueKind.ANCESTOR_SOURCES && !isAncestorSource(source)) {
          throw new IllegalArgumentException(
              directive.headerName() + " source " + Printable.quote(source.render())
                  + " is not allowed there; frame-ancestors takes only 'self', 'none', schemes"
                  + " and hosts, and browsers ignore anything else");
        }
        merged.add(source);
      }
      if (merged.size() > 1 && merged.contains(SourceExpression.none())) {
        throw new IllegalArgumentException(
            directive.headerName() + " source list "
                + Printable.quote(merged.stream().map(SourceExpression::render).collect(Collectors.joining(" ")))
                + " mixes 'none' with other sources; browsers then ignore 'none', so write"
                + " either 'none' alone or only the sources to allow");
      }
      directives.put(directive, new DirectiveValue.Sources(new ArrayList<>(merged)));
      return this;
    }

    /** Adds sandbox flags; with no argument, a bare {@code sandbox} (everything restricted). */
    public Builder sandbox(SandboxFlag... flags) {
      Objects.requireNonNull(flags, "flags");
      Set<SandboxFlag> merged = new LinkedHashSet<>(sandboxFlagsSoFar());
      for (SandboxFlag flag : flags) {
        merged.add(Objects.requireNonNull(flag, "sandbox flag"));
      }
      directives.put(Directive.SANDBOX, new DirectiveValue.Flags(merged));
      return this;
    }

    /**
     * Adds a {@code report-uri} target: an absolute URL or a path on the page's own origin.
     * Browsers that support {@code report-to} ignore it; it serves the others.
     */
    public Builder reportUri(String uriOrPath) {
      return tokens(Directive.REPORT_URI, uriOrPath);
    }

    /** Sets the {@code report-to} group, which must match a {@code Reporting-Endpoints} key. */
    public Builder reportTo(String group) {
      return tokens(Directive.REPORT_TO, group);
    }

    /** Adds a directive that has no value, i.e. {@code upgrade-insecure-requests}. */
    public Builder flag(Directive directive) {
      Objects.requireNonNull(directive, "directive");
      if (directive.kind() != ValueKind.NO_VALUE) {
        throw new IllegalArgumentException(
            directive.headerName() + " needs a value; " + TokenRules.hint(directive));
      }
      directives.put(directive, new DirectiveValue.NoValue());
      return this;
    }

    /**
     * Appends plain tokens to {@code require-trusted-types-for} ({@code 'script'}), {@code
     * trusted-types} (policy names, {@code 'none'}, {@code 'allow-duplicates'}, {@code *}),
     * {@code report-uri} or {@code report-to} (exactly one group).
     */
    public Builder tokens(Directive directive, String... tokens) {
      Objects.requireNonNull(directive, "directive");
      if (!directive.kind().isTokenList()) {
        throw new IllegalArgumentException(
            directive.headerName() + " takes no plain tokens; " + TokenRules.hint(directive));
      }
      if (tokens == null || tokens.length == 0) {
        throw new IllegalArgumentException(directive.headerName() + " needs at least one value");
      }
      Set<String> merged = new LinkedHashSet<>(tokensSoFar(directive));
      for (String token : tokens) {
        merged.add(TokenRules.require(directive, token));
      }
      if (directive == Directive.REPORT_TO && merged.size() > 1) {
        throw new IllegalArgumentException(
            "report-to takes exactly one group, got " + Printable.quote(String.join(" ", merged)));
      }
      if (directive == Directive.TRUSTED_TYPES && merged.size() > 1 && merged.contains("'none'")) {
        throw new IllegalArgumentException(
            "trusted-types " + Printable.quote(String.join(" ", merged))
                + " mixes 'none' with other values; write 'none' alone or only the policy names");
      }
      directives.put(directive, new DirectiveValue.Tokens(new ArrayList<>(merged)));
      return this;
    }

    /** @throws IllegalArgumentException if no directive was added: an empty policy allows all */
    public ContentSecurityPolicy build() {
      if (directives.isEmpty()) {
        throw new IllegalArgumentException(
            "policy has no directives; an empty policy restricts nothing");
      }
      return new ContentSecurityPolicy(directives);
    }

    private List<SourceExpression> existingSources(Directive directive) {
      DirectiveValue value = directives.get(directive);
      return value == null ? List.of() : ((DirectiveValue.Sources) value).sources();
    }

    private Set<SandboxFlag> sandboxFlagsSoFar() {
      DirectiveValue value = directives.get(Directive.SANDBOX);
      return value == null ? Set.of() : ((DirectiveValue.Flags) value).flags();
    }

    private List<String> tokensSoFar(Directive directive) {
      DirectiveValue value = directives.get(directive);
      return value == null ? List.of() : ((DirectiveValue.Tokens) value).tokens();
    }

    private static boolean isAncestorSource(SourceExpression source) {
      return switch (source) {
        case SourceExpression.KeywordSource k -> k.keyword() == Keyword.SELF || k.keyword() == Keyword.NONE;
        case SourceExpression.SchemeSource s -> true;
        case SourceExpression.HostSource h -> true;
        case SourceExpression.NonceSource n -> false;
        case SourceExpression.HashSource h -> false;
      };
    }
  }
}

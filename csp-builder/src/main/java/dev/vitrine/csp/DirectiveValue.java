package dev.vitrine.csp;

import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/** The value of one directive, typed by its {@link ValueKind}. Immutable. */
sealed interface DirectiveValue {

  /** The value as written after the directive name; empty for a valueless directive. */
  String render();

  record Sources(List<SourceExpression> sources) implements DirectiveValue {
    public Sources {
      sources = List.copyOf(sources);
    }

    @Override
    public String render() {
      return sources.stream().map(SourceExpression::render).collect(Collectors.joining(" "));
    }
  }

  /** Sandbox flags, always rendered in enum order so equal sets render equally. */
  record Flags(Set<SandboxFlag> flags) implements DirectiveValue {
    public Flags {
      EnumSet<SandboxFlag> copy = EnumSet.noneOf(SandboxFlag.class);
      copy.addAll(flags);
      flags = Collections.unmodifiableSet(copy);
    }

    @Override
    public String render() {
      return flags.stream().map(SandboxFlag::render).collect(Collectors.joining(" "));
    }
  }

  record Tokens(List<String> tokens) implements DirectiveValue {
    public Tokens {
      tokens = List.copyOf(tokens);
    }

    @Override
    public String render() {
      return String.join(" ", tokens);
    }
  }

  record NoValue() implements DirectiveValue {
    @Override
    public String render() {
      return "";
    }
  }
}

package dev.vitrine.frame;

import java.util.List;

/** What compiler.js made of one source, before {@link ComponentRules} judge it. */
sealed interface Compilation {
    /** The source parsed: Sucrase's output and what it imports. */
    record Module(String javascript, List<ImportSite> imports, boolean hasDefaultExport) implements Compilation {
    }

    /** Sucrase's parser stopped at {@code position}. */
    record Unparsable(String message, SourcePosition position) implements Compilation {
    }

    /** One import; {@code specifier} is null for an {@code import()} of a computed name. */
    record ImportSite(String specifier, SourcePosition position) {
    }
}

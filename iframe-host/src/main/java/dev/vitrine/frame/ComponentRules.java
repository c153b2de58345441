package dev.vitrine.frame;

import java.util.LinkedHashSet;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a compiled component must satisfy to be served: it imports only modules the frame's
 * import map provides (an artifact is one file, so a relative import has nothing to load)
 * and it has a default export, the component the frame renders.
 */
final class ComponentRules {
    static final String MISSING_DEFAULT_EXPORT = "the component needs a default export, e.g. export default function App() {...}";
    private static final int SHOWN_SPECIFIER_LENGTH = 80;

    private final Set<String> importable;
    private final String importableList;

    ComponentRules(Set<String> importable) {
        this.importable = Set.copyOf(importable);
        this.importableList = String.join(", ", new TreeSet<>(importable));
    }

    CompiledComponent check(Compilation.Module module) {
        Set<String> imports = new LinkedHashSet<>();
        for (Compilation.ImportSite site : module.imports()) {
            String specifier = site.specifier();
            if (specifier == null) {
                throw unknownImport("cannot import a module whose name is computed (" + site.position()
                        + "): import() takes one of " + importableList + " as a string literal", site);
            }
            if (!importable.contains(specifier)) {
                String why = specifier.startsWith(".") || specifier.startsWith("/")
                        ? ": an artifact is a single file, so there is nothing beside it to import; it can import only "
                        : ": an artifact can import only ";
                throw unknownImport("cannot import " + quoted(specifier) + " (" + site.position() + ")" + why
                        + importableList, site);
            }
            imports.add(specifier);
        }
        if (!module.hasDefaultExport()) {
            throw new InvalidArtifactException("missing_default_export", MISSING_DEFAULT_EXPORT, null);
        }
        return new CompiledComponent(module.javascript(), imports.stream().toList());
    }

    private static InvalidArtifactException unknownImport(String message, Compilation.ImportSite site) {
        return new InvalidArtifactException("unknown_import", message, site.position(), null);
    }

    /** The specifier comes from the artifact: shorten it and show control characters as escapes. */
    static String quoted(String untrusted) {
        StringBuilder shown = new StringBuilder("'");
        untrusted.codePoints().limit(SHOWN_SPECIFIER_LENGTH).forEach(c -> {
            if (Character.isISOControl(c) || c == '\'' || c == '\\') {
                shown.append(String.format("\\u%04x", c));
            } else {
                shown.appendCodePoint(c);
            }
        });
        if (untrusted.codePointCount(0, untrusted.length()) > SHOWN_SPECIFIER_LENGTH) {
            shown.append('…');
        }
        return shown.append('\'').toString();
    }
}

package dev.vitrine.frame;

import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The browser libraries the sandbox origin serves below {@link FramePaths#VENDOR_PREFIX}, as
 * the {@code static} module's build lists them in {@code vendor/manifest.json}: the modules
 * a React artifact may import (specifier → file), the Tailwind script and the mermaid module.
 *
 * <pre>{@code
 * BrowserLibraries libraries = new BrowserLibraries(Map.of("react", "react-UMWIDG4S.js"), "tailwind-CQBCXE3M.js", "mermaid-CPAFGD2D.js");
 * }</pre>
 */
public record BrowserLibraries(Map<String, String> imports, String tailwindFile, String mermaidFile) {
    public BrowserLibraries {
        imports = Map.copyOf(Objects.requireNonNull(imports, "imports"));
        Objects.requireNonNull(tailwindFile, "tailwindFile");
        Objects.requireNonNull(mermaidFile, "mermaidFile");
        for (Map.Entry<String, String> entry : imports.entrySet()) {
            requireFileName(entry.getValue());
        }
        requireFileName(tailwindFile);
        requireFileName(mermaidFile);
    }

    /** The specifiers an artifact may import. */
    public Set<String> specifiers() {
        return imports.keySet();
    }

    // The names go into a document verbatim, so only what the bundler's hashed names use is accepted.
    private static void requireFileName(String file) {
        if (!file.matches("[A-Za-z0-9._-]+\\.js")) {
            throw new IllegalArgumentException("library file name '" + file + "' is not a plain .js file name");
        }
    }
}

package dev.vitrine.frame;

import java.util.List;

/**
 * A React component compiled for the browser: an ES module with no JSX and no TypeScript,
 * and the module specifiers it imports (each one the frame's import map resolves; the
 * automatic JSX runtime adds {@code react/jsx-runtime}).
 *
 * <pre>{@code
 * CompiledComponent component = compiler.compile(tsx);
 * String moduleBody = component.javascript(); // served as text/javascript
 * }</pre>
 */
public record CompiledComponent(String javascript, List<String> imports) {
    public CompiledComponent {
        imports = List.copyOf(imports);
    }
}

package dev.vitrine.frame;

import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;

/**
 * How a {@link ComponentCompiler} runs: how many JavaScript contexts compile at once, how
 * long one compile may run before it is stopped, how many compiled components are kept,
 * and which module specifiers an artifact may import (the keys of the frame's import map).
 *
 * <pre>{@code
 * CompilerSettings settings = CompilerSettings.defaults(
 *         Set.of("react", "react/jsx-runtime", "react-dom/client", "recharts", "lucide-react"));
 * }</pre>
 *
 * @param contexts                the number of contexts, that is of compiles running at once (1 to 64)
 * @param compileTimeout          a compile running longer is stopped with {@code compile_timeout}
 * @param maximumCachedComponents compile results (successes and rejections) kept by content hash
 * @param importableModules       bare module specifiers an artifact may import; must contain
 *                                {@value #JSX_RUNTIME}, which every compiled component imports
 */
public record CompilerSettings(int contexts, Duration compileTimeout, long maximumCachedComponents,
                               Set<String> importableModules) {
    /** The module the automatic JSX runtime imports in every compiled component. */
    public static final String JSX_RUNTIME = "react/jsx-runtime";
    static final int MAXIMUM_CONTEXTS = 64;

    public CompilerSettings {
        if (contexts < 1 || contexts > MAXIMUM_CONTEXTS) {
            throw new IllegalArgumentException("contexts must be between 1 and " + MAXIMUM_CONTEXTS + ", got " + contexts);
        }
        if (compileTimeout == null || compileTimeout.isNegative() || compileTimeout.isZero()) {
            throw new IllegalArgumentException("compileTimeout must be positive, got " + compileTimeout);
        }
        if (maximumCachedComponents < 0) {
            throw new IllegalArgumentException("maximumCachedComponents must not be negative, got " + maximumCachedComponents);
        }
        importableModules = Set.copyOf(importableModules);
        for (String module : importableModules) {
            if (module.isBlank() || module.startsWith(".") || module.startsWith("/") || module.contains(":")) {
                throw new IllegalArgumentException("importableModules must be bare specifiers such as 'react', got '"
                        + module + "'");
            }
        }
        if (!importableModules.contains(JSX_RUNTIME)) {
            throw new IllegalArgumentException("importableModules must contain '" + JSX_RUNTIME
                    + "': every compiled component imports it, got " + new TreeSet<>(importableModules));
        }
    }

    /**
     * One context per processor (at most 4), a 10 s compile limit and 1,000 cached results.
     * The limit is generous because the first compiles run in the interpreter, before the
     * JIT has compiled Sucrase; it stops runaway inputs, not slow machines.
     */
    public static CompilerSettings defaults(Set<String> importableModules) {
        return new CompilerSettings(Math.min(4, Runtime.getRuntime().availableProcessors()), Duration.ofSeconds(10),
                1_000, importableModules);
    }
}

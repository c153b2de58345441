package dev.vitrine.frame;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.stats.CacheStats;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.graalvm.polyglot.Engine;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Source;

/**
 * Compiles a React component written in TSX or JSX into an ES module the browser runs:
 * <a href="https://github.com/alangpierce/sucrase">Sucrase</a> strips TypeScript and turns
 * JSX into {@code react/jsx-runtime} calls inside GraalJS, then the module's imports are
 * checked against {@link CompilerSettings#importableModules()} and a default export is
 * required. Results, rejections included, are cached by the SHA-256 of the source.
 *
 * <p>All contexts share one polyglot engine, so Sucrase is parsed once and code the JIT
 * compiled serves every context. A compile that runs longer than
 * {@link CompilerSettings#compileTimeout()} is cancelled by a watchdog and its context
 * replaced. The first compiles run in GraalJS's interpreter until the JIT has seen enough
 * of them: call {@link #warmUp} at start-up, in the background.
 *
 * <pre>{@code
 * try (ComponentCompiler compiler = ComponentCompiler.create(CompilerSettings.defaults(
 *         Set.of("react", "react/jsx-runtime", "recharts", "lucide-react")))) {
 *     compiler.warmUp(12_000, backgroundExecutor);
 *     if (!compiler.optimizing()) {
 *         log.info("TSX compiler runs in the interpreter (" + compiler.runtimeName() + "): expect slow compiles");
 *     }
 *     CompiledComponent component = compiler.compile(tsx);   // or InvalidArtifactException
 * }
 * }</pre>
 */
public final class ComponentCompiler implements AutoCloseable {
    /** Class-path location of the bundle build-compiler.mjs writes. */
    static final String SCRIPT_RESOURCE = "dev/vitrine/frame/compiler/compiler.js";
    /** Class-path location of the sample {@link #warmUp} compiles (from the {@code static} module). */
    static final String SAMPLE_RESOURCE = "dev/vitrine/static/samples/dashboard.tsx";
    /** What {@link Engine#getImplementationName()} says when no optimizing compiler is present. */
    private static final String INTERPRETER = "Interpreted";

    private record Rejection(String code, String message, SourcePosition position) {
        InvalidArtifactException toException() {
            return new InvalidArtifactException(code, message, position, null);
        }
    }

    /** One of the two is set: what {@link #compile} returns, or why it throws. */
    private record Outcome(CompiledComponent component, Rejection rejection) {
    }

    private final CompilerSettings settings;
    private final ScheduledExecutorService watchdog;
    private final boolean ownsWatchdog;
    private final Engine engine;
    private final Source script;
    private final Map<String, String> contextOptions;
    private final ContextPool pool;
    private final ComponentRules rules;
    private final Cache<String, Outcome> cache;
    private volatile boolean closed;

    /**
     * A compiler whose timeouts are enforced by the given scheduler; the caller owns it and
     * shuts it down after {@link #close}. A single thread is enough.
     */
    public ComponentCompiler(CompilerSettings settings, ScheduledExecutorService watchdog) {
        this(settings, watchdog, false, Map.of(), Map.of());
    }

    /**
     * Engine and context options are GraalJS's own ({@code engine.Mode}, {@code cpusampler},
     * {@code js.ecmascript-version}); only the benchmark sets them, experimental ones included.
     */
    ComponentCompiler(CompilerSettings settings, ScheduledExecutorService watchdog, boolean ownsWatchdog,
                      Map<String, String> engineOptions, Map<String, String> contextOptions) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.watchdog = Objects.requireNonNull(watchdog, "watchdog");
        this.ownsWatchdog = ownsWatchdog;
        this.contextOptions = Map.copyOf(contextOptions);
        this.engine = Engine.newBuilder("js")
                // Without the Graal JIT the engine warns on every start; optimizing() reports it instead.
                .option("engine.WarnInterpreterOnly", "false")
                .allowExperimentalOptions(!engineOptions.isEmpty())
                .options(engineOptions)
                .build();
        try {
            this.script = Source.newBuilder("js", resource(SCRIPT_RESOURCE), "vitrine-compiler.js").cached(true).buildLiteral();
        } catch (RuntimeException e) {
            engine.close();
            throw e;
        }
        this.pool = new ContextPool(settings.contexts(), () -> CompilerContext.open(engine, script, this.contextOptions));
        this.rules = new ComponentRules(settings.importableModules());
        this.cache = Caffeine.newBuilder().maximumSize(settings.maximumCachedComponents()).recordStats().build();
    }

    /** A compiler with its own watchdog thread, stopped by {@link #close}. */
    public static ComponentCompiler create(CompilerSettings settings) {
        return new ComponentCompiler(settings, newWatchdog(), true, Map.of(), Map.of());
    }

    static ScheduledExecutorService newWatchdog() {
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, task -> {
            Thread thread = new Thread(task, "vitrine-compile-watchdog");
            thread.setDaemon(true);
            return thread;
        });
        // Almost every alarm is cancelled: do not keep them queued until they would have rung.
        executor.setRemoveOnCancelPolicy(true);
        return executor;
    }

    public CompilerSettings settings() {
        return settings;
    }

    /**
     * Compiles one component, or returns the cached result of the same source.
     *
     * @throws InvalidArtifactException with code {@code compile_error} (with a position),
     *                                  {@code unknown_import} (with a position),
     *                                  {@code missing_default_export} or {@code compile_timeout}
     * @throws IllegalStateException    if the compiler is closed
     */
    public CompiledComponent compile(String tsx) {
        return compile(tsx, settings.compileTimeout());
    }

    /** {@link #compile(String)} with another time limit: lets a test stop a compile without a slow input. */
    CompiledComponent compile(String tsx, Duration timeout) {
        Objects.requireNonNull(tsx, "tsx");
        String key = sha256(tsx);
        Outcome outcome = cache.getIfPresent(key);
        if (outcome == null) {
            Outcome fresh = compileNow(tsx, timeout);
            outcome = Objects.requireNonNullElse(cache.asMap().putIfAbsent(key, fresh), fresh);
        }
        if (outcome.rejection() != null) {
            throw outcome.rejection().toException();
        }
        return outcome.component();
    }

    private Outcome compileNow(String tsx, Duration timeout) {
        CompilerContext context = pool.borrow();
        AtomicBoolean rang = new AtomicBoolean();
        ScheduledFuture<?> alarm = watchdog.schedule(() -> {
            rang.set(true);
            context.cancel();
        }, timeout.toNanos(), TimeUnit.NANOSECONDS);
        boolean healthy = false;
        try {
            Compilation compilation = context.compile(tsx);
            healthy = true;
            return switch (compilation) {
                case Compilation.Unparsable unparsable -> rejection(new Rejection("compile_error",
                        unparsable.message() + " (" + unparsable.position() + ")", unparsable.position()));
                case Compilation.Module module -> check(module);
            };
        } catch (PolyglotException | IllegalStateException e) {
            if (closed) {
                throw new IllegalStateException("the component compiler was closed during the compile", e);
            }
            // A context the alarm closed before the compile entered it throws IllegalStateException.
            if (rang.get() || e instanceof PolyglotException p && p.isCancelled()) {
                // Not cached: a compile can also be slow because the machine was busy.
                throw new InvalidArtifactException("compile_timeout", "compiling the component took longer than "
                        + describe(timeout) + " and was stopped", null);
            }
            if (e instanceof PolyglotException p && p.isGuestException() && !p.isInternalError()) {
                // Sucrase failed on this input in a way it does not report as a syntax error,
                // such as nesting so deep that the parser ran out of stack.
                return rejection(new Rejection("compile_error", "the component could not be compiled: " + p.getMessage(), null));
            }
            throw new IllegalStateException("the TSX compiler failed: " + e.getMessage(), e);
        } finally {
            // Once the alarm has rung the context is closed or closing.
            if (alarm.cancel(false) && !rang.get() && healthy) {
                pool.release(context);
            } else {
                pool.replace(context);
            }
        }
    }

    private Outcome check(Compilation.Module module) {
        try {
            return new Outcome(rules.check(module), null);
        } catch (InvalidArtifactException e) {
            return rejection(new Rejection(e.code(), e.getMessage(), e.position().orElse(null)));
        }
    }

    private static Outcome rejection(Rejection rejection) {
        return new Outcome(null, rejection);
    }

    /**
     * Compiles the built-in sample dashboard {@code compiles} times on the executor so the
     * JIT compiles Sucrase before real requests need it. On two cores with the Graal JIT on
     * a stock JDK, 3,000 compiles (45 s) bring a compile to 4-8 ms and 12,000 (85 s) to
     * about 2.6 ms; in the interpreter a few compiles bring it from 1-2 s to about 100 ms
     * (iframe-host/README.md, "Benchmark"). It uses a context of its own, never one a {@link #compile} call could wait
     * for, and afterwards adds that context to the pool if there is room. With
     * {@code compiles = 0} it only loads Sucrase into a context, so that the first request
     * does not pay for it. Stops early, without failing, when the compiler is closed.
     *
     * @return completes with the number of compiles done
     */
    public CompletableFuture<Integer> warmUp(int compiles, Executor executor) {
        if (compiles < 0) {
            throw new IllegalArgumentException("compiles must not be negative, got " + compiles);
        }
        return CompletableFuture.supplyAsync(() -> {
            String sample = resource(SAMPLE_RESOURCE);
            int done = 0;
            CompilerContext context = null;
            try {
                context = CompilerContext.open(engine, script, contextOptions);
                for (; done < compiles && !closed; done++) {
                    context.compile(sample);
                }
            } catch (RuntimeException e) {
                if (!closed) {
                    throw e;
                }
            } finally {
                if (context != null) {
                    pool.donate(context);
                }
            }
            return done;
        }, executor);
    }

    /**
     * Whether GraalJS runs with an optimizing (JIT) compiler. False on a stock JDK without the
     * Graal compiler on the module path: compiles then stay 10-50 times slower.
     */
    public boolean optimizing() {
        return !INTERPRETER.equals(engine.getImplementationName());
    }

    /** The Truffle runtime's own name, e.g. "Interpreted" or the name of the Graal compiler. */
    public String runtimeName() {
        return engine.getImplementationName();
    }

    /** Hits and misses of the result cache, for tests and metrics. */
    CacheStats cacheStats() {
        return cache.stats();
    }

    /** Stops running compiles and warm-ups, and closes every context and the engine. */
    @Override
    public void close() {
        closed = true;
        pool.close();
        engine.close(true);
        if (ownsWatchdog) {
            watchdog.shutdownNow();
        }
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    private static String describe(Duration duration) {
        return duration.toMillis() % 1000 == 0 ? duration.toSeconds() + " s" : duration.toMillis() + " ms";
    }

    private static String resource(String name) {
        try (InputStream in = ComponentCompiler.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(name + " is missing from the class path; the iframe-host build "
                        + "creates it with npm and node (see iframe-host/README.md)");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + name, e);
        }
    }
}

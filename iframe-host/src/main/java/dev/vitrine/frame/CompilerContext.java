package dev.vitrine.frame;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.EnvironmentAccess;
import org.graalvm.polyglot.Engine;
import org.graalvm.polyglot.HostAccess;
import org.graalvm.polyglot.PolyglotAccess;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.io.IOAccess;

/**
 * One GraalJS context that has evaluated compiler.js, used by one thread at a time. It can
 * reach nothing outside itself: no host objects or classes, no files, no threads, no
 * processes, no environment. Sucrase only parses the artifact, it never runs it.
 */
final class CompilerContext implements AutoCloseable {
    private static final String FUNCTION = "vitrineCompile";

    private final Context context;
    private final Value compile;

    private CompilerContext(Context context, Value compile) {
        this.context = context;
        this.compile = compile;
    }

    static CompilerContext open(Engine engine, Source script, Map<String, String> options) {
        Context context = Context.newBuilder("js")
                .engine(engine)
                .allowExperimentalOptions(!options.isEmpty())
                .options(options)
                .allowHostAccess(HostAccess.NONE)
                .allowHostClassLookup(name -> false)
                .allowHostClassLoading(false)
                .allowIO(IOAccess.NONE)
                .allowCreateThread(false)
                .allowCreateProcess(false)
                .allowNativeAccess(false)
                .allowEnvironmentAccess(EnvironmentAccess.NONE)
                .allowPolyglotAccess(PolyglotAccess.NONE)
                .build();
        try {
            context.eval(script);
            Value compile = context.getBindings("js").getMember(FUNCTION);
            if (compile == null || !compile.canExecute()) {
                throw new IllegalStateException(script.getName() + " did not define " + FUNCTION);
            }
            return new CompilerContext(context, compile);
        } catch (RuntimeException e) {
            context.close(true);
            throw e;
        }
    }

    /** Runs compiler.js on the source; a {@code PolyglotException} means it did not finish. */
    Compilation compile(String source) {
        Value result = compile.execute(source);
        Value error = result.getMember("error");
        if (error != null && !error.isNull()) {
            return new Compilation.Unparsable(error.getMember("message").asString(), position(error));
        }
        Value imports = result.getMember("imports");
        List<Compilation.ImportSite> sites = new ArrayList<>((int) imports.getArraySize());
        for (long i = 0; i < imports.getArraySize(); i++) {
            Value site = imports.getArrayElement(i);
            Value specifier = site.getMember("specifier");
            sites.add(new Compilation.ImportSite(specifier.isNull() ? null : specifier.asString(), position(site)));
        }
        return new Compilation.Module(result.getMember("code").asString(), sites,
                result.getMember("hasDefaultExport").asBoolean());
    }

    private static SourcePosition position(Value value) {
        return new SourcePosition(Math.max(1, value.getMember("line").asInt()),
                Math.max(1, value.getMember("column").asInt()));
    }

    /** Stops a compile running on another thread; the context is unusable afterwards. */
    void cancel() {
        context.close(true);
    }

    @Override
    public void close() {
        context.close(true);
    }
}

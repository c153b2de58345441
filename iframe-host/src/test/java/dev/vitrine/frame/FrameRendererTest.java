package dev.vitrine.frame;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vitrine.csp.SandboxSettings;
import dev.vitrine.storage.ArtifactId;
import dev.vitrine.storage.ArtifactType;
import dev.vitrine.storage.ArtifactVersion;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class FrameRendererTest {
    private static final SandboxSettings SETTINGS = new SandboxSettings(URI.create("http://127.0.0.1:8081"),
            List.of(URI.create("http://localhost:8080")), FramePaths.RUNTIME_PREFIX, FramePaths.REPORT_PATH);
    private static final ArtifactId ID = ArtifactId.parse("aaaaaaaaaaaaaaaaaaaaaaaaaa");

    private static final BrowserLibraries LIBRARIES = new BrowserLibraries(
            Map.of("react", "react-UMWIDG4S.js", "react/jsx-runtime", "react-jsx-runtime-F6CAO2PX.js", "react-dom/client", "react-dom-client-6ZS6TPZE.js"),
            "tailwind-CQBCXE3M.js", "mermaid-CPAFGD2D.js");

    private static ComponentCompiler compiler;

    private final FrameRenderer renderer = new FrameRenderer(SETTINGS, 10);

    @BeforeAll
    static void startCompiler() {
        compiler = ComponentCompiler.create(CompilerSettings.defaults(LIBRARIES.specifiers()));
    }

    @AfterAll
    static void closeCompiler() {
        compiler.close();
    }

    private static ArtifactVersion version(String content) {
        return ArtifactVersion.of(ID, 1, content, Instant.EPOCH);
    }

    private static String html(FrameDocument document) {
        return new String(document.body(), StandardCharsets.UTF_8);
    }

    @Test
    void htmlDocumentLoadsTheRuntimeFirstAndCarriesTheArtifactPolicy() {
        FrameDocument document = renderer.render(ArtifactType.HTML, version("<p onclick=\"go()\">hi</p>"));
        String html = html(document);
        assertTrue(html.startsWith("<!doctype html>"), html);
        assertTrue(html.indexOf("<script src=\"/_vitrine/frame.js\" crossorigin=\"anonymous\">") < html.indexOf("<p onclick=\"go()\">hi</p>"), html);
        String csp = document.headers().value("Content-Security-Policy").orElseThrow();
        assertTrue(csp.contains("script-src http://127.0.0.1:8081/_vitrine/ 'unsafe-inline'"), csp);
        assertFalse(csp.contains("'unsafe-eval'"), csp);
    }

    @Test
    void svgIsCleanedAndPlacedInADocument() {
        FrameDocument document = renderer.render(ArtifactType.SVG,
                version("<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"x()\"><script>x()</script><rect width=\"5\" height=\"5\"/></svg>"));
        String html = html(document);
        assertTrue(html.contains("<rect"), html);
        assertFalse(html.contains("onload") || html.contains("x()"), html);
        assertTrue(html.contains("/_vitrine/frame.js"), html);
        assertEquals(2, document.removals().size(), document.removals().toString());
    }

    @Test
    void sameContentIsRenderedOnceAndServedFromTheCache() {
        assertSame(renderer.render(ArtifactType.HTML, version("<p>x</p>")), renderer.render(ArtifactType.HTML, version("<p>x</p>")));
    }

    @Test
    void checkReportsRemovalsBeforeStoring() {
        assertEquals(1, renderer.check(ArtifactType.HTML, "<base href=\"http://evil.test/\"><p>x</p>").size());
    }

    @Test
    void contentThatIsNotSvgIsRefusedWithACode() {
        var error = assertThrows(InvalidArtifactException.class, () -> renderer.check(ArtifactType.SVG, "<p>no</p>"));
        assertEquals("invalid_svg", error.code());
    }

    @Test
    void typesNotServedYetAreRefusedWithACode() {
        var error = assertThrows(InvalidArtifactException.class, () -> renderer.check(ArtifactType.REACT, "export default 1"));
        assertEquals("unsupported_type", error.code());
        assertTrue(error.getMessage().contains("html, markdown, svg"), error.getMessage());
    }

    @Test
    void markdownRendersTablesAndCodeAndShowsRawHtmlAsText() {
        FrameDocument document = renderer.render(ArtifactType.MARKDOWN, ArtifactVersion.of(ArtifactId.random(new SecureRandom()), 1, """
                # Results

                | metric | value |
                |---|---|
                | users | 42 |

                ```
                let x = 1;
                ```

                <script>alert(1)</script> <img src=x onerror=alert(1)>
                """, Instant.EPOCH));
        String html = new String(document.body(), StandardCharsets.UTF_8);
        assertTrue(html.contains("<h1>Results</h1>"), html);
        assertTrue(html.contains("<td>42</td>"), html);
        assertTrue(html.contains("<pre><code>let x = 1;"), html);
        assertTrue(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), html);
        assertFalse(html.contains("<script>alert"), html);
        assertFalse(html.contains("<img"), html);
        assertTrue(html.contains(FrameRenderer.RUNTIME_SCRIPT), "the runtime is injected: " + html);
    }

    @Test
    void mermaidSourceIsTextInTheDocumentAndRenderedByTheServedModuleInStrictMode() {
        FrameRenderer full = new FrameRenderer(SETTINGS, 10, compiler, LIBRARIES);
        String html = html(full.render(ArtifactType.MERMAID, version("graph TD; A-->B</pre><script>alert(1)</script>")));
        assertTrue(html.contains("graph TD; A--&gt;B&lt;/pre&gt;&lt;script&gt;alert(1)&lt;/script&gt;</pre>"), html);
        assertFalse(html.contains("<script>alert"), html);
        assertTrue(html.contains("import('/_vitrine/vendor/mermaid-CPAFGD2D.js')"), html);
        assertTrue(html.contains("securityLevel: 'strict'"), html);
        assertTrue(html.indexOf(FrameRenderer.RUNTIME_SCRIPT) < html.indexOf("mermaid-CPAFGD2D.js"), html);
    }

    @Test
    void reactVersionThatNoLongerCompilesIsServedAsADocumentReportingTheError() {
        FrameRenderer full = new FrameRenderer(SETTINGS, 10, compiler, LIBRARIES);
        String html = html(full.render(ArtifactType.REACT,
                version("import { LineChart } from 'recharts';\nexport default () => <LineChart/>;")));
        assertTrue(html.contains("vitrineReport('compile', 'unknown\\u005fimport\\u003a "), html);
        assertFalse(html.contains(FramePaths.COMPONENT_PREFIX), "no module to import: " + html);

        String working = html(full.render(ArtifactType.REACT, version("export default () => <p>ok</p>;")));
        assertTrue(working.contains("import('" + FramePaths.COMPONENT_PREFIX + ID + "/1.js')"), working);
    }
}

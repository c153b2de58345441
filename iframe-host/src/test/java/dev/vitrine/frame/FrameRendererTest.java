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
import org.junit.jupiter.api.Test;

class FrameRendererTest {
    private static final SandboxSettings SETTINGS = new SandboxSettings(URI.create("http://127.0.0.1:8081"),
            List.of(URI.create("http://localhost:8080")), FramePaths.RUNTIME_PREFIX, FramePaths.REPORT_PATH);
    private static final ArtifactId ID = ArtifactId.parse("aaaaaaaaaaaaaaaaaaaaaaaaaa");

    private final FrameRenderer renderer = new FrameRenderer(SETTINGS, 10);

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
        assertTrue(html.indexOf("<script src=\"/_vitrine/frame.js\">") < html.indexOf("<p onclick=\"go()\">hi</p>"), html);
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
}

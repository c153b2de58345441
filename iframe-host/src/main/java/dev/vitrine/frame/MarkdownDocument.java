package dev.vitrine.frame;

import java.util.List;
import org.commonmark.Extension;
import org.commonmark.ext.gfm.tables.TablesExtension;
import org.commonmark.parser.Parser;
import org.commonmark.renderer.html.HtmlRenderer;

/**
 * Markdown rendered on the server into a styled document. Raw HTML inside the Markdown is
 * shown as text, not markup: a Markdown artifact is prose, so it runs no script of its own;
 * the normaliser and the artifact policy still apply on top.
 */
final class MarkdownDocument {
    private static final List<Extension> EXTENSIONS = List.of(TablesExtension.create());
    private static final String STYLE = """
            body{font:16px/1.6 system-ui,sans-serif;color:#1f2430;max-width:46rem;margin:0 auto;padding:1.5rem}
            h1,h2,h3{line-height:1.25;margin:1.4em 0 .5em}h1{font-size:1.9em}h2{font-size:1.45em}
            code{font:.9em ui-monospace,monospace;background:#f1f3f7;border-radius:4px;padding:.1em .35em}
            pre{background:#1f2430;color:#e8ebf2;border-radius:8px;padding:1rem;overflow:auto}
            pre code{background:none;color:inherit;padding:0}
            table{border-collapse:collapse;margin:1em 0}th,td{border:1px solid #d5d9e2;padding:.4em .75em;text-align:left}
            th{background:#f1f3f7}blockquote{margin:1em 0;padding:.2em 1em;border-left:4px solid #d5d9e2;color:#555d6e}
            img{max-width:100%}
            """;

    private final Parser parser = Parser.builder().extensions(EXTENSIONS).build();
    private final HtmlRenderer renderer = HtmlRenderer.builder().extensions(EXTENSIONS).escapeHtml(true).build();

    String html(String markdown) {
        return "<!doctype html><html><head><meta charset=\"utf-8\"><style>" + STYLE + "</style></head><body>"
                + renderer.render(parser.parse(markdown)) + "</body></html>";
    }
}

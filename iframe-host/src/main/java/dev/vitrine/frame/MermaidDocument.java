package dev.vitrine.frame;

/**
 * The frame document of a mermaid diagram: the source as text, rendered into SVG in the frame
 * by the served mermaid module with {@code securityLevel: 'strict'} (labels are text, click
 * handlers are off). A diagram that does not parse, or a mermaid module that does not load, is
 * reported to the embedding page as kind {@code render} and shown in the frame.
 */
final class MermaidDocument {
    private static final String STYLE = """
            body{margin:0;padding:1rem;font:14px system-ui,sans-serif;color:#1f2430}
            #diagram{display:flex;justify-content:center}#diagram svg{max-width:100%;height:auto}
            """;

    private final String mermaidUrl;

    MermaidDocument(BrowserLibraries libraries) {
        this.mermaidUrl = FramePaths.VENDOR_PREFIX + libraries.mermaidFile();
    }

    String html(String source) {
        String text = source.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
        return "<!doctype html><html><head><meta charset=\"utf-8\">"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                + "<style>" + STYLE + "</style></head><body>"
                + "<pre id=\"vitrine-source\" hidden>" + text + "</pre><div id=\"diagram\"></div>"
                + "<script type=\"module\">\n"
                + FrameErrors.REPORT_FUNCTION
                + "try {\n"
                + "  const { default: mermaid } = await import('" + mermaidUrl + "');\n"
                + "  mermaid.initialize({ startOnLoad: false, securityLevel: 'strict' });\n"
                + "  const source = document.getElementById('vitrine-source').textContent;\n"
                + "  const { svg, bindFunctions } = await mermaid.render('vitrine-diagram', source);\n"
                + "  const host = document.getElementById('diagram');\n"
                + "  host.innerHTML = svg;\n"
                + "  if (bindFunctions) bindFunctions(host);\n"
                + "} catch (error) {\n"
                + "  vitrineReport('render', error);\n"
                + "}\n"
                + "</script></body></html>";
    }
}

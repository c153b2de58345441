package dev.vitrine.frame;

import dev.vitrine.storage.ArtifactId;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The frame document of a React artifact: an import map onto the served libraries, Tailwind,
 * and a module that mounts the compiled component's default export inside an error boundary.
 * A render error (kind {@code render}) and a module that fails to load or evaluate (kind
 * {@code load}) are reported to the embedding page like any uncaught error of the frame.
 */
final class ReactDocument {
    private final String importMap;
    private final String tailwindUrl;

    ReactDocument(BrowserLibraries libraries) {
        Map<String, String> sorted = new TreeMap<>(libraries.imports());
        // Specifiers and file names are ours (checked by BrowserLibraries), so no JSON escaping is needed.
        this.importMap = sorted.entrySet().stream()
                .map(e -> "\"" + e.getKey() + "\":\"" + FramePaths.VENDOR_PREFIX + e.getValue() + "\"")
                .collect(Collectors.joining(",", "{\"imports\":{", "}}"));
        this.tailwindUrl = FramePaths.VENDOR_PREFIX + libraries.tailwindFile();
    }

    String html(ArtifactId id, int version) {
        String component = FramePaths.COMPONENT_PREFIX + id.value() + "/" + version + ".js";
        return "<!doctype html><html><head><meta charset=\"utf-8\">"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                + "<script type=\"importmap\">" + importMap + "</script>"
                + "<script src=\"" + tailwindUrl + "\"></script>"
                + "</head><body><div id=\"root\"></div><script type=\"module\">\n"
                + FrameErrors.REPORT_FUNCTION
                + "let modules = null;\n"
                + "try {\n"
                + "  modules = await Promise.all([import('react'), import('react-dom/client'), import('" + component + "')]);\n"
                + "} catch (error) {\n"
                + "  vitrineReport('load', error);\n"
                + "}\n"
                + "if (modules) {\n"
                + "  const [{ Component, createElement }, { createRoot }, { default: App }] = modules;\n"
                + "  class Boundary extends Component {\n"
                + "    constructor(props) { super(props); this.state = { error: null }; }\n"
                + "    static getDerivedStateFromError(error) { return { error }; }\n"
                + "    componentDidCatch(error) {\n"
                + "      window.parent.postMessage({ vitrine: 1, type: 'error', kind: 'render',"
                + " message: String(error && error.message ? error.message : error).slice(0, 2000) }, '*');\n"
                + "    }\n"
                + "    render() {\n"
                + "      return this.state.error\n"
                + "        ? createElement('pre', { 'data-vitrine-error': 'render' }, String(this.state.error.message || this.state.error))\n"
                + "        : this.props.children;\n"
                + "    }\n"
                + "  }\n"
                + "  createRoot(document.getElementById('root')).render(createElement(Boundary, null, createElement(App)));\n"
                + "}\n"
                + "</script></body></html>";
    }
}

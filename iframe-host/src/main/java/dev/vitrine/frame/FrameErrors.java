package dev.vitrine.frame;

/**
 * How Vitrine's own frame scripts report a failure: the shape frame.js uses for uncaught
 * errors, posted to the embedding page, and the message shown in the frame in place of the
 * artifact. React and mermaid documents use {@link #REPORT_FUNCTION}; a React version that no
 * longer compiles is served as {@link #compileErrorDocument}.
 */
final class FrameErrors {
    /**
     * Defines {@code vitrineReport(kind, error, line, column)} in a module script: posts
     * {@code {vitrine: 1, type: 'error', kind, message, line, column}} to the parent and shows
     * the message in a {@code <pre data-vitrine-error>}.
     */
    static final String REPORT_FUNCTION = """
            const vitrineReport = (kind, error, line = 0, column = 0) => {
              const message = String(error && error.message ? error.message : error).slice(0, 2000);
              window.parent.postMessage({ vitrine: 1, type: 'error', kind, message, line, column }, '*');
              const shown = document.createElement('pre');
              shown.setAttribute('data-vitrine-error', kind);
              shown.style.cssText = 'color:#b42318;white-space:pre-wrap;font:13px ui-monospace,monospace;margin:1rem';
              shown.textContent = message;
              document.body.replaceChildren(shown);
            };
            """;

    private FrameErrors() {
    }

    /** A document that reports why a stored component cannot be served, as kind {@code compile}. */
    static String compileErrorDocument(InvalidArtifactException error) {
        int line = error.position().map(SourcePosition::line).orElse(0);
        int column = error.position().map(SourcePosition::column).orElse(0);
        return "<!doctype html><html><head><meta charset=\"utf-8\"></head><body><script type=\"module\">\n"
                + REPORT_FUNCTION
                + "vitrineReport('compile', " + jsString(error.code() + ": " + error.getMessage()) + ", " + line + ", " + column + ");\n"
                + "</script></body></html>";
    }

    /** A JavaScript string literal that is safe inside an inline script: every character outside [A-Za-z0-9 ] is escaped. */
    static String jsString(String text) {
        StringBuilder out = new StringBuilder(text.length() + 16).append('\'');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == ' ') {
                out.append(c);
            } else {
                out.append(String.format("\\u%04x", (int) c));
            }
        }
        return out.append('\'').toString();
    }
}

package dev.vitrine.frame;

import dev.vitrine.sanitizer.CleanedSvg;
import dev.vitrine.sanitizer.SvgSanitizer;

/** Cleans an SVG artifact and places it, centred and scaled to fit, in an HTML document. */
final class SvgDocument {
    private static final String HEAD = "<!doctype html><html><head><style>"
            + "html,body{margin:0;height:100%}"
            + "body{display:flex;align-items:center;justify-content:center;background:#fff}"
            + "body>svg{max-width:100%;max-height:100vh;height:auto}"
            + "</style></head><body>";
    private static final String TAIL = "</body></html>";

    private final SvgSanitizer sanitizer = SvgSanitizer.standard();

    CleanedSvg clean(String svg) {
        return sanitizer.clean(svg);
    }

    String wrap(CleanedSvg svg) {
        return HEAD + svg.svg() + TAIL;
    }
}

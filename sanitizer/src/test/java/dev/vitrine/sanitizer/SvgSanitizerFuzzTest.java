package dev.vitrine.sanitizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Coverage-guided fuzzing of {@link SvgSanitizer}, with jsoup's XML parser and the CSS scrubber
 * instrumented. In a normal build this replays {@code SvgSanitizerFuzzTestInputs/}; with
 * {@code JAZZER_FUZZ=1} it fuzzes (docs/FUZZING.md).
 *
 * <p>The only exception {@link SvgSanitizer#clean} documents for a non-null string is
 * {@link InvalidSvgException}, for input without an {@code <svg>} root; its message must not
 * repeat the input at length. Everything else must come out as {@link SvgSanitizerTest} expects
 * of its attack catalogue: inlined into an HTML page it parses into allowed SVG elements only,
 * with no event handler, no {@code javascript:} and no link but a {@code #fragment} or a raster
 * {@code data:} image; it is well-formed XML; and cleaning it again removes nothing.
 */
class SvgSanitizerFuzzTest {

    /** Longer than any message the sanitizer builds, far shorter than the inputs that reach it. */
    private static final int MAX_MESSAGE_LENGTH = 200;

    /** Bytes are read as UTF-8, as the API does; malformed sequences become U+FFFD. */
    @FuzzTest(maxDuration = "5m")
    @DictionaryEntries({"<svg>", "</svg>", "<svg xmlns=\"http://www.w3.org/2000/svg\">",
            "xmlns:xlink=\"http://www.w3.org/1999/xlink\"", "<script>", "<foreignObject>", "<FOREIGNOBJECT>",
            "<set attributeName=\"onclick\" to=\"x()\"/>", "<animate attributeName=\"href\" values=\"", "attributeName",
            "onload=", "onclick=", "href=\"", "xlink:href=\"", "javascript:", "java\tscript:", "data:image/png;base64,",
            "data:image/svg+xml,", "#a", "//evil.test/", "<use href=", "<image href=", "<a href=", "<feImage href=",
            "<title>", "<desc>", "<style>", "</style>", "@import", "url(", "\\75 rl(", "image-set(", "/*", "*/",
            "<![CDATA[", "]]>", "<!--", "-->", "--!>", "<?xml-stylesheet href=\"x\"?>", "<!DOCTYPE svg [<!ENTITY e \"",
            "&lt;", "&#x6A;", "style=\"fill:url(", "<text>", "<mpath href="})
    void cleanedSvgIsInertAndStableOrRefusedAsInvalid(byte[] input) {
        String svg = new String(input, StandardCharsets.UTF_8);
        CleanedSvg cleaned;
        try {
            cleaned = SvgSanitizer.standard().clean(svg);
        } catch (InvalidSvgException refused) {
            assertTrue(refused.getMessage().length() <= MAX_MESSAGE_LENGTH, refused.getMessage());
            return;
        }
        assertTrue(cleaned.svg().startsWith("<svg"), cleaned.svg());
        SvgSanitizerTest.assertInertWhenInlinedIntoHtml(cleaned.svg());
        SvgSanitizerTest.assertWellFormedXml(cleaned.svg());
        assertEquals(List.of(), SvgSanitizer.standard().clean(cleaned.svg()).removals(),
                "cleaning the output again removed something; output: " + cleaned.svg());
    }
}

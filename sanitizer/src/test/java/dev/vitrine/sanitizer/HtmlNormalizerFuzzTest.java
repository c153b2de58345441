package dev.vitrine.sanitizer;

import java.nio.charset.StandardCharsets;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Coverage-guided fuzzing of {@link HtmlNormalizer} with the head injection every artifact frame
 * gets ({@code FrameRenderer} injects {@code /_vitrine/frame.js}). Jazzer instruments jsoup too,
 * so the fuzzer steers towards parser states as well as towards this module's rules.
 *
 * <p>In a normal build this replays {@code HtmlNormalizerFuzzTestInputs/} (seeds and past
 * findings); with {@code JAZZER_FUZZ=1} it fuzzes (docs/FUZZING.md). The property is the one
 * {@link HtmlNormalizerHostileInputTest} states: no input makes the normaliser throw, the output
 * is a complete document with the runtime script first, it holds nothing the rules remove, and
 * normalising it again removes nothing and changes nothing.
 */
class HtmlNormalizerFuzzTest {

    /** Bytes are read as UTF-8, as the API does; malformed sequences become U+FFFD. */
    @FuzzTest(maxDuration = "5m")
    @DictionaryEntries({"<meta http-equiv=refresh content=0>", "<base href=//e/>", "<link rel=preconnect href=//e>",
            "rel=dns-prefetch", "rel=prerender", "rel=next", "<a ping=//e href=#>", "<area ping=x>",
            "<script type=speculationrules>", "<meta name=referrer content=unsafe-url>", "<meta charset=x>",
            "<portal>", "<fencedframe>", "<noscript>", "</noscript>", "<template>", "<iframe srcdoc=\"",
            "&lt;", "&quot;", "<svg>", "<math>", "<mtext>", "<mglyph>", "<table>", "<style>", "</style>",
            "<select>", "<textarea>", "<title>", "<xmp>", "<noembed>", "<plaintext>", "<!--", "--!>", "<![CDATA[",
            "<html lang=en>", "<head>", "<body>", "<frameset>"})
    void normalisedDocumentHoldsNothingRemovableAndIsStable(byte[] input) {
        HtmlNormalizerHostileInputTest.assertNormalisesCleanly(new String(input, StandardCharsets.UTF_8));
    }
}

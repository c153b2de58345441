package dev.vitrine.sanitizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CssScrubberTest {

    @ParameterizedTest
    @ValueSource(strings = {
            ".a { fill: url(#grad) }",
            ".a { fill: url( '#grad' ) ; clip-path:URL(\"#c\") }",
            "rect { stroke: red; transform: rotate(45deg) translate(1px, calc(2px + 1%)) }",
            ".b { content: \"url(http://evil.test/) is just text in a string\" }",
            "/* url(http://evil.test/) in a comment fetches nothing */ .c { color: blue }",
            "@media (min-width: 10px) { .d { fill: var(--x, url(#g)) } }",
            ""})
    void cssThatFetchesNothingIsCopiedUnchanged(String css) {
        CssScrubber.Result result = CssScrubber.scrub(css);

        assertEquals(css, result.css());
        assertFalse(result.changed());
    }

    @Test
    void externalUrlIsReplacedByNone() {
        CssScrubber.Result result = CssScrubber.scrub(".a{background:url(http://evil.test/x.png) no-repeat}");

        assertEquals(".a{background:none no-repeat}", result.css());
        assertEquals(List.of("url(http://evil.test/x.png)"), result.removed());
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "a{b:url('//evil.test/x')}",
            "a{b:URL(\"data:image/png;base64,AA\")}",
            "a{b:\\75 rl(http://evil.test/)}",
            "a{b:\\000075rl(http://evil.test/)}",
            "a{b:u\\rl(http://evil.test/)}",
            "a{b:url(  http://evil.test/  )}",
            "a{b:url(http://evil.test/\\29 x)}",
            "a{b:var(--v, url(http://evil.test/))}",
            "a{b:image-set(\"http://evil.test/a.png\" 1x)}",
            "a{b:-webkit-image-set('http://evil.test/a.png' 1x)}",
            "a{b:url(http://evil.test/",
            "a{b:url(#fine) url(http://evil.test/)}",
            "@font-face{font-family:x;src:url(http://evil.test/f.woff2)}"})
    void everySpellingOfAnExternalFetchIsRemoved(String css) {
        CssScrubber.Result result = CssScrubber.scrub(css);

        assertTrue(result.changed(), css);
        assertFalse(result.css().contains("evil.test"), result.css());
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "@import url(http://evil.test/a.css); .a{fill:red}",
            "@import 'http://evil.test/a.css' screen; .a{fill:red}",
            "@IMPORT \"x.css\";.a{fill:red}",
            "@\\69mport 'x.css';.a{fill:red}"})
    void importIsRemovedAndTheRestKept(String css) {
        CssScrubber.Result result = CssScrubber.scrub(css);

        assertEquals(List.of("@import"), result.removed());
        assertTrue(result.css().endsWith(".a{fill:red}"), result.css());
        assertFalse(result.css().toLowerCase().contains("import"), result.css());
    }

    @Test
    void anUnterminatedCommentOrStringDoesNotHideAFetch() {
        // The comment never closes, so the url() is inside it for the browser too.
        assertFalse(CssScrubber.scrub("/* url(http://evil.test/)").changed());
        // A newline ends a string, so the url() after it is live CSS.
        assertTrue(CssScrubber.scrub("a{content:'x\nb:url(http://evil.test/)}").changed());
    }
}

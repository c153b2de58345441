package dev.vitrine.sanitizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HeadInjectionTest {

    @Test
    void noneInjectsNothing() {
        assertEquals(List.of(), HeadInjection.none().scriptSources());
    }

    @Test
    void scriptsKeepTheirOrder() {
        assertEquals(List.of("/_vitrine/frame.js", "/_vitrine/storage.js?v=3"),
                HeadInjection.scripts("/_vitrine/frame.js", "/_vitrine/storage.js?v=3").scriptSources());
    }

    @Test
    void sourcesAreCopiedSoLaterChangesToTheListDoNotLeakIn() {
        List<String> sources = new ArrayList<>(List.of("/a.js"));
        HeadInjection injection = new HeadInjection(sources);
        sources.add("/b.js");

        assertEquals(List.of("/a.js"), injection.scriptSources());
        assertThrows(UnsupportedOperationException.class, () -> injection.scriptSources().add("/c.js"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://cdn.example/x.js", "frame.js", "", "./x.js", "javascript:alert(1)",
            "//evil.test/x.js", "/a//b.js"})
    void sourcesThatAreNotRootRelativePathsAreRejected(String src) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> HeadInjection.scripts(src));

        assertTrue(e.getMessage().startsWith("HeadInjection.scriptSources[0] is \""), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"/\\evil.test/x.js", "/\t/evil.test/x.js", "/\n/evil.test", "/a b.js", "/x\".js",
            "/<x>.js", "/\u00e9.js"})
    void sourcesABrowserWouldRewriteAreRejected(String src) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> HeadInjection.scripts("/ok.js", src));

        assertTrue(e.getMessage().startsWith("HeadInjection.scriptSources[1]"), e.getMessage());
        assertTrue(e.getMessage().chars().noneMatch(c -> c < 0x20), "control characters are shown escaped");
    }

    @Test
    void nullSourcesAreRejectedWithTheirPosition() {
        NullPointerException e = assertThrows(NullPointerException.class,
                () -> new HeadInjection(Arrays.asList("/a.js", null)));

        assertEquals("HeadInjection.scriptSources[1] must not be null", e.getMessage());
        assertThrows(NullPointerException.class, () -> HeadInjection.scripts((String[]) null));
        assertThrows(NullPointerException.class, () -> new HeadInjection(null));
    }
}

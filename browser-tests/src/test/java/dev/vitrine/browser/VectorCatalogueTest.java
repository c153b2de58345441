package dev.vitrine.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vitrine.browser.EscapeVector.Detector;
import dev.vitrine.browser.EscapeVector.Expected;
import dev.vitrine.browser.EscapeVector.Opening;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Vector files are read strictly: a mistake in one names the file, the field and the rule. */
class VectorCatalogueTest {
    private static final String VALID = """
            {"id": "network/fetch-attacker", "category": "network", "title": "fetch()", "type": "html",
             "payload": "<script>fetch('{{canary.url}}/x').catch(() => {}); console.log('probe:ran')</script>",
             "detect": ["canary-http"], "expected": "blocked", "references": ["CSP3"], "notes": "connect-src"}
            """;

    @TempDir
    Path directory;

    @Test
    void theBuiltInCatalogueLoadsSortedWithUniqueIds() {
        List<EscapeVector> vectors = VectorCatalogue.builtIn();
        assertTrue(vectors.size() >= 40, "vectors: " + vectors.size());
        assertEquals(vectors.stream().map(EscapeVector::id).sorted().toList(), vectors.stream().map(EscapeVector::id).toList());
        assertEquals(vectors.size(), vectors.stream().map(EscapeVector::id).distinct().count());
    }

    @Test
    void aValidFileBecomesAVector() throws IOException {
        write("network/fetch.json", VALID);
        EscapeVector vector = VectorCatalogue.load(directory).get(0);
        assertEquals("network/fetch-attacker", vector.id());
        assertEquals(Set.of(Detector.CANARY_HTTP), vector.detect());
        assertEquals(Expected.BLOCKED, vector.expected());
        assertEquals(Opening.CHAT, vector.open());
        assertTrue(vector.logsRan());
    }

    @Test
    void aMisspelledPlaceholderIsRefusedWithTheFileAndTheKnownOnes() throws IOException {
        Path file = write("a.json", VALID.replace("{{canary.url}}", "{{canary.ulr}}"));
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> VectorCatalogue.load(directory));
        assertTrue(refused.getMessage().startsWith(file.toString()), refused.getMessage());
        assertTrue(refused.getMessage().contains("{{canary.ulr}}") && refused.getMessage().contains("{{canary.url}}"), refused.getMessage());
    }

    @Test
    void unknownFieldsDetectorsAndExpectationsAreRefused() throws IOException {
        write("a.json", VALID.replace("\"notes\"", "\"note\""));
        assertRefused("unknown field 'note'");
        write("a.json", VALID.replace("canary-http\"]", "canary-http\", \"smoke\"]"));
        assertRefused("detect names 'smoke'");
        write("a.json", VALID.replace("\"blocked\"", "\"blokked\""));
        assertRefused("expected is 'blokked'");
    }

    @Test
    void aDetectorNeedsWhatItWatchesInThePayload() throws IOException {
        write("a.json", VALID.replace("\"canary-http\"]", "\"canary-http\", \"canary-udp\"]"));
        assertRefused("detect names 'canary-udp' but the payload has none of [{{canary.udp}}]");
    }

    @Test
    void aScriptPayloadMustProveItRan() throws IOException {
        write("a.json", VALID.replace(" console.log('probe:ran')", ""));
        assertRefused("must log 'probe:ran'");
    }

    @Test
    void twoFilesMayNotShareAnId() throws IOException {
        write("a.json", VALID);
        write("b.json", VALID);
        assertRefused("is already used by");
    }

    @Test
    void theIdMustStartWithItsCategory() throws IOException {
        write("a.json", VALID.replace("\"category\": \"network\"", "\"category\": \"css\""));
        assertRefused("must start with its category 'css/'");
    }

    private void assertRefused(String rule) {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> VectorCatalogue.load(directory));
        assertTrue(refused.getMessage().contains(rule), refused.getMessage());
    }

    private Path write(String name, String json) throws IOException {
        Path file = directory.resolve(name);
        Files.createDirectories(file.getParent());
        Files.writeString(file, json);
        return file;
    }
}

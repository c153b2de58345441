package dev.vitrine.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * Coverage-guided fuzzing of the API's request bodies at the decoding layer, with Jackson
 * instrumented: the bytes a client sends, once the Content-Type and size checks passed, decoded
 * as every body type the API accepts. In a normal build this replays
 * {@code JsonCodecFuzzTestInputs/}; with {@code JAZZER_FUZZ=1} it fuzzes (docs/FUZZING.md).
 */
class JsonCodecFuzzTest {

    private static final List<Class<?>> BODY_TYPES = List.of(ArtifactApi.CreateArtifact.class,
            ArtifactApi.NewVersion.class, StorageApi.MintRequest.class, StorageApi.Operation.class);

    /** The codes README.md lists for a body that cannot be decoded. */
    private static final Set<String> DECODING_CODES = Set.of("malformed_json", "invalid_utf8", "invalid_field", "unknown_field");

    private final JsonCodec codec = new JsonCodec(ServerConfig.DEFAULT_MAX_BODY_SIZE);

    /**
     * Any bytes decode into a value the handler can use (never null), or are refused with an
     * {@link ApiException}: status 400, one of the documented codes, the same code every time, and
     * {@code invalid_utf8} exactly when the bytes are not UTF-8. Any other exception would reach
     * the client as a 500.
     */
    @FuzzTest(maxDuration = "5m")
    @DictionaryEntries({"\"type\"", "\"title\"", "\"content\"", "\"viewer\"", "\"version\"", "\"ttlSeconds\"",
            "\"op\"", "\"key\"", "\"value\"", "\"shared\"", "\"prefix\"", "\"html\"", "\"svg\"", "\"set\"", "\"list\"",
            "null", "true", "false", "[]", "{}", "\\u0000", "\\ud800", "1e999", "-0", "9223372036854775808",
            "\ufeff"})
    void everyBodyTypeDecodesOrIsRefusedWithA400AndADocumentedCode(byte[] body) {
        boolean utf8 = Arrays.equals(body, new String(body, StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_8));
        for (Class<?> type : BODY_TYPES) {
            String outcome = decode(body, type);
            assertEquals(outcome, decode(body, type), () -> type.getSimpleName() + " decoded differently the second time");
            assertEquals(!utf8, outcome.equals("invalid_utf8"), () -> type.getSimpleName() + ": " + outcome);
        }
    }

    /** "decoded", or the code of the refusal. */
    private String decode(byte[] body, Class<?> type) {
        try {
            assertNotNull(codec.decode(body, type), () -> type.getSimpleName() + " decoded to null");
            return "decoded";
        } catch (ApiException refused) {
            String what = type.getSimpleName() + " refused with " + refused.status() + " " + refused.code();
            assertEquals(400, refused.status(), what);
            assertTrue(DECODING_CODES.contains(refused.code()), what);
            assertFalse(refused.getMessage().isBlank(), what);
            return refused.code();
        }
    }
}

package dev.vitrine.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class StreamBodyTest {
    private final JsonCodec json = new JsonCodec(DataSize.ofKilobytes(64));
    private final StringBuilder text = new StringBuilder();

    private void accept(StreamBody body, byte... bytes) {
        body.accept(ByteBuffer.wrap(bytes), text::append);
    }

    private void accept(StreamBody body, String utf8) {
        accept(body, utf8.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void theContentTypeChoosesTheFormat() {
        assertEquals("text", StreamBody.forContentType("text/plain", json).format());
        assertEquals("text", StreamBody.forContentType("Text/Plain; charset=\"UTF-8\"", json).format());
        assertEquals("ndjson", StreamBody.forContentType("application/x-ndjson", json).format());
        for (String refused : new String[] {null, "application/json", "text/plain; charset=latin1", "text/html"}) {
            assertEquals(415, assertThrows(ApiException.class, () -> StreamBody.forContentType(refused, json)).status(), refused);
        }
    }

    @Test
    void aCharacterSplitAcrossReadsWaitsForItsLastByte() {
        StreamBody body = StreamBody.forContentType("text/plain", json);
        byte[] emoji = "😀".getBytes(StandardCharsets.UTF_8);

        accept(body, (byte) 'a', emoji[0], emoji[1]);
        assertEquals("a", text.toString());
        accept(body, emoji[2]);
        accept(body, emoji[3], (byte) 'b');
        body.finish(text::append);

        assertEquals("a😀b", text.toString());
    }

    @Test
    void invalidUtf8IsRefusedAtItsByteAfterTheTextBeforeIt() {
        StreamBody body = StreamBody.forContentType("text/plain", json);
        accept(body, "abc");

        ApiException e = assertThrows(ApiException.class, () -> accept(body, (byte) 'd', (byte) 0xFF));

        assertEquals("invalid_utf8", e.code());
        assertEquals("abcd", text.toString());
        assertEquals("the stream is not valid UTF-8 at byte 4; the text before it was kept as a partial version", e.getMessage());
    }

    @Test
    void aBodyEndingInsideACharacterIsInvalid() {
        StreamBody body = StreamBody.forContentType("text/plain", json);
        accept(body, (byte) 'a', (byte) 0xE2, (byte) 0x9C);

        assertEquals("invalid_utf8", assertThrows(ApiException.class, () -> body.finish(text::append)).code());
    }

    @Test
    void ndjsonDeltasAreJoinedAcrossReadsAndBlankLines() {
        StreamBody body = StreamBody.forContentType("application/x-ndjson", json);
        accept(body, "{\"delta\":\"<p>\"}\n\n{\"del");
        accept(body, "ta\":\"a \\ud83d\"}\r\n{\"delta\":\"\\ude00</p>\"}\n{\"done\":true}\n\n");
        body.finish(text::append);

        assertEquals("<p>a 😀</p>", text.toString());
    }

    @Test
    void aLastNdjsonLineWithoutNewlineCounts() {
        StreamBody body = StreamBody.forContentType("application/x-ndjson", json);
        accept(body, "{\"delta\":\"a\"}\n{\"delta\":\"b\"}");
        body.finish(text::append);

        assertEquals("ab", text.toString());
    }

    @Test
    void malformedNdjsonIsRefusedWithItsLineNumber() {
        String[] bad = {
            "{\"delta\":\"a\"}\nnot json\n",
            "{\"delta\":\"a\"}\n{\"delta\":\"b\",\"extra\":1}\n",
            "{\"delta\":\"a\"}\n{\"delta\":\"b\",\"done\":true}\n",
            "{\"delta\":\"a\"}\n{\"done\":false}\n",
            "{\"delta\":\"a\"}\n{}\n",
            "{\"delta\":\"a\"}\n[\"b\"]\n",
        };
        for (String input : bad) {
            StreamBody body = StreamBody.forContentType("application/x-ndjson", json);
            ApiException e = assertThrows(ApiException.class, () -> accept(body, input), input);
            assertEquals("malformed_ndjson", e.code(), input);
            assertEquals("line 2", e.getMessage().substring(0, 6), e.getMessage());
        }
        StreamBody afterDone = StreamBody.forContentType("application/x-ndjson", json);
        assertEquals("malformed_ndjson", assertThrows(ApiException.class,
                () -> accept(afterDone, "{\"done\":true}\n{\"delta\":\"late\"}\n")).code());
    }

    @Test
    void aLoneSurrogateInADeltaIsRefused() {
        StreamBody body = StreamBody.forContentType("application/x-ndjson", json);
        assertEquals("invalid_text", assertThrows(ApiException.class, () -> accept(body, "{\"delta\":\"\\ude00\"}\n")).code());
        StreamBody dangling = StreamBody.forContentType("application/x-ndjson", json);
        accept(dangling, "{\"delta\":\"a\\ud83d\"}\n");
        assertEquals("invalid_text", assertThrows(ApiException.class, () -> dangling.finish(text::append)).code());
    }

    @Test
    void invalidUtf8InNdjsonIsInvalidUtf8() {
        StreamBody body = StreamBody.forContentType("application/x-ndjson", json);
        byte[] line = {'{', '"', 'd', 'e', 'l', 't', 'a', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}', '\n'};
        assertEquals("invalid_utf8", assertThrows(ApiException.class, () -> accept(body, line)).code());
    }
}

package dev.vitrine.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vitrine.storage.ArtifactType;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class DemoTranscriptTest {
    private static final String PLACEHOLDERS = "\"placeholders\": {\"html\": \"<p>Writing…</p>\"}";

    private static DemoTranscript parse(String json) {
        return DemoTranscript.parse(json.getBytes(StandardCharsets.UTF_8), "test.json");
    }

    private static String refusal(String json) {
        return assertThrows(IllegalStateException.class, () -> parse(json)).getMessage();
    }

    /** An assistant message writing artifact "page" with {@code lines}, then one editing it with {@code edits}. */
    private static String writtenThenEdited(String lines, String edits) {
        return "{" + PLACEHOLDERS + ", \"messages\": ["
                + "{\"role\": \"assistant\", \"parts\": [{\"artifact\": \"page\", \"type\": \"html\", \"title\": \"Page\", \"lines\": " + lines + "}]},"
                + "{\"role\": \"assistant\", \"parts\": [{\"edit\": \"page\", \"edits\": " + edits + "}]}]}";
    }

    @Test
    void theBundledTranscriptWritesAnHtmlAndAReactArtifactAndEditsOneOfThem() {
        DemoTranscript transcript = DemoTranscript.bundled();
        List<DemoTranscript.Part> parts = transcript.messages().stream().flatMap(m -> m.parts().stream()).toList();
        List<ArtifactType> written = parts.stream()
                .filter(DemoTranscript.NewArtifact.class::isInstance).map(p -> ((DemoTranscript.NewArtifact) p).type()).toList();
        assertEquals(List.of(ArtifactType.HTML, ArtifactType.REACT), written);
        assertEquals(1, parts.stream().filter(DemoTranscript.Edit.class::isInstance).count());
        assertEquals(DemoTranscript.Role.USER, transcript.messages().get(0).role());
        assertTrue(transcript.messages().size() >= 6, "several messages");
    }

    @Test
    void lineListsBecomeTextEndingWithALineBreak() {
        DemoTranscript transcript = parse(writtenThenEdited("[\"<h1>Plan</h1>\", \"<p>one</p>\"]", "[{\"old\": \"one\", \"new\": \"two\"}]"));
        DemoTranscript.NewArtifact artifact = (DemoTranscript.NewArtifact) transcript.messages().get(0).parts().get(0);
        assertEquals("<h1>Plan</h1>\n<p>one</p>\n", artifact.content());
        assertEquals("<p>Writing…</p>", artifact.placeholder());
        DemoTranscript.Edit edit = (DemoTranscript.Edit) transcript.messages().get(1).parts().get(0);
        assertEquals(List.of(new TextEdits.Edit("one", "two")), edit.edits());
    }

    @Test
    void anEditThatDoesNotApplyToTheTextAsItIsThenIsNamedWithItsPlace() {
        String message = refusal(writtenThenEdited("[\"<p>one</p>\"]", "[{\"old\": \"one\", \"new\": \"two\"}, {\"old\": \"one\", \"new\": \"three\"}]"));
        assertTrue(message.startsWith("test.json: messages[1].parts[0].edits[1].old \"one\" does not occur"), message);
        assertTrue(message.contains("artifact 'page'"), message);
    }

    @Test
    void anEditOfAnArtifactNotYetWrittenIsRefused() {
        String message = refusal("{" + PLACEHOLDERS + ", \"messages\": [{\"role\": \"assistant\", \"parts\": "
                + "[{\"edit\": \"page\", \"edits\": [{\"old\": \"a\", \"new\": \"b\"}]}]}]}");
        assertTrue(message.contains("messages[0].parts[0].edit: no artifact 'page'"), message);
    }

    @Test
    void anUnknownFieldIsNamedWithItsPath() {
        String message = refusal("{" + PLACEHOLDERS + ", \"messages\": [{\"role\": \"user\", \"txt\": \"hi\"}]}");
        assertTrue(message.startsWith("test.json: messages[0].txt: unknown field; known fields: "), message);
    }

    @Test
    void aPartOfNoKnownShapeIsRefused() {
        assertEquals("test.json: messages[0].parts[0]: a part is {text}, {artifact, type, title, lines} or {edit, edits}",
                refusal("{" + PLACEHOLDERS + ", \"messages\": [{\"role\": \"assistant\", \"parts\": [{\"colour\": \"red\"}]}]}"));
        assertEquals("test.json: messages[0].parts[0].lines: unknown field; known fields: [text]",
                refusal("{" + PLACEHOLDERS + ", \"messages\": [{\"role\": \"assistant\", \"parts\": "
                        + "[{\"text\": \"hi\", \"lines\": [\"x\"]}]}]}"));
    }

    @Test
    void anArtifactTypeWithoutAPlaceholderIsRefused() {
        String message = refusal("{" + PLACEHOLDERS + ", \"messages\": [{\"role\": \"assistant\", \"parts\": "
                + "[{\"artifact\": \"chart\", \"type\": \"react\", \"title\": \"Chart\", \"lines\": [\"x\"]}]}]}");
        assertTrue(message.contains("messages[0].parts[0].type: placeholders has no entry for react"), message);
    }

    @Test
    void aUserMessageHasTextAndAnAssistantMessageHasParts() {
        assertTrue(refusal("{" + PLACEHOLDERS + ", \"messages\": [{\"role\": \"user\", \"parts\": [{\"text\": \"hi\"}]}]}")
                .contains("messages[0].parts: a user message has 'text' only"));
        assertTrue(refusal("{" + PLACEHOLDERS + ", \"messages\": [{\"role\": \"assistant\", \"text\": \"hi\"}]}")
                .contains("messages[0].text: an assistant message has 'parts'"));
        assertTrue(refusal("{" + PLACEHOLDERS + ", \"messages\": [{\"role\": \"system\", \"text\": \"hi\"}]}")
                .contains("messages[0].role: must be 'user' or 'assistant'"));
    }
}

package dev.vitrine.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vitrine.storage.ArtifactType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The replay against a recording backend and a pause that only adds up time, so nothing here sleeps. */
class DemoReplayTest {
    private static final String ARTIFACT = "<h1>Plan</h1>\n<p>Run three times a week, easy on Tuesdays.</p>\n";
    private static final DemoTranscript TRANSCRIPT = DemoTranscript.parse(("""
            {"placeholders": {"html": "<p>Writing…</p>"},
             "messages": [
               {"role": "user", "text": "Make me a plan."},
               {"role": "assistant", "parts": [
                 {"text": "Here is a plan you can keep open."},
                 {"artifact": "plan", "type": "html", "title": "Plan", "lines": ["<h1>Plan</h1>", "<p>Run three times a week, easy on Tuesdays.</p>"]},
                 {"text": "Tick sessions off as you go."}]},
               {"role": "user", "text": "Make Tuesday a rest day."},
               {"role": "assistant", "parts": [
                 {"edit": "plan", "edits": [{"old": "easy on Tuesdays", "new": "rest on Tuesdays"}]},
                 {"text": "Done."}]}]}
            """).getBytes(StandardCharsets.UTF_8), "test");

    /** Records what the replay asks of Vitrine; an artifact's versions count up from 1. */
    private static final class RecordingBackend implements DemoReplay.Backend {
        final List<String> calls = new ArrayList<>();
        final List<String> streamed = new ArrayList<>();
        boolean abandoned;
        DemoReplay.Refused refuseEdits;

        @Override
        public DemoReplay.Created create(ArtifactType type, String title, String content) {
            calls.add("create " + type.wireName() + " " + title + " " + content);
            return new DemoReplay.Created("a1", 1);
        }

        @Override
        public DemoReplay.Stream stream(String artifactId) {
            calls.add("stream " + artifactId);
            return new DemoReplay.Stream() {
                private boolean finished;

                @Override
                public void send(String text) {
                    streamed.add(text);
                }

                @Override
                public int finish() {
                    finished = true;
                    return 2;
                }

                @Override
                public void close() {
                    abandoned = !finished;
                }
            };
        }

        @Override
        public int edit(String artifactId, int baseVersion, List<TextEdits.Edit> edits) throws DemoReplay.Refused {
            if (refuseEdits != null) {
                throw refuseEdits;
            }
            calls.add("edit " + artifactId + " on " + baseVersion + " " + edits);
            return baseVersion + 1;
        }
    }

    /** Adds up the pauses instead of taking them. */
    private static final class CountingPause implements DemoReplay.Pause {
        Duration total = Duration.ZERO;

        @Override
        public void sleep(Duration duration) {
            total = total.plus(duration);
        }
    }

    private static List<DemoReplay.Line> play(RecordingBackend backend, DemoReplay.Pause pause, int speed) throws Exception {
        List<DemoReplay.Line> lines = new ArrayList<>();
        new DemoReplay(TRANSCRIPT, backend, pause, speed).play(lines::add);
        return lines;
    }

    private static String textOf(List<DemoReplay.Line> lines, int message) {
        StringBuilder text = new StringBuilder();
        lines.stream().filter(l -> l instanceof DemoReplay.TextDelta d && d.message() == message)
                .forEach(l -> text.append(((DemoReplay.TextDelta) l).text()));
        return text.toString();
    }

    @Test
    void theConversationGoesOutInOrderWhileTheArtifactIsCreatedStreamedAndEdited() throws Exception {
        RecordingBackend backend = new RecordingBackend();
        List<DemoReplay.Line> lines = play(backend, new CountingPause(), 1);

        List<DemoReplay.MessageStart> starts = lines.stream()
                .filter(DemoReplay.MessageStart.class::isInstance).map(DemoReplay.MessageStart.class::cast).toList();
        assertEquals(List.of(new DemoReplay.MessageStart(0, "user"), new DemoReplay.MessageStart(1, "assistant"),
                new DemoReplay.MessageStart(2, "user"), new DemoReplay.MessageStart(3, "assistant")), starts);
        assertEquals("Make me a plan.", textOf(lines, 0));
        assertEquals("Here is a plan you can keep open.Tick sessions off as you go.", textOf(lines, 1));
        assertTrue(lines.stream().filter(l -> l instanceof DemoReplay.TextDelta d && d.message() == 1).count() > 2,
                "assistant prose arrives a few words at a time");
        assertEquals("Done.", textOf(lines, 3));

        assertEquals(List.of("create html Plan <p>Writing…</p>", "stream a1",
                "edit a1 on 2 [Edit[old=easy on Tuesdays, replacement=rest on Tuesdays]]"), backend.calls);
        assertEquals(ARTIFACT, String.join("", backend.streamed));
        assertTrue(backend.streamed.size() > 1, "the artifact is streamed in pieces: " + backend.streamed);
        assertFalse(backend.abandoned);

        List<DemoReplay.ArtifactReference> references = lines.stream()
                .filter(DemoReplay.ArtifactReference.class::isInstance).map(DemoReplay.ArtifactReference.class::cast).toList();
        assertEquals(new DemoReplay.ArtifactReference(1, "a1", "html", "Plan", 2, "streaming", 0, null), references.get(0));
        assertEquals(new DemoReplay.ArtifactReference(1, "a1", "html", "Plan", 2, "stored", ARTIFACT.length(), null),
                references.get(references.size() - 3));
        assertEquals(new DemoReplay.ArtifactReference(3, "a1", "html", "Plan", 3, "editing", null, 1), references.get(references.size() - 2));
        assertEquals(new DemoReplay.ArtifactReference(3, "a1", "html", "Plan", 3, "stored", null, 1), references.get(references.size() - 1));
        assertEquals(new DemoReplay.Done(List.of("a1")), lines.get(lines.size() - 1));
    }

    @Test
    void theArtifactCardComesBeforeItsTextAndTheTextAroundItKeepsItsPlace() throws Exception {
        List<DemoReplay.Line> lines = play(new RecordingBackend(), new CountingPause(), 1);
        int card = lines.indexOf(new DemoReplay.ArtifactReference(1, "a1", "html", "Plan", 2, "streaming", 0, null));
        int lastProseBefore = lines.indexOf(lines.stream()
                .filter(l -> l instanceof DemoReplay.TextDelta d && d.text().endsWith("open.")).findFirst().orElseThrow());
        int firstProseAfter = lines.indexOf(lines.stream()
                .filter(l -> l instanceof DemoReplay.TextDelta d && d.text().startsWith("Tick")).findFirst().orElseThrow());
        assertTrue(lastProseBefore < card && card < firstProseAfter, lines.toString());
    }

    @Test
    void tenTimesTheSpeedPausesATenthAsLong() throws Exception {
        CountingPause slow = new CountingPause();
        CountingPause fast = new CountingPause();
        play(new RecordingBackend(), slow, 1);
        play(new RecordingBackend(), fast, 10);

        assertTrue(slow.total.compareTo(Duration.ofSeconds(2)) > 0, "a model-like pace at speed 1: " + slow.total);
        long ratio = slow.total.toNanos() / fast.total.toNanos();
        assertTrue(ratio >= 9 && ratio <= 11, slow.total + " against " + fast.total);
    }

    @Test
    void aRefusedStepEndsTheReplayWithTheApisCodeAndPlaysNothingAfterIt() throws Exception {
        RecordingBackend backend = new RecordingBackend();
        backend.refuseEdits = new DemoReplay.Refused("version_conflict", "the latest version is 3, not 2");
        List<DemoReplay.Line> lines = play(backend, new CountingPause(), 1);

        assertEquals(new DemoReplay.Failed("version_conflict", "the latest version is 3, not 2"), lines.get(lines.size() - 1));
        assertEquals("", textOf(lines, 3), "the answer after the refused edit is not played");
        assertTrue(lines.stream().noneMatch(DemoReplay.Done.class::isInstance));
    }

    @Test
    void aReplayStoppedMidStreamAbandonsTheStreamInsteadOfFinishingIt() {
        RecordingBackend backend = new RecordingBackend();
        DemoReplay.Pause stopsOnceStreaming = duration -> {
            if (!backend.streamed.isEmpty()) {
                throw new InterruptedException("the page disconnected");
            }
        };
        assertThrows(InterruptedException.class, () -> play(backend, stopsOnceStreaming, 1));
        assertTrue(backend.abandoned, "a stream left unfinished stores no version");
        assertEquals(List.of("create html Plan <p>Writing…</p>", "stream a1"), backend.calls);
    }

    @Test
    void aPageThatIsGoneStopsTheReplayAtTheNextLine() {
        RecordingBackend backend = new RecordingBackend();
        DemoReplay replay = new DemoReplay(TRANSCRIPT, backend, new CountingPause(), 1);
        List<DemoReplay.Line> written = new ArrayList<>();
        IOException gone = assertThrows(IOException.class, () -> replay.play(line -> {
            if (line instanceof DemoReplay.ArtifactReference reference && reference.length() != null && reference.length() > 0) {
                throw new IOException("broken pipe");
            }
            written.add(line);
        }));
        assertEquals("broken pipe", gone.getMessage());
        assertTrue(backend.abandoned);
        assertInstanceOf(DemoReplay.ArtifactReference.class, written.get(written.size() - 1));
    }

    @Test
    void piecesJoinBackIntoTheTextEndAfterSpacesAndNeverSplitASurrogatePair() {
        String text = "Run 😀 three times a week; rest on Tuesdays.\nLong runs grow slowly.";
        List<String> pieces = DemoReplay.pieces(text, 5);
        assertEquals(text, String.join("", pieces));
        for (String piece : pieces.subList(0, pieces.size() - 1)) {
            assertTrue(piece.length() >= 5 && Character.isWhitespace(piece.charAt(piece.length() - 1)), pieces.toString());
        }
        String noSpaces = "😀".repeat(30);
        List<String> unbroken = DemoReplay.pieces(noSpaces, 5);
        assertEquals(noSpaces, String.join("", unbroken));
        assertTrue(unbroken.stream().allMatch(p -> p.length() <= 21 && !Character.isHighSurrogate(p.charAt(p.length() - 1))), unbroken.toString());
        assertEquals(List.of(), DemoReplay.pieces("", 5));
    }
}

package dev.vitrine.server;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.annotation.JsonTypeName;
import dev.vitrine.storage.ArtifactType;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Plays a {@link DemoTranscript} the way a chat backend serves a model's answer: it tells the
 * chat page what is being written ({@link Line}s: message starts, text deltas, artifact
 * references, done) at a model's pace, creates each artifact, streams its text into the
 * artifact's next version and applies the edits, all through a {@link Backend}, which in the
 * server is Vitrine's own REST API ({@link DemoBackend}).
 *
 * <pre>{@code
 * new DemoReplay(DemoTranscript.bundled(), backend, Thread::sleep, 4).play(line -> out.println(json(line)));
 * }</pre>
 *
 * <p>Every loop runs over the transcript's finite text; pauses come from {@link Pause}, so a test
 * can count them instead of waiting.
 */
final class DemoReplay {
    /** Characters a second at speed 1: about 100 tokens a second, a fast model. */
    static final int CHARACTERS_PER_SECOND = 400;
    /** Assistant prose goes out a few words at a time, as a model's tokens are forwarded. */
    static final int TEXT_PIECE = 12;
    /** Artifact text goes out in larger pieces, as a backend batches tokens into a stream's chunks. */
    static final int ARTIFACT_PIECE = 40;
    private static final Duration BEFORE_USER = Duration.ofMillis(700);
    private static final Duration BEFORE_ASSISTANT = Duration.ofMillis(900);
    /** Between an artifact's card and its first text: the page selects it and subscribes to its events. */
    private static final Duration BEFORE_ARTIFACT_TEXT = Duration.ofMillis(400);

    /** Where the lines go: the response to the chat page. An {@link IOException} means the page has gone. */
    interface Conversation {
        void send(Line line) throws IOException;
    }

    /** How the replay waits; {@code Thread::sleep} in the server. */
    interface Pause {
        void sleep(Duration duration) throws InterruptedException;
    }

    /** The calls a chat backend makes to Vitrine while its model writes. */
    interface Backend {
        /** Creates an artifact; returns its id and version. */
        Created create(ArtifactType type, String title, String content) throws Refused, InterruptedException;

        /** Opens a stream of the artifact's next version ({@code POST /v1/artifacts/{id}/stream}). */
        Stream stream(String artifactId) throws Refused, InterruptedException;

        /** Adds the next version as {@code edits} to {@code baseVersion}; returns its number. */
        int edit(String artifactId, int baseVersion, List<TextEdits.Edit> edits) throws Refused, InterruptedException;
    }

    /** A stream being written; closing it before {@link #finish} abandons it, which stores no version. */
    interface Stream extends AutoCloseable {
        void send(String text) throws Refused, InterruptedException;

        /** Ends the body; returns the number of the version it became. */
        int finish() throws Refused, InterruptedException;

        @Override
        void close();
    }

    record Created(String id, int version) {
    }

    /** Vitrine refused a call, or could not be reached; the code and message are the API's, safe to show. */
    static final class Refused extends Exception {
        private final String code;

        Refused(String code, String message) {
            super(message, null, false, false);
            this.code = code;
        }

        String code() {
            return code;
        }
    }

    /** One line of the replay's answer ({@code application/x-ndjson}); {@code type} names its kind. */
    @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
    sealed interface Line permits MessageStart, TextDelta, ArtifactReference, Done, Failed {
    }

    /** Message {@code message} (0, 1, 2, … in order) begins. */
    @JsonTypeName("message")
    record MessageStart(int message, String role) implements Line {
    }

    /** Text to append to message {@code message}. */
    @JsonTypeName("text")
    record TextDelta(int message, String text) implements Line {
    }

    /**
     * An artifact in message {@code message}, at this point of its text: {@code streaming} (version
     * {@code version} is being written, {@code length} characters so far), {@code editing}
     * ({@code edits} edits are being applied to make {@code version}) or {@code stored}.
     */
    @JsonTypeName("artifact")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record ArtifactReference(int message, String artifactId, String artifactType, String title, int version, String state,
                             Integer length, Integer edits) implements Line {
    }

    /** The replay is over; {@code artifacts} are the ids it created, in order. */
    @JsonTypeName("done")
    record Done(List<String> artifacts) implements Line {
    }

    /** The replay stopped because Vitrine refused a step; nothing after it is played. */
    @JsonTypeName("error")
    record Failed(String code, String message) implements Line {
    }

    /** An artifact the replay created, as it is now. */
    private record Written(String id, ArtifactType type, String title, int version) {
        Written at(int next) {
            return new Written(id, type, title, next);
        }
    }

    private final DemoTranscript transcript;
    private final Backend backend;
    private final Pause pause;
    private final double speed;

    /** @param speed how many times the model-like pace, 1 or more */
    DemoReplay(DemoTranscript transcript, Backend backend, Pause pause, double speed) {
        if (!(speed >= 1)) {
            throw new IllegalArgumentException("speed: " + speed + " must be 1 or more");
        }
        this.transcript = transcript;
        this.backend = backend;
        this.pause = pause;
        this.speed = speed;
    }

    /**
     * Plays the whole transcript into {@code conversation}, ending with {@link Done}, or with
     * {@link Failed} when Vitrine refuses a step.
     *
     * @throws IOException          when the conversation cannot be written: the page has gone
     * @throws InterruptedException when the replay is stopped; a stream in progress is abandoned
     */
    void play(Conversation conversation) throws IOException, InterruptedException {
        Map<String, Written> written = new HashMap<>();
        List<String> created = new ArrayList<>();
        try {
            List<DemoTranscript.Message> messages = transcript.messages();
            for (int index = 0; index < messages.size(); index++) {
                DemoTranscript.Message message = messages.get(index);
                boolean user = message.role() == DemoTranscript.Role.USER;
                pause.sleep(scaled(user ? BEFORE_USER : BEFORE_ASSISTANT));
                conversation.send(new MessageStart(index, message.role().wireName()));
                for (DemoTranscript.Part part : message.parts()) {
                    switch (part) {
                        case DemoTranscript.Text text when user -> conversation.send(new TextDelta(index, text.text()));
                        case DemoTranscript.Text text -> write(conversation, index, text.text());
                        case DemoTranscript.NewArtifact artifact -> {
                            Written artifactNow = stream(conversation, index, artifact);
                            written.put(artifact.ref(), artifactNow);
                            created.add(artifactNow.id());
                        }
                        case DemoTranscript.Edit edit -> written.put(edit.ref(), edit(conversation, index, written.get(edit.ref()), edit));
                    }
                }
            }
        } catch (Refused e) {
            conversation.send(new Failed(e.code(), e.getMessage()));
            return;
        }
        conversation.send(new Done(List.copyOf(created)));
    }

    /** Assistant prose, a few words at a time. */
    private void write(Conversation conversation, int message, String text) throws IOException, InterruptedException {
        for (String piece : pieces(text, TEXT_PIECE)) {
            conversation.send(new TextDelta(message, piece));
            pause.sleep(typing(piece.length()));
        }
    }

    private Written stream(Conversation conversation, int message, DemoTranscript.NewArtifact artifact)
            throws IOException, InterruptedException, Refused {
        Created created = backend.create(artifact.type(), artifact.title(), artifact.placeholder());
        Written next = new Written(created.id(), artifact.type(), artifact.title(), created.version() + 1);
        conversation.send(reference(message, next, "streaming", 0, null));
        pause.sleep(scaled(BEFORE_ARTIFACT_TEXT));
        int stored;
        try (Stream stream = backend.stream(created.id())) {
            int sent = 0;
            for (String piece : pieces(artifact.content(), ARTIFACT_PIECE)) {
                stream.send(piece);
                sent += piece.length();
                conversation.send(reference(message, next, "streaming", sent, null));
                pause.sleep(typing(piece.length()));
            }
            stored = stream.finish();
        }
        Written now = next.at(stored);
        conversation.send(reference(message, now, "stored", artifact.content().length(), null));
        return now;
    }

    private Written edit(Conversation conversation, int message, Written artifact, DemoTranscript.Edit edit)
            throws IOException, InterruptedException, Refused {
        int count = edit.edits().size();
        conversation.send(reference(message, artifact.at(artifact.version() + 1), "editing", null, count));
        // The model writes its edits before the backend can send them.
        pause.sleep(typing(edit.edits().stream().mapToInt(e -> e.old().length() + e.replacement().length()).sum()));
        Written now = artifact.at(backend.edit(artifact.id(), artifact.version(), edit.edits()));
        conversation.send(reference(message, now, "stored", null, count));
        return now;
    }

    private static ArtifactReference reference(int message, Written artifact, String state, Integer length, Integer edits) {
        return new ArtifactReference(message, artifact.id(), artifact.type().wireName(), artifact.title(), artifact.version(),
                state, length, edits);
    }

    private Duration typing(int characters) {
        return Duration.ofNanos(Math.round(characters * 1e9 / (CHARACTERS_PER_SECOND * speed)));
    }

    private Duration scaled(Duration duration) {
        return Duration.ofNanos(Math.round(duration.toNanos() / speed));
    }

    /**
     * Cuts {@code text} into pieces of at least {@code size} characters that end after a space or
     * line break where one comes within four times {@code size}, never inside a surrogate pair;
     * joined, they are {@code text}.
     */
    static List<String> pieces(String text, int size) {
        List<String> pieces = new ArrayList<>();
        int start = 0;
        while (start < text.length()) {
            int end = Math.min(text.length(), start + size);
            int longest = Math.min(text.length(), start + 4 * size);
            while (end < longest && !Character.isWhitespace(text.charAt(end - 1))) {
                end++;
            }
            if (end < text.length() && Character.isHighSurrogate(text.charAt(end - 1))) {
                end++;
            }
            pieces.add(text.substring(start, end));
            start = end;
        }
        return pieces;
    }
}

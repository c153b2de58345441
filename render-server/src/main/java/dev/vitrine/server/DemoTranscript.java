package dev.vitrine.server;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidTypeIdException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.vitrine.storage.ArtifactType;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The recorded conversation {@code POST /v1/demo/replay} plays ({@link DemoReplay}): user and
 * assistant messages, the artifacts the assistant writes and the {@code str_replace} edits it
 * later makes to them. It is data in the static module ({@value #RESOURCE}), read and checked
 * whole when the server starts, so a mistake in the file stops the start with the place that is
 * wrong ({@code messages[5].parts[1].edits[0].old: …}) instead of failing half-way through a
 * newcomer's demo.
 *
 * <pre>{@code
 * DemoTranscript transcript = DemoTranscript.bundled();
 * transcript.messages().get(0).role(); // USER
 * }</pre>
 *
 * @param messages the conversation in order; a user message is one {@link Text} part
 */
record DemoTranscript(List<Message> messages) {
    static final String RESOURCE = Origins.STATIC_ROOT + "demo/transcript.json";
    private static final int MAX_MESSAGES = 100;
    private static final int MAX_PARTS = 20;
    private static final int MAX_BYTES = 1024 * 1024;
    private static final ObjectMapper STRICT = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .build();

    DemoTranscript {
        messages = List.copyOf(messages);
    }

    enum Role {
        USER("user"), ASSISTANT("assistant");

        private final String wireName;

        Role(String wireName) {
            this.wireName = wireName;
        }

        String wireName() {
            return wireName;
        }
    }

    record Message(Role role, List<Part> parts) {
        Message {
            Objects.requireNonNull(role, "role");
            parts = List.copyOf(parts);
        }
    }

    /** A piece of an assistant's answer, in the order the model writes it. */
    sealed interface Part permits Text, NewArtifact, Edit {
    }

    record Text(String text) implements Part {
    }

    /**
     * An artifact the assistant writes: created with {@code placeholder} as version 1 (the stream
     * API writes the next version of an artifact that exists), then {@code content} streamed.
     *
     * @param ref the name later edits use for it in the file
     */
    record NewArtifact(String ref, ArtifactType type, String title, String placeholder, String content) implements Part {
    }

    /** Edits the assistant makes to the latest version of the artifact {@code ref}. */
    record Edit(String ref, List<TextEdits.Edit> edits) implements Part {
        Edit {
            edits = List.copyOf(edits);
        }
    }

    /** The transcript the static module bundles. */
    static DemoTranscript bundled() {
        try (InputStream in = DemoTranscript.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is not on the class path: build the static module (mvn install)");
            }
            byte[] bytes = in.readNBytes(MAX_BYTES + 1);
            if (bytes.length > MAX_BYTES) {
                throw new IllegalStateException(RESOURCE + " is larger than " + MAX_BYTES + " bytes");
            }
            return parse(bytes, RESOURCE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
    }

    /**
     * Reads a transcript file and checks it: known fields only, every artifact type with a
     * placeholder, every edit naming an earlier artifact and applying to its text as it is then.
     *
     * @throws IllegalStateException naming {@code source}, the place in the file and the rule
     */
    static DemoTranscript parse(byte[] json, String source) {
        TranscriptFile file;
        try {
            file = STRICT.readValue(json, TranscriptFile.class);
        } catch (UnrecognizedPropertyException e) {
            throw new IllegalStateException(source + ": " + path(e) + ": unknown field; known fields: " + e.getKnownPropertyIds(), e);
        } catch (InvalidTypeIdException e) {
            throw new IllegalStateException(source + ": " + path(e) + ": a part is {text}, {artifact, type, title, lines}"
                    + " or {edit, edits}", e);
        } catch (JsonMappingException e) {
            throw new IllegalStateException(source + ": " + path(e) + ": " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new IllegalStateException(source + " is not valid JSON: " + e.getMessage(), e);
        }
        try {
            return file.check();
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(source + ": " + e.getMessage(), e);
        }
    }

    /** The file as written; {@link #check} turns it into a transcript. */
    private record TranscriptFile(Map<String, String> placeholders, List<MessageFile> messages) {
        DemoTranscript check() {
            Map<ArtifactType, String> placeholderByType = placeholdersByType();
            if (messages == null || messages.isEmpty() || messages.size() > MAX_MESSAGES) {
                throw new IllegalArgumentException("messages: must hold 1 to " + MAX_MESSAGES + " messages");
            }
            Map<String, String> latest = new HashMap<>();
            List<Message> checked = new ArrayList<>();
            for (int m = 0; m < messages.size(); m++) {
                if (messages.get(m) == null) {
                    throw new IllegalArgumentException("messages[" + m + "]: must be an object {role, text} or {role, parts}");
                }
                checked.add(messages.get(m).check("messages[" + m + "]", placeholderByType, latest));
            }
            return new DemoTranscript(checked);
        }

        private Map<ArtifactType, String> placeholdersByType() {
            if (placeholders == null) {
                throw new IllegalArgumentException("placeholders: required, the version 1 text of each artifact type used");
            }
            Map<ArtifactType, String> byType = new EnumMap<>(ArtifactType.class);
            placeholders.forEach((type, text) -> byType.put(artifactType(type, "placeholders." + type), required(text, "placeholders." + type)));
            return byType;
        }
    }

    private record MessageFile(String role, String text, List<PartFile> parts) {
        /** @param latest each artifact's text so far, by ref, which the message's parts add to */
        Message check(String at, Map<ArtifactType, String> placeholders, Map<String, String> latest) {
            if ("user".equals(role)) {
                if (parts != null) {
                    throw new IllegalArgumentException(at + ".parts: a user message has 'text' only");
                }
                return new Message(Role.USER, List.of(new Text(required(text, at + ".text"))));
            }
            if (!"assistant".equals(role)) {
                throw new IllegalArgumentException(at + ".role: must be 'user' or 'assistant'");
            }
            if (text != null) {
                throw new IllegalArgumentException(at + ".text: an assistant message has 'parts' (text, artifact, edit)");
            }
            if (parts == null || parts.isEmpty() || parts.size() > MAX_PARTS) {
                throw new IllegalArgumentException(at + ".parts: must hold 1 to " + MAX_PARTS + " parts");
            }
            List<Part> checked = new ArrayList<>();
            for (int p = 0; p < parts.size(); p++) {
                String partAt = at + ".parts[" + p + "]";
                checked.add(switch (parts.get(p)) {
                    case TextFile part -> new Text(required(part.text(), partAt + ".text"));
                    case ArtifactFile part -> part.check(partAt, placeholders, latest);
                    case EditFile part -> part.check(partAt, latest);
                    case null -> throw new IllegalArgumentException(partAt + ": must be an object");
                });
            }
            return new Message(Role.ASSISTANT, checked);
        }
    }

    /** A part is told apart by its fields: {@code text}; {@code artifact, type, title, lines}; or {@code edit, edits}. */
    @JsonTypeInfo(use = JsonTypeInfo.Id.DEDUCTION)
    @JsonSubTypes({@JsonSubTypes.Type(TextFile.class), @JsonSubTypes.Type(ArtifactFile.class), @JsonSubTypes.Type(EditFile.class)})
    private sealed interface PartFile permits TextFile, ArtifactFile, EditFile {
    }

    private record TextFile(String text) implements PartFile {
    }

    /** {@code lines} keep the file readable: the artifact's text is the lines joined, ending with a line break. */
    private record ArtifactFile(String artifact, String type, String title, List<String> lines) implements PartFile {
        NewArtifact check(String at, Map<ArtifactType, String> placeholders, Map<String, String> latest) {
            String ref = required(artifact, at + ".artifact");
            if (latest.containsKey(ref)) {
                throw new IllegalArgumentException(at + ".artifact: '" + ref + "' is written twice; later changes are edits");
            }
            ArtifactType checkedType = artifactType(type, at + ".type");
            String placeholder = placeholders.get(checkedType);
            if (placeholder == null) {
                throw new IllegalArgumentException(at + ".type: placeholders has no entry for " + checkedType.wireName());
            }
            String checkedTitle = required(title, at + ".title");
            if (checkedTitle.length() > ArtifactApi.MAX_TITLE_LENGTH) {
                throw new IllegalArgumentException(at + ".title: at most " + ArtifactApi.MAX_TITLE_LENGTH + " characters");
            }
            if (lines == null || lines.isEmpty() || lines.contains(null)) {
                throw new IllegalArgumentException(at + ".lines: required, the artifact's text as a list of lines");
            }
            NewArtifact checked = new NewArtifact(ref, checkedType, checkedTitle, placeholder, String.join("\n", lines) + "\n");
            latest.put(ref, checked.content());
            return checked;
        }
    }

    private record EditFile(String edit, List<EditPair> edits) implements PartFile {
        Edit check(String at, Map<String, String> latest) {
            String ref = required(edit, at + ".edit");
            String content = latest.get(ref);
            if (content == null) {
                throw new IllegalArgumentException(at + ".edit: no artifact '" + ref + "' is written before this edit");
            }
            if (edits == null || edits.isEmpty() || edits.size() > ArtifactApi.MAX_EDITS || edits.contains(null)) {
                throw new IllegalArgumentException(at + ".edits: must hold 1 to " + ArtifactApi.MAX_EDITS + " edits {old, new}");
            }
            List<TextEdits.Edit> checked = new ArrayList<>();
            for (int e = 0; e < edits.size(); e++) {
                EditPair pair = edits.get(e);
                if (pair.old() == null || pair.old().isEmpty() || pair.replacement() == null) {
                    throw new IllegalArgumentException(at + ".edits[" + e + "]: 'old' (not empty) and 'new' are required");
                }
                checked.add(new TextEdits.Edit(pair.old(), pair.replacement()));
            }
            try {
                latest.put(ref, TextEdits.apply(content, checked));
            } catch (TextEdits.EditFailedException e) {
                throw new IllegalArgumentException(at + "." + e.getMessage() + "; applied to artifact '" + ref + "' as it is here", e);
            }
            return new Edit(ref, checked);
        }
    }

    private record EditPair(String old, @JsonProperty("new") String replacement) {
    }

    /** Where in the file a mapping error is, as {@code messages[3].parts[1].edits}. */
    private static String path(JsonMappingException e) {
        StringBuilder at = new StringBuilder();
        for (JsonMappingException.Reference reference : e.getPath()) {
            if (reference.getFieldName() != null) {
                at.append(at.isEmpty() ? "" : ".").append(reference.getFieldName());
            } else if (reference.getIndex() >= 0) {
                at.append('[').append(reference.getIndex()).append(']');
            }
        }
        return at.isEmpty() ? "the file" : at.toString();
    }

    private static String required(String value, String at) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(at + ": required, and not blank");
        }
        return value;
    }

    private static ArtifactType artifactType(String wireName, String at) {
        try {
            return ArtifactType.fromWireName(wireName);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(at + ": " + e.getMessage(), e);
        }
    }
}

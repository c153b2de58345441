package dev.vitrine.browser;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * One attempt of an artifact to escape, as a catalogue file describes it: the artifact to
 * create, how the escape lab notices that it got out, and whether Vitrine must block it or it is
 * a browser limit that is expected to get out. The catalogue is data
 * ({@code src/test/resources/dev/vitrine/browser/vectors/<category>/<name>.json});
 * {@link EscapeLab} is the engine that runs it.
 *
 * <pre>{@code
 * {
 *   "id": "network/fetch-attacker",
 *   "category": "network",
 *   "title": "fetch() to an attacker host",
 *   "type": "html",
 *   "payload": "<script>fetch('{{canary.url}}/fetch').catch(() => {}); console.log('probe:ran')</script>",
 *   "detect": ["canary-http"],
 *   "expected": "blocked",
 *   "references": ["https://www.w3.org/TR/CSP3/#directive-connect-src"],
 *   "notes": "connect-src 'none' governs fetch."
 * }
 * }</pre>
 *
 * @param open where the lab shows the artifact: in the chat page (default) or its frame URL as a
 *     top-level page ({@code "open": "direct"})
 */
record EscapeVector(String id, String category, String title, String type, String payload, Set<Detector> detect,
                    Expected expected, List<String> references, String notes, Opening open) {

    /** How the lab notices an escape. Every detector but {@link #DNS} watches every vector. */
    enum Detector {
        CANARY_HTTP("canary-http", "an HTTP request reached the canary (attributed by the marker in its host or path)"),
        CANARY_TCP("canary-tcp", "a TCP connection reached the canary's raw listener, even one that sent no byte"),
        CANARY_UDP("canary-udp", "a UDP datagram reached the canary's listener (e.g. a STUN binding request)"),
        DNS("dns", "Chromium's net log shows a host-resolver request for the marker host {{dns.host}};"
                + " needs a browser of its own per vector"),
        CONSOLE("console", "the artifact logged a line starting with 'leak:' (it does when a forbidden action succeeded)"),
        SECRET("secret", "a secret of the chat page or of another viewer or artifact appeared in a console line or a canary hit"),
        CHAT_DOM("chat-dom", "the chat page's own document gained an element or attribute carrying the marker"),
        TOP_NAVIGATION("top-navigation", "the top-level page left the chat page (or, opened directly, the frame URL)"),
        POPUP("popup", "a new window or tab opened"),
        DOWNLOAD("download", "a download started");

        final String wireName;
        final String meaning;

        Detector(String wireName, String meaning) {
            this.wireName = wireName;
            this.meaning = meaning;
        }

        static Detector fromWire(String name) {
            for (Detector detector : values()) {
                if (detector.wireName.equals(name)) {
                    return detector;
                }
            }
            return null;
        }
    }

    enum Expected {
        /** Vitrine must stop it; the gate fails when it is detected. */
        BLOCKED("blocked"),
        /** A browser limit Vitrine cannot close; the gate fails when it is no longer detected. */
        KNOWN_LIMIT("known-limit");

        final String wireName;

        Expected(String wireName) {
            this.wireName = wireName;
        }
    }

    enum Opening {
        CHAT("chat"), DIRECT("direct");

        final String wireName;

        Opening(String wireName) {
            this.wireName = wireName;
        }
    }

    static final Set<String> TYPES = Set.of("html", "svg", "markdown", "react", "mermaid");

    /**
     * What the lab replaces in a payload before it creates the artifact. {@code {{marker}}} is
     * fresh for each vector and run.
     */
    static final Set<String> PLACEHOLDERS = Set.of(
            "marker", "canary.http", "canary.tcp", "canary.udp", "canary.url", "canary.loopback", "dns.host", "victim.artifact");

    /** The line a script payload logs after its attempt; the lab waits for it, so a vector cannot pass by not running. */
    static final String RAN = "probe:ran";
    /** The prefix of a line a payload logs when something it must not be able to do worked. */
    static final String LEAK = "leak:";

    private static final Pattern ID = Pattern.compile("[a-z0-9]+(-[a-z0-9]+)*/[a-z0-9]+(-[a-z0-9]+)*");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{([^{}]*)}}");
    private static final Set<String> FIELDS = Set.of(
            "id", "category", "title", "type", "payload", "detect", "expected", "references", "notes", "open");

    /** Whether the lab can wait for {@link #RAN} to prove the payload ran. */
    boolean logsRan() {
        return payload.contains(RAN);
    }

    /**
     * Reads one catalogue file.
     *
     * @param source what to name in errors, e.g. the file's path
     * @throws IllegalArgumentException naming the file, the field and the rule when the file is not a valid vector
     */
    static EscapeVector parse(JsonNode json, String source) {
        if (json == null || !json.isObject()) {
            throw invalid(source, "the file must hold one JSON object");
        }
        for (Iterator<String> names = json.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!FIELDS.contains(name)) {
                throw invalid(source, "unknown field '" + name + "'; fields are " + new TreeSet<>(FIELDS));
            }
        }
        String id = text(json, "id", source);
        if (!ID.matcher(id).matches()) {
            throw invalid(source, "id '" + id + "' must be '<category>/<name>' in lower-case letters, digits and dashes");
        }
        String category = text(json, "category", source);
        if (!id.startsWith(category + "/")) {
            throw invalid(source, "id '" + id + "' must start with its category '" + category + "/'");
        }
        String type = text(json, "type", source);
        if (!TYPES.contains(type)) {
            throw invalid(source, "type '" + type + "' is not one of " + new TreeSet<>(TYPES));
        }
        String payload = text(json, "payload", source);
        Set<Detector> detect = EnumSet.noneOf(Detector.class);
        for (String name : texts(json, "detect", source)) {
            Detector detector = Detector.fromWire(name);
            if (detector == null) {
                throw invalid(source, "detect names '" + name + "'; detectors are "
                        + Arrays.stream(Detector.values()).map(d -> d.wireName).toList());
            }
            detect.add(detector);
        }
        String expectedName = text(json, "expected", source);
        Expected expected = Arrays.stream(Expected.values()).filter(e -> e.wireName.equals(expectedName)).findFirst()
                .orElseThrow(() -> invalid(source, "expected is '" + expectedName + "'; use 'blocked' or 'known-limit'"));
        Opening open = Opening.CHAT;
        if (json.has("open")) {
            String openName = text(json, "open", source);
            open = Arrays.stream(Opening.values()).filter(o -> o.wireName.equals(openName)).findFirst()
                    .orElseThrow(() -> invalid(source, "open is '" + openName + "'; use 'chat' or 'direct'"));
        }
        EscapeVector vector = new EscapeVector(id, category, text(json, "title", source), type, payload, Set.copyOf(detect),
                expected, texts(json, "references", source), text(json, "notes", source), open);
        vector.checkPayload(source);
        return vector;
    }

    /** Placeholders are spelled right, and each detector has what it needs in the payload. */
    private void checkPayload(String source) {
        Matcher placeholders = PLACEHOLDER.matcher(payload);
        while (placeholders.find()) {
            if (!PLACEHOLDERS.contains(placeholders.group(1))) {
                throw invalid(source, "payload names the unknown placeholder {{" + placeholders.group(1) + "}}; placeholders are "
                        + PLACEHOLDERS.stream().sorted().map(p -> "{{" + p + "}}").collect(Collectors.joining(", ")));
            }
        }
        requireIn(Detector.CANARY_HTTP, source, "{{canary.url}}", "{{canary.loopback}}", "{{canary.http}}");
        requireIn(Detector.CANARY_TCP, source, "{{canary.tcp}}");
        requireIn(Detector.CANARY_UDP, source, "{{canary.udp}}");
        requireIn(Detector.DNS, source, "{{dns.host}}");
        requireIn(Detector.CONSOLE, source, LEAK);
        requireIn(Detector.CHAT_DOM, source, "{{marker}}");
        if (open == Opening.DIRECT && !logsRan()) {
            throw invalid(source, "a vector opened directly has no chat page to report 'ready'; its payload must log '" + RAN + "'");
        }
        if ((type.equals("html") || type.equals("react")) && !logsRan()) {
            throw invalid(source, "an " + type + " payload must log '" + RAN + "' after its attempt, so it cannot pass by not running");
        }
    }

    private void requireIn(Detector detector, String source, String... anyOf) {
        if (detect.contains(detector) && Arrays.stream(anyOf).noneMatch(payload::contains)) {
            throw invalid(source, "detect names '" + detector.wireName + "' but the payload has none of " + List.of(anyOf));
        }
    }

    private static String text(JsonNode json, String field, String source) {
        JsonNode value = json.get(field);
        if (value == null || !value.isTextual() || value.asText().isBlank()) {
            throw invalid(source, "field '" + field + "' must be a non-empty string");
        }
        return value.asText();
    }

    private static List<String> texts(JsonNode json, String field, String source) {
        JsonNode value = json.get(field);
        if (value == null || !value.isArray() || value.isEmpty()) {
            throw invalid(source, "field '" + field + "' must be a non-empty array of strings");
        }
        List<String> texts = new ArrayList<>();
        for (JsonNode element : value) {
            if (!element.isTextual() || element.asText().isBlank()) {
                throw invalid(source, "field '" + field + "' must hold only non-empty strings");
            }
            texts.add(element.asText());
        }
        return List.copyOf(texts);
    }

    private static IllegalArgumentException invalid(String source, String rule) {
        return new IllegalArgumentException(source + ": " + rule);
    }

    /** The id: test names and progress lines show vectors by it. */
    @Override
    public String toString() {
        return id;
    }
}

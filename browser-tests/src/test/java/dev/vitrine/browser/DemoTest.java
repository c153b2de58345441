package dev.vitrine.browser;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.playwright.Frame;
import com.microsoft.playwright.FrameLocator;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.PlaywrightException;
import com.microsoft.playwright.assertions.LocatorAssertions;
import com.microsoft.playwright.options.AriaRole;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * One click on "Play demo": the recorded conversation appears message by message, its HTML
 * artifact grows in the viewer from the stream's drafts, its React artifact switches to the
 * streamed version and then to the version the assistant's edits made, and an error of a frame
 * can be sent back as a {@code vitrine:fix} request.
 */
class DemoTest {
    @RegisterExtension
    static final BrowserSession session = new BrowserSession();

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TRANSCRIPT = "dev/vitrine/static/demo/transcript.json";
    /**
     * Twice a fast model: the whole demo in about fifteen seconds, and the HTML stream lasts about
     * three and a half, long enough for a loaded machine to show a draft of it.
     */
    private static final int SPEED = 2;
    /** The replay includes React compiles in GraalJS's interpreter on a shared machine. */
    private static final LocatorAssertions.ContainsTextOptions REPLAY_WAIT = new LocatorAssertions.ContainsTextOptions().setTimeout(90_000);
    /** Text near the start and at the end of the HTML artifact. */
    private static final String HTML_OPENING = "Eight weeks to race day";
    private static final String HTML_ENDING = "sessions done.";
    /** Chromium's message for the icon the streamed React version imports and lucide-react does not export. */
    private static final String MISSING_ICON = "The requested module 'lucide-react' does not provide an export named 'Running'";

    /** Records the src of every frame the viewer shows, in order, and the detail of every fix request. */
    private static final String WATCH = """
            () => {
              window.shownFrames = [];
              window.fixRequests = [];
              document.addEventListener('vitrine:fix', (event) => window.fixRequests.push(event.detail));
              const host = document.getElementById('frame-host');
              new MutationObserver(() => {
                for (const frame of host.querySelectorAll('iframe')) {
                  if (frame.offsetParent !== null && window.shownFrames.at(-1) !== frame.src) window.shownFrames.push(frame.src);
                }
              }).observe(host, { childList: true, subtree: true, attributes: true });
            }
            """;

    @Test
    void oneClickPlaysTheConversationStreamsTwoArtifactsEditsOneAndOffersAFixForAFrameError() throws Exception {
        session.server().compilerReady().get(60, TimeUnit.SECONDS);
        JsonNode transcript = transcript();
        Page page = session.newPage();
        page.setViewportSize(1280, 1000);
        page.navigate(session.server().appOrigin() + "/#key=" + session.server().apiKey() + "&speed=" + SPEED);
        page.evaluate(WATCH);

        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Play demo")).click();

        Locator messages = page.locator("#messages > li.message");
        assertThat(messages.first()).containsText(transcript.at("/messages/0/text").asText());
        assertThat(page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Stop demo"))).isVisible();
        String draft = partOfTheHtmlWhileItStreams(page);
        assertTrue(draft.contains(HTML_OPENING) && !draft.contains(HTML_ENDING), "a draft with part of the text: " + draft);

        assertThat(page.locator("#status")).containsText("Demo finished", REPLAY_WAIT);

        // The messages, in order, with the transcript's text.
        JsonNode written = transcript.get("messages");
        assertThat(messages).hasCount(written.size());
        for (int i = 0; i < written.size(); i++) {
            Locator message = messages.nth(i);
            assertThat(message).hasClass("message " + written.get(i).get("role").asText());
            assertThat(message.locator(".text")).hasText(textParts(written.get(i)));
        }
        assertThat(page.locator("#messages .artifact-card")).hasCount(3);

        // Two artifacts: the HTML one streamed over its placeholder, the React one then edited.
        JsonNode artifacts = session.client().get("/v1/artifacts").get("artifacts");
        assertEquals(2, artifacts.size(), artifacts.toString());
        JsonNode html = artifact(artifacts, "html");
        JsonNode react = artifact(artifacts, "react");
        assertEquals(2, html.get("version").asInt());
        assertEquals(lines(written.at("/1/parts/1")), session.client().get("/v1/artifacts/" + html.get("id").asText())
                .at("/latest/content").asText());
        String reactId = react.get("id").asText();
        assertEquals(3, react.get("version").asInt());
        String streamed = session.client().get("/v1/artifacts/" + reactId + "/versions/2").get("content").asText();
        assertEquals(edited(streamed, written.at("/5/parts/1/edits")),
                session.client().get("/v1/artifacts/" + reactId + "/versions/3").get("content").asText(),
                "version 3 is version 2 with the transcript's edits");

        // The viewer watched the HTML grow from drafts, then followed the React artifact to its edited version.
        List<String> shown = shownFrames(page);
        String sandbox = session.server().sandboxOrigin().toString();
        int draftShown = shown.indexOf(shown.stream().filter(src -> src.startsWith(sandbox + "/f/" + html.get("id").asText() + "/live/2"))
                .findFirst().orElseThrow(() -> new AssertionError("no draft of the HTML artifact was shown: " + shown)));
        assertTrue(draftShown < shown.indexOf(sandbox + "/f/" + html.get("id").asText() + "/2"), shown.toString());
        FrameLocator frame = page.frameLocator("#frame-host iframe:visible");
        assertThat(page.locator("#frame-host iframe:visible")).hasAttribute("src", sandbox + "/f/" + reactId + "/3");
        assertThat(frame.locator("body")).containsText("km left this week");
        page.screenshot(new Page.ScreenshotOptions().setPath(Path.of("target", "demo-chat-page.png")));
        Locator picker = page.locator("#version-picker");
        assertThat(picker).hasValue("3");
        assertThat(picker.locator("option")).hasText(new String[] {"v1", "v2", "v3 (latest)"});
        assertThat(page.locator("#frame-errors li")).hasCount(0);

        // Version 2, as streamed, imports an icon lucide-react does not have: its error gets a Fix button.
        picker.selectOption("2");
        Locator error = page.locator("#frame-errors li");
        assertThat(error).containsText("v2 load: " + MISSING_ICON);
        assertThat(frame.locator("[data-vitrine-error=load]")).hasText(MISSING_ICON);
        error.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Fix")).click();

        assertThat(page.locator("#messages .note")).hasText("Fix requested for “Run log” version 2: load: " + MISSING_ICON);
        assertEquals(List.of(Map.of("artifactId", reactId, "version", 2, "draft", false, "kind", "load", "message", MISSING_ICON)),
                page.evaluate("() => window.fixRequests.map(({ line, column, ...rest }) => line === null && column === null ? rest : 'has a place')"));
        page.evaluate("() => window.scrollTo(0, 0)"); // clicking Fix scrolled the page down to the button
        page.screenshot(new Page.ScreenshotOptions().setPath(Path.of("target", "demo-fix-requested.png")));
        page.context().close();
    }

    /**
     * The text of a draft frame of the streaming HTML artifact, read while the stream runs: the
     * first one that shows the artifact's opening text. Drafts are replaced as the text grows, so
     * a frame may be gone by the time it is read; the next one is tried.
     */
    private static String partOfTheHtmlWhileItStreams(Page page) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            for (Frame frame : page.frames()) {
                if (!frame.url().contains("/live/")) {
                    continue;
                }
                try {
                    String text = String.valueOf(frame.evaluate("() => document.body ? document.body.innerText : ''"));
                    if (text.contains(HTML_OPENING)) {
                        return text;
                    }
                } catch (PlaywrightException replaced) {
                    // The draft was swapped for the next one while it was read.
                }
            }
            page.waitForTimeout(20);
        }
        throw new AssertionError("no draft frame of the HTML artifact showed its opening text");
    }

    @SuppressWarnings("unchecked")
    private static List<String> shownFrames(Page page) {
        return new ArrayList<>((List<String>) page.evaluate("() => window.shownFrames"));
    }

    private static JsonNode artifact(JsonNode artifacts, String type) {
        for (JsonNode artifact : artifacts) {
            if (artifact.get("type").asText().equals(type)) {
                return artifact;
            }
        }
        throw new AssertionError("no " + type + " artifact in " + artifacts);
    }

    /** The text parts of a message as the page shows them: one paragraph each. */
    private static String[] textParts(JsonNode message) {
        if (message.has("text")) {
            return new String[] {message.get("text").asText()};
        }
        List<String> texts = new ArrayList<>();
        message.get("parts").forEach(part -> {
            if (part.has("text")) {
                texts.add(part.get("text").asText());
            }
        });
        return texts.toArray(String[]::new);
    }

    private static String lines(JsonNode artifact) {
        List<String> lines = new ArrayList<>();
        artifact.get("lines").forEach(line -> lines.add(line.asText()));
        return String.join("\n", lines) + "\n";
    }

    /** {@code text} with each edit applied once, in order; each {@code old} must occur exactly once. */
    private static String edited(String text, JsonNode edits) {
        String current = text;
        for (JsonNode edit : edits) {
            String old = edit.get("old").asText();
            int at = current.indexOf(old);
            assertTrue(at >= 0 && current.indexOf(old, at + 1) < 0, "edit applies once: " + old);
            current = current.substring(0, at) + edit.get("new").asText() + current.substring(at + old.length());
        }
        assertFalse(current.equals(text));
        return current;
    }

    private static JsonNode transcript() {
        try (InputStream in = DemoTest.class.getClassLoader().getResourceAsStream(TRANSCRIPT)) {
            return JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

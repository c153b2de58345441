package dev.vitrine.browser;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.microsoft.playwright.FrameLocator;
import com.microsoft.playwright.Page;
import java.io.IOException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The chat page while a model streams an artifact: the text shows as it arrives, then the stored version. */
class StreamingTest {
    @RegisterExtension
    static final BrowserSession session = new BrowserSession();

    /** Counts the moments, after each batch of DOM changes, when the frame host shows no frame. */
    private static final String WATCH_FOR_EMPTY_FRAME = """
            () => {
              const host = document.getElementById('frame-host');
              window.emptyFrameMoments = 0;
              const visible = () => [...host.querySelectorAll('iframe')].some((f) => f.offsetParent !== null);
              new MutationObserver(() => { if (!visible()) window.emptyFrameMoments++; })
                .observe(host, { childList: true, subtree: true, attributes: true });
            }
            """;

    @Test
    void htmlArtifactGrowsInTheChatPageWhileItStreamsAndNeverBlanks() throws Exception {
        String id = session.client().create("html", "Report", "<p id=\"first\">first draft</p>").get("id").asText();
        Page page = session.newPage();
        page.navigate(session.chatUrl(id));
        FrameLocator frame = page.frameLocator("#frame-host iframe:visible");
        assertThat(frame.locator("#first")).hasText("first draft");
        page.evaluate(WATCH_FOR_EMPTY_FRAME);

        try (ChunkedPost stream = stream(id)) {
            stream.send("<h1 id=\"title\">Quarterly report</h1>");
            assertThat(page.locator("#stream-status")).containsText("Version 2 is streaming");
            assertThat(frame.locator("#title")).hasText("Quarterly report");
            stream.send("<p id=\"more\">Revenue grew in every region.");
            assertThat(frame.locator("#more")).hasText("Revenue grew in every region.");
            assertThat(page.locator("#frame-host iframe:visible")).hasAttribute("src", "http://127.0.0.1:"
                    + session.server().sandboxOrigin().getPort() + "/f/" + id + "/live/2");
            stream.send("</p>");
            assertEquals(201, stream.finish());
        }
        assertThat(page.locator("#stream-status")).hasText("Version 2 is complete.");
        assertThat(page.locator("#frame-host iframe:visible")).hasAttribute("src",
                session.server().sandboxOrigin() + "/f/" + id + "/2");
        assertThat(frame.locator("#more")).hasText("Revenue grew in every region.");
        assertThat(page.locator("#version-picker")).hasValue("2");
        assertEquals(0, ((Number) page.evaluate("() => window.emptyFrameMoments")).intValue(), "the frame went blank");
        page.context().close();
    }

    @Test
    void reactArtifactKeepsItsLastVersionWhileStreamingThenSwitchesToTheFinalOne() throws Exception {
        String id = session.client().create("react", "Counter",
                "export default function App() { return <p data-testid=\"label\">version one</p>; }").get("id").asText();
        Page page = session.newPage();
        page.navigate(session.chatUrl(id));
        FrameLocator frame = page.frameLocator("#frame-host iframe:visible");
        assertThat(frame.getByTestId("label")).hasText("version one");

        try (ChunkedPost stream = stream(id)) {
            stream.send("export default function App() {\n  return <p data-testid=\"label\">version");
            assertThat(page.locator("#stream-status")).containsText("not compiling yet");
            assertThat(frame.getByTestId("label")).hasText("version one");
            stream.send(" two</p>;\n}\n");
            assertEquals(201, stream.finish());
        }
        assertThat(frame.getByTestId("label")).hasText("version two");
        assertThat(page.locator("#stream-status")).hasText("Version 2 is complete.");
        page.context().close();
    }

    private static ChunkedPost stream(String id) throws IOException {
        return new ChunkedPost(session.server().appListenUrl(), session.server().apiKey(), id);
    }
}

package dev.vitrine.browser;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.playwright.FrameLocator;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Artifacts render and behave in the chat page as their authors meant. */
class RenderingTest {
    @RegisterExtension
    static final BrowserSession session = new BrowserSession();

    @Test
    void htmlArtifactRendersAndItsInlineEventHandlersRun() {
        String id = session.client().create("html", "Counter", """
                <h1>Quarterly report</h1>
                <button id="b" onclick="this.textContent = 'clicked ' + (++window.count || (window.count = 1))">Click me</button>
                """).get("id").asText();
        Page page = session.newPage();
        page.navigate(session.chatUrl(id));

        FrameLocator frame = page.frameLocator("#frame-host iframe");
        assertThat(frame.locator("h1")).hasText("Quarterly report");
        frame.locator("#b").click();
        assertThat(frame.locator("#b")).hasText("clicked 1");
        assertThat(page.locator("#viewer-title")).hasText("Counter");
        page.context().close();
    }

    @Test
    void svgArtifactRendersWithoutItsScript() {
        List<String> console = new ArrayList<>();
        String id = session.client().create("svg", "Logo", """
                <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100" width="200" height="200" onload="console.log('probe:svg-onload')">
                  <script>console.log('probe:svg-script')</script>
                  <circle id="dot" cx="50" cy="50" r="40" fill="#3450d8"/>
                </svg>
                """).get("id").asText();
        Page page = session.newPage();
        page.onConsoleMessage(message -> console.add(message.text()));
        page.navigate(session.chatUrl(id));

        FrameLocator frame = page.frameLocator("#frame-host iframe");
        assertThat(frame.locator("svg circle#dot")).isVisible();
        assertThat(frame.locator("svg script")).hasCount(0);
        assertThat(frame.locator("svg[onload]")).hasCount(0);
        assertTrue(console.stream().noneMatch(line -> line.startsWith("probe:svg")), "SVG script ran: " + console);
        page.context().close();
    }

    @Test
    void markdownArtifactRendersItsTableAndCodeWhileRawHtmlStaysText() {
        List<String> console = new ArrayList<>();
        String id = session.client().create("markdown", "Notes", """
                # Release notes

                | area | change |
                |---|---|
                | storage | quotas |

                ```js
                console.log('in a code block');
                ```

                <img src=x onerror="console.log('probe:markdown-html')">
                """).get("id").asText();
        Page page = session.newPage();
        page.onConsoleMessage(message -> console.add(message.text()));
        page.navigate(session.chatUrl(id));

        FrameLocator frame = page.frameLocator("#frame-host iframe");
        assertThat(frame.locator("h1")).hasText("Release notes");
        assertThat(frame.locator("table td").first()).hasText("storage");
        assertThat(frame.locator("pre code")).containsText("in a code block");
        assertThat(frame.locator("body")).containsText("<img src=x");
        assertThat(frame.locator("img")).hasCount(0);
        assertTrue(console.stream().noneMatch(line -> line.startsWith("probe:markdown")), "Markdown HTML ran: " + console);
        page.context().close();
    }

    @Test
    void mermaidDiagramRendersAsSvgAndItsLabelsRunNoScript() {
        List<String> console = new ArrayList<>();
        String id = session.client().create("mermaid", "Flow", """
                %%{init: {"securityLevel": "loose"}}%%
                flowchart LR
                  A[Draft] --> B{Review}
                  B -->|approved| C[Publish]
                  B -->|"<img src=x onerror=console.log('probe:mermaid')>"| A
                  click A call console.log("probe:mermaid-click")
                """).get("id").asText();
        Page page = session.newPage();
        page.onConsoleMessage(message -> console.add(message.text()));
        page.navigate(session.chatUrl(id));

        FrameLocator frame = page.frameLocator("#frame-host iframe");
        assertThat(frame.locator("#diagram svg")).isVisible();
        assertThat(frame.locator("#diagram svg")).containsText("Publish");
        assertThat(frame.locator("#diagram svg")).containsText("approved");
        // The directive cannot lift strict mode, which keeps a label's markup but strips its handlers: the img stays, inert.
        assertThat(frame.locator("[onerror]")).hasCount(0);
        frame.locator("img").first().evaluate("img => img.complete || new Promise(done => img.addEventListener('error', done))");
        frame.locator("#diagram svg .node").filter(new Locator.FilterOptions().setHasText("Draft")).click();
        assertThat(page.locator("#frame-errors li")).hasCount(0);
        assertTrue(console.stream().noneMatch(line -> line.startsWith("probe:mermaid")), "a label ran as HTML: " + console);
        assertEquals(List.of(), session.canary().hits());
        page.context().close();
    }

    @Test
    void mermaidSyntaxErrorIsReportedToTheChatPageAndShownInTheFrame() {
        String id = session.client().create("mermaid", "Broken flow", "flowchart LR\n  A --> --> B\n").get("id").asText();
        Page page = session.newPage();
        page.navigate(session.chatUrl(id));

        assertThat(page.locator("#frame-errors li")).containsText("v1 render");
        assertThat(page.locator("#frame-errors li")).containsText("Parse error");
        assertThat(page.frameLocator("#frame-host iframe").locator("[data-vitrine-error]")).containsText("Parse error");
        page.context().close();
    }

    @Test
    void chatPageCreatesAnArtifactFromPastedHtmlAndShowsIt() {
        Page page = session.newPage();
        page.navigate(session.server().appOrigin() + "/#key=" + session.server().apiKey());
        page.locator("#composer-title").fill("Pasted greeting");
        page.locator("#composer-content").fill("<p id='greeting'>Hello from a model</p><meta http-equiv='refresh' content='0'>");
        page.locator("#composer button[type=submit]").click();

        assertThat(page.frameLocator("#frame-host iframe").locator("#greeting")).hasText("Hello from a model");
        assertThat(page.locator("#artifact-list li.selected")).containsText("Pasted greeting");
        assertThat(page.locator("#status")).containsText("removed");
        page.context().close();
    }

    @Test
    void runtimeErrorInTheArtifactIsShownInTheChatPage() {
        String id = session.client().create("html", "Broken", "<script>null.boom();</script><p>partly drawn</p>").get("id").asText();
        Page page = session.newPage();
        page.navigate(session.chatUrl(id));

        assertThat(page.locator("#frame-errors li")).hasCount(1);
        assertThat(page.locator("#frame-errors li")).containsText("v1 uncaught");
        assertThat(page.locator("#frame-errors li")).containsText("null");
        page.context().close();
    }

    @Test
    void chatPageWithAWrongKeyAsksForTheKeyAgain() {
        Page page = session.newPage();
        page.navigate(session.server().appOrigin() + "/#key=not-the-key");
        assertThat(page.locator("#key-form")).isVisible();
        assertThat(page.locator("#status")).containsText("refused");
        assertEquals(-1, page.url().indexOf("not-the-key"), "the key stays in the address bar");
        page.context().close();
    }
}

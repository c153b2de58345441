package dev.vitrine.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.playwright.ConsoleMessage;
import com.microsoft.playwright.Page;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An artifact in the chat page cannot read the chat page's DOM, cookies or storage, and an
 * artifact URL opened as a top-level page runs in an opaque origin with no storage.
 */
class IsolationTest {
    @RegisterExtension
    static final BrowserSession session = new BrowserSession();

    private static final String SECRET = "chat-secret-6d1f";

    /** Tries each read and reports {@code blocked:<error>} or what it read, as one console line. */
    private static final String PROBE = """
            <p>probe</p>
            <script>
              const attempt = (read) => { try { return 'read:' + String(read()); } catch (e) { return 'blocked:' + e.name; } };
              const results = {
                parentDocument: attempt(() => parent.document.title),
                parentCookie: attempt(() => parent.document.cookie),
                parentLocalStorage: attempt(() => parent.localStorage.getItem('secret')),
                parentLocation: attempt(() => parent.location.href),
                topBody: attempt(() => top.document.body.innerText),
                ownCookie: attempt(() => document.cookie),
                ownLocalStorage: attempt(() => localStorage.getItem('secret')),
                ownSessionStorage: attempt(() => sessionStorage.length),
                indexedDb: attempt(() => indexedDB.open('x') && 'opened'),
              };
              console.log('probe:' + JSON.stringify(results));
            </script>
            """;

    @Test
    void artifactCannotReadTheChatPagesDomCookiesOrStorage() throws Exception {
        String id = session.client().create("html", "isolation probe", PROBE).get("id").asText();
        Page page = session.newPage();
        page.navigate(session.server().appOrigin() + "/healthz");
        page.evaluate("secret => { document.cookie = 'secret=' + secret + '; path=/'; localStorage.setItem('secret', secret); }", SECRET);

        ConsoleMessage message = page.waitForConsoleMessage(
                new Page.WaitForConsoleMessageOptions().setPredicate(m -> m.text().startsWith("probe:{")),
                () -> page.navigate(session.chatUrl(id)));

        JsonNode results = new ObjectMapper().readTree(message.text().substring("probe:".length()));
        assertEquals("blocked:SecurityError", results.get("parentDocument").asText());
        assertEquals("blocked:SecurityError", results.get("parentCookie").asText());
        assertEquals("blocked:SecurityError", results.get("parentLocalStorage").asText());
        assertEquals("blocked:SecurityError", results.get("parentLocation").asText());
        assertEquals("blocked:SecurityError", results.get("topBody").asText());
        assertEquals("blocked:SecurityError", results.get("ownCookie").asText());
        assertEquals("blocked:SecurityError", results.get("ownLocalStorage").asText());
        assertEquals("blocked:SecurityError", results.get("ownSessionStorage").asText());
        assertEquals("blocked:SecurityError", results.get("indexedDb").asText());
        assertFalse(message.text().contains(SECRET), "the artifact saw the chat page's secret");
        page.context().close();
    }

    @Test
    void artifactOpenedDirectlyRunsInAnOpaqueOriginWithNoStorage() throws Exception {
        String frameUrl = session.client().create("html", "direct open probe", PROBE).get("frameUrl").asText();
        Page page = session.newPage();

        ConsoleMessage message = page.waitForConsoleMessage(
                new Page.WaitForConsoleMessageOptions().setPredicate(m -> m.text().startsWith("probe:{")),
                () -> page.navigate(frameUrl));

        assertEquals("null", page.evaluate("() => self.origin"));
        JsonNode results = new ObjectMapper().readTree(message.text().substring("probe:".length()));
        for (String storage : new String[] {"ownCookie", "ownLocalStorage", "ownSessionStorage", "indexedDb"}) {
            assertEquals("blocked:SecurityError", results.get(storage).asText(), storage);
        }
        page.context().close();
    }

    @Test
    void artifactFrameIsSandboxedWithoutSameOrigin() {
        String id = session.client().create("html", "sandbox attribute", "<p>hello</p>").get("id").asText();
        Page page = session.newPage();
        page.navigate(session.chatUrl(id));
        var frame = page.locator("#frame-host iframe");
        assertThat(frame).hasAttribute("sandbox", "allow-scripts allow-forms");
        Map<?, ?> attributes = (Map<?, ?>) frame.evaluate("f => ({src: f.src, referrerpolicy: f.getAttribute('referrerpolicy')})");
        assertEquals(session.server().sandboxOrigin() + "/f/" + id + "/1", attributes.get("src"));
        assertEquals("no-referrer", attributes.get("referrerpolicy"));
        page.context().close();
    }
}

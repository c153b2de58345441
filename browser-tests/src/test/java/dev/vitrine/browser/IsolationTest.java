package dev.vitrine.browser;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.microsoft.playwright.Page;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The chat page embeds an artifact the way the threat model needs it. What an artifact inside
 * that frame, or opened directly, can reach is the escape catalogue's business
 * ({@code parent/*}, {@code storage/*} and {@code direct/*} vectors, run by {@link EscapeVectorsTest}).
 */
class IsolationTest {
    @RegisterExtension
    static final BrowserSession session = new BrowserSession();

    @Test
    void artifactFrameIsSandboxedWithoutSameOrigin() {
        String id = session.client().create("html", "sandbox attribute", "<p>hello</p>").get("id").asText();
        Page page = session.newPage();
        page.navigate(session.chatUrl(id));
        var frame = page.locator("#frame-host iframe");
        assertThat(frame).hasAttribute("sandbox", "allow-scripts allow-forms");
        Map<?, ?> attributes = (Map<?, ?>) frame.evaluate("f => ({src: f.src, referrerpolicy: f.getAttribute('referrerpolicy'), allow: f.getAttribute('allow')})");
        assertEquals(session.server().sandboxOrigin() + "/f/" + id + "/1", attributes.get("src"));
        assertEquals("no-referrer", attributes.get("referrerpolicy"));
        assertEquals("", attributes.get("allow"));
        page.context().close();
    }
}

package dev.vitrine.browser;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.playwright.FrameLocator;
import com.microsoft.playwright.Page;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** React components compiled on the server run in the frame on libraries from the sandbox origin alone. */
class ReactRenderingTest {
    @RegisterExtension
    static final BrowserSession session = new BrowserSession();

    @Test
    void dashboardRendersItsChartAndIconsAndAnswersAClickWithNoRequestElsewhere() {
        String id = session.client().create("react", "Dashboard", sample("dashboard.tsx")).get("id").asText();
        Page page = session.newPage();
        List<String> requested = new CopyOnWriteArrayList<>();
        page.onRequest(request -> requested.add(request.url()));
        page.navigate(session.chatUrl(id));

        FrameLocator frame = page.frameLocator("#frame-host iframe");
        assertThat(frame.getByTestId("dashboard-heading")).containsText("last 7 days");
        assertThat(frame.locator("svg.recharts-surface").first()).isVisible();
        assertThat(frame.locator("svg.lucide").first()).isVisible();
        frame.getByTestId("range-toggle").click();
        assertThat(frame.getByTestId("day-count")).hasText("30");
        assertThat(frame.getByTestId("dashboard-heading")).containsText("last 30 days");
        // Tailwind turned the utility classes into styles: bg-indigo-600 is an oklch colour, a default button is grey rgb.
        Object background = frame.getByTestId("range-toggle").evaluate("b => getComputedStyle(b).backgroundColor");
        assertTrue(String.valueOf(background).startsWith("oklch("), "toggle background " + background);

        Set<String> origins = Set.of(session.server().appOrigin().toString(), session.server().sandboxOrigin().toString());
        for (String url : requested) {
            URI uri = URI.create(url);
            String origin = uri.getScheme() + "://" + uri.getAuthority();
            assertTrue(origins.contains(origin) || url.startsWith("data:"), "a request left for " + url);
        }
        assertTrue(requested.stream().anyMatch(url -> url.contains("/_vitrine/vendor/")), "libraries came from the sandbox origin");
        assertEquals(List.of(), session.canary().hits());
        page.context().close();
    }

    @Test
    void componentThatThrowsWhileRenderingIsReportedToTheChatPage() {
        String id = session.client().create("react", "Thrower", """
                export default function App(): JSX.Element {
                  throw new Error('boom from render');
                }
                """).get("id").asText();
        Page page = session.newPage();
        page.navigate(session.chatUrl(id));

        assertThat(page.locator("#frame-errors li").first()).containsText("boom from render");
        assertThat(page.frameLocator("#frame-host iframe").locator("[data-vitrine-error]")).containsText("boom from render");
        page.context().close();
    }

    private static String sample(String name) {
        try (InputStream in = ReactRenderingTest.class.getClassLoader().getResourceAsStream("dev/vitrine/static/samples/" + name)) {
            if (in == null) {
                throw new IllegalStateException("sample " + name + " is not on the class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

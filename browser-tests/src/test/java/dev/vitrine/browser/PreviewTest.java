package dev.vitrine.browser;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.FrameLocator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.assertions.LocatorAssertions;
import dev.vitrine.server.Preview;
import dev.vitrine.server.ServerConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code vitrine preview <file>} in Chromium: the preview's own server (started through its Java
 * entry, as {@code Main} does), the chat page URL it prints, and the frame following the file's saves.
 * The preview brings its own Vitrine, so this class launches Chromium itself instead of using
 * {@link BrowserSession}, which starts a server of its own.
 */
class PreviewTest {
    /** A save goes through a compile in GraalJS's interpreter and a frame swap; generous, but bounded. */
    private static final double WAIT_MS = 20_000;
    private static final Duration OUTPUT_WAIT = Duration.ofSeconds(20);

    private static Playwright playwright;
    private static Browser browser;

    @TempDir
    Path directory;

    @BeforeAll
    static void launchChromium() {
        Path chromium = BrowserSession.chromium();
        playwright = Playwright.create(new Playwright.CreateOptions().setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
        browser = playwright.chromium().launch(new BrowserType.LaunchOptions()
                .setExecutablePath(chromium).setHeadless(true).setArgs(BrowserSession.CHROMIUM_ARGS));
    }

    @AfterAll
    static void closeChromium() {
        if (browser != null) {
            browser.close();
        }
        if (playwright != null) {
            playwright.close();
        }
    }

    @Test
    void eachSaveReplacesTheFrameAndABrokenSaveShowsItsErrorWhileTheLastGoodVersionStays() throws Exception {
        Path file = Files.writeString(directory.resolve("dashboard.tsx"), component("first"));
        Output out = new Output();
        Output err = new Output();
        try (Preview preview = Preview.start(file, config(), out.stream(), err.stream())) {
            URI printed = URI.create(out.awaitLine("Preview of dashboard.tsx: ").substring("Preview of dashboard.tsx: ".length()));
            assertEquals(preview.chatUrl().get(1, TimeUnit.SECONDS), printed);
            assertEquals("/", printed.getPath());
            assertTrue(printed.getFragment().contains("artifact=" + preview.artifactId().orElseThrow()), printed.toString());

            Page page = browser.newContext().newPage();
            page.setDefaultTimeout(WAIT_MS);
            page.navigate(printed.toString());
            FrameLocator frame = page.frameLocator("#frame-host iframe:visible");
            assertThat(frame.getByTestId("label")).hasText("first", hasText());
            assertThat(page.locator("#viewer-title")).hasText("dashboard.tsx", hasText());

            Files.writeString(file, component("second"));
            assertThat(frame.getByTestId("label")).hasText("second", hasText());
            assertThat(page.locator("#stream-status")).hasText("Version 2 is complete.", hasText());
            out.awaitLine("vitrine preview: dashboard.tsx saved as version 2");

            // The <p> is never closed: Sucrase stops at the end of the function.
            Files.writeString(file, "export default function App() {\n  return <p data-testid=\"label\">third;\n}\n");
            String printedError = err.awaitLine("vitrine preview: dashboard.tsx:");
            assertTrue(printedError.matches("vitrine preview: dashboard\\.tsx:\\d+:\\d+ compile_error: .+"), printedError);
            assertThat(page.locator("#frame-errors")).containsText("compile_error", containsText());
            assertThat(page.locator("#stream-status")).containsText("Version 3 was not stored: compile_error", containsText());
            assertThat(frame.getByTestId("label")).hasText("second", hasText());

            Files.writeString(file, component("third"));
            assertThat(frame.getByTestId("label")).hasText("third", hasText());
            assertThat(page.locator("#stream-status")).hasText("Version 3 is complete.", hasText());
            page.context().close();
        }
    }

    @Test
    void aFileThatDoesNotCompileAtStartIsPreviewedFromTheFirstSaveThatDoes() throws Exception {
        Path file = Files.writeString(directory.resolve("broken.jsx"), "export default function App( {");
        Output out = new Output();
        Output err = new Output();
        try (Preview preview = Preview.start(file, config(), out.stream(), err.stream())) {
            assertTrue(err.awaitLine("vitrine preview: broken.jsx:").contains("compile_error"), err.text());
            assertFalse(preview.chatUrl().isDone(), "no artifact until the file compiles");

            Files.writeString(file, component("fixed"));
            URI printed = preview.chatUrl().get(OUTPUT_WAIT.toSeconds(), TimeUnit.SECONDS);
            assertTrue(out.text().contains("Preview of broken.jsx: " + printed), out.text());
            Page page = browser.newContext().newPage();
            page.setDefaultTimeout(WAIT_MS);
            page.navigate(printed.toString());
            assertThat(page.frameLocator("#frame-host iframe:visible").getByTestId("label")).hasText("fixed", hasText());
            page.context().close();
        }
    }

    private ServerConfig config() {
        return ServerConfig.defaults()
                .withOrigins(URI.create("http://localhost:0"), URI.create("http://127.0.0.1:0"))
                .withDataDirectory(directory.resolve("data"));
    }

    private static String component(String label) {
        return "export default function App() {\n  return <p data-testid=\"label\">" + label + "</p>;\n}\n";
    }

    private static LocatorAssertions.HasTextOptions hasText() {
        return new LocatorAssertions.HasTextOptions().setTimeout(WAIT_MS);
    }

    private static LocatorAssertions.ContainsTextOptions containsText() {
        return new LocatorAssertions.ContainsTextOptions().setTimeout(WAIT_MS);
    }

    /** What the preview prints, as the terminal would show it. */
    private static final class Output {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final PrintStream stream = new PrintStream(bytes, true, StandardCharsets.UTF_8);

        PrintStream stream() {
            return stream;
        }

        String text() {
            synchronized (bytes) {
                return bytes.toString(StandardCharsets.UTF_8);
            }
        }

        /** The first printed line that starts with {@code prefix}, waiting for it at most {@link #OUTPUT_WAIT}. */
        String awaitLine(String prefix) throws InterruptedException, TimeoutException {
            return await(() -> text().lines().filter(line -> line.startsWith(prefix)).findFirst().orElse(null), prefix);
        }

        private String await(Supplier<String> probe, String what) throws InterruptedException, TimeoutException {
            long deadline = System.nanoTime() + OUTPUT_WAIT.toNanos();
            while (System.nanoTime() < deadline) {
                String found = probe.get();
                if (found != null) {
                    return found;
                }
                Thread.sleep(50);
            }
            throw new TimeoutException("nothing printed starting with '" + what + "' within " + OUTPUT_WAIT + "; printed:\n" + text());
        }
    }
}

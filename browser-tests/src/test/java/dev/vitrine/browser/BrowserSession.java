package dev.vitrine.browser;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import dev.vitrine.server.ServerConfig;
import dev.vitrine.server.VitrineServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One test class's world: its own Vitrine on free loopback ports (app origin
 * {@code http://localhost:<p>}, sandbox origin {@code http://127.0.0.1:<q>}, cross-site),
 * a canary server, and Debian's Chromium driven by Playwright. Register it with
 * {@code @RegisterExtension static final BrowserSession session = new BrowserSession();}.
 * A missing Chromium fails the class; it never skips.
 */
final class BrowserSession implements BeforeAllCallback, AfterAllCallback {
    /** Flags of every browser the tests launch (PLATFORM.md); {@code *.test} names land on the loopback canary. */
    static final List<String> CHROMIUM_ARGS = List.of(
            "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
            "--host-resolver-rules=MAP *.test 127.0.0.1");

    private final UnaryOperator<ServerConfig> configure;
    private VitrineUnderTest vitrine;
    private Canary canary;
    private Playwright playwright;
    private Browser browser;

    BrowserSession() {
        this(UnaryOperator.identity());
    }

    /** A session whose server configuration is adjusted, e.g. with small storage limits. */
    BrowserSession(UnaryOperator<ServerConfig> configure) {
        this.configure = configure;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        Path chromium = chromium();
        vitrine = VitrineUnderTest.start(configure);
        canary = new Canary();
        playwright = Playwright.create(new Playwright.CreateOptions().setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
        browser = playwright.chromium().launch(new BrowserType.LaunchOptions()
                .setExecutablePath(chromium)
                .setHeadless(true)
                .setArgs(CHROMIUM_ARGS));
    }

    /**
     * Debian's Chromium, or {@code VITRINE_CHROMIUM}.
     *
     * @throws IllegalStateException if it is missing: browser tests fail without it, they never skip
     */
    static Path chromium() {
        Path chromium = Paths.get(System.getenv().getOrDefault("VITRINE_CHROMIUM", "/usr/bin/chromium"));
        if (!Files.isExecutable(chromium)) {
            throw new IllegalStateException("Chromium is required for browser tests and was not found at " + chromium
                    + "; install Debian's 'chromium' package (./vitrine test does) or set VITRINE_CHROMIUM");
        }
        return chromium;
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (browser != null) {
            browser.close();
        }
        if (playwright != null) {
            playwright.close();
        }
        if (canary != null) {
            canary.close();
        }
        if (vitrine != null) {
            vitrine.close();
        }
    }

    VitrineServer server() {
        return vitrine.server().orElseThrow();
    }

    VitrineClient client() {
        return vitrine.client();
    }

    Canary canary() {
        return canary;
    }

    /** A fresh browser context and page: no state carries over between tests. */
    Page newPage() {
        return newContext().newPage();
    }

    /** A fresh browser context (no cookies, storage or HTTP cache) for pages that should share one. */
    BrowserContext newContext() {
        BrowserContext context = browser.newContext();
        context.setDefaultTimeout(10_000);
        return context;
    }

    /** The chat page, logged in with the API key, showing one artifact in the viewer. */
    String chatUrl(String artifactId) {
        return vitrine.chatUrl(artifactId);
    }

    /** The chat page as a named viewer, showing one artifact. */
    String chatUrl(String artifactId, String viewer) {
        return chatUrl(artifactId) + "&viewer=" + viewer;
    }
}

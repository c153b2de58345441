package dev.vitrine.browser;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import com.microsoft.playwright.FrameLocator;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The chat page shows an artifact's latest version and lets the reader pick an earlier one. */
class VersionsTest {
    @RegisterExtension
    static final BrowserSession session = new BrowserSession();

    @Test
    void theLatestVersionIsShownAndThePickerShowsAnEarlierOne() {
        String id = session.client().create("html", "Plan", "<h1 id='heading'>First draft</h1><p>steps</p>")
                .get("id").asText();
        session.client().addVersionByEdits(id, 1, "First draft", "Second draft");
        Page page = session.newPage();
        page.navigate(session.chatUrl(id));

        FrameLocator frame = page.frameLocator("#frame-host iframe");
        assertThat(frame.locator("#heading")).hasText("Second draft");
        Locator picker = page.getByRole(AriaRole.COMBOBOX, new Page.GetByRoleOptions().setName("Version"));
        assertThat(picker).hasValue("2");
        assertThat(picker.locator("option")).hasText(new String[] {"v1", "v2 (latest)"});

        picker.selectOption("1");

        assertThat(frame.locator("#heading")).hasText("First draft");
        assertThat(page.locator("#viewer-meta")).hasText("HTML · version 1 of 2");
        assertThat(page.locator("#frame-host iframe")).hasAttribute("src", Pattern.compile("/f/" + id + "/1$"));
        page.context().close();
    }

    @Test
    void theErrorsListNamesTheVersionThatIsShownAndTheKeyboardMovesBetweenVersions() {
        String id = session.client().create("html", "Fixed later", "<script>null.boom();</script><p id='p'>broken</p>")
                .get("id").asText();
        session.client().addVersionByEdits(id, 1, "<script>null.boom();</script>", "", "broken", "fixed");
        Page page = session.newPage();
        page.navigate(session.chatUrl(id));
        FrameLocator frame = page.frameLocator("#frame-host iframe");
        assertThat(frame.locator("#p")).hasText("fixed");
        assertThat(page.locator("#frame-errors li")).hasCount(0);

        Locator picker = page.locator("#version-picker");
        picker.focus();
        page.keyboard().press("ArrowUp");

        assertThat(picker).hasValue("1");
        assertThat(frame.locator("#p")).hasText("broken");
        assertThat(page.locator("#frame-errors li")).hasCount(1);
        assertThat(page.locator("#frame-errors li")).containsText("v1 uncaught");
        page.context().close();
    }

    @Test
    void anArtifactWithOneVersionHasNoPicker() {
        String id = session.client().create("html", "Single", "<p id='only'>only</p>").get("id").asText();
        Page page = session.newPage();
        page.navigate(session.chatUrl(id));

        assertThat(page.frameLocator("#frame-host iframe").locator("#only")).hasText("only");
        assertThat(page.locator("#version-picker")).isHidden();
        page.context().close();
    }
}

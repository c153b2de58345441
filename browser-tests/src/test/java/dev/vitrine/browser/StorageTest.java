package dev.vitrine.browser;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.microsoft.playwright.Frame;
import com.microsoft.playwright.Page;
import dev.vitrine.storage.StorageLimits;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * window.storage in artifact frames shown by the real chat page: data persists, scopes
 * separate viewers, limits reject in the frame, and an artifact reaches only its own data.
 */
class StorageTest {
    private static final long MAX_VALUE = 2048;
    private static final long QUOTA = 8192;

    @RegisterExtension
    static final BrowserSession session = new BrowserSession(config -> config.withStorage(new StorageLimits(MAX_VALUE, QUOTA, 50), 200));

    /** A small todo app as a model would write it against Claude's storage API. */
    private static final String TODO = """
            <h1>Todo</h1>
            <form id="add"><input id="item" name="item"><button>Add</button></form>
            <ul id="items"></ul>
            <script>
              const list = document.getElementById('items');
              async function render() {
                const { keys } = await window.storage.list('todo:');
                list.replaceChildren();
                for (const key of keys.sort()) {
                  const { value } = await window.storage.get(key);
                  const li = document.createElement('li');
                  li.textContent = value;
                  list.append(li);
                }
                document.body.dataset.rendered = String(keys.length);
              }
              document.getElementById('add').addEventListener('submit', async (event) => {
                event.preventDefault();
                const input = document.getElementById('item');
                await window.storage.set('todo:' + Date.now(), input.value);
                input.value = '';
                await render();
              });
              render();
            </script>
            """;

    private static Frame artifactFrame(Page page) {
        page.frameLocator("#frame-host iframe").locator("body").waitFor();
        Frame frame = page.locator("#frame-host iframe").elementHandle().contentFrame();
        frame.waitForLoadState();
        return frame;
    }

    /** Runs a storage call inside the artifact's realm, as its own code would. */
    private static Object inFrame(Page page, String script) {
        Frame frame = artifactFrame(page);
        frame.waitForFunction("() => document.readyState === 'complete'");
        return frame.evaluate("async () => { try { return await (" + script + "); } catch (e) { return 'rejected:' + e.code; } }");
    }

    @Test
    void todoListKeepsItsItemsAcrossReload() {
        String id = session.client().create("html", "Todo", TODO).get("id").asText();
        Page page = session.newPage();
        page.navigate(session.chatUrl(id, "alice"));
        var frame = page.frameLocator("#frame-host iframe");
        assertThat(frame.locator("body[data-rendered='0']")).hasCount(1);
        frame.locator("#item").fill("buy milk");
        frame.locator("#add button").click();
        assertThat(frame.locator("#items li")).hasText(new String[] {"buy milk"});
        frame.locator("#item").fill("call mum");
        frame.locator("#add button").click();
        assertThat(frame.locator("#items li")).hasCount(2);

        page.reload();
        assertThat(page.frameLocator("#frame-host iframe").locator("#items li")).hasText(new String[] {"buy milk", "call mum"});
        page.context().close();
    }

    @Test
    void viewersShareSharedDataButNeverPersonalData() {
        String id = session.client().create("html", "Board", "<p>board</p>").get("id").asText();
        Page alice = session.newPage();
        alice.navigate(session.chatUrl(id, "alice"));
        assertEquals(Map.of("key", "note", "value", "alice only", "shared", false), inFrame(alice, "window.storage.set('note', 'alice only')"));
        assertEquals(Map.of("key", "board", "value", "hello from alice", "shared", true),
                inFrame(alice, "window.storage.set('board', 'hello from alice', true)"));

        Page bob = session.newPage();
        bob.navigate(session.chatUrl(id, "bob"));
        assertEquals(Map.of("key", "board", "value", "hello from alice", "shared", true), inFrame(bob, "window.storage.get('board', true)"));
        assertEquals("rejected:key_not_found", inFrame(bob, "window.storage.get('note')"));
        assertEquals(Map.of("keys", List.of(), "prefix", "", "shared", false), inFrame(bob, "window.storage.list()"));
        assertEquals(Map.of("keys", List.of("note"), "prefix", "", "shared", false), inFrame(alice, "window.storage.list()"));
        alice.context().close();
        bob.context().close();
    }

    @Test
    void overLimitWritesRejectInTheFrameAndChangeNothing() {
        String id = session.client().create("html", "Quota", "<p>quota</p>").get("id").asText();
        Page page = session.newPage();
        page.navigate(session.chatUrl(id, "carol"));
        assertEquals("rejected:value_too_large", inFrame(page, "window.storage.set('big', 'x'.repeat(" + (MAX_VALUE + 1) + "))"));
        for (int i = 0; i < 4; i++) {
            inFrame(page, "window.storage.set('k" + i + "', 'x'.repeat(2000))");
        }
        assertEquals("rejected:quota_exceeded", inFrame(page, "window.storage.set('k4', 'x'.repeat(2000))"));
        assertEquals(Map.of("keys", List.of("k0", "k1", "k2", "k3"), "prefix", "k", "shared", false), inFrame(page, "window.storage.list('k')"));
        assertEquals("rejected:invalid_key", inFrame(page, "window.storage.set('a/b', 'x')"));
        page.context().close();
    }

    @Test
    void aStorageRejectionTheArtifactDoesNotHandleReachesTheChatPage() {
        // The rejection is made by Vitrine's runtime script: it is reported only because that
        // script loads with CORS; as a plain cross-origin script, Chromium would mute it.
        String id = session.client().create("html", "Forgetful", """
                <p id="asked">asked</p>
                <script>window.storage.get('never-set');</script>
                """).get("id").asText();
        Page page = session.newPage();
        page.navigate(session.chatUrl(id, "dora"));
        assertThat(page.frameLocator("#frame-host iframe").locator("#asked")).hasText("asked");
        assertThat(page.locator("#frame-errors li .text")).containsText("v1 unhandled-rejection");
        assertThat(page.locator("#frame-errors li .text")).containsText("no value is stored under this key");
        page.context().close();
    }

    @Test
    void artifactCannotReadAnotherArtifactsDataEvenKnowingItsId() {
        String victim = session.client().create("html", "Victim", "<p>victim</p>").get("id").asText();
        Page owner = session.newPage();
        owner.navigate(session.chatUrl(victim, "alice"));
        inFrame(owner, "window.storage.set('secret', 'victim data', true)");
        inFrame(owner, "window.storage.set('secret', 'victim personal')");

        String attacker = session.client().create("html", "Attacker", "<p>attacker</p>").get("id").asText();
        Page page = session.newPage();
        page.navigate(session.chatUrl(attacker, "alice"));
        assertEquals("rejected:key_not_found", inFrame(page, "window.storage.get('secret', true)"));
        assertEquals("rejected:key_not_found", inFrame(page, "window.storage.get('secret')"));
        assertEquals("blocked", inFrame(page, "fetch('" + session.server().appOrigin() + "/v1/viewer/artifacts/" + victim
                + "/storage', {method: 'POST', body: '{\"op\":\"list\"}'}).then(() => 'reached', () => 'blocked')"));
        owner.context().close();
        page.context().close();
    }

    @Test
    void bridgeIsHandedOverAgainWhenTheFrameReloadsItself() {
        String id = session.client().create("html", "Reloader", "<p>reload</p>").get("id").asText();
        Page page = session.newPage();
        page.navigate(session.chatUrl(id, "dora"));
        inFrame(page, "window.storage.set('before', 'reload')");
        artifactFrame(page).evaluate("() => { setTimeout(() => location.reload(), 0); }");
        page.waitForTimeout(500);
        assertEquals(Map.of("key", "before", "value", "reload", "shared", false), inFrame(page, "window.storage.get('before')"));
        page.context().close();
    }

    @Test
    void artifactOpenedDirectlyIsNotRunAndHasNoStorage() {
        String frameUrl = session.client().create("html", "Alone", "<p id='alone'>alone</p>").get("frameUrl").asText();
        Page page = session.newPage();
        page.navigate(frameUrl);
        assertThat(page.locator("body")).containsText("runs only inside the chat page");
        assertThat(page.locator("#alone")).hasCount(0);
        assertEquals("undefined", page.evaluate("() => typeof window.storage"));
        page.context().close();
    }
}

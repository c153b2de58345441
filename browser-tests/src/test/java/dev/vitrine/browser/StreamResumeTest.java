package dev.vitrine.browser;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.FrameLocator;
import com.microsoft.playwright.Page;
import dev.vitrine.server.DataSize;
import dev.vitrine.server.StreamSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The chat page keeps following a stream when its event connection drops: {@code EventSource}
 * reconnects with {@code Last-Event-ID} and the server resumes right after it. Chromium loads
 * the chat page through a {@link LoopbackProxy}, which the test cuts mid-stream; the proxy's
 * origin is one of the server's chat origins, so artifact frames may be embedded there.
 */
class StreamResumeTest {
    private static final LoopbackProxy proxy = LoopbackProxy.bind();
    /** Events each artifact keeps for resuming: room for what the first test misses, not for a whole stream. */
    private static final int BUFFER_EVENTS = 20;

    @RegisterExtension
    static final BrowserSession session = new BrowserSession(config -> config.withEmbedderOrigins(List.of(proxy.origin()))
            .withStreams(StreamSettings.defaults().withBuffer(BUFFER_EVENTS, DataSize.ofMegabytes(8), DataSize.ofMegabytes(1))));

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Records, in the chat page, every event its EventSource dispatches: connection opens and errors too. */
    private static final String RECORD_EVENTS = """
            (() => {
              if (window !== window.top) return;
              const Native = window.EventSource;
              window.eventLog = [];
              window.EventSource = class extends Native {
                constructor(url, options) {
                  super(url, options);
                  this.addEventListener('open', () => window.eventLog.push({ type: 'open', id: '', data: null }));
                  for (const type of ['subscribed', 'reset', 'start', 'chunk', 'compiled', 'version', 'error']) {
                    this.addEventListener(type, (event) => window.eventLog.push({
                      type, id: event.lastEventId ?? '', data: event.data ?? null }));
                  }
                }
              };
            })();
            """;

    /** One event the chat page received; {@code data} is null for a connection's own {@code open} and {@code error}. */
    private record Received(String type, String id, JsonNode data) {
    }

    @BeforeAll
    static void startProxy() {
        proxy.start(session.server().appListenUrl());
    }

    @AfterAll
    static void closeProxy() {
        proxy.close();
    }

    @Test
    void chatPageResumesAStreamAfterItsEventConnectionDropsWithNoChunkLostOrRepeated() throws Exception {
        String id = session.client().create("html", "Report", "<p id=\"first\">first draft</p>").get("id").asText();
        Page page = followThroughProxy(id);
        BrowserContext context = page.context();
        FrameLocator frame = page.frameLocator("#frame-host iframe:visible");
        assertThat(frame.locator("#first")).hasText("first draft");

        String head = "<h1 id=\"title\">Quarterly report</h1><ol>";
        List<String> regions = List.of("<li>north</li>", "<li>south</li>", "<li>east</li>", "<li>west</li>");
        String tail = "</ol><p id=\"end\">Every region grew.</p>";
        String eventsPath = "/v1/artifacts/" + id + "/events";
        try (ChunkedPost stream = new ChunkedPost(session.server().appListenUrl(), session.server().apiKey(), id)) {
            stream.send(head);
            stream.send(regions.get(0));
            stream.send(regions.get(1));
            assertThat(frame.locator("li")).hasText(new String[] {"north", "south"});
            awaitCompiled(page, head + regions.get(0) + regions.get(1));

            int requestsBeforeCut = proxy.requests().size();
            proxy.cut();
            page.waitForFunction("() => window.eventLog.some((e) => e.type === 'error' && e.data === null)");
            String lastSeen = lastIdBeforeConnectionError(received(page));

            // Posted while the page has no event connection; the proxy holds its reconnect until both are in.
            stream.send(regions.get(2));
            stream.send(regions.get(3));
            LoopbackProxy.Request reconnect = proxy.awaitRequest(requestsBeforeCut,
                    request -> request.target().startsWith(eventsPath), Duration.ofSeconds(15));
            assertEquals(Optional.of(lastSeen), reconnect.header("Last-Event-ID"),
                    "the reconnect names the last event the page received");
            proxy.resume();

            assertThat(frame.locator("li")).hasText(new String[] {"north", "south", "east", "west"});
            assertEquals(List.of(reconnect), proxy.requests().subList(requestsBeforeCut, proxy.requests().size()),
                    "after the drop the page asked for nothing but the rest of its events: it did not reload the artifact");
            stream.send(tail);
            assertThat(frame.locator("#end")).hasText("Every region grew.");
            awaitCompiled(page, head + String.join("", regions) + tail);
            assertEquals(201, stream.finish());
        }

        assertThat(page.locator("#stream-status")).hasText("Version 2 is complete.");
        assertThat(page.locator("#frame-host iframe:visible")).hasAttribute("src", session.server().sandboxOrigin() + "/f/" + id + "/2");
        assertThat(frame.locator("li")).hasText(new String[] {"north", "south", "east", "west"});

        List<Received> events = received(page);
        List<Boolean> resumed = events.stream().filter(e -> e.type().equals("subscribed")).map(e -> e.data().get("resumed").asBoolean()).toList();
        assertEquals(List.of(false, true), resumed, "the first connection starts fresh, the reconnect is resumed");
        assertEquals(List.of(), events.stream().filter(e -> e.type().equals("reset")).toList(), "no reset");
        assertEquals(1, events.stream().filter(e -> e.type().equals("start")).count(), "the stream started once for the page");
        StringBuilder text = new StringBuilder();
        for (Received chunk : events.stream().filter(e -> e.type().equals("chunk")).toList()) {
            assertEquals(text.length(), chunk.data().get("offset").asInt(), "each chunk continues where the one before ended");
            text.append(chunk.data().get("text").asText());
        }
        assertEquals(head + String.join("", regions) + tail, text.toString(), "the chunks add up to exactly what was posted");
        List<Long> ids = events.stream().filter(e -> e.data() != null && !e.type().equals("subscribed"))
                .map(e -> Long.parseLong(e.id())).toList();
        assertEquals(ids.stream().sorted().distinct().toList(), ids, "no event reached the page twice");
        context.close();
    }

    @Test
    void chatPageThatMissedMoreThanTheBufferHoldsIsResetAndShowsTheLatestVersion() throws Exception {
        String id = session.client().create("html", "Notes", "<p id=\"first\">first version</p>").get("id").asText();
        Page page = followThroughProxy(id);
        BrowserContext context = page.context();
        FrameLocator frame = page.frameLocator("#frame-host iframe:visible");
        assertThat(frame.locator("#first")).hasText("first version");

        int requestsBeforeCut = proxy.requests().size();
        proxy.cut();
        page.waitForFunction("() => window.eventLog.some((e) => e.type === 'error' && e.data === null)");
        // A whole version streamed while the page is cut off, in more events than the buffer keeps.
        try (ChunkedPost stream = new ChunkedPost(session.server().appListenUrl(), session.server().apiKey(), id)) {
            for (int i = 0; i < 2 * BUFFER_EVENTS; i++) {
                stream.send("<p class=\"line\">line " + i + "</p>");
            }
            stream.send("<p id=\"second\">second version</p>");
            assertEquals(201, stream.finish());
        }
        proxy.awaitRequest(requestsBeforeCut, request -> request.target().startsWith("/v1/artifacts/" + id + "/events"),
                Duration.ofSeconds(15));
        proxy.resume();

        assertThat(frame.locator("#second")).hasText("second version");
        assertThat(page.locator("#frame-host iframe:visible")).hasAttribute("src", session.server().sandboxOrigin() + "/f/" + id + "/2");
        List<Received> events = received(page);
        assertEquals(1, events.stream().filter(e -> e.type().equals("reset")).count(), "the server could not resume: " + events);
        assertEquals(List.of(), events.stream().filter(e -> e.type().equals("version")).toList(),
                "the page never saw the version event; the reset alone made it show version 2");
        context.close();
    }

    /** Opens the chat page on the artifact through the proxy, recording its events, once it is subscribed. */
    private static Page followThroughProxy(String id) {
        BrowserContext context = session.newContext();
        context.addInitScript(RECORD_EVENTS);
        Page page = context.newPage();
        page.navigate(session.chatUrl(id).replace(session.server().appOrigin().toString(), proxy.origin().toString()));
        page.waitForFunction("() => window.eventLog.some((e) => e.type === 'subscribed')");
        return page;
    }

    /**
     * Waits until the page has the {@code compiled} event that covers {@code text}: after it the
     * stream sends nothing until more text arrives, so the connection is idle when it is cut, and
     * no draft is still on its way when the stream ends.
     */
    private static void awaitCompiled(Page page, String text) {
        page.waitForFunction("(length) => window.eventLog.some((e) => e.type === 'compiled' && JSON.parse(e.data).length === length)",
                text.length());
    }

    /** The id EventSource holds when its connection fails: that of the last event dispatched before. */
    private static String lastIdBeforeConnectionError(List<Received> events) {
        String last = "";
        for (Received event : events) {
            if (event.type().equals("error") && event.data() == null) {
                return last;
            }
            last = event.id();
        }
        throw new AssertionError("the page's event connection did not fail: " + events);
    }

    private static List<Received> received(Page page) throws Exception {
        List<Received> events = new ArrayList<>();
        for (Object entry : (List<?>) page.evaluate("() => window.eventLog")) {
            Map<?, ?> event = (Map<?, ?>) entry;
            Object data = event.get("data");
            events.add(new Received((String) event.get("type"), (String) event.get("id"),
                    data == null ? null : JSON.readTree((String) data)));
        }
        return events;
    }
}

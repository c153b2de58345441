package dev.vitrine.server;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A Server-Sent Events subscriber for tests: reads {@code GET /v1/artifacts/{id}/events} on a
 * thread of its own into a queue of parsed events (comment lines included, as type {@code ":"}),
 * which tests take from with a deadline, so no test waits longer than it says.
 */
final class EventClient implements AutoCloseable {
    /** One event: id null when the event had no id line. */
    record Event(String id, String type, String data) {
        long numericId() {
            return Long.parseLong(id);
        }
    }

    private final LinkedBlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final HttpResponse<InputStream> response;
    private final Thread reader;
    private volatile boolean ended;

    private EventClient(HttpResponse<InputStream> response) {
        this.response = response;
        this.reader = Thread.ofPlatform().daemon().name("test-sse-reader").start(this::read);
    }

    /** Subscribes with the API key in the header, and a Last-Event-ID header unless null. */
    static EventClient subscribe(RunningServer running, String artifact, String lastEventId) throws Exception {
        HttpRequest.Builder request = running.api("/v1/artifacts/" + artifact + "/events").GET();
        if (lastEventId != null) {
            request.header("Last-Event-ID", lastEventId);
        }
        return open(request.build());
    }

    static EventClient open(HttpRequest request) throws Exception {
        HttpResponse<InputStream> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofInputStream());
        if (response.statusCode() != 200) {
            String body = new String(response.body().readAllBytes(), StandardCharsets.UTF_8);
            throw new AssertionError("events answered " + response.statusCode() + ": " + body);
        }
        return new EventClient(response);
    }

    HttpResponse<InputStream> response() {
        return response;
    }

    private void read() {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            String id = null;
            String type = null;
            StringBuilder data = null;
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                if (line.isEmpty()) {
                    if (data != null) {
                        events.add(new Event(id, type == null ? "message" : type, data.toString()));
                    }
                    id = null;
                    type = null;
                    data = null;
                } else if (line.startsWith(":")) {
                    events.add(new Event(null, ":", line.substring(1)));
                } else if (line.startsWith("id:")) {
                    id = line.substring(3);
                } else if (line.startsWith("event:")) {
                    type = line.substring(6);
                } else if (line.startsWith("data:")) {
                    data = (data == null ? new StringBuilder() : data.append('\n')).append(line.substring(5));
                }
            }
        } catch (IOException e) {
            // the connection ended
        } finally {
            ended = true;
        }
    }

    /** The next event that is not a comment, waiting at most {@code timeout}. */
    Event next(Duration timeout) throws InterruptedException {
        return next(event -> !event.type().equals(":"), timeout);
    }

    /** Skips events until one matches, waiting at most {@code timeout} in all. */
    Event next(Predicate<Event> wanted, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Event event = events.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (event == null) {
                throw new AssertionError("no matching event within " + timeout + (ended ? " (the stream ended)" : ""));
            }
            if (wanted.test(event)) {
                return event;
            }
        }
    }

    /** Every non-comment event up to and including the first of {@code type}, waiting at most {@code timeout}. */
    List<Event> until(String type, Duration timeout) throws InterruptedException {
        List<Event> taken = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Event event = next(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            taken.add(event);
            if (event.type().equals(type)) {
                return taken;
            }
        }
    }

    /** The non-comment events that arrive within {@code period}. */
    List<Event> within(Duration period) throws InterruptedException {
        List<Event> taken = new ArrayList<>();
        long deadline = System.nanoTime() + period.toNanos();
        for (long left = period.toNanos(); left > 0; left = deadline - System.nanoTime()) {
            Event event = events.poll(left, TimeUnit.NANOSECONDS);
            if (event != null && !event.type().equals(":")) {
                taken.add(event);
            }
        }
        return taken;
    }

    /** True once the server ended the stream. */
    boolean ended() {
        return ended;
    }

    @Override
    public void close() throws Exception {
        response.body().close();
        reader.join(5_000);
    }
}

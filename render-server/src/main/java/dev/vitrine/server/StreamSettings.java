package dev.vitrine.server;

import java.time.Duration;
import java.util.Objects;

/**
 * Limits of streamed versions ({@code POST /v1/artifacts/{id}/stream}) and of the event streams
 * that carry them to viewers ({@code GET /v1/artifacts/{id}/events}). The total size of one
 * stream is {@code max-body-size}, like any request body.
 *
 * <pre>{@code
 * StreamSettings settings = StreamSettings.defaults().withHeartbeat(Duration.ofMillis(200));
 * }</pre>
 *
 * @param maxStreams    streams this node reads at once, over all artifacts (an artifact has at most one)
 * @param idleTimeout   a stream that sends nothing for this long is ended as partial
 * @param checkInterval how often, at most, the text of a stream in progress is compiled or checked
 * @param heartbeat     how often an idle event stream gets a comment line, which keeps proxies from
 *                      closing it and lets a client notice a dead connection
 * @param bufferEvents  events kept per artifact for resuming ({@code Last-Event-ID})
 * @param bufferSize    characters of event data kept per artifact for resuming, roughly bytes
 * @param maxLag        event data a subscriber may have waiting before it is disconnected as too
 *                      slow; below {@code bufferSize}, so it can still resume where it stopped
 */
public record StreamSettings(int maxStreams, Duration idleTimeout, Duration checkInterval, Duration heartbeat,
                             int bufferEvents, DataSize bufferSize, DataSize maxLag) {

    static final int DEFAULT_MAX_STREAMS = 64;
    static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(30);
    static final Duration DEFAULT_CHECK_INTERVAL = Duration.ofMillis(250);
    static final Duration DEFAULT_HEARTBEAT = Duration.ofSeconds(15);
    static final int DEFAULT_BUFFER_EVENTS = 10_000;
    static final DataSize DEFAULT_BUFFER_SIZE = DataSize.ofMegabytes(8);
    static final DataSize DEFAULT_MAX_LAG = DataSize.ofMegabytes(1);

    /** @throws IllegalArgumentException naming the setting whose value is out of range */
    public StreamSettings {
        Objects.requireNonNull(idleTimeout, "stream-idle-timeout");
        Objects.requireNonNull(checkInterval, "check interval");
        Objects.requireNonNull(heartbeat, "event-heartbeat");
        Objects.requireNonNull(bufferSize, "event-buffer-size");
        Objects.requireNonNull(maxLag, "event-max-lag");
        if (maxStreams < 1) {
            throw new IllegalArgumentException("max-streams: " + maxStreams + " must be at least 1");
        }
        if (idleTimeout.toMillis() < 1) {
            throw new IllegalArgumentException("stream-idle-timeout: " + idleTimeout + " must be above zero");
        }
        if (checkInterval.toMillis() < 1) {
            throw new IllegalArgumentException("check interval: " + checkInterval + " must be above zero");
        }
        if (heartbeat.toMillis() < 1) {
            throw new IllegalArgumentException("event-heartbeat: " + heartbeat + " must be above zero");
        }
        if (bufferEvents < 16) {
            throw new IllegalArgumentException("event-buffer: " + bufferEvents + " must be at least 16 events");
        }
        if (bufferSize.bytes() < 1024 || bufferSize.bytes() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("event-buffer-size: " + bufferSize + " must be between 1KB and 2GB");
        }
        if (maxLag.bytes() < 1024 || maxLag.compareTo(bufferSize) >= 0) {
            throw new IllegalArgumentException("event-max-lag: " + maxLag + " must be at least 1KB and below event-buffer-size ("
                    + bufferSize + "), so a subscriber disconnected for lagging can still resume");
        }
    }

    /** 64 streams, 30 s idle timeout, checks every 250 ms, 15 s heartbeat, 10 000 events or 8MB kept, 1MB lag. */
    public static StreamSettings defaults() {
        return new StreamSettings(DEFAULT_MAX_STREAMS, DEFAULT_IDLE_TIMEOUT, DEFAULT_CHECK_INTERVAL, DEFAULT_HEARTBEAT,
                DEFAULT_BUFFER_EVENTS, DEFAULT_BUFFER_SIZE, DEFAULT_MAX_LAG);
    }

    public StreamSettings withMaxStreams(int streams) {
        return new StreamSettings(streams, idleTimeout, checkInterval, heartbeat, bufferEvents, bufferSize, maxLag);
    }

    public StreamSettings withIdleTimeout(Duration timeout) {
        return new StreamSettings(maxStreams, timeout, checkInterval, heartbeat, bufferEvents, bufferSize, maxLag);
    }

    public StreamSettings withHeartbeat(Duration interval) {
        return new StreamSettings(maxStreams, idleTimeout, checkInterval, interval, bufferEvents, bufferSize, maxLag);
    }

    public StreamSettings withBuffer(int events, DataSize size, DataSize lag) {
        return new StreamSettings(maxStreams, idleTimeout, checkInterval, heartbeat, events, size, lag);
    }
}

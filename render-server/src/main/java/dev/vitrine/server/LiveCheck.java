package dev.vitrine.server;

import dev.vitrine.frame.FrameRenderer;
import dev.vitrine.frame.InvalidArtifactException;
import dev.vitrine.storage.ArtifactType;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks the text of a stream in progress as it grows, at most once per interval: React and SVG
 * are compiled or parsed as {@code POST /versions} would ({@link FrameRenderer#check}); HTML,
 * Markdown and mermaid, which cannot fail that check, are only reported, so a viewer knows when
 * to re-render. Text that arrives during a check is checked next, once, with all of it; a
 * stream never has two checks at once, and all streams share the {@code checks} executor, so
 * many streams slow their checks down rather than take the server's cores.
 *
 * <pre>{@code
 * LiveCheck live = new LiveCheck(ArtifactType.REACT, renderer, timers, checks, clock, Duration.ofMillis(250),
 *         session::text, (length, error) -> publish(length, error));
 * live.textChanged(); // after each chunk
 * live.stop();        // when the stream ends
 * }</pre>
 */
final class LiveCheck {
    private static final Logger LOG = LoggerFactory.getLogger(LiveCheck.class);

    /** What a check found: the first {@code length} characters compiled, or did not ({@code error}). */
    interface Listener {
        void checked(int length, InvalidArtifactException error);
    }

    private final ArtifactType type;
    private final FrameRenderer renderer;
    private final ScheduledExecutorService timers;
    private final Executor checks;
    private final Clock clock;
    private final long intervalMillis;
    private final Supplier<String> text;
    private final Listener listener;

    private boolean scheduled;
    private boolean running;
    private boolean changedSinceStart;
    private boolean stopped;
    private long lastStart = Long.MIN_VALUE / 2;

    LiveCheck(ArtifactType type, FrameRenderer renderer, ScheduledExecutorService timers, Executor checks, Clock clock,
              Duration interval, Supplier<String> text, Listener listener) {
        this.type = type;
        this.renderer = renderer;
        this.timers = timers;
        this.checks = checks;
        this.clock = clock;
        this.intervalMillis = interval.toMillis();
        this.text = text;
        this.listener = listener;
    }

    /** The text grew: check it once the interval since the last check has passed. */
    synchronized void textChanged() {
        if (stopped) {
            return;
        }
        if (scheduled || running) {
            changedSinceStart = true;
            return;
        }
        scheduled = true;
        long delay = Math.max(0, lastStart + intervalMillis - clock.millis());
        try {
            timers.schedule(() -> {
                try {
                    checks.execute(this::run);
                } catch (RejectedExecutionException e) {
                    stop(); // the server is closing
                }
            }, delay, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            stopped = true;
        }
    }

    /** No more checks, and no report from one under way. */
    synchronized void stop() {
        stopped = true;
    }

    private synchronized boolean stopped() {
        return stopped;
    }

    private void run() {
        synchronized (this) {
            if (stopped) {
                return;
            }
            scheduled = false;
            running = true;
            changedSinceStart = false;
            lastStart = clock.millis();
        }
        try {
            String snapshot = text.get();
            InvalidArtifactException error = null;
            if (type == ArtifactType.REACT || type == ArtifactType.SVG) {
                try {
                    renderer.check(type, snapshot);
                } catch (InvalidArtifactException e) {
                    error = e;
                }
            }
            if (!stopped()) {
                listener.checked(snapshot.length(), error);
            }
        } catch (RuntimeException e) {
            LOG.warn("checking a stream in progress failed", e);
        } finally {
            synchronized (this) {
                running = false;
                if (changedSinceStart && !stopped) {
                    textChanged();
                }
            }
        }
    }
}

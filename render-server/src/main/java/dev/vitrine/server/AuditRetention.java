package dev.vitrine.server;

import dev.vitrine.storage.AuditLog;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes audit events older than the retention period: once a minute after start, then every
 * hour, on a daemon thread of its own. The cut-off comes from the injected clock, so tests
 * advance a clock and call {@link #pruneNow()} instead of waiting. With several nodes on one
 * database each prunes; the deletes are idempotent, so that costs only a few cheap queries.
 *
 * <pre>{@code
 * try (AuditRetention retention = AuditRetention.start(storage.audit(), Duration.ofDays(90), clock)) {
 *     retention.pruneNow(); // events deleted
 * }
 * }</pre>
 */
final class AuditRetention implements AutoCloseable {
    static final Duration FIRST_RUN = Duration.ofMinutes(1);
    static final Duration INTERVAL = Duration.ofHours(1);
    private static final Logger LOG = LoggerFactory.getLogger(AuditRetention.class);

    private final AuditLog audit;
    private final Duration retention;
    private final Clock clock;
    private final ScheduledExecutorService scheduler;

    private AuditRetention(AuditLog audit, Duration retention, Clock clock, ScheduledExecutorService scheduler) {
        this.audit = audit;
        this.retention = retention;
        this.clock = clock;
        this.scheduler = scheduler;
    }

    /** Schedules pruning; with a zero retention (keep forever) nothing is scheduled. */
    static AuditRetention start(AuditLog audit, Duration retention, Clock clock) {
        if (retention.isZero()) {
            return new AuditRetention(audit, retention, clock, null);
        }
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "vitrine-audit-retention");
            thread.setDaemon(true);
            return thread;
        });
        AuditRetention retentionTask = new AuditRetention(audit, retention, clock, scheduler);
        scheduler.scheduleWithFixedDelay(retentionTask::pruneQuietly, FIRST_RUN.toSeconds(), INTERVAL.toSeconds(), TimeUnit.SECONDS);
        return retentionTask;
    }

    /**
     * Deletes every event recorded more than the retention period before the clock's now.
     *
     * @return how many were deleted; 0 when events are kept forever
     */
    long pruneNow() {
        if (retention.isZero()) {
            return 0;
        }
        long deleted = audit.prune(clock.instant().minus(retention));
        if (deleted > 0) {
            LOG.info("audit retention removed {} events older than {}", deleted, retention);
        }
        return deleted;
    }

    /** A scheduled run: a failure is logged and the next run tries again, instead of ending the schedule. */
    private void pruneQuietly() {
        try {
            pruneNow();
        } catch (RuntimeException e) {
            LOG.warn("audit retention failed; retrying in {}", INTERVAL, e);
        }
    }

    @Override
    public void close() {
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
    }
}

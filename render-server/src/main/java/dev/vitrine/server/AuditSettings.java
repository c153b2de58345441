package dev.vitrine.server;

import java.time.Duration;
import java.util.Objects;

/**
 * How long the audit trail is kept and how many CSP violation reports the sandbox origin takes.
 * Reports come from anyone who knows a frame URL, so their rates and the number kept per
 * artifact are bounded; retention bounds everything else the trail holds.
 *
 * <pre>{@code
 * AuditSettings settings = AuditSettings.defaults().withRetention(Duration.ofDays(30));
 * settings.keepsForever(); // false
 * }</pre>
 *
 * @param retention                how long an event is kept; {@link Duration#ZERO} keeps every event forever
 * @param reportRate               violation reports a second per artifact (bursts of twice that)
 * @param reportRateTotal          violation reports a second this node takes for all artifacts together
 *                                 (bursts of twice that)
 * @param maxViolationsPerArtifact violations kept per artifact; later reports are dropped until
 *                                 retention makes room
 */
public record AuditSettings(Duration retention, int reportRate, int reportRateTotal, int maxViolationsPerArtifact) {

    static final Duration DEFAULT_RETENTION = Duration.ofDays(90);
    static final int DEFAULT_REPORT_RATE = 10;
    static final int DEFAULT_REPORT_RATE_TOTAL = 100;
    static final int DEFAULT_MAX_VIOLATIONS = 1_000;

    /** @throws IllegalArgumentException naming the setting whose value is out of range */
    public AuditSettings {
        Objects.requireNonNull(retention, "audit-retention");
        if (retention.isNegative()) {
            throw new IllegalArgumentException("audit-retention: " + retention + " must not be negative (0 keeps events forever)");
        }
        if (reportRate < 1) {
            throw new IllegalArgumentException("csp-report-rate: " + reportRate + " must be at least 1 report a second");
        }
        if (reportRateTotal < reportRate) {
            throw new IllegalArgumentException("csp-report-rate-total: " + reportRateTotal
                    + " must be at least csp-report-rate (" + reportRate + ")");
        }
        if (maxViolationsPerArtifact < 1) {
            throw new IllegalArgumentException("csp-report-max-per-artifact: " + maxViolationsPerArtifact + " must be at least 1");
        }
    }

    /** 90 days, 10 reports a second per artifact and 100 in all, 1000 violations per artifact. */
    public static AuditSettings defaults() {
        return new AuditSettings(DEFAULT_RETENTION, DEFAULT_REPORT_RATE, DEFAULT_REPORT_RATE_TOTAL, DEFAULT_MAX_VIOLATIONS);
    }

    public AuditSettings withRetention(Duration duration) {
        return new AuditSettings(duration, reportRate, reportRateTotal, maxViolationsPerArtifact);
    }

    public AuditSettings withReports(int ratePerArtifact, int rateTotal, int maxPerArtifact) {
        return new AuditSettings(retention, ratePerArtifact, rateTotal, maxPerArtifact);
    }

    /** True when retention is off and events are never pruned. */
    public boolean keepsForever() {
        return retention.isZero();
    }
}

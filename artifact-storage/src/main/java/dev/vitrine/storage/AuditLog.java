package dev.vitrine.storage;

import java.time.Instant;
import java.util.List;

/**
 * One append-only trail of events per artifact. {@link ArtifactStore} and {@link KeyValueStore}
 * append {@code created}, {@code version}, {@code deleted} and {@code storage_write} events in
 * the transactions of their changes; this interface appends the two kinds that change nothing
 * else, rejected content and reported CSP violations, and reads the trail. Events are never
 * changed; they outlive their artifact and are removed only by {@link #prune}, the retention
 * the server runs.
 *
 * <p>Implementations are thread-safe and, like the other stores, safe for many processes on
 * one database.
 *
 * <pre>{@code
 * AuditLog audit = storage.audit();
 * audit.recordViolation(id, 2, AuditDetail.Violation.truncating("img-src", "http://evil.test/x", "", 0, 0, ""), 1_000);
 * long after = 0;
 * List<AuditEvent> page;
 * do {
 *     page = audit.events(id, after, 100);           // oldest first
 *     page.forEach(System.out::println);
 *     after = page.isEmpty() ? after : page.getLast().sequence();
 * } while (page.size() == 100);
 * audit.prune(Instant.now().minus(Duration.ofDays(90)));
 * }</pre>
 */
public interface AuditLog {

    /** What {@link #recordViolation} did with a report. */
    enum ViolationOutcome {
        /** The violation is now part of the artifact's trail. */
        RECORDED,
        /** No artifact has this id, or it has no such version: nothing was stored. */
        UNKNOWN_VERSION,
        /** The artifact already holds the most violations allowed: nothing was stored. */
        LIMIT_REACHED
    }

    /**
     * Returns up to {@code limit} events of the artifact whose sequence is greater than
     * {@code after}, oldest first. Pass 0 for the first page and the last event's sequence for
     * the next; events of a deleted artifact are still returned until pruned.
     *
     * <p>On PostgreSQL a sequence number is taken when a row is inserted, and transactions may
     * commit in another order: a reader paging while two viewers write the artifact's storage
     * at the same moment can, rarely, page past an event that commits a moment later with a
     * smaller number. Versions, violations and deletion of one artifact are serialised on its
     * row and do not interleave that way; SQLite commits in sequence order.
     *
     * @throws IllegalArgumentException if {@code limit} is less than 1 or {@code after} is negative
     */
    List<AuditEvent> events(ArtifactId artifact, long after, int limit);

    /** Returns true if the artifact exists or any audit event of it is still kept. */
    boolean known(ArtifactId artifact);

    /**
     * Appends a {@code rejected} event to an existing artifact's trail.
     *
     * @return false, recording nothing, if the artifact does not exist (any more)
     */
    boolean recordRejected(ArtifactId artifact, AuditDetail.Rejected rejected);

    /**
     * Appends a {@code violation} event for one version, unless that version does not exist or
     * the artifact already has {@code maxPerArtifact} violations in its trail. The count, the
     * check and the append are one transaction that excludes the artifact's other violation
     * writers, so the limit holds under concurrent reports from any number of nodes. Pruned
     * violations no longer count.
     *
     * @throws IllegalArgumentException if {@code version} or {@code maxPerArtifact} is less than 1
     */
    ViolationOutcome recordViolation(ArtifactId artifact, int version, AuditDetail.Violation violation, int maxPerArtifact);

    /**
     * Deletes every event recorded before {@code cutoff}, of all artifacts, deleted or not, in
     * batches of a few thousand rows, each its own transaction, so that writers never wait long.
     *
     * @return how many events were deleted
     */
    long prune(Instant cutoff);
}

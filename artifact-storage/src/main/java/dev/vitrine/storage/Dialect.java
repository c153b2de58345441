package dev.vitrine.storage;

import java.util.Optional;

/**
 * What differs between the databases the store runs on. Queries are the same portable SQL on
 * every dialect; only what cannot be said portably lives here, so adding a dialect means
 * adding a constant and a script folder, not a second store.
 */
enum Dialect {

    /**
     * Embedded SQLite. Writers are serialised by {@code BEGIN IMMEDIATE} (set on the connection
     * pool), which takes the database write lock up front, so nothing needs a lock of its own:
     * while one writer is inside, no other can be.
     */
    SQLITE("sqlite", Optional.empty(), Optional.empty(), Optional.empty(), "", ""),

    /**
     * PostgreSQL shared by many nodes, with three kinds of lock, all held to the end of the
     * transaction.
     *
     * <p>Nodes starting together would race to create the same tables; an advisory lock makes
     * them migrate one after the other. Its key is the ASCII bytes of "vitrine" read as a
     * number, to stay clear of other applications' advisory locks in a shared database.
     *
     * <p>Storage writers of one artifact take a shared advisory lock on it, and deleting the
     * artifact takes the exclusive one. Row locks could not do this: a writer's foreign keys
     * hold the artifact row {@code FOR KEY SHARE}, and share lockers that overlap one another
     * can keep a waiting {@code DELETE} out for as long as writes keep coming (measured: over
     * 20 seconds with eight busy writers). The lock manager queues a shared request behind a
     * waiting exclusive one, so a delete waits only for the writes already running. The two-key
     * form, with "vitr" as the first key, has a key space apart from the migration lock's.
     *
     * <p>Writers of one storage scope queue on its usage row with {@code FOR UPDATE}. Writers of
     * an artifact's violation count queue on the artifact row with {@code FOR NO KEY UPDATE},
     * which, unlike {@code FOR UPDATE}, does not wait for storage writers holding the row
     * {@code FOR KEY SHARE} through their foreign keys.
     */
    POSTGRESQL("postgresql",
            Optional.of("SELECT pg_advisory_xact_lock(33329996108492389)"),
            Optional.of("SELECT pg_advisory_xact_lock_shared(1986622578, ?)"),
            Optional.of("SELECT pg_advisory_xact_lock(1986622578, ?)"),
            " FOR UPDATE",
            " FOR NO KEY UPDATE");

    private final String scriptFolder;
    private final Optional<String> migrationLock;
    private final Optional<String> artifactWriteLock;
    private final Optional<String> artifactDeleteLock;
    private final String lockRowClause;
    private final String lockArtifactRowClause;

    Dialect(String scriptFolder, Optional<String> migrationLock, Optional<String> artifactWriteLock,
            Optional<String> artifactDeleteLock, String lockRowClause, String lockArtifactRowClause) {
        this.scriptFolder = scriptFolder;
        this.migrationLock = migrationLock;
        this.artifactWriteLock = artifactWriteLock;
        this.artifactDeleteLock = artifactDeleteLock;
        this.lockRowClause = lockRowClause;
        this.lockArtifactRowClause = lockArtifactRowClause;
    }

    /** Classpath location of this dialect's script for one migration. */
    String migrationScript(int version, String description) {
        return "/dev/vitrine/storage/migrations/" + scriptFolder + "/V" + version + "__" + description + ".sql";
    }

    /** Statement that, run first in the migration transaction, keeps other migrators out. */
    Optional<String> migrationLock() {
        return migrationLock;
    }

    /**
     * Statement, with {@link #artifactLockKey} as its parameter, that a storage write runs first:
     * any number of writers may hold it at once, but not while the artifact is being deleted.
     */
    Optional<String> artifactWriteLock() {
        return artifactWriteLock;
    }

    /**
     * Statement, with {@link #artifactLockKey} as its parameter, that deleting an artifact runs
     * first: it waits for the storage writes of the artifact under way, and keeps new ones out.
     */
    Optional<String> artifactDeleteLock() {
        return artifactDeleteLock;
    }

    /**
     * Appended to a {@code SELECT} in a write transaction: locks the selected rows until the
     * transaction ends, so other writers of them wait, and then read what this one committed.
     */
    String lockRowClause() {
        return lockRowClause;
    }

    /**
     * Appended to a {@code SELECT} of an artifact row in a write transaction: keeps the artifact
     * from being deleted and other such lockers out until the transaction ends, without waiting
     * for storage writes.
     */
    String lockArtifactRowClause() {
        return lockArtifactRowClause;
    }

    /**
     * The advisory lock key of an artifact. Two artifacts may share a key (it has 32 bits); that
     * costs a delete of one a wait for the other's writes, never correctness.
     */
    static int artifactLockKey(ArtifactId artifact) {
        return artifact.value().hashCode();
    }
}

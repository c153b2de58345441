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
     * pool), which takes the database write lock up front, so migrations need no extra lock.
     */
    SQLITE("sqlite", Optional.empty()),

    /**
     * PostgreSQL shared by many nodes. Nodes starting together would race to create the same
     * tables; a transaction-scoped advisory lock makes them migrate one after the other. The
     * key is the ASCII bytes of "vitrine" read as a number, to stay clear of other
     * applications' advisory locks in a shared database.
     */
    POSTGRESQL("postgresql", Optional.of("SELECT pg_advisory_xact_lock(33329996108492389)"));

    private final String scriptFolder;
    private final Optional<String> migrationLock;

    Dialect(String scriptFolder, Optional<String> migrationLock) {
        this.scriptFolder = scriptFolder;
        this.migrationLock = migrationLock;
    }

    /** Classpath location of this dialect's script for one migration. */
    String migrationScript(int version, String description) {
        return "/dev/vitrine/storage/migrations/" + scriptFolder + "/V" + version + "__" + description + ".sql";
    }

    /** Statement that, run first in the migration transaction, keeps other migrators out. */
    Optional<String> migrationLock() {
        return migrationLock;
    }
}

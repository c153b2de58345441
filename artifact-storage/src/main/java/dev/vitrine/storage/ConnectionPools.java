package dev.vitrine.storage;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * Sets up the one connection pool a {@link Storage} shares between its artifact store, its
 * key-value store and its secrets, configured for each database.
 */
final class ConnectionPools {

    /**
     * SQLite lets one writer in at a time however many connections there are; in WAL mode
     * readers do not wait for it. A few connections let reads overlap a write; more would
     * only queue on the write lock instead of in the pool.
     */
    private static final int SQLITE_POOL_SIZE = 4;

    /**
     * Several nodes share one PostgreSQL server, whose connections are costly processes
     * counted against its max_connections (100 by default). Ten per busy node (HikariCP's
     * default) serves short transactions well; an idle node keeps only two open.
     */
    private static final int POSTGRESQL_POOL_SIZE = 10;
    private static final int POSTGRESQL_MINIMUM_IDLE = 2;

    /** How long a SQLite writer waits for the write lock before failing. */
    private static final int SQLITE_BUSY_TIMEOUT_MILLIS = 5_000;

    private ConnectionPools() {
    }

    static HikariDataSource open(Dialect dialect, StorageSettings settings) {
        return switch (dialect) {
            case SQLITE -> sqlite(settings.dataDirectory());
            case POSTGRESQL -> postgresql(settings.jdbcUrl().orElseThrow());
        };
    }

    static HikariDataSource sqlite(Path dataDirectory) {
        try {
            Files.createDirectories(dataDirectory);
        } catch (IOException e) {
            throw new StorageException("create data directory " + dataDirectory + " failed", e);
        }
        Path file = dataDirectory.resolve(ArtifactStores.SQLITE_FILE_NAME);

        // SQLiteConfig applies these pragmas to every connection it opens, so no pooled
        // connection can miss one: foreign_keys in particular is per connection, and without
        // it ON DELETE CASCADE silently does nothing.
        SQLiteConfig sqlite = new SQLiteConfig();
        sqlite.setJournalMode(SQLiteConfig.JournalMode.WAL);
        // In WAL mode NORMAL cannot corrupt the database; a power cut may lose only the last
        // commits, and it saves an fsync per transaction.
        sqlite.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
        sqlite.setBusyTimeout(SQLITE_BUSY_TIMEOUT_MILLIS);
        sqlite.enforceForeignKeys(true);
        // A deferred transaction that reads and then writes must upgrade its lock; if another
        // writer got in first, SQLite fails it at once with SQLITE_BUSY (waiting cannot make
        // its snapshot current, so busy_timeout does not apply). IMMEDIATE takes the write
        // lock at BEGIN, where busy_timeout does make it wait its turn. It is also what makes
        // a storage quota check and the write it allows one indivisible step.
        sqlite.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
        SQLiteDataSource dataSource = new SQLiteDataSource(sqlite);
        dataSource.setUrl("jdbc:sqlite:" + file.toAbsolutePath());

        HikariConfig config = new HikariConfig();
        config.setPoolName("vitrine-sqlite");
        config.setDataSource(dataSource);
        config.setMaximumPoolSize(SQLITE_POOL_SIZE);
        config.setAutoCommit(true);
        try {
            return new HikariDataSource(config);
        } catch (RuntimeException e) {
            throw new StorageException("open SQLite database " + file + " failed", e);
        }
    }

    private static HikariDataSource postgresql(String jdbcUrl) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("vitrine-postgresql");
        config.setJdbcUrl(jdbcUrl);
        config.setMaximumPoolSize(POSTGRESQL_POOL_SIZE);
        config.setMinimumIdle(POSTGRESQL_MINIMUM_IDLE);
        config.setAutoCommit(true);
        // The storage quota locks a scope's usage row and then reads the scope's entries. Under
        // READ COMMITTED each statement after the lock sees what the previous lock holder
        // committed; under REPEATABLE READ or SERIALIZABLE (a database's default can be either)
        // the waiting writer would fail with a serialization error instead. So it is pinned.
        config.setTransactionIsolation("TRANSACTION_READ_COMMITTED");
        try {
            return new HikariDataSource(config);
        } catch (RuntimeException e) {
            throw new StorageException("open PostgreSQL database "
                    + StorageSettings.withoutCredentials(jdbcUrl) + " failed", e);
        }
    }
}

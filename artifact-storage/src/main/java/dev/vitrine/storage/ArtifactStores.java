package dev.vitrine.storage;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Objects;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * Opens the {@link ArtifactStore} that {@link StorageSettings} describe: connects, brings the
 * schema up to date, and hands back a store that owns its connection pool.
 *
 * <pre>{@code
 * try (ArtifactStore store = ArtifactStores.open(
 *         StorageSettings.embedded(Path.of("data")), Clock.systemUTC(), new SecureRandom())) {
 *     store.create(ArtifactType.MARKDOWN, "Notes", "# Hello");
 * }
 * }</pre>
 */
public final class ArtifactStores {

    /** File name of the embedded database inside {@link StorageSettings#dataDirectory()}. */
    public static final String SQLITE_FILE_NAME = "vitrine.db";

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

    private ArtifactStores() {
    }

    /**
     * Opens a store: embedded SQLite at {@code <dataDirectory>/vitrine.db} when
     * {@code settings.jdbcUrl()} is empty (creating the directory if missing), otherwise
     * PostgreSQL. Missing schema migrations are applied before this returns.
     *
     * @param clock  source of the created/updated timestamps
     * @param random source of artifact ids
     * @throws StorageException if the database cannot be opened or migrated
     */
    public static ArtifactStore open(StorageSettings settings, Clock clock, SecureRandom random) {
        Objects.requireNonNull(settings, "settings must not be null");
        Objects.requireNonNull(clock, "clock must not be null");
        Objects.requireNonNull(random, "random must not be null");
        Dialect dialect = settings.jdbcUrl().isPresent() ? Dialect.POSTGRESQL : Dialect.SQLITE;
        HikariDataSource pool = switch (dialect) {
            case SQLITE -> sqlitePool(settings.dataDirectory());
            case POSTGRESQL -> postgresqlPool(settings.jdbcUrl().orElseThrow());
        };
        try {
            SchemaMigrations.apply(pool, dialect, clock);
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
        return new JdbcArtifactStore(pool, clock, random);
    }

    static HikariDataSource sqlitePool(Path dataDirectory) {
        try {
            Files.createDirectories(dataDirectory);
        } catch (IOException e) {
            throw new StorageException("create data directory " + dataDirectory + " failed", e);
        }
        Path file = dataDirectory.resolve(SQLITE_FILE_NAME);

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
        // lock at BEGIN, where busy_timeout does make it wait its turn.
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

    private static HikariDataSource postgresqlPool(String jdbcUrl) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("vitrine-postgresql");
        config.setJdbcUrl(jdbcUrl);
        config.setMaximumPoolSize(POSTGRESQL_POOL_SIZE);
        config.setMinimumIdle(POSTGRESQL_MINIMUM_IDLE);
        config.setAutoCommit(true);
        try {
            return new HikariDataSource(config);
        } catch (RuntimeException e) {
            throw new StorageException("open PostgreSQL database "
                    + StorageSettings.withoutCredentials(jdbcUrl) + " failed", e);
        }
    }
}

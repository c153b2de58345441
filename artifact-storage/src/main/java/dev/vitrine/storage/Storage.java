package dev.vitrine.storage;

import com.zaxxer.hikari.HikariDataSource;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything Vitrine keeps in its database, behind one connection pool: artifacts and their
 * versions ({@link #artifacts()}), each artifact's {@code window.storage} ({@link #values()}),
 * each artifact's audit trail ({@link #audit()}), and secrets all nodes share ({@link #secret}). Embedded SQLite when
 * {@link StorageSettings#jdbcUrl()} is empty, PostgreSQL otherwise; several processes may open
 * the same PostgreSQL database (or the same SQLite file) and stay consistent.
 *
 * <pre>{@code
 * try (Storage storage = Storage.open(StorageSettings.embedded(Path.of("data")),
 *         StorageLimits.defaults(), Clock.systemUTC(), new SecureRandom())) {
 *     Artifact todo = storage.artifacts().create(ArtifactType.HTML, "Todo", html);
 *     ViewerId alice = new ViewerId("alice");
 *     storage.values().set(StorageScope.personal(todo.id(), alice), "items", "[]", new Writer(alice, 1));
 *     byte[] tokenKey = storage.secret("viewer-tokens", 32); // the same on every node
 * }
 * }</pre>
 */
public final class Storage implements AutoCloseable {

    /**
     * Heap the read cache may fill, roughly: room for a dozen values of the default 5 MiB
     * limit, or many thousands of the small ones artifacts mostly store.
     */
    static final long CACHE_BYTES = 64L * 1024 * 1024;

    private final HikariDataSource pool;
    private final StorageLimits limits;
    private final JdbcArtifactStore artifacts;
    private final JdbcKeyValueStore values;
    private final JdbcAuditLog audit;
    private final JdbcPartialVersionStore partials;
    private final ServerSecrets secrets;
    private final Optional<LiveEventLog> liveEvents;

    private Storage(HikariDataSource pool, StorageSettings settings, Dialect dialect, StorageLimits limits, Clock clock,
                    SecureRandom random) {
        Transactions transactions = new Transactions(pool, dialect == Dialect.SQLITE);
        this.pool = pool;
        this.limits = limits;
        this.artifacts = new JdbcArtifactStore(transactions, dialect, this::close, clock, random);
        this.values = new JdbcKeyValueStore(transactions, dialect, limits, clock, CACHE_BYTES);
        this.audit = new JdbcAuditLog(transactions, dialect, clock);
        this.partials = new JdbcPartialVersionStore(transactions, dialect, clock);
        this.secrets = new ServerSecrets(transactions, clock, random);
        this.liveEvents = settings.jdbcUrl().map(url -> new PostgresLiveEventLog(transactions, url, clock));
    }

    /**
     * Connects to the database {@code settings} describe (creating the SQLite data directory if
     * missing) and applies missing schema migrations before returning.
     *
     * @param limits what each storage scope may hold
     * @param clock  source of every stored timestamp
     * @param random source of artifact ids and new secrets
     * @throws StorageException if the database cannot be opened or migrated
     */
    public static Storage open(StorageSettings settings, StorageLimits limits, Clock clock, SecureRandom random) {
        Objects.requireNonNull(settings, "settings must not be null");
        Objects.requireNonNull(limits, "limits must not be null");
        Objects.requireNonNull(clock, "clock must not be null");
        Objects.requireNonNull(random, "random must not be null");
        Dialect dialect = settings.jdbcUrl().isPresent() ? Dialect.POSTGRESQL : Dialect.SQLITE;
        HikariDataSource pool = ConnectionPools.open(dialect, settings);
        try {
            SchemaMigrations.apply(pool, dialect, clock);
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
        return new Storage(pool, settings, dialect, limits, clock, random);
    }

    /**
     * Artifacts and their versions. It shares this storage's pool: closing it closes this
     * storage, as {@link #close()} does.
     */
    public ArtifactStore artifacts() {
        return artifacts;
    }

    /** Each artifact's key-value storage, held to {@link #limits()}. */
    public KeyValueStore values() {
        return values;
    }

    /**
     * Each artifact's append-only audit trail: what {@link #artifacts()} and {@link #values()}
     * changed, plus rejected content and reported CSP violations.
     */
    public AuditLog audit() {
        return audit;
    }

    /**
     * Streamed text that did not become a version, kept apart from {@link #artifacts()}'
     * versions (see {@link PartialVersionStore} for why).
     */
    public PartialVersionStore partials() {
        return partials;
    }

    /**
     * The live events the nodes on this database share, on PostgreSQL; empty on SQLite, where
     * the server is one node.
     */
    public Optional<LiveEventLog> liveEvents() {
        return liveEvents;
    }

    /** The limits {@link #values()} enforces. */
    public StorageLimits limits() {
        return limits;
    }

    /**
     * Returns the secret called {@code name}, creating it from {@code random} the first time any
     * node asks. Concurrent first calls, from this process or others on the same database, all
     * get the same bytes. The secret is stored in the database in the clear: whoever can read
     * the database can read it.
     *
     * @param name   1 to 64 characters from {@code [a-z0-9._-]}, such as {@code "viewer-tokens"}
     * @param length bytes, 16 to 1024; must be the same every time a name is asked for
     * @throws IllegalArgumentException if the name or length is invalid, or the secret exists
     *         with another length
     * @throws StorageException         if the database fails
     */
    public byte[] secret(String name, int length) {
        return secrets.secret(name, length);
    }

    /** Releases the connection pool. Further calls of any store fail with {@link StorageException}. */
    @Override
    public void close() {
        values.clearCache();
        pool.close();
    }

    /** The key-value store's implementation, for tests that count database reads. */
    JdbcKeyValueStore jdbcValues() {
        return values;
    }
}

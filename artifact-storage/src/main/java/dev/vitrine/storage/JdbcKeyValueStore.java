package dev.vitrine.storage;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The one {@link KeyValueStore} implementation, for every dialect.
 *
 * <p><b>Limits under concurrency.</b> Each scope has a row in {@code storage_usage} with its
 * byte and key totals. Every write locks that row before it reads anything else of the scope,
 * computes the scope's size after the write from the locked totals, and either refuses (the
 * transaction is rolled back, nothing changed) or writes the entry, the new totals and the
 * audit event, and commits. Writers of one scope thus take turns, each seeing what the
 * previous one committed, on one node or many: SQLite lets one writer in at a time anyway
 * ({@code BEGIN IMMEDIATE}), and PostgreSQL queues them on {@code SELECT … FOR UPDATE}. Before
 * that, a writer takes its artifact's shared write lock ({@link Dialect#artifactWriteLock()}),
 * so deleting the artifact waits for the writes under way and then goes first, instead of
 * deadlocking with them or being held off by a steady stream of them.
 *
 * <p><b>Read cache.</b> Values are cached with the generation of their scope, a number every
 * write bumps in the same transaction. A read first fetches the scope's current generation (one
 * small row by primary key) and uses the cached value only if the generations match; otherwise
 * it reads the value and caches it with the generation it fetched first. The value was read
 * after that generation, so it is at least as new as the generation says; at worst a value is
 * tagged older than it is, which costs one more read, never a stale answer. This holds when
 * other processes write the same database: their commits move the generation every node checks.
 */
final class JdbcKeyValueStore implements KeyValueStore {

    /** Cached values are weighed as two bytes per character: the worst case of Java's strings. */
    private static final int BYTES_PER_CACHED_CHAR = 2;
    /** Per-entry bookkeeping (map node, records, key), roughly, so empty values weigh something. */
    private static final int CACHE_ENTRY_OVERHEAD_BYTES = 128;

    private record CacheKey(ArtifactId artifact, String owner, String key) {
        CacheKey(StorageScope scope, String key) {
            this(scope.artifact(), scope.owner(), key);
        }
    }

    /** A value, or its absence, as of one generation of its scope. */
    private record CachedValue(Optional<String> value, long generation) {
    }

    /** A scope's usage row, as read under its lock. */
    private record ScopeTotals(long bytes, int keys, long generation) {
    }

    private final Transactions transactions;
    private final Dialect dialect;
    private final StorageLimits limits;
    private final Clock clock;
    private final Cache<CacheKey, CachedValue> cache;
    private final LongAdder valueReads = new LongAdder();

    /** @param cacheBytes roughly how much heap cached values may take */
    JdbcKeyValueStore(Transactions transactions, Dialect dialect, StorageLimits limits, Clock clock, long cacheBytes) {
        this.transactions = transactions;
        this.dialect = dialect;
        this.limits = limits;
        this.clock = clock;
        this.cache = Caffeine.newBuilder()
                .maximumWeight(cacheBytes)
                .weigher(JdbcKeyValueStore::weigh)
                .build();
    }

    @Override
    public Optional<String> get(StorageScope scope, String key) {
        requireArgument(scope, "scope");
        StorageKeys.requireValid(key);
        CacheKey cacheKey = new CacheKey(scope, key);
        return transactions.read("read key " + UntrustedText.quote(key) + " of " + scope, connection -> {
            OptionalLong generation = generation(connection, scope);
            if (generation.isEmpty()) {
                return Optional.empty(); // never written, or the artifact is gone
            }
            CachedValue cached = cache.getIfPresent(cacheKey);
            if (cached != null && cached.generation() == generation.getAsLong()) {
                return cached.value();
            }
            Optional<String> value = readValue(connection, scope, key);
            remember(cacheKey, new CachedValue(value, generation.getAsLong()));
            return value;
        });
    }

    @Override
    public void set(StorageScope scope, String key, String value, Writer writer) {
        requireArgument(scope, "scope");
        StorageKeys.requireValid(key);
        requireArgument(value, "value");
        requireWriterMayWrite(scope, writer);
        long entryBytes = key.getBytes(StandardCharsets.UTF_8).length
                + StorageValues.requireValid(value, limits.maxValueBytes());
        Instant now = now();
        long generation = transactions.write("set key " + UntrustedText.quote(key) + " in " + scope, connection -> {
            takeArtifactWriteLock(connection, scope.artifact());
            ScopeTotals before = lockOrCreateTotals(connection, scope).orElseThrow(() -> new NoSuchArtifactException(scope.artifact()));
            OptionalLong replaced = entryBytes(connection, scope, key);
            ScopeTotals after = new ScopeTotals(
                    before.bytes() - replaced.orElse(0) + entryBytes,
                    before.keys() + (replaced.isPresent() ? 0 : 1),
                    before.generation() + 1);
            requireWithinLimits(key, before, after);
            if (replaced.isPresent()) {
                updateEntry(connection, scope, key, value, entryBytes, now);
            } else {
                insertEntry(connection, scope, key, value, entryBytes, now);
            }
            updateTotals(connection, scope, after);
            JdbcAuditLog.append(connection, scope.artifact(), OptionalInt.of(writer.artifactVersion()), now,
                    new AuditDetail.StorageWrite(writer.viewer(), scope.shared(), AuditDetail.StorageWrite.Operation.SET,
                            key, entryBytes));
            return after.generation();
        });
        remember(new CacheKey(scope, key), new CachedValue(Optional.of(value), generation));
    }

    @Override
    public boolean delete(StorageScope scope, String key, Writer writer) {
        requireArgument(scope, "scope");
        StorageKeys.requireValid(key);
        requireWriterMayWrite(scope, writer);
        Instant now = now();
        OptionalLong generation = transactions.write("delete key " + UntrustedText.quote(key) + " from " + scope,
                connection -> {
                    takeArtifactWriteLock(connection, scope.artifact());
                    Optional<ScopeTotals> before = lockTotals(connection, scope);
                    if (before.isEmpty()) {
                        return OptionalLong.empty(); // nothing was ever written to this scope, or the artifact is gone
                    }
                    OptionalLong freed = deleteEntry(connection, scope, key);
                    if (freed.isEmpty()) {
                        return OptionalLong.empty();
                    }
                    ScopeTotals after = new ScopeTotals(before.get().bytes() - freed.getAsLong(),
                            before.get().keys() - 1, before.get().generation() + 1);
                    updateTotals(connection, scope, after);
                    JdbcAuditLog.append(connection, scope.artifact(), OptionalInt.of(writer.artifactVersion()), now,
                            new AuditDetail.StorageWrite(writer.viewer(), scope.shared(),
                                    AuditDetail.StorageWrite.Operation.DELETE, key, freed.getAsLong()));
                    return OptionalLong.of(after.generation());
                });
        generation.ifPresent(deletedAt -> remember(new CacheKey(scope, key), new CachedValue(Optional.empty(), deletedAt)));
        return generation.isPresent();
    }

    @Override
    public List<String> keys(StorageScope scope, String prefix) {
        requireArgument(scope, "scope");
        StorageKeys.requireValidPrefix(prefix);
        // substr and length count code points in both databases, as codePointCount does here.
        // Not LIKE: SQLite's LIKE ignores ASCII case, and '%' and '_' would need escaping.
        String sql = "SELECT key FROM storage_entries WHERE artifact_id = ? AND scope_owner = ?"
                + (prefix.isEmpty() ? "" : " AND key >= ? AND substr(key, 1, ?) = ?")
                + " ORDER BY key";
        return transactions.read("list keys of " + scope, connection -> {
            try (PreparedStatement select = connection.prepareStatement(sql)) {
                select.setString(1, scope.artifact().value());
                select.setString(2, scope.owner());
                if (!prefix.isEmpty()) {
                    select.setString(3, prefix);
                    select.setInt(4, prefix.codePointCount(0, prefix.length()));
                    select.setString(5, prefix);
                }
                try (ResultSet rows = select.executeQuery()) {
                    List<String> keys = new ArrayList<>();
                    while (rows.next()) {
                        keys.add(rows.getString(1));
                    }
                    return List.copyOf(keys);
                }
            }
        });
    }

    /**
     * One statement, so totals and key names come from one snapshot on either database. The
     * artifact row is the outer side of the join: no row at all means no artifact, one row with
     * nulls means an artifact with no storage yet.
     */
    @Override
    public ArtifactUsage usage(ArtifactId artifact) {
        requireArgument(artifact, "artifact");
        return transactions.read("read storage usage of artifact " + artifact, connection -> {
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT u.scope_owner, u.bytes, u.keys, e.key FROM artifacts a"
                            + " LEFT JOIN storage_usage u ON u.artifact_id = a.id"
                            + " LEFT JOIN storage_entries e ON e.artifact_id = u.artifact_id AND e.scope_owner = u.scope_owner"
                            + " WHERE a.id = ? ORDER BY u.scope_owner, e.key")) {
                select.setString(1, artifact.value());
                try (ResultSet rows = select.executeQuery()) {
                    if (!rows.next()) {
                        throw new NoSuchArtifactException(artifact);
                    }
                    return new ArtifactUsage(artifact, limits, scopes(rows));
                }
            }
        });
    }

    /** How many times a value was read from the database rather than the cache; for tests. */
    long valueReads() {
        return valueReads.sum();
    }

    /** Forgets every cached value, as when the store closes. */
    void clearCache() {
        cache.invalidateAll();
    }

    /**
     * A write that does not grow the scope is always let through, so that a scope left over a
     * lowered limit can still be cleaned up by replacing values with smaller ones.
     */
    private void requireWithinLimits(String key, ScopeTotals before, ScopeTotals after) {
        if (after.keys() > before.keys() && after.keys() > limits.maxKeysPerScope()) {
            throw new StorageRejectedException(StorageRejectedException.TOO_MANY_KEYS,
                    "adding key " + UntrustedText.quote(key) + " would make the scope hold " + after.keys()
                            + " keys; the limit is " + limits.maxKeysPerScope() + " keys per scope");
        }
        if (after.bytes() > before.bytes() && after.bytes() > limits.maxScopeBytes()) {
            throw new StorageRejectedException(StorageRejectedException.QUOTA_EXCEEDED,
                    "setting key " + UntrustedText.quote(key) + " would make the scope " + after.bytes()
                            + " bytes; the limit is " + limits.maxScopeBytes() + " bytes per scope"
                            + " (UTF-8 bytes of every key and value; the scope holds " + before.bytes() + " now)");
        }
    }

    private static void requireWriterMayWrite(StorageScope scope, Writer writer) {
        requireArgument(writer, "writer");
        // The server builds both from one viewer token; a mismatch is a bug that would let one
        // viewer write another's personal data, so it fails loudly instead of being recorded.
        if (!scope.shared() && !scope.viewer().orElseThrow().equals(writer.viewer())) {
            throw new IllegalArgumentException("writer " + writer.viewer() + " may not write the " + scope
                    + "; a viewer writes only their own personal scope and the shared one");
        }
    }

    /**
     * Takes the artifact's write lock where the database has one (see
     * {@link Dialect#artifactWriteLock()}), so the artifact cannot be deleted until this
     * transaction ends. Deleting an artifact deletes its usage rows, so once the lock is held a
     * usage row means a live artifact.
     */
    private void takeArtifactWriteLock(Connection connection, ArtifactId artifact) throws SQLException {
        if (dialect.artifactWriteLock().isPresent()) {
            try (PreparedStatement lock = connection.prepareStatement(dialect.artifactWriteLock().get())) {
                lock.setInt(1, Dialect.artifactLockKey(artifact));
                lock.execute();
            }
        }
    }

    /**
     * Locks the scope's usage row and returns its totals, creating it at zero on the scope's
     * first write; empty if the artifact does not exist. One statement: writers of a new scope
     * race to insert the row, the primary key lets exactly one do it, and the others update it
     * in place (a no-op that takes its lock), so every writer ends up holding the row lock.
     */
    private static Optional<ScopeTotals> lockOrCreateTotals(Connection connection, StorageScope scope) throws SQLException {
        try (PreparedStatement upsert = connection.prepareStatement(
                "INSERT INTO storage_usage (artifact_id, scope_owner, bytes, keys, generation)"
                        + " SELECT ?, ?, 0, 0, 0 WHERE EXISTS (SELECT 1 FROM artifacts WHERE id = ?)"
                        + " ON CONFLICT (artifact_id, scope_owner) DO UPDATE SET generation = storage_usage.generation"
                        + " RETURNING bytes, keys, generation")) {
            upsert.setString(1, scope.artifact().value());
            upsert.setString(2, scope.owner());
            upsert.setString(3, scope.artifact().value());
            try (ResultSet rows = upsert.executeQuery()) {
                return rows.next()
                        ? Optional.of(new ScopeTotals(rows.getLong(1), rows.getInt(2), rows.getLong(3)))
                        : Optional.empty();
            }
        }
    }

    private Optional<ScopeTotals> lockTotals(Connection connection, StorageScope scope) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT bytes, keys, generation FROM storage_usage WHERE artifact_id = ? AND scope_owner = ?"
                        + dialect.lockRowClause())) {
            select.setString(1, scope.artifact().value());
            select.setString(2, scope.owner());
            try (ResultSet rows = select.executeQuery()) {
                return rows.next()
                        ? Optional.of(new ScopeTotals(rows.getLong(1), rows.getInt(2), rows.getLong(3)))
                        : Optional.empty();
            }
        }
    }

    private static OptionalLong generation(Connection connection, StorageScope scope) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT generation FROM storage_usage WHERE artifact_id = ? AND scope_owner = ?")) {
            select.setString(1, scope.artifact().value());
            select.setString(2, scope.owner());
            try (ResultSet rows = select.executeQuery()) {
                return rows.next() ? OptionalLong.of(rows.getLong(1)) : OptionalLong.empty();
            }
        }
    }

    private Optional<String> readValue(Connection connection, StorageScope scope, String key) throws SQLException {
        valueReads.increment();
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT value FROM storage_entries WHERE artifact_id = ? AND scope_owner = ? AND key = ?")) {
            bindEntry(select, scope, key);
            try (ResultSet rows = select.executeQuery()) {
                return rows.next() ? Optional.of(rows.getString(1)) : Optional.empty();
            }
        }
    }

    private static OptionalLong entryBytes(Connection connection, StorageScope scope, String key) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT bytes FROM storage_entries WHERE artifact_id = ? AND scope_owner = ? AND key = ?")) {
            bindEntry(select, scope, key);
            try (ResultSet rows = select.executeQuery()) {
                return rows.next() ? OptionalLong.of(rows.getLong(1)) : OptionalLong.empty();
            }
        }
    }

    private static void insertEntry(Connection connection, StorageScope scope, String key, String value,
            long bytes, Instant now) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO storage_entries (artifact_id, scope_owner, key, value, bytes, updated_at)"
                        + " VALUES (?, ?, ?, ?, ?, ?)")) {
            bindEntry(insert, scope, key);
            insert.setString(4, value);
            insert.setLong(5, bytes);
            insert.setLong(6, now.toEpochMilli());
            insert.executeUpdate();
        }
    }

    private static void updateEntry(Connection connection, StorageScope scope, String key, String value,
            long bytes, Instant now) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement(
                "UPDATE storage_entries SET value = ?, bytes = ?, updated_at = ?"
                        + " WHERE artifact_id = ? AND scope_owner = ? AND key = ?")) {
            update.setString(1, value);
            update.setLong(2, bytes);
            update.setLong(3, now.toEpochMilli());
            update.setString(4, scope.artifact().value());
            update.setString(5, scope.owner());
            update.setString(6, key);
            update.executeUpdate();
        }
    }

    /** Returns the bytes the deleted entry used, or empty if there was none. */
    private static OptionalLong deleteEntry(Connection connection, StorageScope scope, String key) throws SQLException {
        try (PreparedStatement delete = connection.prepareStatement(
                "DELETE FROM storage_entries WHERE artifact_id = ? AND scope_owner = ? AND key = ? RETURNING bytes")) {
            bindEntry(delete, scope, key);
            try (ResultSet rows = delete.executeQuery()) {
                return rows.next() ? OptionalLong.of(rows.getLong(1)) : OptionalLong.empty();
            }
        }
    }

    private static void updateTotals(Connection connection, StorageScope scope, ScopeTotals totals) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement(
                "UPDATE storage_usage SET bytes = ?, keys = ?, generation = ? WHERE artifact_id = ? AND scope_owner = ?")) {
            update.setLong(1, totals.bytes());
            update.setInt(2, totals.keys());
            update.setLong(3, totals.generation());
            update.setString(4, scope.artifact().value());
            update.setString(5, scope.owner());
            update.executeUpdate();
        }
    }

    private static void bindEntry(PreparedStatement statement, StorageScope scope, String key) throws SQLException {
        statement.setString(1, scope.artifact().value());
        statement.setString(2, scope.owner());
        statement.setString(3, key);
    }

    /** Groups the rows of {@link #usage}: the shared scope first, then personal scopes that hold keys. */
    private static List<ScopeUsage> scopes(ResultSet rows) throws SQLException {
        record Totals(long bytes, int keys, List<String> keyNames) {
        }
        Map<String, Totals> byOwner = new LinkedHashMap<>();
        do {
            String owner = rows.getString(1);
            if (owner == null) {
                continue; // the artifact has no storage rows yet
            }
            Totals totals = byOwner.get(owner);
            if (totals == null) {
                totals = new Totals(rows.getLong(2), rows.getInt(3), new ArrayList<>());
                byOwner.put(owner, totals);
            }
            String key = rows.getString(4);
            if (key != null) {
                totals.keyNames().add(key);
            }
        } while (rows.next());

        List<ScopeUsage> scopes = new ArrayList<>();
        Totals shared = byOwner.getOrDefault("", new Totals(0, 0, List.of()));
        scopes.add(new ScopeUsage(Optional.empty(), shared.bytes(), shared.keys(), shared.keyNames()));
        byOwner.forEach((owner, totals) -> {
            if (!owner.isEmpty() && totals.keys() > 0) {
                scopes.add(new ScopeUsage(Optional.of(viewer(owner)), totals.bytes(), totals.keys(), totals.keyNames()));
            }
        });
        return scopes;
    }

    private static ViewerId viewer(String stored) {
        try {
            return new ViewerId(stored);
        } catch (IllegalArgumentException e) {
            throw new StorageException("viewer id " + UntrustedText.quote(stored) + " in the database is not readable", e);
        }
    }

    /**
     * Keeps the newer of two entries for one key: a writer caching its value after commit may
     * arrive after a reader or writer that already cached a later generation.
     */
    private void remember(CacheKey key, CachedValue value) {
        cache.asMap().merge(key, value, (old, fresh) -> fresh.generation() >= old.generation() ? fresh : old);
    }

    private static int weigh(CacheKey key, CachedValue value) {
        long chars = key.key().length() + key.owner().length() + value.value().map(String::length).orElse(0);
        return (int) Math.min(Integer.MAX_VALUE, chars * BYTES_PER_CACHED_CHAR + CACHE_ENTRY_OVERHEAD_BYTES);
    }

    /** Stored instants have millisecond precision; truncating here makes audit events compare equal. */
    private Instant now() {
        return Instant.ofEpochMilli(clock.millis());
    }

    private static void requireArgument(Object value, String name) {
        if (value == null) {
            throw new IllegalArgumentException(name + " must not be null");
        }
    }
}

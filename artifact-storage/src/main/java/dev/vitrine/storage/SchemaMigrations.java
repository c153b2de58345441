package dev.vitrine.storage;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings a database's schema up to the version this build expects by running the scripts in
 * {@code src/main/resources/dev/vitrine/storage/migrations/<dialect>/}.
 *
 * <p>Each applied script leaves a row in {@code schema_version} with a checksum; running again
 * applies only what is missing, so opening a store twice is a no-op. All pending scripts run in
 * one transaction (both databases have transactional DDL), so a failed upgrade leaves the
 * previous schema intact. A database upgraded by a newer build, or a script edited after it
 * shipped, stops start-up instead of running against a schema nobody tested.
 */
final class SchemaMigrations {

    /** One schema change. Never edit or renumber a released one; add the next version instead. */
    record Migration(int version, String description) {
    }

    /** Every dialect has a script for every version, so the version means the same schema everywhere. */
    static final List<Migration> ALL = List.of(
            new Migration(1, "artifacts"),
            new Migration(2, "key_value_storage"),
            new Migration(3, "audit_log"),
            new Migration(4, "partial_versions"),
            new Migration(5, "live_events"));

    private static final Logger LOG = LoggerFactory.getLogger(SchemaMigrations.class);

    // Portable on purpose: it must exist before we know which scripts to run.
    private static final String CREATE_SCHEMA_VERSION = """
            CREATE TABLE IF NOT EXISTS schema_version (
                version     INTEGER NOT NULL PRIMARY KEY,
                description TEXT    NOT NULL,
                checksum    TEXT    NOT NULL,
                applied_at  BIGINT  NOT NULL
            )""";

    private SchemaMigrations() {
    }

    /**
     * Applies the missing migrations.
     *
     * @throws StorageException if the database fails, is newer than this build, or holds a
     *         migration whose script has changed since it was applied
     */
    static void apply(DataSource dataSource, Dialect dialect, Clock clock) {
        new Transactions(dataSource, false).write("migrate " + dialect + " schema", connection -> {
            applyInTransaction(connection, dialect, clock);
            return null;
        });
    }

    private static void applyInTransaction(Connection connection, Dialect dialect, Clock clock)
            throws SQLException {
        try (Statement statement = connection.createStatement()) {
            if (dialect.migrationLock().isPresent()) {
                statement.execute(dialect.migrationLock().get());
            }
            statement.execute(CREATE_SCHEMA_VERSION);
        }
        Map<Integer, String> applied = appliedChecksums(connection);
        int newestKnown = ALL.get(ALL.size() - 1).version();
        for (int version : applied.keySet()) {
            if (version > newestKnown) {
                throw new StorageException("database schema version " + version
                        + " is newer than this build supports (" + newestKnown
                        + "); upgrade Vitrine instead of running an older build against it");
            }
        }
        for (Migration migration : ALL) {
            String script = load(dialect, migration);
            String checksum = Sha256.hex(script);
            String appliedChecksum = applied.get(migration.version());
            if (appliedChecksum == null) {
                run(connection, script);
                markApplied(connection, migration, checksum, clock);
                LOG.info("applied {} migration V{} ({})", dialect, migration.version(), migration.description());
            } else if (!appliedChecksum.equals(checksum)) {
                throw new StorageException("migration V" + migration.version() + " ("
                        + migration.description() + ") changed after it was applied to this database;"
                        + " restore the released script and add the change as a new version");
            }
        }
    }

    private static Map<Integer, String> appliedChecksums(Connection connection) throws SQLException {
        Map<Integer, String> applied = new HashMap<>();
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT version, checksum FROM schema_version")) {
            while (rows.next()) {
                applied.put(rows.getInt(1), rows.getString(2));
            }
        }
        return applied;
    }

    private static void run(Connection connection, String script) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            for (String sql : statements(script)) {
                statement.execute(sql);
            }
        }
    }

    private static void markApplied(Connection connection, Migration migration, String checksum, Clock clock)
            throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO schema_version (version, description, checksum, applied_at) VALUES (?, ?, ?, ?)")) {
            insert.setInt(1, migration.version());
            insert.setString(2, migration.description());
            insert.setString(3, checksum);
            insert.setLong(4, clock.millis());
            insert.executeUpdate();
        }
    }

    /**
     * Loads a script with line endings normalised, so a checkout that turned LF into CRLF
     * does not look like an edited migration.
     */
    static String load(Dialect dialect, Migration migration) {
        String resource = dialect.migrationScript(migration.version(), migration.description());
        try (InputStream in = SchemaMigrations.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("migration script " + resource + " is missing from the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("\r\n", "\n");
        } catch (IOException e) {
            throw new StorageException("read migration script " + resource + " failed", e);
        }
    }

    /**
     * Splits a script into statements. JDBC drivers differ on several statements per
     * {@code execute} (sqlite-jdbc runs only the first), so scripts follow a simple rule that
     * needs no SQL parser: a statement ends with {@code ;} at the end of a line, and lines
     * starting with {@code --} are comments.
     */
    static List<String> statements(String script) {
        List<String> statements = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : script.split("\n")) {
            String trimmed = line.strip();
            if (trimmed.startsWith("--")) {
                continue;
            }
            current.append(line).append('\n');
            if (trimmed.endsWith(";")) {
                String sql = current.toString().strip();
                statements.add(sql.substring(0, sql.length() - 1).strip());
                current.setLength(0);
            }
        }
        if (!current.toString().isBlank()) {
            throw new IllegalStateException("migration script ends with a statement missing its ';': "
                    + current.toString().strip());
        }
        return statements;
    }
}

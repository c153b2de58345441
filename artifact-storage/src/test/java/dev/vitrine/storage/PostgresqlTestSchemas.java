package dev.vitrine.storage;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Throw-away schemas on the test PostgreSQL server, one set per test class. The server is
 * {@value #DEFAULT_URL} unless the environment variable {@value #URL_VARIABLE} names another.
 * An unreachable server fails the tests rather than skipping them: a skipped backend looks
 * green in CI while nothing was checked.
 *
 * <p>Each schema has a random name and is passed to the store with {@code currentSchema=}, so
 * concurrent builds against one server and leftovers of a crashed run cannot see each other's rows.
 */
final class PostgresqlTestSchemas {

    static final String URL_VARIABLE = "VITRINE_TEST_PG_URL";
    static final String DEFAULT_URL = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";

    /** Every table the migrations create apart from schema_version, for TRUNCATE. */
    static final String DATA_TABLES =
            "artifacts, artifact_versions, storage_entries, storage_usage, audit_events, server_secrets,"
                    + " partial_versions, live_events, live_event_heads";

    private static final String SERVER_URL = Optional.ofNullable(System.getenv(URL_VARIABLE))
            .filter(url -> !url.isBlank()).orElse(DEFAULT_URL);

    private final List<String> created = new CopyOnWriteArrayList<>();

    /** Creates a new empty schema and returns its name. */
    String create() {
        // Random, so two builds running against the same server never share a schema.
        byte[] suffix = new byte[6];
        ThreadLocalRandom.current().nextBytes(suffix);
        String name = "vitrine_test_" + HexFormat.of().formatHex(suffix);
        try (Connection admin = DriverManager.getConnection(SERVER_URL);
                Statement statement = admin.createStatement()) {
            statement.execute("CREATE SCHEMA " + name);
        } catch (SQLException e) {
            throw new AssertionError("PostgreSQL at " + StorageSettings.withoutCredentials(SERVER_URL)
                    + " is unreachable or refused CREATE SCHEMA (" + e.getMessage() + "); start it, or set "
                    + URL_VARIABLE + " to a jdbc:postgresql: URL of a server where this user may create schemas", e);
        }
        created.add(name);
        return name;
    }

    /** Drops every schema {@link #create()} made. */
    void dropAll() throws SQLException {
        if (created.isEmpty()) {
            return; // the server was unreachable; create() already failed the class
        }
        try (Connection admin = DriverManager.getConnection(SERVER_URL);
                Statement statement = admin.createStatement()) {
            for (String name : created) {
                statement.execute("DROP SCHEMA " + name + " CASCADE");
            }
        }
        created.clear();
    }

    static StorageSettings settings(String schema) {
        return new StorageSettings(Path.of("unused"), Optional.of(inSchema(schema)));
    }

    static Connection connect(String schema) throws SQLException {
        return DriverManager.getConnection(inSchema(schema));
    }

    /** Empties every table, for tests that expect an empty database in a schema their class shares. */
    static void emptyTables(String schema) throws SQLException {
        try (Connection connection = connect(schema);
                Statement statement = connection.createStatement()) {
            statement.execute("TRUNCATE " + DATA_TABLES);
        }
    }

    private static String inSchema(String name) {
        return SERVER_URL + (SERVER_URL.contains("?") ? "&" : "?") + "currentSchema=" + name;
    }
}

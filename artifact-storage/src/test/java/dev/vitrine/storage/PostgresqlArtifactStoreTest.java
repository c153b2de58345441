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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/**
 * The contract on PostgreSQL. The server is {@value #DEFAULT_URL} unless the environment
 * variable {@value #URL_VARIABLE} names another. An unreachable server fails these tests
 * rather than skipping them: a skipped backend looks green in CI while nothing was checked.
 *
 * <p>Each run of this class works in its own new schema (passed to the store with
 * {@code currentSchema=}) and drops it afterwards, so concurrent builds against one server
 * and leftovers of a crashed run cannot see each other's rows.
 */
class PostgresqlArtifactStoreTest extends ArtifactStoreContract {

    static final String URL_VARIABLE = "VITRINE_TEST_PG_URL";
    static final String DEFAULT_URL = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";

    private static String serverUrl;
    private static final List<String> schemas = new CopyOnWriteArrayList<>();
    private static String schema;

    @BeforeAll
    static void createSchema() {
        serverUrl = Optional.ofNullable(System.getenv(URL_VARIABLE)).filter(url -> !url.isBlank()).orElse(DEFAULT_URL);
        schema = newSchema();
    }

    @AfterAll
    static void dropSchemas() throws SQLException {
        if (schemas.isEmpty()) {
            return; // the server was unreachable; createSchema already failed the class
        }
        try (Connection admin = DriverManager.getConnection(serverUrl);
                Statement statement = admin.createStatement()) {
            for (String created : schemas) {
                statement.execute("DROP SCHEMA " + created + " CASCADE");
            }
        }
    }

    /** The contract's tests each expect an empty database; the schema is shared by the class. */
    @BeforeEach
    void emptyTables() throws SQLException {
        try (Connection connection = rawConnection();
                Statement statement = connection.createStatement()) {
            statement.execute("TRUNCATE artifacts, artifact_versions");
        }
    }

    @Override
    StorageSettings settings() {
        return postgresql(schema);
    }

    @Override
    StorageSettings freshSettings() {
        return postgresql(newSchema());
    }

    @Override
    Connection rawConnection() throws SQLException {
        return DriverManager.getConnection(inSchema(schema));
    }

    private static StorageSettings postgresql(String inSchema) {
        return new StorageSettings(Path.of("unused"), Optional.of(inSchema(inSchema)));
    }

    private static String inSchema(String name) {
        return serverUrl + (serverUrl.contains("?") ? "&" : "?") + "currentSchema=" + name;
    }

    private static String newSchema() {
        // Random, so two builds running against the same server never share a schema.
        byte[] suffix = new byte[6];
        ThreadLocalRandom.current().nextBytes(suffix);
        String name = "vitrine_test_" + HexFormat.of().formatHex(suffix);
        try (Connection admin = DriverManager.getConnection(serverUrl);
                Statement statement = admin.createStatement()) {
            statement.execute("CREATE SCHEMA " + name);
        } catch (SQLException e) {
            throw new AssertionError("PostgreSQL at " + StorageSettings.withoutCredentials(serverUrl)
                    + " is unreachable or refused CREATE SCHEMA (" + e.getMessage() + "); start it, or set "
                    + URL_VARIABLE + " to a jdbc:postgresql: URL of a server where this user may create schemas", e);
        }
        schemas.add(name);
        return name;
    }
}

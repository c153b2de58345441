package dev.vitrine.storage;

import java.sql.SQLException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The partial version contract on PostgreSQL, in a schema of its own (see {@link PostgresqlTestSchemas}). */
class PostgresqlPartialVersionStoreTest extends PartialVersionStoreContract {

    private static final PostgresqlTestSchemas schemas = new PostgresqlTestSchemas();
    private static String schema;

    @BeforeAll
    static void createSchema() {
        schema = schemas.create();
    }

    @AfterAll
    static void dropSchemas() throws SQLException {
        schemas.dropAll();
    }

    /** Each test expects an empty database; the schema is shared by the class. */
    @Override
    void emptyDatabase() throws SQLException {
        PostgresqlTestSchemas.emptyTables(schema);
    }

    @Override
    StorageSettings settings() {
        return PostgresqlTestSchemas.settings(schema);
    }
}

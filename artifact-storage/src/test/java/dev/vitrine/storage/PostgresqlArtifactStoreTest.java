package dev.vitrine.storage;

import java.sql.Connection;
import java.sql.SQLException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/**
 * The artifact store contract on PostgreSQL, in a schema of its own (see
 * {@link PostgresqlTestSchemas} for which server and why a missing one fails).
 */
class PostgresqlArtifactStoreTest extends ArtifactStoreContract {

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

    /** The contract's tests each expect an empty database; the schema is shared by the class. */
    @BeforeEach
    void emptyTables() throws SQLException {
        PostgresqlTestSchemas.emptyTables(schema);
    }

    @Override
    StorageSettings settings() {
        return PostgresqlTestSchemas.settings(schema);
    }

    @Override
    StorageSettings freshSettings() {
        return PostgresqlTestSchemas.settings(schemas.create());
    }

    @Override
    Connection rawConnection() throws SQLException {
        return PostgresqlTestSchemas.connect(schema);
    }
}

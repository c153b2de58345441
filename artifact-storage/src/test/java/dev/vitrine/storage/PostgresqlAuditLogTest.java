package dev.vitrine.storage;

import java.sql.Connection;
import java.sql.SQLException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The audit log contract on PostgreSQL, in a schema of its own (see {@link PostgresqlTestSchemas}). */
class PostgresqlAuditLogTest extends AuditLogContract {

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

    @Override
    StorageSettings settings() {
        return PostgresqlTestSchemas.settings(schema);
    }

    @Override
    Connection rawConnection() throws SQLException {
        return PostgresqlTestSchemas.connect(schema);
    }

    @Override
    void emptyDatabase() throws SQLException {
        PostgresqlTestSchemas.emptyTables(schema);
    }

    @Override
    Dialect dialect() {
        return Dialect.POSTGRESQL;
    }
}

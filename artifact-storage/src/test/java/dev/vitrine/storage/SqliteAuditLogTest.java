package dev.vitrine.storage;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import org.junit.jupiter.api.io.TempDir;

/** The audit log contract on embedded SQLite, with a new database file per test. */
class SqliteAuditLogTest extends AuditLogContract {

    @TempDir
    Path temporary;

    @Override
    StorageSettings settings() {
        return StorageSettings.embedded(temporary.resolve("data"));
    }

    @Override
    Connection rawConnection() throws SQLException {
        return DriverManager.getConnection("jdbc:sqlite:" + temporary.resolve("data").resolve(ArtifactStores.SQLITE_FILE_NAME));
    }

    @Override
    void emptyDatabase() {
        // A new @TempDir per test: the database was created empty just now.
    }

    @Override
    Dialect dialect() {
        return Dialect.SQLITE;
    }
}

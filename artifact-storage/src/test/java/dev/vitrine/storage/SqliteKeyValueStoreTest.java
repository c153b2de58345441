package dev.vitrine.storage;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import org.junit.jupiter.api.io.TempDir;

/**
 * The key-value contract on embedded SQLite. Each test gets a new database file; its
 * two-store tests open a second pool on the same file, as a second process would.
 */
class SqliteKeyValueStoreTest extends KeyValueStoreContract {

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
}

package dev.vitrine.storage;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The partial version contract on embedded SQLite, with a new database file per test. */
class SqlitePartialVersionStoreTest extends PartialVersionStoreContract {

    @TempDir
    Path temporary;

    @Override
    StorageSettings settings() {
        return StorageSettings.embedded(temporary.resolve("data"));
    }

    @Override
    void emptyDatabase() {
        // A new @TempDir per test: the database is created empty.
    }
}

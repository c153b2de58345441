package dev.vitrine.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The contract on embedded SQLite, plus what only SQLite has: a file, pragmas and locks. */
class SqliteArtifactStoreTest extends ArtifactStoreContract {

    @TempDir
    Path temporary;

    /** A directory that does not exist yet, so every test also checks that it gets created. */
    Path dataDirectory() {
        return temporary.resolve("data");
    }

    @Override
    StorageSettings settings() {
        return StorageSettings.embedded(dataDirectory());
    }

    @Override
    StorageSettings freshSettings() {
        return StorageSettings.embedded(temporary.resolve("fresh"));
    }

    @Override
    Connection rawConnection() throws SQLException {
        return DriverManager.getConnection("jdbc:sqlite:" + dataDirectory().resolve(ArtifactStores.SQLITE_FILE_NAME));
    }

    @Test
    void theDatabaseIsVitrineDbInTheDataDirectory() {
        assertTrue(Files.isRegularFile(dataDirectory().resolve("vitrine.db")));
    }

    @Test
    void walModeIsOn() throws SQLException {
        // journal_mode=WAL is stored in the database file, so a fresh connection reports it.
        try (Connection connection = rawConnection()) {
            assertEquals("wal", pragma(connection, "journal_mode"));
        }
    }

    @Test
    void everyPooledConnectionHasForeignKeysBusyTimeoutAndNormalSync() throws SQLException {
        try (HikariDataSource pool = ConnectionPools.sqlite(temporary.resolve("pool"))) {
            // Hold all connections at once so the pool cannot hand out the same one twice.
            List<Connection> held = new ArrayList<>();
            try {
                for (int i = 0; i < pool.getMaximumPoolSize(); i++) {
                    held.add(pool.getConnection());
                }
                for (Connection connection : held) {
                    assertEquals("1", pragma(connection, "foreign_keys"));
                    assertEquals("5000", pragma(connection, "busy_timeout"));
                    assertEquals("1", pragma(connection, "synchronous"), "1 means NORMAL");
                    assertEquals("wal", pragma(connection, "journal_mode"));
                }
            } finally {
                for (Connection connection : held) {
                    connection.close();
                }
            }
        }
    }

    @Test
    void aWriteTransactionHoldsTheWriteLockFromItsStart() throws SQLException {
        try (HikariDataSource pool = ConnectionPools.sqlite(dataDirectory());
                Connection writer = pool.getConnection();
                Connection other = rawConnection()) {
            writer.setAutoCommit(false);
            // Only a read so far: a deferred transaction would hold no write lock yet.
            pragma(writer, "user_version");
            try (Statement statement = other.createStatement()) {
                statement.execute("PRAGMA busy_timeout = 0");
                SQLException busy = assertThrows(SQLException.class,
                        () -> statement.executeUpdate("DELETE FROM artifacts"));
                assertTrue(busy.getMessage().contains("SQLITE_BUSY"), busy.getMessage());
            } finally {
                writer.rollback();
            }
        }
    }

    @Test
    void aDataDirectoryThatIsAFileFailsWithTheOperationNamed() throws Exception {
        Path file = Files.createFile(temporary.resolve("not-a-directory"));

        StorageException e = assertThrows(StorageException.class,
                () -> ArtifactStores.open(StorageSettings.embedded(file), Clock.systemUTC(), new SecureRandom()));

        assertEquals("create data directory " + file + " failed", e.getMessage());
    }

    private static String pragma(Connection connection, String name) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("PRAGMA " + name)) {
            rows.next();
            return rows.getString(1);
        }
    }
}

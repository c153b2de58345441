package dev.vitrine.storage;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;
import javax.sql.DataSource;

/**
 * Runs JDBC work on a pooled connection, as one statement or one transaction, and turns a
 * driver failure into a {@link StorageException} that names the operation. Every store and the
 * schema migrations share it, so commit, rollback and error wrapping are written once.
 */
final class Transactions {

    /** Work that needs a connection and may fail with the driver's exception. */
    @FunctionalInterface
    interface SqlWork<T> {
        T run(Connection connection) throws SQLException;
    }

    private final DataSource pool;
    private final Lock writeGate;

    /**
     * @param serializeWrites queue this process's write transactions in Java, one at a time. For
     *                        SQLite, which has one writer anyway: a writer that finds the lock
     *                        taken would otherwise sleep in SQLite's busy handler (1, 2, 5, 10 ms
     *                        and more) and wake up late, which costs most of the write throughput
     *                        with a few concurrent writers. Other processes still meet the busy
     *                        handler.
     */
    Transactions(DataSource pool, boolean serializeWrites) {
        this.pool = pool;
        this.writeGate = serializeWrites ? new ReentrantLock(true) : null;
    }

    /**
     * Runs {@code work} in auto-commit mode, where each statement is its own snapshot. For
     * reads only: a SQLite transaction would take the write lock (see {@link #write}).
     *
     * @param operation what is being done, for the message of a {@link StorageException}
     */
    <T> T read(String operation, SqlWork<T> work) {
        try (Connection connection = pool.getConnection()) {
            return work.run(connection);
        } catch (SQLException e) {
            throw new StorageException(operation + " failed", e);
        }
    }

    /**
     * Runs {@code work} in one transaction: committed if it returns, rolled back if it throws,
     * and a runtime exception it throws (a rejected write, a missing artifact) reaches the
     * caller unchanged. On SQLite, turning auto-commit off begins with {@code BEGIN IMMEDIATE}
     * (see {@link ConnectionPools}), so a writer holds the database's write lock from the start
     * instead of failing to upgrade a read lock held by another writer.
     *
     * @param operation what is being done, for the message of a {@link StorageException}
     */
    <T> T write(String operation, SqlWork<T> work) {
        if (writeGate == null) {
            return writeNow(operation, work);
        }
        writeGate.lock();
        try {
            return writeNow(operation, work);
        } finally {
            writeGate.unlock();
        }
    }

    private <T> T writeNow(String operation, SqlWork<T> work) {
        try (Connection connection = pool.getConnection()) {
            connection.setAutoCommit(false);
            try {
                T result = work.run(connection);
                connection.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                try {
                    connection.rollback();
                } catch (SQLException rollbackFailure) {
                    e.addSuppressed(rollbackFailure);
                }
                throw e;
            }
        } catch (SQLException e) {
            throw new StorageException(operation + " failed", e);
        }
    }
}

package dev.vitrine.server;

import java.nio.ByteBuffer;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;

/**
 * A fresh schema on the test PostgreSQL ({@code VITRINE_TEST_PG_URL}, default the local
 * {@code test} database), dropped with everything in it on close.
 */
final class PostgresSchema implements AutoCloseable {
    private static final String BASE = System.getenv().getOrDefault("VITRINE_TEST_PG_URL",
            "jdbc:postgresql://127.0.0.1:5432/test?user=postgres");

    private final String name;

    PostgresSchema(String prefix) throws SQLException {
        this.name = prefix + "_" + HexFormat.of().formatHex(ByteBuffer.allocate(8).putLong(System.nanoTime()).array());
        execute("CREATE SCHEMA " + name);
    }

    /** The schema's name. */
    String name() {
        return name;
    }

    /** The JDBC URL a server is given to use this schema. */
    String jdbcUrl() {
        return BASE + (BASE.contains("?") ? "&" : "?") + "currentSchema=" + name;
    }

    @Override
    public void close() throws SQLException {
        execute("DROP SCHEMA " + name + " CASCADE");
    }

    private static void execute(String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection(BASE); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}

package dev.vitrine.storage;

import java.sql.SQLException;
import java.sql.Statement;

/** For tests that turn a database back into one an older build migrated: drops what newer versions added. */
final class OlderSchemas {
    private OlderSchemas() {
    }

    /** Drops what V5 (live events) created: tables on both databases, and a sequence on PostgreSQL. */
    static void dropLiveEvents(Statement statement) throws SQLException {
        statement.execute("DROP TABLE IF EXISTS live_events");
        statement.execute("DROP TABLE IF EXISTS live_event_heads");
        if (statement.getConnection().getMetaData().getDatabaseProductName().equals("PostgreSQL")) {
            statement.execute("DROP SEQUENCE IF EXISTS live_event_ids");
        }
    }
}

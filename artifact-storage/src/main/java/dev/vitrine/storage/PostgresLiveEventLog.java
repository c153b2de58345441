package dev.vitrine.storage;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link LiveEventLog} of PostgreSQL, on the tables of migration V5, with {@code NOTIFY} on
 * a channel named after the current schema, so servers on different schemas of one database
 * (test runs, several deployments) do not hear each other.
 *
 * <p>A notification's payload is {@code artifact id previousId mark type}, then a line break
 * and the data if it has at most {@value #INLINE_DATA_BYTES} bytes in UTF-8 (PostgreSQL refuses
 * payloads of 8000 bytes or more); a larger event is read from the table by its id.
 */
final class PostgresLiveEventLog implements LiveEventLog {
    static final int INLINE_DATA_BYTES = 7000;
    private static final Logger LOG = LoggerFactory.getLogger(PostgresLiveEventLog.class);
    /** How long one wait for notifications lasts, which bounds how long closing a listener takes. */
    private static final int WAIT_MILLIS = 250;
    private static final long MAX_RECONNECT_DELAY_MILLIS = 5_000;

    /**
     * Takes the id while holding the artifact's head row (the update's {@code nextval} runs
     * after the row is locked), so ids of one artifact follow commit order; a new head takes
     * the id of its insert, and a concurrent first insert of the same artifact waits for it
     * and then updates with a later id.
     */
    private static final String APPEND = """
            WITH head AS (
                INSERT INTO live_event_heads AS h (artifact_id, last_id, previous_id)
                VALUES (?, nextval('live_event_ids'), 0)
                ON CONFLICT (artifact_id) DO UPDATE SET previous_id = h.last_id, last_id = nextval('live_event_ids')
                RETURNING last_id, previous_id),
            logged AS (
                INSERT INTO live_events (artifact_id, id, previous_id, type, mark, data, created_at)
                SELECT ?, last_id, previous_id, ?, ?, ?, ? FROM head
                RETURNING id, previous_id)
            SELECT id, pg_notify(?, concat_ws(' ', ?::text, id, previous_id, ?::text, ?::text)
                || CASE WHEN octet_length(?::text) <= %d THEN chr(10) || ? ELSE '' END)
            FROM logged""".formatted(INLINE_DATA_BYTES);

    private static final String COLUMNS = "artifact_id, id, previous_id, type, mark, data";

    private final Transactions transactions;
    private final String jdbcUrl;
    private final String channel;
    private final Clock clock;

    PostgresLiveEventLog(Transactions transactions, String jdbcUrl, Clock clock) {
        this.transactions = transactions;
        this.jdbcUrl = jdbcUrl;
        this.clock = clock;
        String schema = transactions.read("read the current schema", connection -> {
            try (Statement statement = connection.createStatement();
                    ResultSet rows = statement.executeQuery("SELECT current_schema()")) {
                rows.next();
                return rows.getString(1);
            }
        });
        this.channel = "vitrine_live_" + Sha256.hex(String.valueOf(schema)).substring(0, 16);
    }

    @Override
    public void append(List<NewEvent> events) {
        if (events.isEmpty()) {
            return;
        }
        long now = clock.millis();
        transactions.write("append " + events.size() + " live events", connection -> {
            try (PreparedStatement append = connection.prepareStatement(APPEND)) {
                for (NewEvent event : events) {
                    String artifact = event.artifact().value();
                    append.setString(1, artifact);
                    append.setString(2, artifact);
                    append.setString(3, event.type());
                    append.setString(4, event.mark());
                    append.setString(5, event.data());
                    append.setLong(6, now);
                    append.setString(7, channel);
                    append.setString(8, artifact);
                    append.setString(9, event.mark());
                    append.setString(10, event.type());
                    append.setString(11, event.data());
                    append.setString(12, event.data());
                    try (ResultSet rows = append.executeQuery()) {
                        rows.next();
                    }
                }
            }
            return null;
        });
    }

    @Override
    public List<Entry> since(ArtifactId artifact, long id, int limit) {
        return transactions.read("read live events of artifact " + artifact, connection -> {
            try (PreparedStatement select = connection.prepareStatement("SELECT " + COLUMNS
                    + " FROM live_events WHERE artifact_id = ? AND id >= ? ORDER BY id LIMIT ?")) {
                select.setString(1, artifact.value());
                select.setLong(2, id);
                select.setInt(3, limit);
                List<Entry> entries = new ArrayList<>();
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        entries.add(entry(rows));
                    }
                }
                return entries;
            }
        });
    }

    @Override
    public long lastId() {
        return transactions.read("read the last live event id", PostgresLiveEventLog::lastId);
    }

    private static long lastId(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(
                        "SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM live_event_ids")) {
            rows.next();
            return rows.getLong(1);
        }
    }

    @Override
    public int prune(Instant before) {
        return transactions.write("prune live events", connection -> {
            int deleted;
            try (PreparedStatement events = connection.prepareStatement("DELETE FROM live_events WHERE created_at < ?")) {
                events.setLong(1, before.toEpochMilli());
                deleted = events.executeUpdate();
            }
            try (PreparedStatement heads = connection.prepareStatement("DELETE FROM live_event_heads h WHERE NOT EXISTS"
                    + " (SELECT 1 FROM live_events e WHERE e.artifact_id = h.artifact_id) AND h.last_id <= ?")) {
                // A head whose event is being appended right now gets an id above this bound,
                // so it is not deleted from under that event.
                heads.setLong(1, lastId(connection));
                heads.executeUpdate();
            }
            return deleted;
        });
    }

    @Override
    public AutoCloseable listen(Consumer<Entry> onEntry, Runnable onReconnect) {
        Listener listener = new Listener(onEntry, onReconnect);
        Thread thread = Thread.ofPlatform().daemon().name("vitrine-live-events").unstarted(listener);
        listener.thread = thread;
        thread.start();
        try {
            listener.listening.get();
        } catch (ExecutionException e) {
            listener.close();
            throw e.getCause() instanceof StorageException storage ? storage
                    : new StorageException("listen for live events failed", e.getCause());
        } catch (InterruptedException e) {
            listener.close();
            Thread.currentThread().interrupt();
            throw new StorageException("interrupted while starting to listen for live events", e);
        }
        return listener;
    }

    private static Entry entry(ResultSet rows) throws SQLException {
        return new Entry(new ArtifactId(rows.getString(1)), rows.getLong(2), rows.getLong(3),
                rows.getString(4), rows.getString(5), rows.getString(6));
    }

    /** Parses a payload; empty if the event's data must be read from the table. */
    private Optional<Entry> parse(String payload) {
        int lineBreak = payload.indexOf('\n');
        String[] head = (lineBreak < 0 ? payload : payload.substring(0, lineBreak)).split(" ");
        ArtifactId artifact = new ArtifactId(head[0]);
        long id = Long.parseLong(head[1]);
        if (lineBreak < 0) {
            return readOne(artifact, id);
        }
        return Optional.of(new Entry(artifact, id, Long.parseLong(head[2]), head[4], head[3], payload.substring(lineBreak + 1)));
    }

    private Optional<Entry> readOne(ArtifactId artifact, long id) {
        return transactions.read("read live event " + id, connection -> {
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT " + COLUMNS + " FROM live_events WHERE artifact_id = ? AND id = ?")) {
                select.setString(1, artifact.value());
                select.setLong(2, id);
                try (ResultSet rows = select.executeQuery()) {
                    return rows.next() ? Optional.of(entry(rows)) : Optional.empty();
                }
            }
        });
    }

    /** The listening thread's loop: one connection at a time, connecting again when it fails. */
    private final class Listener implements Runnable, AutoCloseable {
        final CompletableFuture<Void> listening = new CompletableFuture<>();
        final Consumer<Entry> onEntry;
        final Runnable onReconnect;
        volatile boolean closed;
        Thread thread;

        Listener(Consumer<Entry> onEntry, Runnable onReconnect) {
            this.onEntry = onEntry;
            this.onReconnect = onReconnect;
        }

        @Override
        public void run() {
            long delay = 100;
            while (!closed) {
                try (Connection connection = DriverManager.getConnection(jdbcUrl)) {
                    try (Statement statement = connection.createStatement()) {
                        statement.execute("LISTEN \"" + channel + "\"");
                    }
                    if (!listening.complete(null)) {
                        LOG.info("listening for live events again");
                        onReconnect.run();
                    }
                    delay = 100;
                    receive(connection.unwrap(PGConnection.class));
                } catch (SQLException | RuntimeException e) {
                    if (!listening.isDone()) {
                        listening.completeExceptionally(new StorageException("listen for live events on "
                                + StorageSettings.withoutCredentials(jdbcUrl) + " failed", e));
                        return;
                    }
                    if (closed) {
                        return;
                    }
                    LOG.warn("live event listener lost its connection; connecting again in {} ms: {}", delay, e.toString());
                    try {
                        Thread.sleep(delay);
                    } catch (InterruptedException interrupted) {
                        return;
                    }
                    delay = Math.min(delay * 2, MAX_RECONNECT_DELAY_MILLIS);
                }
            }
        }

        private void receive(PGConnection connection) throws SQLException {
            while (!closed) {
                PGNotification[] notifications = connection.getNotifications(WAIT_MILLIS);
                if (notifications == null) {
                    continue;
                }
                for (PGNotification notification : notifications) {
                    parse(notification.getParameter()).ifPresentOrElse(onEntry,
                            () -> LOG.warn("live event {} was pruned before it could be read", notification.getParameter()));
                }
            }
        }

        @Override
        public void close() {
            closed = true;
            if (thread != null && thread != Thread.currentThread()) {
                try {
                    thread.join(WAIT_MILLIS * 4L);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }
}

package dev.vitrine.storage;

import java.security.SecureRandom;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.util.Arrays;

/**
 * Random keys that every node of a deployment must share, such as the key viewer tokens are
 * signed with: a token minted by node A must verify on node B. The first node to ask for a
 * name creates the secret; everyone after, on any node, gets the same bytes.
 */
final class ServerSecrets {

    static final int MIN_LENGTH = 16;
    static final int MAX_LENGTH = 1024;
    private static final int MAX_NAME_LENGTH = 64;

    private final Transactions transactions;
    private final Clock clock;
    private final SecureRandom random;

    ServerSecrets(Transactions transactions, Clock clock, SecureRandom random) {
        this.transactions = transactions;
        this.clock = clock;
        this.random = random;
    }

    /**
     * Inserting a fresh candidate with ON CONFLICT DO NOTHING and then reading the row makes
     * get-or-create one race-free step: of concurrent first callers exactly one insert wins (on
     * PostgreSQL the others wait on the unique key until it commits, then insert nothing), and
     * everyone reads the winner's bytes.
     */
    byte[] secret(String name, int length) {
        requireValidName(name);
        if (length < MIN_LENGTH || length > MAX_LENGTH) {
            throw new IllegalArgumentException("secret length must be " + MIN_LENGTH + " to " + MAX_LENGTH
                    + " bytes; was " + length + " for secret " + UntrustedText.quote(name));
        }
        byte[] candidate = new byte[length];
        random.nextBytes(candidate);
        byte[] stored = transactions.write("get or create server secret " + UntrustedText.quote(name), connection -> {
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO server_secrets (name, value, created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING")) {
                insert.setString(1, name);
                insert.setBytes(2, candidate);
                insert.setLong(3, clock.millis());
                insert.executeUpdate();
            }
            try (PreparedStatement select = connection.prepareStatement("SELECT value FROM server_secrets WHERE name = ?")) {
                select.setString(1, name);
                try (ResultSet rows = select.executeQuery()) {
                    if (!rows.next()) {
                        throw new IllegalStateException("server secret " + UntrustedText.quote(name)
                                + " is missing right after it was inserted");
                    }
                    return rows.getBytes(1);
                }
            }
        });
        Arrays.fill(candidate, (byte) 0);
        if (stored.length != length) {
            throw new IllegalArgumentException("secret " + UntrustedText.quote(name) + " already exists with "
                    + stored.length + " bytes; asked for " + length + ". A secret never changes once created,"
                    + " since tokens signed with it must keep verifying; ask for its length, or use a new name");
        }
        return stored;
    }

    private static void requireValidName(String name) {
        if (name == null || name.isEmpty() || name.length() > MAX_NAME_LENGTH
                || !name.chars().allMatch(c -> (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-')) {
            throw new IllegalArgumentException("secret name must be 1 to " + MAX_NAME_LENGTH
                    + " characters from [a-z0-9._-]; was " + UntrustedText.quote(name));
        }
    }
}

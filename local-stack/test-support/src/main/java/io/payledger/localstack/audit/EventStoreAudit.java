package io.payledger.localstack.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.payledger.events.chain.ChainCheck;
import io.payledger.events.chain.ChainedEvent;
import io.payledger.events.chain.EventHashChain;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * What an auditor checks of an event store, read straight from its rows: how many events of how
 * many payments, one SHA-256 over every event in log order (two stores with the same digest hold the
 * same log, byte for byte), and every payment's hash chain (shared-events' {@link EventHashChain}).
 */
public final class EventStoreAudit {

    /** The audit of one store. {@code broken}: the payments whose chain does not verify, with why. */
    public record Summary(long events, long payments, String digest, List<String> broken) {

        public boolean chainsIntact() {
            return broken.isEmpty();
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private EventStoreAudit() {
    }

    public static Summary of(String jdbcUrl, String user, String password) {
        try (Connection connection = DriverManager.getConnection(jdbcUrl, user, password)) {
            connection.setAutoCommit(false); // a cursor: the log is streamed, not loaded
            connection.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            return of(connection);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot audit the event store: " + e.getMessage(), e);
        }
    }

    /** The audit, read in the connection's transaction (which must not be in autocommit, for the cursors). */
    public static Summary of(Connection connection) {
        try {
            return new Summary(count(connection, "SELECT count(*) FROM domain_event_entry"),
                    count(connection, "SELECT count(DISTINCT aggregate_identifier) FROM domain_event_entry"),
                    digest(connection), brokenChains(connection));
        } catch (SQLException | IOException e) {
            throw new IllegalStateException("cannot audit the event store: " + e.getMessage(), e);
        }
    }

    private static String digest(Connection connection) throws SQLException {
        MessageDigest sha256 = sha256();
        try (PreparedStatement query = connection.prepareStatement("""
                SELECT global_index, event_identifier, aggregate_identifier, sequence_number, type, time_stamp,
                       payload_type, payload_revision, payload, meta_data
                FROM domain_event_entry ORDER BY global_index""")) {
            query.setFetchSize(1000);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    sha256.update(ByteBuffer.allocate(8).putLong(rows.getLong(1)).array());
                    for (int column = 2; column <= 8; column++) {
                        field(sha256, rows.getString(column));
                    }
                    field(sha256, rows.getBytes(9));
                    field(sha256, rows.getBytes(10));
                }
            }
        }
        return HexFormat.of().formatHex(sha256.digest());
    }

    private static List<String> brokenChains(Connection connection) throws SQLException, IOException {
        List<String> broken = new ArrayList<>();
        try (PreparedStatement query = connection.prepareStatement("""
                SELECT aggregate_identifier, sequence_number, payload_type, payload_revision, payload, meta_data
                FROM domain_event_entry ORDER BY aggregate_identifier, sequence_number""")) {
            query.setFetchSize(1000);
            try (ResultSet rows = query.executeQuery()) {
                List<ChainedEvent> history = new ArrayList<>();
                while (rows.next()) {
                    String aggregate = rows.getString(1);
                    if (!history.isEmpty() && !history.get(0).aggregateId().equals(aggregate)) {
                        check(history, broken);
                        history.clear();
                    }
                    byte[] metaData = rows.getBytes(6);
                    JsonNode meta = metaData == null ? JSON.createObjectNode() : JSON.readTree(metaData);
                    history.add(new ChainedEvent(aggregate, rows.getLong(2), rows.getString(3), rows.getString(4),
                            rows.getBytes(5), meta.path(EventHashChain.PREVIOUS_HASH).asText(null),
                            meta.path(EventHashChain.HASH).asText(null)));
                }
                if (!history.isEmpty()) {
                    check(history, broken);
                }
            }
        }
        return broken;
    }

    private static void check(List<ChainedEvent> history, List<String> broken) {
        ChainCheck check = EventHashChain.verify(history);
        if (!check.intact()) {
            broken.add(history.get(0).aggregateId() + " at " + check.brokenSequenceNumber() + ": " + check.reason());
        }
    }

    private static void field(MessageDigest sha256, String value) {
        field(sha256, value == null ? null : value.getBytes(StandardCharsets.UTF_8));
    }

    /** Length-prefixed, so that ("ab", "c") and ("a", "bc") never hash alike; null is length -1. */
    private static void field(MessageDigest sha256, byte[] value) {
        sha256.update(ByteBuffer.allocate(4).putInt(value == null ? -1 : value.length).array());
        if (value != null) {
            sha256.update(value);
        }
    }

    private static long count(Connection connection, String sql) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement(sql); ResultSet rows = query.executeQuery()) {
            rows.next();
            return rows.getLong(1);
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

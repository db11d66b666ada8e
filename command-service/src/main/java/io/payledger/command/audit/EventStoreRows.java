package io.payledger.command.audit;

import io.payledger.events.audit.StoredEvent;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.function.Consumer;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The event table read exactly as stored, in global order: no Axon, no upcasting, no re-serialisation, so
 * that what audits check is what the database holds.
 */
public class EventStoreRows {

    private static final String COLUMNS = """
            global_index, event_identifier, aggregate_identifier, sequence_number, time_stamp, payload_type,
            payload_revision, payload, meta_data""";

    private final JdbcTemplate jdbc;

    public EventStoreRows(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Rows with {@code from < global_index <= to}, in global order; {@code payments} null for every payment. */
    public void read(long from, long to, List<String> payments, Consumer<StoredEvent> rows) {
        if (payments == null) {
            jdbc.query("SELECT " + COLUMNS + " FROM domain_event_entry WHERE global_index > ? AND global_index <= ?"
                    + " ORDER BY global_index", row -> { rows.accept(stored(row)); }, from, to);
        } else if (!payments.isEmpty()) {
            jdbc.query(connection -> {
                var statement = connection.prepareStatement("SELECT " + COLUMNS + " FROM domain_event_entry"
                        + " WHERE global_index > ? AND global_index <= ? AND aggregate_identifier = ANY(?)"
                        + " ORDER BY global_index");
                statement.setLong(1, from);
                statement.setLong(2, to);
                statement.setArray(3, connection.createArrayOf("varchar", payments.toArray()));
                return statement;
            }, row -> { rows.accept(stored(row)); });
        }
    }

    /** The first {@code limit} rows with {@code from < global_index <= to}, in global order. */
    public List<StoredEvent> after(long from, long to, int limit) {
        return jdbc.query("SELECT " + COLUMNS + " FROM domain_event_entry WHERE global_index > ? AND global_index <= ?"
                + " ORDER BY global_index LIMIT ?", (row, n) -> stored(row), from, to, limit);
    }

    /** The highest global index stored, 0 for an empty log. */
    public long newestPosition() {
        Long newest = jdbc.queryForObject("SELECT max(global_index) FROM domain_event_entry", Long.class);
        return newest == null ? 0 : newest;
    }

    public long count(long from, long to) {
        Long count = jdbc.queryForObject("SELECT count(*) FROM domain_event_entry WHERE global_index > ? AND global_index <= ?",
                Long.class, from, to);
        return count == null ? 0 : count;
    }

    /** The recorded hash of each payment's event just before {@code sequenceNumber}, or null for the first. */
    public String recordedHashBefore(String paymentId, long sequenceNumber) {
        if (sequenceNumber == 0) {
            return null;
        }
        List<StoredEvent> previous = jdbc.query("SELECT " + COLUMNS + " FROM domain_event_entry"
                + " WHERE aggregate_identifier = ? AND sequence_number = ?", (row, n) -> stored(row), paymentId, sequenceNumber - 1);
        return previous.isEmpty() ? null : previous.get(0).hash();
    }

    private static StoredEvent stored(ResultSet row) throws SQLException {
        return StoredEvent.of(row.getLong(1), row.getString(2), row.getString(3), row.getLong(4), row.getString(5),
                row.getString(6), row.getString(7), row.getBytes(8), row.getBytes(9));
    }
}

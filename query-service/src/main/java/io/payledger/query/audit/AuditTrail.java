package io.payledger.query.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.payledger.events.chain.ChainedEvent;
import io.payledger.events.json.EventJson;
import io.payledger.events.payment.PaymentEvent;
import io.payledger.events.upcasting.EventRevisions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/** The audit_event table: every event once, as stored in the log (bytes and revision), with its metadata and hashes. */
@Repository
public class AuditTrail {

    public record Entry(String eventId, long sequenceNumber, String payloadType, String payloadRevision, byte[] payload,
                        String metaData, String previousHash, String hash, Instant occurredAt) {

        public ChainedEvent chained(String paymentId) {
            return new ChainedEvent(paymentId, sequenceNumber, payloadType, payloadRevision, payload, previousHash, hash);
        }
    }

    private static final ObjectMapper EVENTS = EventJson.newMapper();
    private final JdbcTemplate jdbc;

    AuditTrail(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** A payment's events in order, up to an instant (inclusive), or all of them when {@code asOf} is null. */
    public List<Entry> history(String paymentId, Instant asOf) {
        return jdbc.query("""
                SELECT event_id, sequence_number, payload_type, payload_revision, payload, meta_data::text,
                       previous_hash, hash, occurred_at
                FROM audit_event WHERE payment_id = ? AND (?::timestamptz IS NULL OR occurred_at <= ?::timestamptz)
                ORDER BY sequence_number""",
                (row, n) -> new Entry(row.getString(1), row.getLong(2), row.getString(3), row.getString(4), row.getBytes(5),
                        row.getString(6), row.getString(7), row.getString(8), row.getTimestamp(9).toInstant()),
                paymentId, asOf == null ? null : Timestamp.from(asOf), asOf == null ? null : Timestamp.from(asOf));
    }

    /**
     * PostgreSQL keeps microseconds and rounds what is finer; events carry nanoseconds. Truncating
     * keeps "happened at or before t" true of the stored instant whenever it is true of the event.
     */
    public static Timestamp storedInstant(Instant instant) {
        return Timestamp.from(instant.truncatedTo(java.time.temporal.ChronoUnit.MICROS));
    }

    /** The entry's event at its current revision: the stored bytes, upcast as every reader of events upcasts them. */
    public static PaymentEvent event(Entry entry) {
        try {
            JsonNode payload = EventRevisions.current(entry.payloadType(), entry.payloadRevision(),
                    EVENTS.readTree(entry.payload()));
            return (PaymentEvent) EVENTS.treeToValue(payload, Class.forName(entry.payloadType()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("an event type this service does not know: " + entry.payloadType(), e);
        }
    }
}

package io.payledger.command.eventstore;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.payledger.events.chain.ChainCheck;
import io.payledger.events.chain.ChainedEvent;
import io.payledger.events.chain.EventHashChain;
import io.payledger.events.payment.PaymentId;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Re-reads a payment's stored events, exactly as the rows hold them, and checks its hash chain.
 * It reads the table directly rather than through Axon so that what is checked is what is stored.
 */
@Component
public class EventLogVerifier {

    private final JdbcTemplate jdbc;
    private final ObjectMapper json = new ObjectMapper();

    EventLogVerifier(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public ChainCheck verify(PaymentId paymentId) {
        List<ChainedEvent> history = jdbc.query("""
                SELECT aggregate_identifier, sequence_number, payload_type, payload_revision, payload, meta_data
                FROM domain_event_entry WHERE aggregate_identifier = ? ORDER BY sequence_number""",
                (row, n) -> {
                    JsonNode metaData = readMetaData(row.getBytes("meta_data"));
                    return new ChainedEvent(row.getString("aggregate_identifier"), row.getLong("sequence_number"),
                            row.getString("payload_type"), row.getString("payload_revision"), row.getBytes("payload"),
                            metaData.path(EventHashChain.PREVIOUS_HASH).asText(null),
                            metaData.path(EventHashChain.HASH).asText(null));
                }, paymentId.value());
        return EventHashChain.verify(history);
    }

    private JsonNode readMetaData(byte[] metaData) {
        try {
            return metaData == null ? json.createObjectNode() : json.readTree(metaData);
        } catch (IOException e) {
            throw new UncheckedIOException("stored metadata is not JSON", e);
        }
    }
}

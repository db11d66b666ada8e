package io.payledger.command.publishing;

import io.payledger.events.chain.EventHashChain;
import io.payledger.events.upcasting.EventRevisions;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.messaging.Headers;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Makes sure the topic carries each event as it is stored. The event store upcasts what it reads, so an event of
 * an older revision reaches the publisher in its current form; its hash chain, though, is over the stored bytes
 * and revision, and readers verify the chain from the topic. An event of a type that has upcasters is checked
 * against its recorded hash, and one that no longer matches is sent as the row holds it.
 */
final class StoredForm {

    private final JdbcTemplate jdbc;

    StoredForm(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    ProducerRecord<String, byte[]> of(EventMessage<?> event, ProducerRecord<String, byte[]> record) {
        if (!(event instanceof DomainEventMessage<?> domain)) {
            return record;
        }
        String type = header(record.headers(), Headers.MESSAGE_TYPE);
        if (!EventRevisions.hasUpcasters(type)) {
            return record;
        }
        String recorded = (String) event.getMetaData().get(EventHashChain.HASH);
        String previous = (String) event.getMetaData().get(EventHashChain.PREVIOUS_HASH);
        if (recorded == null || previous == null || recorded.equals(EventHashChain.hash(previous,
                domain.getAggregateIdentifier(), domain.getSequenceNumber(), type,
                header(record.headers(), Headers.MESSAGE_REVISION), record.value()))) {
            return record;
        }
        List<ProducerRecord<String, byte[]>> stored = jdbc.query(
                "SELECT payload_revision, payload FROM domain_event_entry WHERE event_identifier = ?",
                (row, n) -> asStored(record, row.getString(1), row.getBytes(2)), event.getIdentifier());
        return stored.isEmpty() ? record : stored.get(0);
    }

    private static ProducerRecord<String, byte[]> asStored(ProducerRecord<String, byte[]> record, String revision,
                                                           byte[] payload) {
        RecordHeaders headers = new RecordHeaders();
        for (Header header : record.headers()) {
            if (!header.key().equals(Headers.MESSAGE_REVISION)) {
                headers.add(header);
            }
        }
        if (revision != null) {
            headers.add(Headers.MESSAGE_REVISION, revision.getBytes(StandardCharsets.UTF_8));
        }
        return new ProducerRecord<>(record.topic(), record.partition(), record.timestamp(), record.key(), payload, headers);
    }

    private static String header(org.apache.kafka.common.header.Headers headers, String key) {
        Header header = headers.lastHeader(key);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}

package io.payledger.query.projection;

import io.payledger.axon.StoredFormKafkaMessageConverter;
import io.payledger.events.chain.EventHashChain;
import io.payledger.events.payment.PaymentEvent;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.axonframework.serialization.AnnotationRevisionResolver;

/**
 * One event as the projection receives it from the log: its id, payload (upcast to the current revision), place
 * in its payment, and metadata; and, for the audit trail, the payload's bytes and revision as stored
 * ({@code storedPayload} null when the log did not say, and then the payload is written as the current class
 * serialises it).
 */
public record ProjectedEvent(String eventId, PaymentEvent event, long sequenceNumber, String revision,
                             Map<String, ?> metaData, byte[] storedPayload) {

    private static final AnnotationRevisionResolver REVISIONS = new AnnotationRevisionResolver();

    public ProjectedEvent(String eventId, PaymentEvent event, long sequenceNumber, String revision, Map<String, ?> metaData) {
        this(eventId, event, sequenceNumber, revision, metaData, null);
    }

    /** An event read from the topic, its stored form taken from the metadata the reader added. */
    public static ProjectedEvent read(String eventId, PaymentEvent event, long sequenceNumber, Map<String, ?> metaData) {
        Object payload = metaData.get(StoredFormKafkaMessageConverter.STORED_PAYLOAD);
        Object revision = metaData.get(StoredFormKafkaMessageConverter.STORED_REVISION);
        String stored = revision instanceof String text && !text.isEmpty() ? text
                : payload != null ? null : REVISIONS.revisionOf(event.getClass());
        return new ProjectedEvent(eventId, event, sequenceNumber, stored, StoredFormKafkaMessageConverter.published(metaData),
                payload instanceof byte[] bytes ? bytes
                        : payload instanceof String text ? text.getBytes(StandardCharsets.UTF_8) : null);
    }

    public String paymentId() {
        return event.paymentId().value();
    }

    public String previousHash() {
        return (String) metaData.get(EventHashChain.PREVIOUS_HASH);
    }

    public String hash() {
        return (String) metaData.get(EventHashChain.HASH);
    }
}

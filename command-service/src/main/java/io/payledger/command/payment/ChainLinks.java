package io.payledger.command.payment;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.payledger.events.chain.EventHashChain;
import io.payledger.events.json.EventJson;
import io.payledger.events.payment.PaymentEvent;
import org.axonframework.messaging.MetaData;
import org.axonframework.serialization.AnnotationRevisionResolver;
import org.axonframework.serialization.RevisionResolver;

/**
 * The metadata that links a new event into its payment's hash chain. The payload is hashed in the
 * form the event store's serializer writes (same {@link EventJson} configuration; the hash is over
 * canonical JSON, so key order does not matter), so a verifier can recompute it from the stored row.
 */
final class ChainLinks {

    private static final ObjectMapper JSON = EventJson.newMapper();
    private static final RevisionResolver REVISIONS = new AnnotationRevisionResolver();

    private ChainLinks() {
    }

    static MetaData next(String previousHash, String aggregateId, long sequenceNumber, PaymentEvent event) {
        try {
            byte[] payload = JSON.writeValueAsBytes(event);
            String hash = EventHashChain.hash(previousHash, aggregateId, sequenceNumber, event.getClass().getName(),
                    REVISIONS.revisionOf(event.getClass()), payload);
            return MetaData.with(EventHashChain.PREVIOUS_HASH, previousHash).and(EventHashChain.HASH, hash);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an event that cannot be serialized cannot be stored", e);
        }
    }
}

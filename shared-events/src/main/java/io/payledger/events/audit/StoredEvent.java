package io.payledger.events.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.payledger.events.chain.EventHashChain;
import java.io.IOException;

/**
 * One row of the event store exactly as stored: the payload's bytes and revision as written, never
 * re-serialised or upcast, and the two chain hashes its metadata records. Verification reads these.
 */
public record StoredEvent(long globalIndex, String eventId, String paymentId, long sequenceNumber, String timeStamp,
                          String payloadType, String payloadRevision, byte[] payload, String previousHash, String hash) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A row as Axon's JDBC engine stores it, the chain hashes taken from its metadata. */
    public static StoredEvent of(long globalIndex, String eventId, String aggregateId, long sequenceNumber,
                                 String timeStamp, String payloadType, String payloadRevision, byte[] payload,
                                 byte[] metaData) {
        JsonNode meta;
        try {
            meta = metaData == null ? JSON.createObjectNode() : JSON.readTree(metaData);
        } catch (IOException notJson) {
            meta = JSON.createObjectNode(); // unreadable metadata has no hashes: the checks say so
        }
        return new StoredEvent(globalIndex, eventId, aggregateId, sequenceNumber, timeStamp, payloadType,
                payloadRevision, payload, meta.path(EventHashChain.PREVIOUS_HASH).asText(null),
                meta.path(EventHashChain.HASH).asText(null));
    }

    /** The hash this row's content gives with {@code previous} as the hash before it. */
    public String contentHash(String previous) {
        return EventHashChain.hash(previous, paymentId, sequenceNumber, payloadType, payloadRevision, payload);
    }
}

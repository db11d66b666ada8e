package io.payledger.events.chain;

/**
 * One stored event as the hash chain sees it: where it stands in its payment's history, what it
 * says (the serialized payload exactly as stored) and the two hashes recorded in its metadata.
 */
public record ChainedEvent(String aggregateId, long sequenceNumber, String payloadType, String payloadRevision,
                           byte[] payload, String recordedPreviousHash, String recordedHash) {
}

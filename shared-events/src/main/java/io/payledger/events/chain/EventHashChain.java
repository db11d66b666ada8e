package io.payledger.events.chain;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * The tamper evidence of the event log. Every event's metadata records the hash of the event
 * before it in the same payment ({@link #PREVIOUS_HASH}) and its own hash ({@link #HASH}): the
 * SHA-256 of the previous hash, the aggregate id, the sequence number, the payload type and
 * revision, and the canonical JSON of the payload, separated by newlines. Changing any stored
 * byte that matters, or removing or reordering an event, breaks the chain at that event.
 */
public final class EventHashChain {

    public static final String PREVIOUS_HASH = "prevHash";
    public static final String HASH = "hash";
    /** The previous hash of a payment's first event. */
    public static final String GENESIS = "0".repeat(64);

    private EventHashChain() {
    }

    public static String hash(String previousHash, String aggregateId, long sequenceNumber, String payloadType,
                              String payloadRevision, byte[] payloadJson) {
        String canonical = String.join("\n", previousHash, aggregateId, Long.toString(sequenceNumber),
                payloadType, Objects.toString(payloadRevision, ""), CanonicalJson.canonicalize(payloadJson));
        return sha256(canonical);
    }

    /** Checks one payment's events, in sequence order, from its first. */
    public static ChainCheck verify(List<ChainedEvent> history) {
        String expectedPrevious = GENESIS;
        long expectedSequence = 0;
        for (ChainedEvent event : history) {
            if (event.sequenceNumber() != expectedSequence) {
                return ChainCheck.broken(event, expectedSequence, "sequence " + expectedSequence + " is missing");
            }
            if (!expectedPrevious.equals(event.recordedPreviousHash())) {
                return ChainCheck.broken(event, expectedSequence, "previous hash does not match the event before it");
            }
            String actual = hash(expectedPrevious, event.aggregateId(), event.sequenceNumber(), event.payloadType(),
                    event.payloadRevision(), event.payload());
            if (!actual.equals(event.recordedHash())) {
                return ChainCheck.broken(event, expectedSequence, "content does not match its recorded hash");
            }
            expectedPrevious = actual;
            expectedSequence++;
        }
        return ChainCheck.intact(history.size());
    }

    private static String sha256(String text) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(digest.digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException("every JVM has SHA-256", impossible);
        }
    }
}

package io.payledger.events.audit;

/**
 * One event as a checkpoint seals it: where it stands in the log ({@code globalIndex}), which event it
 * is, its place in its payment's history, and its hash in that payment's chain. The hash commits to the
 * event's content and, through the previous hash, to everything before it in the payment.
 */
public record SealedEvent(long globalIndex, String eventId, String paymentId, long sequenceNumber, String hash) {
}

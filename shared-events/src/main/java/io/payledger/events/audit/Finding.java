package io.payledger.events.audit;

/**
 * One difference between the log and what was sealed, named: which payment, which event, what differs.
 *
 * @param globalIndex the event's position in the log (the stored one, or the sealed one when it is gone)
 */
public record Finding(Kind kind, String paymentId, Long sequenceNumber, Long globalIndex, String detail) {

    public enum Kind {
        /** A sealed event's content no longer hashes to what was sealed. */
        MODIFIED,
        /** A sealed event's content is unchanged, but its chain was recomputed from an earlier change. */
        RECOMPUTED,
        /** A row at a sealed position that no checkpoint sealed. */
        INSERTED,
        /** A sealed event that is no longer in the log. */
        DELETED,
        /** A whole payment whose every sealed event is gone. */
        PAYMENT_DELETED,
        /** A sealed position that now holds another event, or an event at another place in its payment. */
        REORDERED,
        /** An event after the newest checkpoint whose chain does not hold. */
        BROKEN_CHAIN,
        /** A payment a checkpoint sealed as within an export's scope (its merchant, its period) that the export leaves out. */
        LEFT_OUT,
        /** A checkpoint whose signature, chain or digest does not verify. */
        CHECKPOINT_INVALID
    }
}

package io.payledger.events.chain;

/**
 * The outcome of checking one payment's chain: how many events were checked and, when the chain
 * is broken, the first broken link and why.
 */
public record ChainCheck(boolean intact, long eventsChecked, String brokenAggregateId, Long brokenSequenceNumber,
                         String reason) {

    static ChainCheck intact(long eventsChecked) {
        return new ChainCheck(true, eventsChecked, null, null, null);
    }

    static ChainCheck broken(ChainedEvent at, long eventsChecked, String reason) {
        return new ChainCheck(false, eventsChecked, at.aggregateId(), at.sequenceNumber(), reason);
    }
}

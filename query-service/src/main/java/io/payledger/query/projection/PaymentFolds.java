package io.payledger.query.projection;

import io.payledger.events.payment.PaymentState;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Recently folded payment states, so that a payment's next event is applied to its state instead
 * of re-reading and re-folding its whole history. An entry is only a shortcut: it is used when the
 * stored history is exactly the cached version plus the new events, and otherwise ignored. Entries
 * are put after the transaction that wrote them commits, so a rolled-back batch leaves none behind.
 */
public final class PaymentFolds {

    /** A payment's state after the event with sequence number {@code version}. */
    public record Folded(PaymentState state, long version) { }

    private final Map<String, Folded> recent;

    public PaymentFolds(int capacity) {
        this.recent = new LinkedHashMap<>(Math.min(capacity, 1 << 16), 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Folded> eldest) {
                return size() > capacity;
            }
        };
    }

    synchronized Folded get(String paymentId) {
        return recent.get(paymentId);
    }

    public synchronized void putAll(Map<String, Folded> folded) {
        recent.putAll(folded);
    }

    public synchronized void clear() {
        recent.clear();
    }
}

package io.payledger.events.payment;

import io.payledger.events.ledger.JournalEntry;
import io.payledger.events.money.Money;
import java.time.Instant;
import java.util.Optional;
import org.axonframework.serialization.Revision;

/** The merchant asked to pay back part or all of a capture; the amount is reserved at once. */
@Revision("1")
public record RefundRequested(PaymentId paymentId, RefundId refundId, Money amount, String reason, JournalEntry journalEntry,
        Instant occurredAt) implements PaymentEvent {

    @Override
    public Optional<JournalEntry> journal() {
        return Optional.of(journalEntry);
    }
}

package io.payledger.events.payment;

import io.payledger.events.ledger.JournalEntry;
import io.payledger.events.money.Money;
import java.time.Instant;
import java.util.Optional;
import org.axonframework.serialization.Revision;

/** The gateway refused the refund; its reservation returns to the merchant. */
@Revision("1")
public record RefundFailed(PaymentId paymentId, RefundId refundId, Money amount, String reasonCode, String reason,
        JournalEntry journalEntry, Instant occurredAt) implements PaymentEvent {

    @Override
    public Optional<JournalEntry> journal() {
        return Optional.of(journalEntry);
    }
}

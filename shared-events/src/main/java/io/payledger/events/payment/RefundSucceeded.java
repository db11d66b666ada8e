package io.payledger.events.payment;

import io.payledger.events.ledger.JournalEntry;
import io.payledger.events.money.Money;
import java.time.Instant;
import java.util.Optional;
import org.axonframework.serialization.Revision;

/** The gateway paid the refund. */
@Revision("1")
public record RefundSucceeded(PaymentId paymentId, RefundId refundId, Money amount, String gatewayRefundId, JournalEntry journalEntry,
        Instant occurredAt) implements PaymentEvent {

    @Override
    public Optional<JournalEntry> journal() {
        return Optional.of(journalEntry);
    }
}

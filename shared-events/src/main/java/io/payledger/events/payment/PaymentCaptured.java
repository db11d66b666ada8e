package io.payledger.events.payment;

import io.payledger.events.ledger.JournalEntry;
import io.payledger.events.money.Money;
import java.time.Instant;
import java.util.Optional;
import org.axonframework.serialization.Revision;

/** The gateway captured the money: the hold is released and the merchant is owed the captured amount. */
@Revision("1")
public record PaymentCaptured(PaymentId paymentId, Money amount, String gatewayTransactionId, JournalEntry journalEntry, Instant occurredAt) implements PaymentEvent {

    @Override
    public Optional<JournalEntry> journal() {
        return Optional.of(journalEntry);
    }
}

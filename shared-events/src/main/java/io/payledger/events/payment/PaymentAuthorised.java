package io.payledger.events.payment;

import io.payledger.events.ledger.JournalEntry;
import io.payledger.events.money.Money;
import java.time.Instant;
import java.util.Optional;
import org.axonframework.serialization.Revision;

/** The gateway holds the customer's funds; the hold is on the books. */
@Revision("1")
public record PaymentAuthorised(PaymentId paymentId, Money amount, String gatewayTransactionId, JournalEntry journalEntry,
        Instant occurredAt) implements PaymentEvent {

    @Override
    public Optional<JournalEntry> journal() {
        return Optional.of(journalEntry);
    }
}

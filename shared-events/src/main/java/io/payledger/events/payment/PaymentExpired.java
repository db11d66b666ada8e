package io.payledger.events.payment;

import io.payledger.events.ledger.JournalEntry;
import io.payledger.events.money.Money;
import java.time.Instant;
import java.util.Optional;
import org.axonframework.serialization.Revision;

/** Nothing came of the payment in time. Terminal. If an authorisation was held, it lapses and the entry releases it; otherwise the entry is null. */
@Revision("1")
public record PaymentExpired(PaymentId paymentId, Money releasedHold, JournalEntry journalEntry, Instant occurredAt) implements PaymentEvent {

    @Override
    public Optional<JournalEntry> journal() {
        return Optional.ofNullable(journalEntry);
    }
}

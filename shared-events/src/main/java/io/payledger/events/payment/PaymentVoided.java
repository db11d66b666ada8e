package io.payledger.events.payment;

import io.payledger.events.ledger.JournalEntry;
import io.payledger.events.money.Money;
import java.time.Instant;
import java.util.Optional;
import org.axonframework.serialization.Revision;

/** The gateway released the authorisation: the hold comes off the books. Terminal. */
@Revision("1")
public record PaymentVoided(PaymentId paymentId, Money released, JournalEntry journalEntry, Instant occurredAt) implements PaymentEvent {

    @Override
    public Optional<JournalEntry> journal() {
        return Optional.of(journalEntry);
    }
}

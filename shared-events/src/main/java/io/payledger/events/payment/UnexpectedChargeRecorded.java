package io.payledger.events.payment;

import io.payledger.events.ledger.JournalEntry;
import io.payledger.events.money.Money;
import java.time.Instant;
import java.util.Optional;
import org.axonframework.serialization.Revision;

/**
 * Fiuu holds or took money under this payment's order that is not its authorisation: in another
 * currency or amount, a second transaction, or after the payment failed or expired. It never moves the
 * payment; it is put in suspense (the entry) and owed back to the customer until Fiuu releases it.
 *
 * @param chargeId Fiuu's transaction id (tranID) of the charge
 * @param amount   what was charged, in the currency it was charged in
 * @param captured true when Fiuu took the money (a sale), false when it only holds it (an authorisation)
 */
@Revision("1")
public record UnexpectedChargeRecorded(PaymentId paymentId, String chargeId, Money amount, boolean captured,
        UnexpectedChargeReason reason, JournalEntry journalEntry, Instant occurredAt) implements PaymentEvent {

    @Override
    public Optional<JournalEntry> journal() {
        return Optional.of(journalEntry);
    }
}

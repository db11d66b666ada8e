package io.payledger.events.payment;

import io.payledger.events.ledger.JournalEntry;
import io.payledger.events.money.Money;
import java.time.Instant;
import java.util.Optional;
import org.axonframework.serialization.Revision;

/**
 * Fiuu gave an unexpected charge back to the customer: reversed while only held, refunded once taken.
 * The entry clears the suspense.
 *
 * @param releasedBy       {@code reversal}, {@code refund}, or {@code operator} (confirmed by a person)
 * @param gatewayReference Fiuu's RefundID when refunded; otherwise null
 */
@Revision("1")
public record UnexpectedChargeReleased(PaymentId paymentId, String chargeId, Money amount, String releasedBy,
        String gatewayReference, JournalEntry journalEntry, Instant occurredAt) implements PaymentEvent {

    @Override
    public Optional<JournalEntry> journal() {
        return Optional.of(journalEntry);
    }
}

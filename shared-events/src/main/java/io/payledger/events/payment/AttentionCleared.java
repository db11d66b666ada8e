package io.payledger.events.payment;

import java.time.Instant;
import org.axonframework.serialization.Revision;

/**
 * A person, or the gateway once a stuck report got through, dealt with a step that needed attention.
 *
 * @param resolution {@code retry} (the gateway tries the step again), or the outcome the operator recorded
 *                   ({@code captured}, {@code capture-failed}, {@code voided}, {@code void-failed},
 *                   {@code refund-succeeded}, {@code refund-failed}, {@code released}, {@code expired}), or
 *                   {@code report-delivered} / {@code report-discarded}
 * @param clearedBy  who: the operator's token subject, or {@code gateway-saga}
 */
@Revision("1")
public record AttentionCleared(PaymentId paymentId, String step, String resolution, String clearedBy, String note,
        Instant occurredAt) implements PaymentEvent {
}

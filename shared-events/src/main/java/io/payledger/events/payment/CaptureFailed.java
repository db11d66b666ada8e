package io.payledger.events.payment;

import io.payledger.events.money.Money;
import java.time.Instant;
import org.axonframework.serialization.Revision;

/** The gateway refused the capture; the authorisation stands. */
@Revision("1")
public record CaptureFailed(PaymentId paymentId, Money amount, String reasonCode, String reason, Instant occurredAt) implements PaymentEvent {
}

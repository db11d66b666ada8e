package io.payledger.events.payment;

import java.time.Instant;
import org.axonframework.serialization.Revision;

/** The gateway refused the void; the authorisation stands. */
@Revision("1")
public record VoidFailed(PaymentId paymentId, String reasonCode, String reason, Instant occurredAt) implements PaymentEvent {
}

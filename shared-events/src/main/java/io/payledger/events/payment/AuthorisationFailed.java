package io.payledger.events.payment;

import java.time.Instant;
import org.axonframework.serialization.Revision;

/** The gateway declined or abandoned the authorisation. Terminal. */
@Revision("1")
public record AuthorisationFailed(PaymentId paymentId, String gatewayTransactionId, String reasonCode, String reason, Instant occurredAt) implements PaymentEvent {
}

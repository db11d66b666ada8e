package io.payledger.events.payment;

import java.time.Instant;
import org.axonframework.serialization.Revision;

/** The gateway's hosted payment page is ready for the customer. */
@Revision("1")
public record CheckoutPrepared(PaymentId paymentId, String redirectUrl, Instant occurredAt) implements PaymentEvent {
}

package io.payledger.events.payment;

import java.time.Instant;
import org.axonframework.serialization.Revision;

/** The merchant asked to release an authorisation that was not captured. */
@Revision("1")
public record VoidRequested(PaymentId paymentId, Instant occurredAt) implements PaymentEvent {
}

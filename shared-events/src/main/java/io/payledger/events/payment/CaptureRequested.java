package io.payledger.events.payment;

import io.payledger.events.money.Money;
import java.time.Instant;
import org.axonframework.serialization.Revision;

/** The merchant asked to capture an authorised payment; the gateway is asked next. */
@Revision("1")
public record CaptureRequested(PaymentId paymentId, Money amount, Instant occurredAt) implements PaymentEvent {
}

package io.payledger.events.payment;

import java.time.Instant;
import org.axonframework.serialization.Revision;

/**
 * A step of the payment needs a person: Fiuu refused the request itself, answered something it never
 * documents, or did not answer for longer than the gateway keeps trying; or a report about the payment
 * could not be delivered. Nothing is guessed: the step stays where it is until an operator retries it or
 * records its outcome.
 *
 * @param step       what is stuck: {@code capture}, {@code void}, {@code refund:<refund id>},
 *                   {@code release:<charge id>}, {@code authorisation} or {@code report}
 * @param reasonCode a stable code, e.g. {@code fiuu-refused-request}, {@code fiuu-unexpected-answer}
 */
@Revision("1")
public record AttentionRequired(PaymentId paymentId, String step, String reasonCode, String detail, Instant occurredAt)
        implements PaymentEvent {
}

package io.payledger.query.projection;

import io.payledger.events.chain.EventHashChain;
import io.payledger.events.payment.PaymentEvent;
import java.util.Map;

/** One event as the projection receives it from the log: its id, payload, place in its payment, and metadata. */
public record ProjectedEvent(String eventId, PaymentEvent event, long sequenceNumber, String revision,
                             Map<String, ?> metaData) {

    public String paymentId() {
        return event.paymentId().value();
    }

    String previousHash() {
        return (String) metaData.get(EventHashChain.PREVIOUS_HASH);
    }

    String hash() {
        return (String) metaData.get(EventHashChain.HASH);
    }
}

package io.payledger.axon;

import com.fasterxml.jackson.databind.JsonNode;
import io.payledger.events.upcasting.EventRevisions;
import org.axonframework.serialization.SimpleSerializedType;
import org.axonframework.serialization.upcasting.event.IntermediateEventRepresentation;
import org.axonframework.serialization.upcasting.event.SingleEventUpcaster;

/**
 * Axon's upcaster for {@code PaymentInitiated} revision 1 ({@link EventRevisions#paymentInitiatedTwoFromOne}).
 * Every reader of events registers it: command-service's event store, and the Kafka readers of
 * gateway-saga and query-service.
 */
public final class PaymentInitiatedUpcaster extends SingleEventUpcaster {

    private static final SimpleSerializedType REVISION_1 = new SimpleSerializedType(EventRevisions.PAYMENT_INITIATED, "1");
    private static final SimpleSerializedType REVISION_2 = new SimpleSerializedType(EventRevisions.PAYMENT_INITIATED, "2");

    @Override
    protected boolean canUpcast(IntermediateEventRepresentation representation) {
        return REVISION_1.equals(representation.getType());
    }

    @Override
    protected IntermediateEventRepresentation doUpcast(IntermediateEventRepresentation representation) {
        return representation.upcastPayload(REVISION_2, JsonNode.class, EventRevisions::paymentInitiatedTwoFromOne);
    }
}

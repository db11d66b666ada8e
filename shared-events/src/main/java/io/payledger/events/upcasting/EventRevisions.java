package io.payledger.events.upcasting;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.payledger.events.payment.PaymentInitiated;

/**
 * How a stored event of an older revision reads as the current one. Pure functions over the payload's
 * JSON, so that the services (through axon-support's PaymentInitiatedUpcaster in Axon's upcaster chain) and the
 * offline verifier read old events the same way. The stored bytes are never changed: hash chains are
 * always checked over the bytes and revision as stored, and only what reads them is upcast.
 */
public final class EventRevisions {

    public static final String PAYMENT_INITIATED = PaymentInitiated.class.getName();

    private EventRevisions() {
    }

    /** Whether some stored revisions of this payload type read as another (the type has upcasters). */
    public static boolean hasUpcasters(String payloadType) {
        return PAYMENT_INITIATED.equals(payloadType);
    }

    /** The payload at the current revision of its type (a copy; {@code payload} is not changed). */
    public static JsonNode current(String payloadType, String revision, JsonNode payload) {
        if (PAYMENT_INITIATED.equals(payloadType) && "1".equals(revision)) {
            return paymentInitiatedTwoFromOne(payload);
        }
        return payload;
    }

    /**
     * {@code PaymentInitiated} revision 1 to 2. Revision 1 was written before customers' personal data was
     * sealed: its customer's name, email and phone are plain text, and its metadata may be absent. Sealing
     * needs the customer's key, which only command-service holds, so the values pass through as stored
     * ({@code PersonalData.isSealed} tells them apart, and command-service's customer API opens both); an
     * absent or null metadata becomes the empty map revision 2 always carries.
     */
    public static JsonNode paymentInitiatedTwoFromOne(JsonNode payload) {
        ObjectNode upcast = ((ObjectNode) payload).deepCopy();
        if (!upcast.hasNonNull("metadata")) {
            upcast.putObject("metadata");
        }
        return upcast;
    }
}

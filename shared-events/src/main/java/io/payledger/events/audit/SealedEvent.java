package io.payledger.events.audit;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;

/**
 * One event as a checkpoint seals it: where it stands in the log ({@code globalIndex}), which event it
 * is, its place in its payment's history, its hash in that payment's chain, the time stamp stored beside
 * it, and, on a payment's first event, the merchant it belongs to. The hash commits to the event's content
 * and, through the previous hash, to everything before it in the payment; the time stamp and the merchant
 * are sealed so that an export of a period or of a merchant can be proven complete: every payment a
 * checkpoint sealed as the merchant's, or as created in the period, must be in it.
 *
 * @param timeStamp  the row's {@code time_stamp} exactly as stored (outside the payment's hash chain)
 * @param merchantId the merchant of a first event ({@code sequenceNumber} 0); null on every other event
 */
public record SealedEvent(long globalIndex, String eventId, String paymentId, long sequenceNumber, String hash,
                          String timeStamp, String merchantId) {

    private static final JsonFactory JSON = new JsonFactory();

    /** The seal of a stored row. */
    public static SealedEvent of(StoredEvent event) {
        return new SealedEvent(event.globalIndex(), event.eventId(), event.paymentId(), event.sequenceNumber(),
                event.hash(), event.timeStamp(), event.sequenceNumber() == 0 ? merchantOf(event.payload()) : null);
    }

    /**
     * The top-level {@code merchantId} of a first event's stored JSON (every revision of {@code PaymentInitiated}
     * carries it there), or null when the bytes are not JSON or carry none.
     */
    public static String merchantOf(byte[] payload) {
        if (payload == null) {
            return null;
        }
        try (JsonParser parser = JSON.createParser(payload)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                if ("merchantId".equals(field)) {
                    return value == JsonToken.VALUE_STRING ? parser.getText() : null;
                }
                parser.skipChildren();
            }
            return null;
        } catch (IOException notJson) {
            return null;
        }
    }
}

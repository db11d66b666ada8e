package io.payledger.saga.webhook;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.payledger.events.json.EventJson;
import io.payledger.events.payment.AuthorisationFailed;
import io.payledger.events.payment.CaptureFailed;
import io.payledger.events.payment.CaptureRequested;
import io.payledger.events.payment.CheckoutPrepared;
import io.payledger.events.payment.PaymentAuthorised;
import io.payledger.events.payment.PaymentCaptured;
import io.payledger.events.payment.PaymentEvent;
import io.payledger.events.payment.PaymentExpired;
import io.payledger.events.payment.PaymentInitiated;
import io.payledger.events.payment.PaymentVoided;
import io.payledger.events.payment.RefundFailed;
import io.payledger.events.payment.RefundRequested;
import io.payledger.events.payment.RefundSucceeded;
import io.payledger.events.payment.UnexpectedChargeRecorded;
import io.payledger.events.payment.UnexpectedChargeReleased;
import io.payledger.events.payment.VoidFailed;
import io.payledger.events.payment.VoidRequested;
import io.payledger.saga.GatewayEvents;
import java.util.Map;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.messaging.annotation.MessageIdentifier;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Turns each payment event into one webhook delivery for the payment's merchant, keyed by the
 * event's id: a redelivered event (Kafka is at least once) finds its delivery there already. The
 * body leaves out customer details and the internal journal entry. The operators' own events (a step put
 * before a person, and its clearing) are not the merchant's and are not sent.
 */
@Component
@ProcessingGroup(GatewayEvents.PROCESSING_GROUP)
public class WebhookRecorder {

    private static final Map<Class<?>, String> TYPES = Map.ofEntries(
            Map.entry(PaymentInitiated.class, "payment.created"), Map.entry(CheckoutPrepared.class, "payment.awaiting_customer"),
            Map.entry(PaymentAuthorised.class, "payment.authorised"), Map.entry(AuthorisationFailed.class, "payment.failed"),
            Map.entry(CaptureRequested.class, "payment.capture_pending"), Map.entry(PaymentCaptured.class, "payment.captured"),
            Map.entry(CaptureFailed.class, "payment.capture_failed"), Map.entry(VoidRequested.class, "payment.void_pending"),
            Map.entry(PaymentVoided.class, "payment.voided"), Map.entry(VoidFailed.class, "payment.void_failed"),
            Map.entry(RefundRequested.class, "refund.pending"), Map.entry(RefundSucceeded.class, "refund.succeeded"),
            Map.entry(RefundFailed.class, "refund.failed"), Map.entry(PaymentExpired.class, "payment.expired"),
            Map.entry(UnexpectedChargeRecorded.class, "payment.unexpected_charge"),
            Map.entry(UnexpectedChargeReleased.class, "payment.unexpected_charge_released"));

    private final JdbcTemplate jdbc;
    private final MerchantWebhookProperties webhooks;
    private final ObjectMapper json = EventJson.newMapper();

    WebhookRecorder(JdbcTemplate jdbc, MerchantWebhookProperties webhooks) {
        this.jdbc = jdbc;
        this.webhooks = webhooks;
    }

    @EventHandler
    void on(PaymentEvent event, @MessageIdentifier String eventId) {
        if (event instanceof PaymentInitiated initiated) {
            jdbc.update("INSERT INTO webhook_payment (payment_id, merchant_id) VALUES (?, ?) ON CONFLICT DO NOTHING",
                    initiated.paymentId().value(), initiated.merchantId().value());
        }
        String merchant = jdbc.query("SELECT merchant_id FROM webhook_payment WHERE payment_id = ?",
                (row, n) -> row.getString(1), event.paymentId().value()).stream().findFirst().orElse(null);
        if (merchant == null || !webhooks.merchants().containsKey(merchant) || !TYPES.containsKey(event.getClass())) {
            return;
        }
        jdbc.update("""
                INSERT INTO webhook_delivery (event_id, merchant_id, payment_id, type, body)
                VALUES (?, ?, ?, ?, ?) ON CONFLICT (event_id) DO NOTHING""",
                eventId, merchant, event.paymentId().value(), TYPES.get(event.getClass()), body(eventId, event));
    }

    private String body(String eventId, PaymentEvent event) {
        ObjectNode data = json.valueToTree(event);
        data.remove("journalEntry");
        data.remove("customer");
        ObjectNode body = json.createObjectNode();
        body.put("id", eventId);
        body.put("type", TYPES.get(event.getClass()));
        body.put("createdAt", event.occurredAt().toString());
        body.set("data", data);
        return body.toString();
    }
}

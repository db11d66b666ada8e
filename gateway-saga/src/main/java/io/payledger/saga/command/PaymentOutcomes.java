package io.payledger.saga.command;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.payledger.events.money.Money;
import io.payledger.events.payment.PaymentId;
import io.payledger.events.payment.RefundId;
import java.util.HashMap;
import java.util.Map;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * What Fiuu said, to be reported to command-service, which turns each report into a command. A
 * report is recorded in the outbox in the caller's transaction (the saga's unit of work, or the
 * inbox relay's) and sent by {@link OutcomeRelay} once that transaction commits: the caller never
 * waits on command-service, and a report is neither lost nor sent for a decision that rolled back.
 * Every report is idempotent in command-service, so one sent twice changes nothing. One that met a concurrent
 * change of the payment is sent again; one the payment's record contradicts is settled as refused (the record is
 * the truth, and out-of-order news never moves a payment backwards), counted and alerted; one command-service
 * cannot read is dead-lettered for an operator. See {@link OutcomeRelay}.
 * <p>
 * Fiuu's free text is normalised here: an empty error code becomes the status it came with, and descriptions
 * are cut to what command-service keeps, so that what Fiuu really sends is always a report command-service takes.
 */
@Component
public class PaymentOutcomes {

    private final ObjectMapper json = new ObjectMapper();
    private final OutcomeOutbox outbox;
    private final OutcomeRelay relay;

    PaymentOutcomes(OutcomeOutbox outbox, OutcomeRelay relay) {
        this.outbox = outbox;
        this.relay = relay;
    }

    public void checkoutPrepared(PaymentId payment, String redirectUrl) {
        report(payment, "/checkout", Map.of("redirectUrl", redirectUrl));
    }

    public void authorised(PaymentId payment, Money amount, String tranId) {
        report(payment, "/authorisation", body("amount", amount.amount(), "currency", amount.currency(),
                "gatewayTransactionId", tranId));
    }

    public void authorisationFailed(PaymentId payment, String tranId, String code, String reason) {
        report(payment, "/authorisation-failure", body("gatewayTransactionId", tranId, "reasonCode", code(code, "11"),
                "reason", text(reason, "declined")));
    }

    public void captured(PaymentId payment, String tranId) {
        report(payment, "/capture", body("gatewayTransactionId", tranId));
    }

    public void captureFailed(PaymentId payment, String code, String reason) {
        report(payment, "/capture-failure", body("reasonCode", code(code, "11"), "reason", text(reason, null)));
    }

    public void voided(PaymentId payment) {
        report(payment, "/void", Map.of());
    }

    public void voidFailed(PaymentId payment, String code, String reason) {
        report(payment, "/void-failure", body("reasonCode", code(code, "11"), "reason", text(reason, null)));
    }

    public void refundSucceeded(PaymentId payment, RefundId refund, String gatewayRefundId) {
        report(payment, "/refunds/" + refund + "/success", body("gatewayRefundId", gatewayRefundId));
    }

    public void refundFailed(PaymentId payment, RefundId refund, String code, String reason) {
        report(payment, "/refunds/" + refund + "/failure", body("reasonCode", code(code, "11"), "reason", text(reason, null)));
    }

    public void expired(PaymentId payment) {
        report(payment, "/expiry", Map.of());
    }

    /** Fiuu gave an unexpected charge back: {@code releasedBy} reversal or refund (with Fiuu's RefundID). */
    public void unexpectedChargeReleased(PaymentId payment, String chargeId, String releasedBy, String gatewayReference) {
        report(payment, "/unexpected-charges/" + chargeId + "/released", body("releasedBy", releasedBy,
                "gatewayReference", gatewayReference));
    }

    /** A step the gateway cannot settle by itself waits for an operator. */
    public void attentionRequired(PaymentId payment, String step, String reasonCode, String detail) {
        report(payment, "/attention", body("step", step, "reasonCode", reasonCode, "detail", text(detail, null)));
    }

    /** A stuck report got through after all, or an operator discarded it: the payment no longer waits for it. */
    void attentionSettled(PaymentId payment, String step, String resolution, String note) {
        report(payment, "/attention/settled", body("step", step, "resolution", resolution, "note", text(note, null)));
    }

    private static String code(String code, String fallback) {
        String trimmed = code == null ? "" : code.strip();
        return trimmed.isEmpty() ? fallback : trimmed.length() > 64 ? trimmed.substring(0, 64) : trimmed;
    }

    private static String text(String text, String fallback) {
        String trimmed = text == null ? "" : text.strip();
        return trimmed.isEmpty() ? fallback : trimmed.length() > 500 ? trimmed.substring(0, 500) : trimmed;
    }

    private void report(PaymentId payment, String outcome, Map<String, Object> body) {
        try {
            outbox.record(payment.value(), outcome, json.writeValueAsString(body));
        } catch (JsonProcessingException unwritable) {
            throw new IllegalStateException(unwritable);
        }
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    relay.wake();
                }
            });
        } else {
            relay.wake();
        }
    }

    /** A JSON body without the fields that are null. */
    private static Map<String, Object> body(Object... pairs) {
        Map<String, Object> body = new HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            if (pairs[i + 1] != null) {
                body.put((String) pairs[i], pairs[i + 1]);
            }
        }
        return body;
    }
}

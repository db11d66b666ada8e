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
 * Every report is idempotent in command-service, so one sent twice changes nothing; one the
 * payment's record contradicts (409) is dropped, since the record is the truth and out-of-order
 * news never moves a payment backwards.
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
        report(payment, "/authorisation-failure", body("gatewayTransactionId", tranId, "reasonCode", code, "reason", reason));
    }

    public void captured(PaymentId payment, String tranId) {
        report(payment, "/capture", body("gatewayTransactionId", tranId));
    }

    public void captureFailed(PaymentId payment, String code, String reason) {
        report(payment, "/capture-failure", body("reasonCode", code, "reason", reason));
    }

    public void voided(PaymentId payment) {
        report(payment, "/void", Map.of());
    }

    public void voidFailed(PaymentId payment, String code, String reason) {
        report(payment, "/void-failure", body("reasonCode", code, "reason", reason));
    }

    public void refundSucceeded(PaymentId payment, RefundId refund, String gatewayRefundId) {
        report(payment, "/refunds/" + refund + "/success", body("gatewayRefundId", gatewayRefundId));
    }

    public void refundFailed(PaymentId payment, RefundId refund, String code, String reason) {
        report(payment, "/refunds/" + refund + "/failure", body("reasonCode", code, "reason", reason));
    }

    public void expired(PaymentId payment) {
        report(payment, "/expiry", Map.of());
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

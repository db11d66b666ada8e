package io.payledger.saga.notification;

import io.payledger.events.money.Money;
import io.payledger.events.payment.RefundId;
import io.payledger.events.payment.Steps;
import io.payledger.saga.command.PaymentOutcomes;
import io.payledger.saga.fiuu.FiuuAmounts;
import io.payledger.saga.payment.FiuuOrders;
import io.payledger.saga.payment.SagaTimings;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Turns verified notifications, in order of arrival, into reports for command-service: the report is
 * recorded in the outcome outbox in the transaction that marks the entry processed, so neither is
 * lost without the other, and the outbox delivers it. Several replicas share the work (FOR UPDATE
 * SKIP LOCKED). Pending (22) notifications move nothing: the saga's re-query finds out.
 * <p>
 * A paid notification is reported with the amount and currency Fiuu says were paid, never the payment's:
 * command-service decides whether that is the payment's authorisation or money to give back. A notification
 * whose amount cannot be read in its currency is not retried for ever: it is settled as unreadable and its
 * payment put before an operator.
 */
@Component
class InboxRelay {

    private static final Logger log = LoggerFactory.getLogger(InboxRelay.class);

    private final NotificationInbox inbox;
    private final FiuuOrders orders;
    private final PaymentOutcomes outcomes;
    private final TransactionTemplate transaction;
    private final SagaTimings timings;

    InboxRelay(NotificationInbox inbox, FiuuOrders orders, PaymentOutcomes outcomes, TransactionTemplate transaction,
               SagaTimings timings) {
        this.inbox = inbox;
        this.orders = orders;
        this.outcomes = outcomes;
        this.transaction = transaction;
        this.timings = timings;
    }

    @Scheduled(fixedDelayString = "${payledger.inbox.poll-interval:200ms}")
    void relay() {
        transaction.executeWithoutResult(status -> {
            List<NotificationInbox.Entry> due = inbox.due(50);
            for (NotificationInbox.Entry entry : due) {
                try {
                    inbox.processed(entry.id(), deliver(entry));
                } catch (RuntimeException failed) {
                    log.warn("notification {} not delivered yet: {}", entry.id(), failed.getMessage());
                    inbox.retryLater(entry.id(), entry.attempts() + 1,
                            timings.backoff(entry.attempts()).toMillis(), failed.getMessage());
                }
            }
        });
    }

    private String deliver(NotificationInbox.Entry entry) {
        return entry.kind() == NotificationInbox.Kind.REFUND ? deliverRefund(entry) : deliverPayment(entry);
    }

    private String deliverPayment(NotificationInbox.Entry entry) {
        String orderId = entry.fields().getOrDefault("orderid", "");
        var order = orders.find(orderId);
        if (order.isEmpty()) {
            return "unknown-order";
        }
        var payment = order.get().paymentId();
        switch (entry.status()) {
            case "00" -> {
                String currency = entry.fields().getOrDefault("currency", "").strip();
                String amount = entry.fields().getOrDefault("amount", "");
                Money paid;
                try {
                    paid = FiuuAmounts.fromWire(amount, currency.isEmpty() ? order.get().currency() : currency);
                } catch (RuntimeException unreadable) {
                    outcomes.attentionRequired(payment, Steps.notification(entry.reference()), "notification-unreadable",
                            "Fiuu notified transaction " + entry.reference() + " paid with an amount of '" + amount
                                    + "' in '" + currency + "'");
                    return "unreadable-amount";
                }
                outcomes.authorised(payment, paid, entry.reference());
            }
            case "11" -> outcomes.authorisationFailed(payment, entry.reference(), entry.fields().get("error_code"),
                    entry.fields().get("error_desc"));
            default -> {
                return "pending-ignored";
            }
        }
        return "reported";
    }

    private String deliverRefund(NotificationInbox.Entry entry) {
        String refId = entry.reference();
        return orders.refund(refId).map(refund -> {
            String status = entry.status().toLowerCase();
            if (refund.chargeId() != null) {
                return releaseRefund(refund, status, entry);
            }
            switch (status) {
                case "00", "success" -> outcomes.refundSucceeded(refund.paymentId(), RefundId.of(refId),
                        entry.fields().get("RefundID"));
                case "11", "rejected" -> outcomes.refundFailed(refund.paymentId(), RefundId.of(refId), "11",
                        "Fiuu rejected the refund");
                default -> {
                    return "pending-ignored";
                }
            }
            return "reported";
        }).orElse("unknown-refund");
    }

    /** The refund that gives an unexpected charge back: paid, the charge is released; rejected, an operator must act. */
    private String releaseRefund(FiuuOrders.Refund refund, String status, NotificationInbox.Entry entry) {
        switch (status) {
            case "00", "success" -> outcomes.unexpectedChargeReleased(refund.paymentId(), refund.chargeId(), "refund",
                    entry.fields().get("RefundID"));
            case "11", "rejected" -> outcomes.attentionRequired(refund.paymentId(), Steps.release(refund.chargeId()),
                    "release-refused", "Fiuu rejected the refund " + refund.refId() + " that gives the charge back");
            default -> {
                return "pending-ignored";
            }
        }
        return "reported";
    }
}

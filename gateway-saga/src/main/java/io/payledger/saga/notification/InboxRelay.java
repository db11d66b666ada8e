package io.payledger.saga.notification;

import io.payledger.events.payment.RefundId;
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
            case "00" -> outcomes.authorised(payment,
                    FiuuAmounts.fromWire(entry.fields().get("amount"), order.get().currency()), entry.reference());
            case "11" -> outcomes.authorisationFailed(payment, entry.reference(),
                    entry.fields().getOrDefault("error_code", "11"), entry.fields().getOrDefault("error_desc", "declined"));
            default -> {
                return "pending-ignored";
            }
        }
        return "reported";
    }

    private String deliverRefund(NotificationInbox.Entry entry) {
        String refId = entry.reference();
        return orders.paymentOfRefund(refId).map(payment -> {
            switch (entry.status().toLowerCase()) {
                case "00", "success" -> outcomes.refundSucceeded(payment, RefundId.of(refId), entry.fields().get("RefundID"));
                case "11", "rejected" -> outcomes.refundFailed(payment, RefundId.of(refId), "11", "Fiuu rejected the refund");
                default -> {
                    return "pending-ignored";
                }
            }
            return "reported";
        }).orElse("unknown-refund");
    }
}

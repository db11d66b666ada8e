package io.payledger.events.payment;

import io.payledger.events.money.Money;
import java.time.Instant;

/** One refund of a payment, as the fold knows it. */
public record Refund(RefundId refundId, Money amount, RefundStatus status, String reason,
                     String failureCode, Instant requestedAt, Instant updatedAt) {

    Refund settle(RefundStatus outcome, String code, Instant at) {
        return new Refund(refundId, amount, outcome, reason, code, requestedAt, at);
    }
}

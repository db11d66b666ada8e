package io.payledger.query.payment;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.payledger.events.payment.PaymentState;
import java.time.Instant;
import java.util.List;

/** The payment as the query API answers it; {@code version} is the last event's sequence number it reflects. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PaymentDocument(String id, String merchantId, String merchantReference, String status, long amount,
                              String currency, String captureMethod, long authorisedAmount, long capturedAmount,
                              long refundedAmount, long refundableAmount, List<Refund> refunds, NextAction nextAction,
                              Failure failure, Instant createdAt, Instant updatedAt, long version) {

    public record Refund(String id, long amount, String status, String reason, Instant requestedAt) { }

    public record NextAction(String type, String redirectUrl) { }

    public record Failure(String code, String reason) { }

    public static PaymentDocument of(PaymentState state, long version) {
        return new PaymentDocument(state.paymentId().value(), state.merchantId().value(), state.merchantReference(),
                state.status().code(), state.amount().amount(), state.currency(), state.captureMethod().code(),
                state.authorised().amount(), state.captured().amount(), state.refunded().amount(),
                state.refundable().amount(),
                state.refunds().stream().map(refund -> new Refund(refund.refundId().value(), refund.amount().amount(),
                        refund.status().code(), refund.reason(), refund.requestedAt())).toList(),
                state.redirectUrl() == null || !state.status().isBeforeAuthorisation() ? null
                        : new NextAction("redirect", state.redirectUrl()),
                state.failureCode() == null ? null : new Failure(state.failureCode(), state.failureReason()),
                state.createdAt(), state.updatedAt(), version);
    }
}

package io.payledger.command.payment.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.payledger.command.payment.PaymentResult;
import io.payledger.events.payment.PaymentState;
import java.time.Instant;
import java.util.List;

/**
 * A payment as the command side knows it, with {@code version} as the consistency token.
 * Customer details are not echoed: they are not needed to act on a payment, and responses are stored
 * for idempotent replay.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record PaymentResponse(String id, String merchantReference, String status, long amount, String currency,
                       String captureMethod, long authorisedAmount, long capturedAmount, long refundedAmount,
                       long refundableAmount, List<RefundView> refunds, NextAction nextAction, Failure failure,
                       List<UnexpectedChargeView> unexpectedCharges, List<AttentionView> attention,
                       Instant createdAt, Instant updatedAt, long version) {

    /** Money Fiuu holds or took under this payment's order that is not its authorisation, and whether it was given back. */
    record UnexpectedChargeView(String chargeId, long amount, String currency, String reason, String status,
                                Instant recordedAt, Instant releasedAt) {
    }

    /** A step waiting for an operator. */
    record AttentionView(String step, String reasonCode, String detail, Instant since) {
    }

    record RefundView(String id, long amount, String status, String reason, Instant requestedAt) {
    }

    record NextAction(String type, String redirectUrl) {
    }

    record Failure(String code, String reason) {
    }

    static PaymentResponse of(PaymentResult result) {
        PaymentState state = result.state();
        return new PaymentResponse(state.paymentId().value(), state.merchantReference(), state.status().code(),
                state.amount().amount(), state.currency(), state.captureMethod().code(), state.authorised().amount(),
                state.captured().amount(), state.refunded().amount(), state.refundable().amount(),
                state.refunds().stream().map(refund -> new RefundView(refund.refundId().value(), refund.amount().amount(),
                        refund.status().code(), refund.reason(), refund.requestedAt())).toList(),
                state.redirectUrl() == null || !state.status().isBeforeAuthorisation() ? null
                        : new NextAction("redirect", state.redirectUrl()),
                state.failureCode() == null ? null : new Failure(state.failureCode(), state.failureReason()),
                state.unexpectedCharges().isEmpty() ? null : state.unexpectedCharges().stream()
                        .map(charge -> new UnexpectedChargeView(charge.chargeId(), charge.amount().amount(),
                                charge.amount().currency(), charge.reason().code(), charge.isHeld() ? "held" : "released",
                                charge.recordedAt(), charge.released())).toList(),
                state.attention().isEmpty() ? null : state.attention().stream()
                        .map(item -> new AttentionView(item.step(), item.reasonCode(), item.detail(), item.since())).toList(),
                state.createdAt(), state.updatedAt(), result.version());
    }
}

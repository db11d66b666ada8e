package io.payledger.query.payment;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.payledger.events.payment.PaymentState;
import io.payledger.events.payment.Steps;
import java.time.Instant;
import java.util.List;

/** The payment as the query API answers it; {@code version} is the last event's sequence number it reflects. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PaymentDocument(String id, String merchantId, String merchantReference, String status, long amount,
                              String currency, String captureMethod, long authorisedAmount, long capturedAmount,
                              long refundedAmount, long refundableAmount, List<Refund> refunds, NextAction nextAction,
                              Failure failure, List<UnexpectedCharge> unexpectedCharges, List<Attention> attention,
                              Instant createdAt, Instant updatedAt, long version) {

    /**
     * Money Fiuu holds or took under this payment's order that is not its authorisation (another currency or amount,
     * a second charge, a charge after the payment failed or expired): {@code held} until Fiuu gives it back.
     */
    public record UnexpectedCharge(String chargeId, long amount, String currency, String reason, String status,
                                   Instant recordedAt, Instant releasedAt, String releasedBy) { }

    /** A step waiting for a person, and what an operator can do about it. */
    public record Attention(String step, String reasonCode, String detail, Instant since, List<String> actions) { }

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
                state.unexpectedCharges().isEmpty() ? null : state.unexpectedCharges().stream()
                        .map(charge -> new UnexpectedCharge(charge.chargeId(), charge.amount().amount(),
                                charge.amount().currency(), charge.reason().code(), charge.isHeld() ? "held" : "released",
                                charge.recordedAt(), charge.released(), charge.releasedBy())).toList(),
                state.attention().isEmpty() ? null : state.attention().stream()
                        .map(item -> new Attention(item.step(), item.reasonCode(), item.detail(), item.since(),
                                Steps.actionsOf(item.step()))).toList(),
                state.createdAt(), state.updatedAt(), version);
    }
}

package io.payledger.events.payment;

import io.payledger.events.money.Money;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A payment as its events say it stands. Built only by {@link PaymentHistory}; immutable.
 *
 * @param authorised  what the gateway holds (zero before authorisation)
 * @param captured    what the gateway captured (zero before capture)
 * @param captureRequested the amount of a capture in flight, zero when none is
 * @param unexpectedCharges money Fiuu holds or took under the payment's order that is not its authorisation
 * @param attention the steps waiting for a person, oldest first
 */
public record PaymentState(
        PaymentId paymentId, MerchantId merchantId, String merchantReference, Money amount,
        CaptureMethod captureMethod, PaymentStatus status, Money authorised, Money captured,
        Money captureRequested, String gatewayTransactionId, String redirectUrl, List<Refund> refunds,
        String failureCode, String failureReason, Instant createdAt, Instant updatedAt,
        List<UnexpectedCharge> unexpectedCharges, List<Attention> attention) {

    public PaymentState {
        refunds = List.copyOf(refunds);
        // absent in states stored before either existed
        unexpectedCharges = unexpectedCharges == null ? List.of() : List.copyOf(unexpectedCharges);
        attention = attention == null ? List.of() : List.copyOf(attention);
    }

    public String currency() {
        return amount.currency();
    }

    /** Refunds the gateway paid. */
    public Money refunded() {
        return sumOfRefunds(RefundStatus.SUCCEEDED);
    }

    /** Refunds requested and not yet settled. */
    public Money refundsPending() {
        return sumOfRefunds(RefundStatus.PENDING);
    }

    /** What may still be refunded: the capture less every refund paid or under way. */
    public Money refundable() {
        return captured.minus(refunded()).minus(refundsPending());
    }

    public Optional<Refund> refund(RefundId refundId) {
        return refunds.stream().filter(refund -> refund.refundId().equals(refundId)).findFirst();
    }

    public Optional<UnexpectedCharge> unexpectedCharge(String chargeId) {
        return unexpectedCharges.stream().filter(charge -> charge.chargeId().equals(chargeId)).findFirst();
    }

    public Optional<Attention> attentionTo(String step) {
        return attention.stream().filter(item -> item.step().equals(step)).findFirst();
    }

    private Money sumOfRefunds(RefundStatus status) {
        return refunds.stream()
                .filter(refund -> refund.status() == status)
                .map(Refund::amount)
                .reduce(Money.zero(currency()), Money::plus);
    }
}

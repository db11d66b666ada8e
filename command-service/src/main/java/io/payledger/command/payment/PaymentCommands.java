package io.payledger.command.payment;

import io.payledger.events.money.Money;
import io.payledger.events.payment.CaptureMethod;
import io.payledger.events.payment.Customer;
import io.payledger.events.payment.MerchantId;
import io.payledger.events.payment.PaymentId;
import io.payledger.events.payment.RefundId;
import java.util.Map;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * The commands of the Payment aggregate. Merchant commands carry the merchant acting, so that a
 * merchant can only reach its own payments; gateway commands report what Fiuu said.
 */
public final class PaymentCommands {

    private PaymentCommands() {
    }

    // merchant commands

    public record InitiatePayment(@TargetAggregateIdentifier PaymentId paymentId, MerchantId merchantId,
                                  String merchantReference, Money amount, CaptureMethod captureMethod,
                                  Customer customer, String description, String returnUrl,
                                  Map<String, String> metadata) {
    }

    /** @param amount null captures everything authorised */
    public record CapturePayment(@TargetAggregateIdentifier PaymentId paymentId, MerchantId merchantId,
                                 RequestedAmount amount) {
    }

    public record VoidPayment(@TargetAggregateIdentifier PaymentId paymentId, MerchantId merchantId) {
    }

    public record RefundPayment(@TargetAggregateIdentifier PaymentId paymentId, MerchantId merchantId,
                                RefundId refundId, RequestedAmount amount, String reason) {
    }

    // gateway outcomes: each is a no-op when it restates what is already recorded

    public record RecordCheckoutPrepared(@TargetAggregateIdentifier PaymentId paymentId, String redirectUrl) {
    }

    public record RecordAuthorisation(@TargetAggregateIdentifier PaymentId paymentId, Money amount,
                                      String gatewayTransactionId) {
    }

    public record RecordAuthorisationFailure(@TargetAggregateIdentifier PaymentId paymentId,
                                             String gatewayTransactionId, String reasonCode, String reason) {
    }

    /** @param amount null means the amount that was requested */
    public record RecordCapture(@TargetAggregateIdentifier PaymentId paymentId, Money amount,
                                String gatewayTransactionId) {
    }

    public record RecordCaptureFailure(@TargetAggregateIdentifier PaymentId paymentId, String reasonCode,
                                       String reason) {
    }

    public record RecordVoid(@TargetAggregateIdentifier PaymentId paymentId) {
    }

    public record RecordVoidFailure(@TargetAggregateIdentifier PaymentId paymentId, String reasonCode, String reason) {
    }

    public record RecordRefundSuccess(@TargetAggregateIdentifier PaymentId paymentId, RefundId refundId,
                                      String gatewayRefundId) {
    }

    public record RecordRefundFailure(@TargetAggregateIdentifier PaymentId paymentId, RefundId refundId,
                                      String reasonCode, String reason) {
    }

    public record ExpirePayment(@TargetAggregateIdentifier PaymentId paymentId) {
    }

    /** Fiuu gave an unexpected charge back: {@code releasedBy} reversal or refund. */
    public record RecordUnexpectedChargeRelease(@TargetAggregateIdentifier PaymentId paymentId, String chargeId,
                                                String releasedBy, String gatewayReference) {
    }

    /** The gateway cannot settle a step by itself (see {@code Steps} for the names). */
    public record RequireAttention(@TargetAggregateIdentifier PaymentId paymentId, String step, String reasonCode,
                                   String detail) {
    }

    // operator commands

    /** The step no longer waits: an operator asks the gateway to try it again, or the gateway settled it. */
    public record ClearAttention(@TargetAggregateIdentifier PaymentId paymentId, String step, String resolution,
                                 String clearedBy, String note) {
    }

    /** An operator records what became of a stuck step. */
    public record ResolveAttention(@TargetAggregateIdentifier PaymentId paymentId, String step, String outcome,
                                   String operator, String note) {
    }
}

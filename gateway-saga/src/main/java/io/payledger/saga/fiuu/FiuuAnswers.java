package io.payledger.saga.fiuu;

import io.payledger.events.money.Money;

/** What Fiuu answered, reduced to what the saga decides on. The raw status code is kept for the record. */
public final class FiuuAnswers {

    private FiuuAnswers() {
    }

    public enum CaptureOutcome { CAPTURED, PENDING, REFUSED }

    public record Capture(CaptureOutcome outcome, String statCode) { }

    public enum VoidOutcome { VOIDED, REFUSED }

    public record Void(VoidOutcome outcome, String statCode) { }

    public enum RefundOutcome { SUCCEEDED, PENDING, REJECTED, DUPLICATE }

    public record Refund(RefundOutcome outcome, String code, String refundId) { }

    public enum PaymentOutcome { AUTHORISED, CAPTURED, FAILED, PENDING, UNKNOWN }

    /**
     * A status query: what Fiuu knows of an order's latest transaction, or of one transaction. {@code amount} is in
     * the currency Fiuu reports, which need not be the payment's. UNKNOWN means Fiuu has no such transaction.
     */
    public record Status(PaymentOutcome outcome, String statCode, String statName, String tranId, Money amount) {

        /** Fiuu says the transaction was reversed (voided): cancelled, released, or cancel requested. */
        public boolean reversed() {
            return outcome == PaymentOutcome.FAILED && java.util.Set.of("cancelled", "release", "reqcancel")
                    .contains(statName == null ? "" : statName.toLowerCase(java.util.Locale.ROOT));
        }
    }
}

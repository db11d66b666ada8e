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

    /** A status re-query: what Fiuu knows of an order. */
    public record Status(PaymentOutcome outcome, String statCode, String statName, String tranId, Money amount) { }
}

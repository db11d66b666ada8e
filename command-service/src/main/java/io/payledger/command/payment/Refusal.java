package io.payledger.command.payment;

/**
 * Every way the payment rules can say no, each with a stable code that becomes the problem
 * type of the API's answer. {@link Kind} decides the HTTP status once, in the web layer.
 */
public enum Refusal {
    PAYMENT_NOT_FOUND(Kind.NOT_FOUND, "payment-not-found", "No such payment"),
    REFUND_NOT_FOUND(Kind.NOT_FOUND, "refund-not-found", "No such refund"),
    CHARGE_NOT_FOUND(Kind.NOT_FOUND, "charge-not-found", "No such unexpected charge"),
    MERCHANT_REFERENCE_TAKEN(Kind.CONFLICT, "merchant-reference-taken", "Merchant reference already used"),
    MERCHANT_REFERENCE_IN_FLIGHT(Kind.CONFLICT, "merchant-reference-in-flight",
            "Another request is creating a payment with this merchant reference"),
    PAYMENT_NOT_AUTHORISED(Kind.CONFLICT, "payment-not-authorised", "The payment is not authorised"),
    CAPTURE_ALREADY_REQUESTED(Kind.CONFLICT, "capture-already-requested", "A capture is already in progress"),
    ALREADY_CAPTURED(Kind.CONFLICT, "payment-already-captured", "The payment is already captured"),
    AUTOMATIC_CAPTURE(Kind.CONFLICT, "automatic-capture", "The payment captures automatically"),
    VOID_ALREADY_REQUESTED(Kind.CONFLICT, "void-already-requested", "A void is already in progress"),
    PAYMENT_VOIDED(Kind.CONFLICT, "payment-voided", "The payment was voided"),
    PAYMENT_NOT_CAPTURED(Kind.CONFLICT, "payment-not-captured", "The payment is not captured"),
    PAYMENT_FINAL(Kind.CONFLICT, "payment-final", "The payment is in a final state"),
    OUTCOME_CONTRADICTS_STATE(Kind.CONFLICT, "outcome-contradicts-state", "The gateway outcome contradicts the payment's state"),
    CONCURRENT_MODIFICATION(Kind.CONFLICT, "concurrent-modification", "The payment was changed concurrently; retry"),
    NO_ATTENTION_NEEDED(Kind.CONFLICT, "no-attention-needed", "Nothing about this step waits for a person"),
    OUTCOME_NOT_ALLOWED(Kind.UNPROCESSABLE, "outcome-not-allowed", "That outcome does not fit the step"),
    CURRENCY_NOT_SUPPORTED(Kind.UNPROCESSABLE, "currency-not-supported", "The gateway cannot take payments in this currency"),
    AMOUNT_EXCEEDS_AUTHORISED(Kind.UNPROCESSABLE, "amount-exceeds-authorised", "Capture exceeds the authorised amount"),
    AMOUNT_EXCEEDS_REFUNDABLE(Kind.UNPROCESSABLE, "amount-exceeds-refundable", "Refund exceeds what may still be refunded"),
    AMOUNT_MISMATCH(Kind.UNPROCESSABLE, "amount-mismatch", "The amount does not match the payment"),
    CURRENCY_MISMATCH(Kind.UNPROCESSABLE, "currency-mismatch", "The currency differs from the payment's currency"),
    CURRENCY_NOT_ALLOWED(Kind.UNPROCESSABLE, "currency-not-allowed", "The merchant may not take payments in this currency"),
    AMOUNT_ABOVE_MAXIMUM(Kind.UNPROCESSABLE, "amount-above-maximum", "The amount is above the allowed maximum");

    public enum Kind { NOT_FOUND, CONFLICT, UNPROCESSABLE }

    private final Kind kind;
    private final String code;
    private final String title;

    Refusal(Kind kind, String code, String title) {
        this.kind = kind;
        this.code = code;
        this.title = title;
    }

    public Kind kind() {
        return kind;
    }

    public String code() {
        return code;
    }

    public String title() {
        return title;
    }

    public PaymentRefused because(String detail) {
        return new PaymentRefused(this, detail);
    }
}

package io.payledger.command.payment;

/** A command the payment rules refuse. Nothing was applied. */
public class PaymentRefused extends RuntimeException {

    private final Refusal refusal;

    public PaymentRefused(Refusal refusal, String detail) {
        super(detail);
        this.refusal = refusal;
    }

    public Refusal refusal() {
        return refusal;
    }
}

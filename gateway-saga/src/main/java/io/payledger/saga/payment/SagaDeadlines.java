package io.payledger.saga.payment;

/**
 * The payloads of the saga's deadlines. Axon matches a deadline to its handler by the payload type
 * (the handler's first parameter), so every deadline carries one, and it says what is due.
 */
final class SagaDeadlines {

    private SagaDeadlines() {
    }

    /** Ask Fiuu what became of a payment that has heard nothing. */
    record RequeryPayment(String paymentId) { }

    /** Call capture again: Fiuu did not answer, or the capture is pending. */
    record RetryCapture(String paymentId) { }

    /** Call reversal again: Fiuu did not answer. */
    record RetryVoid(String paymentId) { }

    /** Ask again about a refund Fiuu did not answer or left pending. */
    record RetryRefund(String refundId) { }
}

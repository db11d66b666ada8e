package io.payledger.command.payment;

import io.payledger.events.payment.PaymentState;

/**
 * A payment as the command side knows it after a command, and the aggregate's sequence number
 * after that command, which doubles as the consistency token for reads.
 */
public record PaymentResult(PaymentState state, long version) {
}

package io.payledger.events.payment;

import java.time.Instant;

/** A step of the payment waiting for a person (see {@link AttentionRequired}). */
public record Attention(String step, String reasonCode, String detail, Instant since) {
}

package io.payledger.query.payment;

/** A payment's answer as the projection wrote it: the response's JSON, whose merchant, at which version. */
public record PaymentView(String paymentId, String merchantId, String document, long version) { }

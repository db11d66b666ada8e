package io.payledger.query.payment;

/** A payment's view as written: its JSON document and the version (sequence number) it reflects. */
public record PaymentView(String paymentId, String document, long version) { }

package io.payledger.command.payment;

import io.payledger.events.payment.MerchantId;
import io.payledger.events.payment.PaymentId;

/**
 * A merchant's order references are unique: Fiuu knows a payment by it (orderid). A claim joins the
 * transaction that stores the payment's first event, so a reference is taken exactly when a
 * payment is created with it.
 */
public interface MerchantReferences {

    /** @throws PaymentRefused MERCHANT_REFERENCE_TAKEN when another payment has it */
    void claim(MerchantId merchant, String merchantReference, PaymentId paymentId);
}

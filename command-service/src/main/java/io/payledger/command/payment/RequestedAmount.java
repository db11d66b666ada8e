package io.payledger.command.payment;

import io.payledger.events.money.Money;

/**
 * An amount a merchant asks to capture or refund: minor units, and a currency only if the merchant
 * named one. It becomes {@link Money} in the payment's own currency, and naming another currency is refused.
 */
public record RequestedAmount(long minorUnits, String currency) {

    public Money in(String paymentCurrency) {
        if (currency != null && !currency.equals(paymentCurrency)) {
            throw Refusal.CURRENCY_MISMATCH.because("the payment is in " + paymentCurrency + ", not " + currency);
        }
        return Money.of(minorUnits, paymentCurrency);
    }
}

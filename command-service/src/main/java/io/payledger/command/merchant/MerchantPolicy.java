package io.payledger.command.merchant;

import io.payledger.command.payment.Refusal;
import io.payledger.events.money.Money;
import io.payledger.events.payment.MerchantId;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.stereotype.Component;

/**
 * Which currencies a payment may be in and how large it may be. First the gateway's own limits: Fiuu takes
 * amounts with at most two decimals, so a currency with three (KWD, BHD...) can never go out as its exact
 * amount, and only the currencies the Fiuu account is set up for ({@code payledger.merchants.gateway-currencies}).
 * Then the merchant's: its currencies and the largest payment.
 */
@Component
@EnableConfigurationProperties(MerchantPolicyProperties.class)
public class MerchantPolicy {

    private final MerchantPolicyProperties properties;

    MerchantPolicy(MerchantPolicyProperties properties) {
        this.properties = properties;
    }

    public void check(MerchantId merchant, Money amount) {
        if (amount.minorUnitDigits() > 2 || !properties.gatewayCurrencies().contains(amount.currency())) {
            throw Refusal.CURRENCY_NOT_SUPPORTED.because("the gateway takes payments in " + properties.gatewayCurrencies()
                    + (amount.minorUnitDigits() > 2 ? ", with at most two decimals; " + amount.currency() + " has "
                    + amount.minorUnitDigits() : ", not " + amount.currency()));
        }
        var allowed = properties.currencies().getOrDefault(merchant.value(), properties.defaultCurrencies());
        if (!allowed.contains(amount.currency())) {
            throw Refusal.CURRENCY_NOT_ALLOWED.because("this merchant may take payments in " + allowed
                    + ", not " + amount.currency());
        }
        long maximum = properties.maxAmountByCurrency().getOrDefault(amount.currency(), properties.maxAmount());
        if (amount.amount() > maximum) {
            throw Refusal.AMOUNT_ABOVE_MAXIMUM.because("the largest payment is " + maximum + " minor units of "
                    + amount.currency());
        }
    }
}

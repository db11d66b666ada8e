package io.payledger.command.merchant;

import io.payledger.command.payment.Refusal;
import io.payledger.events.money.Money;
import io.payledger.events.payment.MerchantId;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.stereotype.Component;

/** Which currencies a merchant may use and how large one payment may be. */
@Component
@EnableConfigurationProperties(MerchantPolicyProperties.class)
public class MerchantPolicy {

    private final MerchantPolicyProperties properties;

    MerchantPolicy(MerchantPolicyProperties properties) {
        this.properties = properties;
    }

    public void check(MerchantId merchant, Money amount) {
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

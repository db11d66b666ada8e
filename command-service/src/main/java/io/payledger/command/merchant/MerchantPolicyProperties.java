package io.payledger.command.merchant;

import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.Positive;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * What each merchant may do.
 *
 * @param defaultCurrencies currencies every merchant may take payments in
 * @param currencies        per merchant id, the currencies that merchant may use instead of the defaults
 * @param maxAmount         the largest payment, in minor units, unless {@code maxAmountByCurrency} says otherwise
 * @param maxAmountByCurrency per ISO-4217 code, the largest payment in that currency's minor units
 * @param gatewayCurrencies the currencies the Fiuu account takes; whatever a merchant may use, no other goes out
 */
@Validated
@ConfigurationProperties("payledger.merchants")
public record MerchantPolicyProperties(@NotEmpty List<String> defaultCurrencies, Map<String, List<String>> currencies,
                                       @Positive long maxAmount, Map<String, Long> maxAmountByCurrency,
                                       List<String> gatewayCurrencies) {

    public MerchantPolicyProperties {
        gatewayCurrencies = gatewayCurrencies == null || gatewayCurrencies.isEmpty() ? defaultCurrencies
                : List.copyOf(gatewayCurrencies);
        currencies = currencies == null ? Map.of() : Map.copyOf(currencies);
        maxAmountByCurrency = maxAmountByCurrency == null ? Map.of() : Map.copyOf(maxAmountByCurrency);
    }
}

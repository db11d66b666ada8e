package io.payledger.saga.fiuu;

import io.payledger.events.money.Money;
import java.math.BigDecimal;

/**
 * Money at the Fiuu edge: Fiuu's wire amounts are major-unit strings with exactly the currency's
 * decimals ("10.50" for 1050 sen, "500" for 500 yen). Nowhere else does a decimal amount exist.
 */
public final class FiuuAmounts {

    private FiuuAmounts() {
    }

    /** @throws IllegalArgumentException for a currency with more than two decimals, which Fiuu cannot take */
    public static String toWire(Money money) {
        if (money.minorUnitDigits() > 2) {
            throw new IllegalArgumentException("Fiuu takes at most two decimals; " + money.currency() + " has "
                    + money.minorUnitDigits());
        }
        return BigDecimal.valueOf(money.amount(), money.minorUnitDigits()).toPlainString();
    }

    /** @throws IllegalArgumentException for an amount with more decimals than the currency has */
    public static Money fromWire(String amount, String currency) {
        Money unit = Money.zero(currency);
        BigDecimal minor = new BigDecimal(amount.trim()).movePointRight(unit.minorUnitDigits());
        return Money.of(minor.longValueExact(), currency);
    }
}

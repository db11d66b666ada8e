package io.payledger.saga.fiuu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.payledger.events.money.Money;
import org.junit.jupiter.api.Test;

class FiuuAmountsTest {

    @Test
    void minorUnitsBecomeMajorUnitStringsWithTheCurrencysDecimals() {
        assertThat(FiuuAmounts.toWire(Money.of(1050, "MYR"))).isEqualTo("10.50");
        assertThat(FiuuAmounts.toWire(Money.of(1000, "MYR"))).isEqualTo("10.00");
        assertThat(FiuuAmounts.toWire(Money.of(5, "MYR"))).isEqualTo("0.05");
        assertThat(FiuuAmounts.toWire(Money.of(500, "JPY"))).isEqualTo("500");
    }

    @Test
    void aCurrencyWithThreeDecimalsNeverGoesOutBecauseFiuuWouldRefuseIt() {
        assertThatThrownBy(() -> FiuuAmounts.toWire(Money.of(1500, "BHD"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at most two decimals");
    }

    @Test
    void wireAmountsComeBackAsExactMinorUnits() {
        assertThat(FiuuAmounts.fromWire("10.50", "MYR")).isEqualTo(Money.of(1050, "MYR"));
        assertThat(FiuuAmounts.fromWire("20", "MYR")).isEqualTo(Money.of(2000, "MYR"));
        assertThat(FiuuAmounts.fromWire("500", "JPY")).isEqualTo(Money.of(500, "JPY"));
    }

    @Test
    void aWireAmountWithMoreDecimalsThanTheCurrencyHasIsRefused() {
        assertThatThrownBy(() -> FiuuAmounts.fromWire("10.505", "MYR")).isInstanceOf(ArithmeticException.class);
    }
}

package io.payledger.events.money;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class MoneyTest {

    @Test
    void moneyIsAWholeNumberOfMinorUnitsInARealCurrency() {
        Money tenRinggit = Money.of(1000, "MYR");

        assertThat(tenRinggit.amount()).isEqualTo(1000);
        assertThat(tenRinggit.minorUnitDigits()).isEqualTo(2);
        assertThat(Money.of(500, "JPY").minorUnitDigits()).isZero();
        assertThat(Money.of(500, "BHD").minorUnitDigits()).isEqualTo(3);
    }

    @Test
    void anUnknownCurrencyCodeIsRefused() {
        assertThatThrownBy(() -> Money.of(1, "XYZ")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Money.of(1, "myr")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void negativeMoneyIsRefused() {
        assertThatThrownBy(() -> Money.of(-1, "MYR")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void arithmeticRefusesToMixCurrencies() {
        assertThatThrownBy(() -> Money.of(1, "MYR").plus(Money.of(1, "SGD")))
                .isInstanceOf(CurrencyMismatchException.class);
        assertThatThrownBy(() -> Money.of(1, "MYR").exceeds(Money.of(1, "SGD")))
                .isInstanceOf(CurrencyMismatchException.class);
    }

    @Test
    void subtractingMoreThanThereIsIsRefusedRatherThanGoingNegative() {
        assertThat(Money.of(1050, "MYR").minus(Money.of(50, "MYR"))).isEqualTo(Money.of(1000, "MYR"));
        assertThatThrownBy(() -> Money.of(10, "MYR").minus(Money.of(11, "MYR")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void additionThatWouldOverflowFailsInsteadOfWrapping() {
        assertThatThrownBy(() -> Money.of(Long.MAX_VALUE, "MYR").plus(Money.of(1, "MYR")))
                .isInstanceOf(ArithmeticException.class);
    }
}

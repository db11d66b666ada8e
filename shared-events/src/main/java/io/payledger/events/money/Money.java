package io.payledger.events.money;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.Currency;
import java.util.Objects;

/**
 * An amount of money: a non-negative count of minor units (sen, cents) and an ISO-4217 currency.
 * Never a double. Arithmetic refuses to mix currencies and never goes below zero; a movement's
 * direction is carried by a ledger posting's side, not by a sign.
 */
public record Money(long amount, String currency) implements Comparable<Money> {

    public Money {
        Objects.requireNonNull(currency, "currency");
        if (!isIsoCurrency(currency)) {
            throw new IllegalArgumentException("not an ISO-4217 currency code: " + currency);
        }
        if (amount < 0) {
            throw new IllegalArgumentException("money cannot be negative: " + amount + " " + currency);
        }
    }

    public static Money of(long minorUnits, String currency) {
        return new Money(minorUnits, currency);
    }

    public static Money zero(String currency) {
        return new Money(0, currency);
    }

    public static boolean isIsoCurrency(String code) {
        if (code == null || !code.matches("[A-Z]{3}")) {
            return false;
        }
        try {
            Currency.getInstance(code);
            return true;
        } catch (IllegalArgumentException unknown) {
            return false;
        }
    }

    /** How many digits the currency has after the decimal point (MYR 2, JPY 0, BHD 3). */
    @JsonIgnore
    public int minorUnitDigits() {
        return Math.max(0, Currency.getInstance(currency).getDefaultFractionDigits());
    }

    public Money plus(Money other) {
        requireSameCurrency(other);
        return new Money(Math.addExact(amount, other.amount), currency);
    }

    public Money minus(Money other) {
        requireSameCurrency(other);
        if (other.amount > amount) {
            throw new IllegalArgumentException("cannot subtract " + other + " from " + this);
        }
        return new Money(amount - other.amount, currency);
    }

    @JsonIgnore
    public boolean isZero() {
        return amount == 0;
    }

    @JsonIgnore
    public boolean isPositive() {
        return amount > 0;
    }

    public boolean exceeds(Money other) {
        return compareTo(other) > 0;
    }

    @Override
    public int compareTo(Money other) {
        requireSameCurrency(other);
        return Long.compare(amount, other.amount);
    }

    public boolean sameCurrencyAs(Money other) {
        return currency.equals(other.currency);
    }

    private void requireSameCurrency(Money other) {
        if (!sameCurrencyAs(other)) {
            throw new CurrencyMismatchException(this, other);
        }
    }

    @Override
    public String toString() {
        return amount + " " + currency;
    }
}

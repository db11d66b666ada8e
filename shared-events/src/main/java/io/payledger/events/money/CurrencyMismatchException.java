package io.payledger.events.money;

/** Two amounts of different currencies met in one calculation. Money never converts silently. */
public class CurrencyMismatchException extends IllegalArgumentException {
    public CurrencyMismatchException(Money left, Money right) {
        super("currencies differ: " + left + " and " + right);
    }
}

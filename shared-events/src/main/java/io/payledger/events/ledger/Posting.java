package io.payledger.events.ledger;

import io.payledger.events.money.Money;
import java.util.Objects;

/** One line of a journal entry: an account, a side and a positive amount. */
public record Posting(Account account, Side side, Money amount) {

    public Posting {
        Objects.requireNonNull(account, "account");
        Objects.requireNonNull(side, "side");
        Objects.requireNonNull(amount, "amount");
        if (!amount.isPositive()) {
            throw new IllegalArgumentException("a posting moves a positive amount, not " + amount);
        }
    }

    public static Posting debit(Account account, Money amount) {
        return new Posting(account, Side.DEBIT, amount);
    }

    public static Posting credit(Account account, Money amount) {
        return new Posting(account, Side.CREDIT, amount);
    }
}

package io.payledger.events.ledger;

import static io.payledger.events.ledger.Account.AUTHORISATIONS_OUTSTANDING;
import static io.payledger.events.ledger.Account.AUTHORISATION_HOLDS;
import static io.payledger.events.ledger.Account.GATEWAY_CLEARING;
import static io.payledger.events.ledger.Account.MERCHANT_PAYABLE;
import static io.payledger.events.ledger.Account.REFUNDS_IN_FLIGHT;
import static io.payledger.events.ledger.Account.UNEXPECTED_CHARGES;
import static io.payledger.events.ledger.Account.UNEXPECTED_CHARGES_OWED;
import static io.payledger.events.ledger.Posting.credit;
import static io.payledger.events.ledger.Posting.debit;

import io.payledger.events.money.Money;
import java.util.ArrayList;
import java.util.List;

/** The entry each money-moving step of a payment carries (docs/ledger.md has the same table in prose). */
public final class JournalEntries {

    private JournalEntries() {
    }

    /** The gateway holds the customer's funds for us. */
    public static JournalEntry authorisation(Money authorised) {
        return JournalEntry.of(debit(AUTHORISATION_HOLDS, authorised), credit(AUTHORISATIONS_OUTSTANDING, authorised));
    }

    /** The hold is released in full; what was captured becomes owed by the gateway and owed to the merchant. */
    public static JournalEntry capture(Money authorised, Money captured) {
        List<Posting> postings = new ArrayList<>(releaseHoldPostings(authorised));
        postings.add(debit(GATEWAY_CLEARING, captured));
        postings.add(credit(MERCHANT_PAYABLE, captured));
        return new JournalEntry(postings);
    }

    /** A void or a lapsed authorisation: the hold goes, nothing else moves. */
    public static JournalEntry releaseHold(Money held) {
        return new JournalEntry(releaseHoldPostings(held));
    }

    /** Reserve the refund against the merchant's payable so concurrent refunds cannot overspend. */
    public static JournalEntry refundRequested(Money refund) {
        return JournalEntry.of(debit(MERCHANT_PAYABLE, refund), credit(REFUNDS_IN_FLIGHT, refund));
    }

    /** The gateway paid the customer back out of what it owed us. */
    public static JournalEntry refundSucceeded(Money refund) {
        return JournalEntry.of(debit(REFUNDS_IN_FLIGHT, refund), credit(GATEWAY_CLEARING, refund));
    }

    /** The gateway refused the refund: the reservation returns to the merchant. */
    public static JournalEntry refundFailed(Money refund) {
        return JournalEntry.of(debit(REFUNDS_IN_FLIGHT, refund), credit(MERCHANT_PAYABLE, refund));
    }

    /** Money Fiuu holds or took that belongs to no payment: in suspense, owed back to the customer. */
    public static JournalEntry unexpectedCharge(Money charged) {
        return JournalEntry.of(debit(UNEXPECTED_CHARGES, charged), credit(UNEXPECTED_CHARGES_OWED, charged));
    }

    /** Fiuu gave the unexpected charge back (reversal or refund): the suspense is cleared. */
    public static JournalEntry unexpectedChargeReleased(Money charged) {
        return JournalEntry.of(debit(UNEXPECTED_CHARGES_OWED, charged), credit(UNEXPECTED_CHARGES, charged));
    }

    private static List<Posting> releaseHoldPostings(Money held) {
        return List.of(debit(AUTHORISATIONS_OUTSTANDING, held), credit(AUTHORISATION_HOLDS, held));
    }
}

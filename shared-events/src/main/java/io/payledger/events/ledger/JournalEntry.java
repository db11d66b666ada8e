package io.payledger.events.ledger;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A balanced set of postings: in every currency the debits equal the credits. An unbalanced
 * entry cannot be built, so no event can carry one, and a stored event altered to carry one no
 * longer deserializes.
 */
public record JournalEntry(List<Posting> postings) {

    public JournalEntry {
        postings = List.copyOf(postings);
        if (postings.size() < 2) {
            throw new UnbalancedEntryException("a journal entry needs at least two postings");
        }
        Map<String, Long> net = new HashMap<>();
        for (Posting posting : postings) {
            long signed = posting.side() == Side.DEBIT ? posting.amount().amount() : -posting.amount().amount();
            net.merge(posting.amount().currency(), signed, Math::addExact);
        }
        net.forEach((currency, difference) -> {
            if (difference != 0) {
                throw new UnbalancedEntryException(
                        "debits and credits differ by " + difference + " minor units of " + currency);
            }
        });
    }

    public static JournalEntry of(Posting... postings) {
        return new JournalEntry(List.of(postings));
    }
}

package io.payledger.verifier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.payledger.events.audit.StoredEvent;
import io.payledger.events.json.EventJson;
import io.payledger.events.ledger.Posting;
import io.payledger.events.ledger.Side;
import io.payledger.events.payment.PaymentEvent;
import io.payledger.events.payment.PaymentHistory;
import io.payledger.events.payment.PaymentState;
import io.payledger.events.upcasting.EventRevisions;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Every payment replayed from its stored events with the services' own fold ({@link PaymentHistory}), after the
 * services' own upcasting ({@link EventRevisions}), and the journal recomputed from the entries the events carry:
 * debits and credits per account and currency, and the trial balance per currency.
 */
final class Replay {

    /** One account's totals in one currency, in minor units. */
    record Totals(long debits, long credits) {

        static Totals of(Posting posting) {
            return posting.side() == Side.DEBIT ? new Totals(posting.amount().amount(), 0) : new Totals(0, posting.amount().amount());
        }

        Totals plus(Totals other) {
            return new Totals(debits + other.debits, credits + other.credits);
        }

        long net() {
            return debits - credits;
        }
    }

    private final ObjectMapper json = EventJson.newMapper();
    private final Map<String, PaymentState> payments = new HashMap<>();
    private final Map<String, Class<?>> types = new HashMap<>();
    /** "account currency" -> totals, sorted for printing. */
    private final Map<String, Totals> balances = new TreeMap<>();
    private final List<String> failures = new ArrayList<>();
    private long entries;
    private long lines;

    void apply(StoredEvent stored) {
        try {
            JsonNode payload = EventRevisions.current(stored.payloadType(), stored.payloadRevision(),
                    json.readTree(stored.payload()));
            PaymentEvent event = (PaymentEvent) json.treeToValue(payload, type(stored.payloadType()));
            payments.put(stored.paymentId(), PaymentHistory.apply(payments.get(stored.paymentId()), event));
            event.journal().ifPresent(entry -> {
                entries++;
                for (Posting posting : entry.postings()) {
                    lines++;
                    balances.merge(posting.account().code() + " " + posting.amount().currency(), Totals.of(posting), Totals::plus);
                }
            });
        } catch (IOException | ClassNotFoundException | RuntimeException e) {
            if (failures.size() < 100) {
                failures.add("payment " + stored.paymentId() + " #" + stored.sequenceNumber() + " does not replay: " + e.getMessage());
            }
        }
    }

    private Class<?> type(String name) throws ClassNotFoundException {
        Class<?> type = types.get(name);
        if (type == null) {
            type = Class.forName(name);
            types.put(name, type);
        }
        return type;
    }

    Map<String, PaymentState> payments() {
        return payments;
    }

    Map<String, Totals> balances() {
        return balances;
    }

    /** Debits and credits per currency over every account. */
    Map<String, Totals> trialBalance() {
        Map<String, Totals> totals = new TreeMap<>();
        balances.forEach((key, account) -> totals.merge(key.substring(key.indexOf(' ') + 1), account, Totals::plus));
        return totals;
    }

    List<String> failures() {
        return failures;
    }

    long entries() {
        return entries;
    }

    long lines() {
        return lines;
    }
}

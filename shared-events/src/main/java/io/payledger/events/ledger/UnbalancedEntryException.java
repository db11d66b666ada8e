package io.payledger.events.ledger;

public class UnbalancedEntryException extends IllegalArgumentException {
    public UnbalancedEntryException(String message) {
        super(message);
    }
}

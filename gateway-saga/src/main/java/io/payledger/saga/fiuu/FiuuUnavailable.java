package io.payledger.saga.fiuu;

/**
 * Fiuu could not be asked, or its answer cannot be trusted: a timeout, a 5xx, an open circuit, a
 * busy answer, or a reply whose signature does not verify. Nothing is known of the outcome, so the
 * caller must find out later (re-query) rather than guess.
 */
public class FiuuUnavailable extends RuntimeException {
    public FiuuUnavailable(String message, Throwable cause) {
        super(message, cause);
    }

    public FiuuUnavailable(String message) {
        super(message);
    }
}

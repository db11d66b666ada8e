package io.payledger.saga.fiuu;

/**
 * Fiuu answered, but not with anything its protocol documents for the call (an unknown status code, an amount
 * its currency cannot have), or it refused the request itself (HTTP 4xx). Asking again the same way will not
 * help and nothing may be guessed: the step waits for a person.
 */
public class FiuuUnexpectedAnswer extends RuntimeException {
    public FiuuUnexpectedAnswer(String message) {
        super(message);
    }
}

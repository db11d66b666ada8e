package io.payledger.command.idempotency;

/** The key cannot be used for this request: reused with another body, or its first request is still running. */
public class IdempotencyKeyRefused extends RuntimeException {

    public enum Reason { REUSED_WITH_ANOTHER_REQUEST, IN_FLIGHT }

    private final Reason reason;

    public IdempotencyKeyRefused(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}

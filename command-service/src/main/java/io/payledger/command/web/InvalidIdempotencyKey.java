package io.payledger.command.web;

public class InvalidIdempotencyKey extends BadRequest {
    public InvalidIdempotencyKey() {
        super("invalid-idempotency-key", "Idempotency-Key must be 1-255 printable ASCII characters");
    }
}

package io.payledger.command.idempotency;

import java.util.UUID;

/**
 * A request's answer, stored under its Idempotency-Key in the same transaction that applies the request, so the key
 * is taken exactly when the request's effects are. {@code holder} names this request among others that may carry the
 * same key.
 */
public record CompletedRequest(IdempotencyKey key, UUID holder, int status, String location, String body) {
}

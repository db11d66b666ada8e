package io.payledger.command.idempotency;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * The idempotency_key table. Reservations and releases commit on their own; completion joins the caller's
 * transaction. Every change after the reservation names the request holding the key ({@code holder}, a fencing
 * token): a request whose lease ran out and whose key a retry took over changes nothing.
 */
@Repository
class IdempotencyStore {

    record Stored(String requestHash, boolean completed, boolean leaseExpired, Integer status, String location,
                  String body) {
    }

    private final JdbcTemplate jdbc;

    IdempotencyStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** @return true if this request ({@code holder}) now holds the key */
    boolean reserve(IdempotencyKey key, UUID holder, Duration lease) {
        return jdbc.update("""
                INSERT INTO idempotency_key (merchant_id, idempotency_key, request_hash, state, locked_until, holder)
                VALUES (?, ?, ?, 'in_flight', now() + make_interval(secs => ?), ?) ON CONFLICT DO NOTHING""",
                key.merchant().value(), key.key(), key.requestHash(), lease.toMillis() / 1000.0, holder) == 1;
    }

    Optional<Stored> find(IdempotencyKey key) {
        List<Stored> rows = jdbc.query("""
                SELECT request_hash, state = 'completed' AS completed, locked_until <= now() AS lease_expired,
                       response_status, response_location, response_body
                FROM idempotency_key WHERE merchant_id = ? AND idempotency_key = ?""",
                (row, n) -> new Stored(row.getString("request_hash"), row.getBoolean("completed"),
                        row.getBoolean("lease_expired"), (Integer) row.getObject("response_status"),
                        row.getString("response_location"), row.getString("response_body")),
                key.merchant().value(), key.key());
        return rows.stream().findFirst();
    }

    /** Takes over a key whose request died (or stalled) past its lease; from now on {@code holder} holds it. */
    boolean takeOverExpired(IdempotencyKey key, UUID holder, Duration lease) {
        return jdbc.update("""
                UPDATE idempotency_key SET locked_until = now() + make_interval(secs => ?), holder = ?
                WHERE merchant_id = ? AND idempotency_key = ? AND request_hash = ?
                  AND state = 'in_flight' AND locked_until <= now()""",
                lease.toMillis() / 1000.0, holder, key.merchant().value(), key.key(), key.requestHash()) == 1;
    }

    /** @return false when {@code holder} no longer holds the key: its outcome must not be stored */
    boolean complete(IdempotencyKey key, UUID holder, int status, String location, String body) {
        return jdbc.update("""
                UPDATE idempotency_key SET state = 'completed', response_status = ?, response_location = ?,
                       response_body = ?, completed_at = now()
                WHERE merchant_id = ? AND idempotency_key = ? AND state = 'in_flight' AND holder = ?""",
                status, location, body, key.merchant().value(), key.key(), holder) == 1;
    }

    /** Releases the key if {@code holder} still holds it; a key another request took over stays with it. */
    void release(IdempotencyKey key, UUID holder) {
        jdbc.update("DELETE FROM idempotency_key WHERE merchant_id = ? AND idempotency_key = ? AND state = 'in_flight' AND holder = ?",
                key.merchant().value(), key.key(), holder);
    }
}

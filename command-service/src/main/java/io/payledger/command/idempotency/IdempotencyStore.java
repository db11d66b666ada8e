package io.payledger.command.idempotency;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/** The idempotency_key table. Reservations and releases commit on their own; completion joins the caller's transaction. */
@Repository
class IdempotencyStore {

    record Stored(String requestHash, boolean completed, boolean leaseExpired, Integer status, String location,
                  String body) {
    }

    private final JdbcTemplate jdbc;

    IdempotencyStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** @return true if this request now holds the key */
    boolean reserve(IdempotencyKey key, Duration lease) {
        return jdbc.update("""
                INSERT INTO idempotency_key (merchant_id, idempotency_key, request_hash, state, locked_until)
                VALUES (?, ?, ?, 'in_flight', now() + make_interval(secs => ?)) ON CONFLICT DO NOTHING""",
                key.merchant().value(), key.key(), key.requestHash(), lease.toSeconds()) == 1;
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

    /** Takes over a key whose first request died before completing it. */
    boolean takeOverExpired(IdempotencyKey key, Duration lease) {
        return jdbc.update("""
                UPDATE idempotency_key SET locked_until = now() + make_interval(secs => ?)
                WHERE merchant_id = ? AND idempotency_key = ? AND request_hash = ?
                  AND state = 'in_flight' AND locked_until <= now()""",
                lease.toSeconds(), key.merchant().value(), key.key(), key.requestHash()) == 1;
    }

    void complete(IdempotencyKey key, int status, String location, String body) {
        jdbc.update("""
                UPDATE idempotency_key SET state = 'completed', response_status = ?, response_location = ?,
                       response_body = ?, completed_at = now()
                WHERE merchant_id = ? AND idempotency_key = ?""",
                status, location, body, key.merchant().value(), key.key());
    }

    void release(IdempotencyKey key) {
        jdbc.update("DELETE FROM idempotency_key WHERE merchant_id = ? AND idempotency_key = ? AND state = 'in_flight'",
                key.merchant().value(), key.key());
    }
}

package io.payledger.saga.command;

import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * Reports waiting for command-service (outcome_outbox). A report is recorded in the transaction that
 * decided it; the relay takes, per payment, only the oldest one not yet delivered, so a payment's
 * reports arrive in the order they were decided even when one of them has to be retried.
 */
@Repository
class OutcomeOutbox {

    record Entry(long id, String paymentId, String outcome, String body, int attempts) { }

    private final JdbcTemplate jdbc;

    OutcomeOutbox(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    void record(String paymentId, String outcome, String body) {
        jdbc.update("INSERT INTO outcome_outbox (payment_id, outcome, body) VALUES (?, ?, ?)", paymentId, outcome, body);
    }

    /** Due reports, at most one per payment, locked for this transaction; other replicas skip them. */
    List<Entry> due(int limit) {
        return jdbc.query("""
                SELECT o.id, o.payment_id, o.outcome, o.body, o.attempts FROM outcome_outbox o
                WHERE o.delivered_at IS NULL AND o.next_attempt_at <= now()
                  AND NOT EXISTS (SELECT 1 FROM outcome_outbox earlier
                                  WHERE earlier.payment_id = o.payment_id AND earlier.id < o.id
                                    AND earlier.delivered_at IS NULL)
                ORDER BY o.id LIMIT ? FOR UPDATE OF o SKIP LOCKED""",
                (row, n) -> new Entry(row.getLong(1), row.getString(2), row.getString(3), row.getString(4),
                        row.getInt(5)), limit);
    }

    void delivered(long id, int attempts, CommandServiceClient.Result result) {
        jdbc.update("UPDATE outcome_outbox SET delivered_at = now(), attempts = ?, result = ? WHERE id = ?",
                attempts, result.name().toLowerCase(), id);
    }

    void retryLater(long id, int attempts, long delayMillis, String error) {
        jdbc.update("""
                UPDATE outcome_outbox SET attempts = ?, last_error = left(?, 500),
                       next_attempt_at = now() + make_interval(secs => ?) WHERE id = ?""",
                attempts, error, delayMillis / 1000.0, id);
    }

    long undelivered() {
        return Optional.ofNullable(jdbc.queryForObject(
                "SELECT count(*) FROM outcome_outbox WHERE delivered_at IS NULL", Long.class)).orElse(0L);
    }

    /** Seconds since the oldest undelivered report was recorded; 0 when every report is delivered. */
    double oldestUndeliveredSeconds() {
        return Optional.ofNullable(jdbc.queryForObject("""
                SELECT extract(epoch FROM now() - min(recorded_at)) FROM outcome_outbox
                WHERE delivered_at IS NULL""", Double.class)).orElse(0.0);
    }
}

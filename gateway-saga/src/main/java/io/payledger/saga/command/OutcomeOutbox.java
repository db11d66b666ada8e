package io.payledger.saga.command;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * Reports waiting for command-service (outcome_outbox). A report is recorded in the transaction that
 * decided it; the relay takes, per payment, only the oldest one not yet delivered, so a payment's
 * reports arrive in the order they were decided even when one of them has to be retried. A dead-lettered
 * report (one command-service cannot act on as sent) steps aside: it waits for an operator, not the payment.
 */
@Repository
class OutcomeOutbox {

    record Entry(long id, String paymentId, String outcome, String body, int attempts, boolean wasDead) { }

    /** A settled-or-stuck report as an operator sees it. */
    record Stored(long id, String paymentId, String outcome, String body, int attempts, String state, String problem,
                  Instant recordedAt, Instant settledAt) { }

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
                SELECT o.id, o.payment_id, o.outcome, o.body, o.attempts, o.was_dead FROM outcome_outbox o
                WHERE o.delivered_at IS NULL AND o.dead_at IS NULL AND o.next_attempt_at <= now()
                  AND NOT EXISTS (SELECT 1 FROM outcome_outbox earlier
                                  WHERE earlier.payment_id = o.payment_id AND earlier.id < o.id
                                    AND earlier.delivered_at IS NULL AND earlier.dead_at IS NULL)
                ORDER BY o.id LIMIT ? FOR UPDATE OF o SKIP LOCKED""",
                (row, n) -> new Entry(row.getLong(1), row.getString(2), row.getString(3), row.getString(4),
                        row.getInt(5), row.getBoolean(6)), limit);
    }

    /** Settled: reported, or refused because the payment's record contradicts it ({@code problem} says how). */
    void delivered(long id, int attempts, CommandServiceClient.Result result, String problem) {
        jdbc.update("UPDATE outcome_outbox SET delivered_at = now(), attempts = ?, result = ?, problem = left(?, 500) WHERE id = ?",
                attempts, result.name().toLowerCase(), problem, id);
    }

    /** Command-service cannot act on it as sent: it waits for an operator, no longer for the relay. */
    void dead(long id, int attempts, String problem) {
        jdbc.update("""
                UPDATE outcome_outbox SET dead_at = now(), was_dead = true, attempts = ?, result = 'dead',
                       problem = left(?, 500) WHERE id = ?""", attempts, problem, id);
    }

    void retryLater(long id, int attempts, long delayMillis, String error) {
        jdbc.update("""
                UPDATE outcome_outbox SET attempts = ?, last_error = left(?, 500),
                       next_attempt_at = now() + make_interval(secs => ?) WHERE id = ?""",
                attempts, error, delayMillis / 1000.0, id);
    }

    /** An operator sends a dead report again. @return false when there is no such dead report */
    boolean revive(long id) {
        return jdbc.update("""
                UPDATE outcome_outbox SET dead_at = NULL, result = NULL, attempts = 0, next_attempt_at = now()
                WHERE id = ? AND dead_at IS NOT NULL""", id) == 1;
    }

    /** An operator gives a dead report up. @return the payment it was about, when there was such a dead report */
    Optional<String> discard(long id) {
        return jdbc.query("""
                UPDATE outcome_outbox SET dead_at = NULL, delivered_at = now(), result = 'discarded'
                WHERE id = ? AND dead_at IS NOT NULL RETURNING payment_id""", (row, n) -> row.getString(1), id)
                .stream().findFirst();
    }

    /** Whether any report of the payment still waits for an operator. */
    boolean anyDead(String paymentId) {
        return Boolean.TRUE.equals(jdbc.queryForObject(
                "SELECT EXISTS (SELECT 1 FROM outcome_outbox WHERE payment_id = ? AND dead_at IS NOT NULL)", Boolean.class,
                paymentId));
    }

    /** Reports in a state an operator looks at: {@code dead} (waiting for them) or {@code refused}, newest first. */
    List<Stored> inState(String state, int limit) {
        String where = state.equals("dead") ? "dead_at IS NOT NULL" : "result = 'refused'";
        return jdbc.query("""
                SELECT id, payment_id, outcome, body, attempts, coalesce(result, 'pending'), problem, recorded_at,
                       coalesce(dead_at, delivered_at) FROM outcome_outbox WHERE %s ORDER BY id DESC LIMIT ?"""
                .formatted(where), (row, n) -> new Stored(row.getLong(1), row.getString(2), row.getString(3),
                row.getString(4), row.getInt(5), row.getString(6), row.getString(7), row.getTimestamp(8).toInstant(),
                row.getTimestamp(9) == null ? null : row.getTimestamp(9).toInstant()), limit);
    }

    long undelivered() {
        return Optional.ofNullable(jdbc.queryForObject(
                "SELECT count(*) FROM outcome_outbox WHERE delivered_at IS NULL AND dead_at IS NULL", Long.class)).orElse(0L);
    }

    long dead() {
        return Optional.ofNullable(jdbc.queryForObject(
                "SELECT count(*) FROM outcome_outbox WHERE dead_at IS NOT NULL", Long.class)).orElse(0L);
    }

    /** Seconds since the oldest undelivered report was recorded; 0 when every report is delivered. */
    double oldestUndeliveredSeconds() {
        return Optional.ofNullable(jdbc.queryForObject("""
                SELECT extract(epoch FROM now() - min(recorded_at)) FROM outcome_outbox
                WHERE delivered_at IS NULL AND dead_at IS NULL""", Double.class)).orElse(0.0);
    }
}

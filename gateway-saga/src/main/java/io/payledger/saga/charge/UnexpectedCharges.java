package io.payledger.saga.charge;

import io.payledger.events.money.Money;
import io.payledger.events.payment.PaymentId;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * The gateway's list of unexpected charges to give back (unexpected_charge): what Fiuu holds or took, under which
 * payment, and how far giving it back has come. A replica claims a due charge for a while before calling Fiuu
 * about it, outside any transaction; replicas skip what another has claimed.
 */
@Repository
class UnexpectedCharges {

    /** One charge to give back. */
    record Charge(String chargeId, PaymentId paymentId, Money amount, boolean captured, int attempts) { }

    private final JdbcTemplate jdbc;

    UnexpectedCharges(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    void add(String chargeId, PaymentId payment, Money amount, boolean captured, String reason) {
        jdbc.update("""
                INSERT INTO unexpected_charge (charge_id, payment_id, amount, currency, captured, reason)
                VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (charge_id) DO NOTHING""",
                chargeId, payment.value(), amount.amount(), amount.currency(), captured, reason);
    }

    /** Claims up to {@code limit} due charges for {@code lease}; each is this replica's to work on until then. */
    List<Charge> claimDue(int limit, java.time.Duration lease) {
        return jdbc.query("""
                UPDATE unexpected_charge SET claimed_until = now() + make_interval(secs => ?)
                WHERE charge_id IN (SELECT charge_id FROM unexpected_charge
                                    WHERE status = 'releasing' AND next_attempt_at <= now()
                                      AND (claimed_until IS NULL OR claimed_until < now())
                                    ORDER BY next_attempt_at LIMIT ? FOR UPDATE SKIP LOCKED)
                RETURNING charge_id, payment_id, amount, currency, captured, attempts""",
                (row, n) -> new Charge(row.getString(1), PaymentId.of(row.getString(2)),
                        Money.of(row.getLong(3), row.getString(4)), row.getBoolean(5), row.getInt(6)),
                lease.toMillis() / 1000.0, limit);
    }

    /** Fiuu gave it back and the release is reported; the event that records it will say released. */
    void reported(String chargeId) {
        jdbc.update("UPDATE unexpected_charge SET status = 'reported', claimed_until = NULL WHERE charge_id = ? AND status = 'releasing'",
                chargeId);
    }

    /** Fiuu took it rather than held it: it is given back by refund from now on. */
    void taken(String chargeId) {
        jdbc.update("UPDATE unexpected_charge SET captured = true WHERE charge_id = ?", chargeId);
    }

    void retryLater(String chargeId, int attempts, long delayMillis, String error) {
        jdbc.update("""
                UPDATE unexpected_charge SET attempts = ?, last_error = left(?, 500), claimed_until = NULL,
                       next_attempt_at = now() + make_interval(secs => ?) WHERE charge_id = ?""",
                attempts, error, delayMillis / 1000.0, chargeId);
    }

    /** It waits for an operator now. */
    void waiting(String chargeId, String error) {
        jdbc.update("UPDATE unexpected_charge SET status = 'waiting', last_error = left(?, 500), claimed_until = NULL WHERE charge_id = ?",
                error, chargeId);
    }

    /** An operator asked for it to be tried again. */
    void retryNow(String chargeId) {
        jdbc.update("""
                UPDATE unexpected_charge SET status = 'releasing', attempts = 0, next_attempt_at = now(), claimed_until = NULL
                WHERE charge_id = ? AND status <> 'released'""", chargeId);
    }

    /** The event that records its release arrived. */
    void released(String chargeId, java.time.Instant at) {
        jdbc.update("UPDATE unexpected_charge SET status = 'released', released_at = ?, claimed_until = NULL WHERE charge_id = ?",
                java.sql.Timestamp.from(at), chargeId);
    }

    long held() {
        return Optional.ofNullable(jdbc.queryForObject("SELECT count(*) FROM unexpected_charge WHERE status <> 'released'",
                Long.class)).orElse(0L);
    }

    double oldestHeldSeconds() {
        return Optional.ofNullable(jdbc.queryForObject("""
                SELECT extract(epoch FROM now() - min(recorded_at)) FROM unexpected_charge WHERE status <> 'released'""",
                Double.class)).orElse(0.0);
    }
}

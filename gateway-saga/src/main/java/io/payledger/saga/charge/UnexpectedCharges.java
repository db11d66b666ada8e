package io.payledger.saga.charge;

import io.payledger.events.money.Money;
import io.payledger.events.payment.PaymentId;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * The gateway's list of unexpected charges to give back (unexpected_charge): what Fiuu holds or took, under which
 * payment, and how far giving it back has come. A replica claims a due charge for a while before calling Fiuu
 * about it, outside any transaction; replicas skip what another has claimed. What happened is recorded only under
 * the claim it was found under, and never over a charge already released: a replica whose claim lapsed (a slow
 * round) cannot undo another's work.
 */
@Repository
class UnexpectedCharges {

    /** One charge to give back, as claimed. */
    record Charge(String chargeId, PaymentId paymentId, Money amount, boolean captured, int attempts, int polls,
                  UUID claim) { }

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

    /** Claims up to {@code limit} due charges for {@code lease}; each is this claim's to work on until then. */
    List<Charge> claimDue(int limit, Duration lease) {
        UUID claim = UUID.randomUUID();
        return jdbc.query("""
                UPDATE unexpected_charge SET claimed_until = now() + make_interval(secs => ?), claimed_by = ?
                WHERE charge_id IN (SELECT charge_id FROM unexpected_charge
                                    WHERE status = 'releasing' AND next_attempt_at <= now()
                                      AND (claimed_until IS NULL OR claimed_until < now())
                                    ORDER BY next_attempt_at LIMIT ? FOR UPDATE SKIP LOCKED)
                RETURNING charge_id, payment_id, amount, currency, captured, attempts, polls""",
                (row, n) -> new Charge(row.getString(1), PaymentId.of(row.getString(2)),
                        Money.of(row.getLong(3), row.getString(4)), row.getBoolean(5), row.getInt(6), row.getInt(7), claim),
                lease.toMillis() / 1000.0, claim, limit);
    }

    /** Fiuu gave it back and the release is reported; the event that records it will say released. */
    boolean reported(Charge charge) {
        return update(charge, "status = 'reported', claimed_until = NULL");
    }

    /** Fiuu took it rather than held it (or holds it rather than took it): given back the other way, at once. */
    void givenBackBy(Charge charge, boolean refund) {
        jdbc.update("""
                UPDATE unexpected_charge SET captured = ?, next_attempt_at = now(), claimed_until = NULL
                WHERE charge_id = ? AND claimed_by = ? AND status = 'releasing'""", refund, charge.chargeId(), charge.claim());
    }

    void retryLater(Charge charge, long delayMillis, String error) {
        jdbc.update("""
                UPDATE unexpected_charge SET attempts = attempts + 1, last_error = left(?, 500), claimed_until = NULL,
                       next_attempt_at = now() + make_interval(secs => ?)
                WHERE charge_id = ? AND claimed_by = ? AND status = 'releasing'""",
                error, delayMillis / 1000.0, charge.chargeId(), charge.claim());
    }

    /** Fiuu is processing the refund that gives it back: asked about again later. */
    void pendingAtFiuu(Charge charge, long delayMillis) {
        jdbc.update("""
                UPDATE unexpected_charge SET polls = polls + 1, accepted_at = coalesce(accepted_at, now()),
                       claimed_until = NULL, next_attempt_at = now() + make_interval(secs => ?)
                WHERE charge_id = ? AND claimed_by = ? AND status = 'releasing'""",
                delayMillis / 1000.0, charge.chargeId(), charge.claim());
    }

    /** It waits for an operator now. @return false when the claim lapsed or the charge was released meanwhile */
    boolean waiting(Charge charge, String error) {
        return jdbc.update("""
                UPDATE unexpected_charge SET status = 'waiting', last_error = left(?, 500), claimed_until = NULL
                WHERE charge_id = ? AND claimed_by = ? AND status = 'releasing'""", error, charge.chargeId(), charge.claim()) == 1;
    }

    /** An operator asked for it to be tried again. */
    void retryNow(String chargeId) {
        jdbc.update("""
                UPDATE unexpected_charge SET status = 'releasing', attempts = 0, polls = 0, next_attempt_at = now(),
                       claimed_until = NULL, claimed_by = NULL
                WHERE charge_id = ? AND status <> 'released'""", chargeId);
    }

    /** The event that records its release arrived. */
    void released(String chargeId, Instant at) {
        jdbc.update("UPDATE unexpected_charge SET status = 'released', released_at = ?, claimed_until = NULL WHERE charge_id = ?",
                Timestamp.from(at), chargeId);
    }

    private boolean update(Charge charge, String set) {
        return jdbc.update("UPDATE unexpected_charge SET " + set + " WHERE charge_id = ? AND claimed_by = ? AND status = 'releasing'",
                charge.chargeId(), charge.claim()) == 1;
    }

    long held() {
        return Optional.ofNullable(jdbc.queryForObject("SELECT count(*) FROM unexpected_charge WHERE status <> 'released'",
                Long.class)).orElse(0L);
    }

    /** The oldest charge Fiuu has not yet agreed to give back (a refund it accepted takes days, and is not counted). */
    double oldestNotAcceptedSeconds() {
        return Optional.ofNullable(jdbc.queryForObject("""
                SELECT extract(epoch FROM now() - min(recorded_at)) FROM unexpected_charge
                WHERE status <> 'released' AND accepted_at IS NULL""", Double.class)).orElse(0.0);
    }
}

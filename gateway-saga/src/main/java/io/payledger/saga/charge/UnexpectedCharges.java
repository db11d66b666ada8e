package io.payledger.saga.charge;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.payledger.events.money.Money;
import io.payledger.events.payment.PaymentId;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * The register of unexpected charges (unexpected_charge): what Fiuu holds or took under a payment's order that is
 * not its authorisation, until it is given back. Giving it back is a Fiuu work item (a release step); this register
 * is what the gauges watch: how many are held, and how long the oldest has waited for Fiuu to agree to give it back
 * (a refund Fiuu accepted takes it days, and is polled, not alerted).
 */
@Repository
public class UnexpectedCharges {

    private final JdbcTemplate jdbc;

    UnexpectedCharges(JdbcTemplate jdbc, MeterRegistry meters) {
        this.jdbc = jdbc;
        Gauge.builder("payledger.unexpected.charges.held", this, UnexpectedCharges::held)
                .description("Unexpected charges Fiuu still holds or took, not yet given back").register(meters);
        Gauge.builder("payledger.unexpected.charges.oldest.outstanding", this, UnexpectedCharges::oldestOutstandingSeconds)
                .baseUnit("seconds").description("Age of the oldest unexpected charge Fiuu has not yet agreed to give back")
                .register(meters);
    }

    public void add(String chargeId, PaymentId payment, Money amount, boolean captured, String reason) {
        jdbc.update("""
                INSERT INTO unexpected_charge (charge_id, payment_id, amount, currency, captured, reason)
                VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (charge_id) DO NOTHING""",
                chargeId, payment.value(), amount.amount(), amount.currency(), captured, reason);
    }

    public void released(String chargeId, Instant at) {
        jdbc.update("UPDATE unexpected_charge SET status = 'released', released_at = ? WHERE charge_id = ?",
                Timestamp.from(at), chargeId);
    }

    long held() {
        return Optional.ofNullable(jdbc.queryForObject("SELECT count(*) FROM unexpected_charge WHERE status <> 'released'",
                Long.class)).orElse(0L);
    }

    double oldestOutstandingSeconds() {
        return Optional.ofNullable(jdbc.queryForObject("""
                SELECT extract(epoch FROM now() - min(c.recorded_at)) FROM unexpected_charge c
                WHERE c.status <> 'released' AND NOT EXISTS (SELECT 1 FROM fiuu_work w WHERE w.payment_id = c.payment_id
                                                             AND w.step = 'release:' || c.charge_id AND w.accepted)""",
                Double.class)).orElse(0.0);
    }
}

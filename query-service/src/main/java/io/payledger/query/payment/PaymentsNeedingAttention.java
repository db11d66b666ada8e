package io.payledger.query.payment;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * {@code payledger_payments_needing_attention}: how many payments have a step waiting for a person right now,
 * counted over the payment view's partial index on each scrape, so an alert holds for as long as one waits.
 */
@Component
class PaymentsNeedingAttention {

    PaymentsNeedingAttention(JdbcTemplate jdbc, MeterRegistry meters) {
        Gauge.builder("payledger.payments.needing.attention", jdbc, database -> Optional.ofNullable(database.queryForObject(
                        "SELECT count(*) FROM payment_view WHERE document ?? 'attention'", Long.class)).orElse(0L))
                .description("Payments with a step waiting for a person (GET /v1/payments?attention=true)").register(meters);
    }
}

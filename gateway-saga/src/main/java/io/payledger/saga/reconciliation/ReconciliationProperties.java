package io.payledger.saga.reconciliation;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How reconciliation runs.
 *
 * @param every       how often the scheduled run starts (one replica runs it)
 * @param window      how far back a scheduled run looks: payments whose last event falls in it are checked
 * @param quietPeriod payments that moved more recently than this are left to the next run: their news may be in flight
 * @param maxPayments the most payments one run asks Fiuu about
 * @param concurrency Fiuu status queries in flight at once (within the Fiuu bulkhead)
 */
@ConfigurationProperties("payledger.reconciliation")
public record ReconciliationProperties(Duration every, Duration window, Duration quietPeriod, int maxPayments,
                                       int concurrency) {

    public ReconciliationProperties {
        every = every == null ? Duration.ofHours(1) : every;
        window = window == null ? Duration.ofHours(48) : window;
        quietPeriod = quietPeriod == null ? Duration.ofMinutes(5) : quietPeriod;
        maxPayments = maxPayments <= 0 ? 20_000 : maxPayments;
        concurrency = concurrency <= 0 ? 4 : concurrency;
    }
}

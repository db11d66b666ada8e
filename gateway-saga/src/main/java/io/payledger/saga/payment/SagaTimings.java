package io.payledger.saga.payment;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * When the saga asks again.
 *
 * @param checkoutRequeryAfter how long a payment may hear nothing before Fiuu is asked about it
 * @param checkoutRequeries    how many times an order Fiuu has no payment for is asked about before it expires
 * @param retryBackoff         the first wait before retrying a call Fiuu did not answer, doubled each time
 * @param maxBackoff           the longest wait between retries
 * @param maxAttempts          how many times a call Fiuu does not answer (or answers pending) is tried before the
 *                             step waits for a person instead (20 attempts at the defaults: about six hours)
 * @param maxPendingPolls      how many times a refund Fiuu answers pending is asked about before a person looks:
 *                             Fiuu takes 7-14 days over a refund (1,100 polls at the 30-minute cap: about 23 days)
 */
@ConfigurationProperties("payledger.saga")
public record SagaTimings(Duration checkoutRequeryAfter, int checkoutRequeries, Duration retryBackoff,
                          Duration maxBackoff, int maxAttempts, int maxPendingPolls) {

    public SagaTimings {
        maxAttempts = maxAttempts <= 0 ? 20 : maxAttempts;
        maxPendingPolls = maxPendingPolls <= 0 ? 1100 : maxPendingPolls;
        checkoutRequeryAfter = checkoutRequeryAfter == null ? Duration.ofMinutes(15) : checkoutRequeryAfter;
        checkoutRequeries = checkoutRequeries <= 0 ? 4 : checkoutRequeries;
        retryBackoff = retryBackoff == null ? Duration.ofSeconds(5) : retryBackoff;
        maxBackoff = maxBackoff == null ? Duration.ofMinutes(30) : maxBackoff;
    }

    /** Exponential backoff with full jitter on the upper half: never two retries in lockstep. */
    public Duration backoff(int attempt) {
        long base = retryBackoff.toMillis() << Math.min(attempt, 20);
        long capped = Math.min(base, maxBackoff.toMillis());
        return Duration.ofMillis(capped / 2 + ThreadLocalRandom.current().nextLong(capped / 2 + 1));
    }
}

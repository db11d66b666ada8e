package io.payledger.saga.webhook;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Delivers recorded webhooks, signed, each payment's in the order they happened (a later event
 * waits while an earlier one of the same payment is undelivered), retrying a non-2xx answer with
 * exponential backoff. Every attempt's outcome stays in webhook_delivery (the delivery log);
 * one that keeps failing is given up after the configured attempts and left there for an operator.
 */
@Component
class WebhookDispatcher {

    private static final Logger log = LoggerFactory.getLogger(WebhookDispatcher.class);

    private record Due(String eventId, String merchantId, String body, int attempts) { }

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transaction;
    private final MerchantWebhookProperties webhooks;
    private final Clock clock;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

    WebhookDispatcher(JdbcTemplate jdbc, TransactionTemplate transaction, MerchantWebhookProperties webhooks, Clock clock) {
        this.jdbc = jdbc;
        this.transaction = transaction;
        this.webhooks = webhooks;
        this.clock = clock;
    }

    @Scheduled(fixedDelayString = "${payledger.webhooks.poll-interval:500ms}")
    void dispatch() {
        transaction.executeWithoutResult(status -> {
            // a payment's events go out in order: one waits while an earlier one of its payment is undelivered
            List<Due> due = jdbc.query("""
                    SELECT d.event_id, d.merchant_id, d.body, d.attempts FROM webhook_delivery d
                    WHERE d.delivered_at IS NULL AND d.given_up_at IS NULL AND d.next_attempt_at <= now()
                      AND NOT EXISTS (SELECT 1 FROM webhook_delivery earlier
                                      WHERE earlier.payment_id = d.payment_id AND earlier.recorded_at < d.recorded_at
                                        AND earlier.delivered_at IS NULL AND earlier.given_up_at IS NULL)
                    ORDER BY d.recorded_at LIMIT 20 FOR UPDATE OF d SKIP LOCKED""",
                    (row, n) -> new Due(row.getString(1), row.getString(2), row.getString(3), row.getInt(4)));
            due.forEach(this::deliver);
        });
    }

    private void deliver(Due delivery) {
        MerchantWebhookProperties.Endpoint endpoint = webhooks.merchants().get(delivery.merchantId());
        int attempt = delivery.attempts() + 1;
        String outcome;
        boolean delivered = false;
        if (endpoint == null) {
            outcome = "no endpoint configured";
        } else {
            try {
                long now = clock.instant().getEpochSecond();
                HttpResponse<Void> answer = http.send(HttpRequest.newBuilder(URI.create(endpoint.url()))
                        .timeout(Duration.ofSeconds(5))
                        .header("Content-Type", "application/json")
                        .header("PayLedger-Event-Id", delivery.eventId())
                        .header("PayLedger-Signature", WebhookSignature.header(now, delivery.body(), endpoint.secret()))
                        .POST(HttpRequest.BodyPublishers.ofString(delivery.body())).build(), HttpResponse.BodyHandlers.discarding());
                delivered = answer.statusCode() / 100 == 2;
                outcome = "HTTP " + answer.statusCode();
            } catch (Exception unreachable) {
                outcome = unreachable.getClass().getSimpleName();
            }
        }
        if (delivered) {
            jdbc.update("UPDATE webhook_delivery SET delivered_at = now(), attempts = ?, last_outcome = ? WHERE event_id = ?",
                    attempt, outcome, delivery.eventId());
        } else if (attempt >= webhooks.maxAttempts()) {
            log.warn("gave up the webhook {} to merchant {} after {} attempts: {}", delivery.eventId(), delivery.merchantId(),
                    attempt, outcome);
            jdbc.update("UPDATE webhook_delivery SET given_up_at = now(), attempts = ?, last_outcome = ? WHERE event_id = ?",
                    attempt, outcome, delivery.eventId());
        } else {
            long wait = Math.min(webhooks.backoff().toMillis() << Math.min(attempt - 1, 20), Duration.ofHours(1).toMillis());
            jdbc.update("""
                    UPDATE webhook_delivery SET attempts = ?, last_outcome = ?,
                           next_attempt_at = now() + make_interval(secs => ?) WHERE event_id = ?""",
                    attempt, outcome, wait / 1000.0, delivery.eventId());
        }
    }
}

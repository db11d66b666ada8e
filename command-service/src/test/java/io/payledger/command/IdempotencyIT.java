package io.payledger.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.payledger.command.support.Api;
import io.payledger.command.support.RealServersIT;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

class IdempotencyIT extends RealServersIT {

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void aReplayedIdempotencyKeyReturnsTheSamePaymentAndWritesNoSecondEvent() {
        String merchant = Api.newMerchant();
        String body = Api.createBody("ORD-REPLAY", 1050, "manual");

        Api.Reply first = api().create(merchant, "key-replay", body);
        Api.Reply second = api().create(merchant, "key-replay", body);

        assertThat(first.status()).isEqualTo(201);
        assertThat(first.header("Idempotent-Replayed")).isNull();
        assertThat(second.status()).isEqualTo(201);
        assertThat(second.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(second.header("Location")).isEqualTo(first.header("Location"));
        assertThat(second.body()).isEqualTo(first.body());
        assertThat(eventsOf(first.body().get("id").asText())).isEqualTo(1);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM merchant_reference WHERE merchant_id = ?", Long.class, merchant))
                .isEqualTo(1);
    }

    @Test
    void theSameKeyWithAnotherBodyIsRefusedAndChangesNothing() {
        String merchant = Api.newMerchant();
        api().create(merchant, "key-reused", Api.createBody("ORD-A", 1050, "manual"));

        Api.Reply reused = api().create(merchant, "key-reused", Api.createBody("ORD-A", 2000, "manual"));

        assertThat(reused.status()).isEqualTo(422);
        assertThat(reused.body().get("code").asText()).isEqualTo("idempotency-key-reused");
        assertThat(jdbc.queryForObject("""
                SELECT count(*) FROM domain_event_entry e JOIN merchant_reference r ON r.payment_id = e.aggregate_identifier
                WHERE r.merchant_id = ?""", Long.class, merchant)).isEqualTo(1);
    }

    @Test
    void keysAreScopedPerMerchant() {
        String body = Api.createBody("ORD-SCOPE", 1050, "manual");

        Api.Reply one = api().create(Api.newMerchant(), "shared-key", body);
        Api.Reply other = api().create(Api.newMerchant(), "shared-key", body);

        assertThat(other.status()).isEqualTo(201);
        assertThat(other.header("Idempotent-Replayed")).isNull();
        assertThat(other.body().get("id")).isNotEqualTo(one.body().get("id"));
    }

    @Test
    void concurrentRequestsWithOneKeyCreateExactlyOnePayment() throws Exception {
        String merchant = Api.newMerchant();
        String body = Api.createBody("ORD-RACE", 1050, "manual");

        List<Api.Reply> replies = concurrently(10, () -> api().create(merchant, "key-race", body));

        assertThat(replies).allSatisfy(reply -> assertThat(reply.status()).isIn(201, 409));
        assertThat(replies).filteredOn(reply -> reply.status() == 201 && reply.header("Idempotent-Replayed") == null)
                .hasSize(1);
        assertThat(replies).filteredOn(reply -> reply.status() == 409)
                .allSatisfy(reply -> assertThat(reply.body().get("code").asText()).isEqualTo("idempotency-key-in-flight"));
        assertThat(jdbc.queryForObject("SELECT count(*) FROM merchant_reference WHERE merchant_id = ?", Long.class, merchant))
                .isEqualTo(1);
    }

    @Test
    void aRefusedRequestReleasesItsKeySoTheMerchantCanRetry() {
        String merchant = Api.newMerchant();
        String id = api().authorisedPayment(merchant);
        String tooMuch = "{\"amount\":5000}";

        Api.Reply refused = api().merchant(merchant, "/v1/payments/" + id + "/captures", "capture-1", tooMuch);
        Api.Reply retried = api().merchant(merchant, "/v1/payments/" + id + "/captures", "capture-1", tooMuch);

        assertThat(refused.status()).isEqualTo(422);
        assertThat(retried.status()).isEqualTo(422);
        assertThat(retried.header("Idempotent-Replayed")).isNull();
    }

    @Test
    void twentyConcurrentCapturesOfOnePaymentLeaveExactlyOneCapture() throws Exception {
        String merchant = Api.newMerchant();
        String id = api().authorisedPayment(merchant);

        List<Api.Reply> replies = concurrently(20, () ->
                api().merchant(merchant, "/v1/payments/" + id + "/captures", java.util.UUID.randomUUID().toString(), null));

        assertThat(replies).filteredOn(reply -> reply.status() == 202).hasSize(1);
        assertThat(replies).filteredOn(reply -> reply.status() != 202)
                .allSatisfy(reply -> assertThat(reply.status()).isEqualTo(409));
        assertThat(jdbc.queryForObject("""
                SELECT count(*) FROM domain_event_entry WHERE aggregate_identifier = ?
                AND payload_type = 'io.payledger.events.payment.CaptureRequested'""", Long.class, id)).isEqualTo(1);
    }

    private long eventsOf(String paymentId) {
        return jdbc.queryForObject("SELECT count(*) FROM domain_event_entry WHERE aggregate_identifier = ?", Long.class, paymentId);
    }

    private static List<Api.Reply> concurrently(int count, Callable<Api.Reply> call) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(count);
        try {
            java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
            List<Future<Api.Reply>> futures = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                futures.add(pool.submit(() -> {
                    start.await();
                    return call.call();
                }));
            }
            start.countDown();
            List<Api.Reply> replies = new ArrayList<>();
            for (Future<Api.Reply> future : futures) {
                replies.add(future.get());
            }
            return replies;
        } finally {
            pool.shutdownNow();
        }
    }
}

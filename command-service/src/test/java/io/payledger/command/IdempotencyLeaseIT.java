package io.payledger.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.payledger.command.support.Api;
import io.payledger.command.support.RealServersIT;
import io.payledger.localstack.servers.RealServers;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;

/**
 * An Idempotency-Key whose first request outlives its lease: a second request with the key takes it over,
 * and the key's holder is then the second request alone. The first may not store its outcome, nor release
 * the key, so exactly one outcome is stored and replayed, and a refund is never made twice.
 */
@TestPropertySource(properties = "payledger.idempotency.lease=1s")
class IdempotencyLeaseIT extends RealServersIT {

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void aRefundRetriedWithItsKeyAfterTheLeaseRanOutWhileTheFirstStillRunsIsMadeOnce() throws Exception {
        String merchant = Api.newMerchant();
        String id = api().authorisedPayment(merchant);
        api().merchant(merchant, "/v1/payments/" + id + "/captures", null, "{}");
        api().gateway(id, "/capture", "{\"gatewayTransactionId\":\"3000001\"}");
        String refund = "/v1/payments/" + id + "/refunds";

        CompletableFuture<Api.Reply> first;
        CompletableFuture<Api.Reply> retried;
        try (Connection holdsTheLog = DriverManager.getConnection(RealServers.postgres().jdbcUrl(database()),
                RealServers.postgres().username(), RealServers.postgres().password())) {
            holdsTheLog.setAutoCommit(false);
            // every append waits: the first refund takes its key, then stalls past its lease
            holdsTheLog.createStatement().execute("LOCK TABLE domain_event_entry IN SHARE ROW EXCLUSIVE MODE");
            first = CompletableFuture.supplyAsync(() -> api().merchant(merchant, refund, "refund-key", "{\"amount\":300}"));
            await().atMost(Duration.ofSeconds(10)).until(() -> keyState(merchant), state -> state.equals(List.of("in_flight")));
            // the lease (1 s) runs out while the first request still runs
            await().atMost(Duration.ofSeconds(10)).until(() -> leaseRunOut(merchant));
            retried = CompletableFuture.supplyAsync(() -> api().merchant(merchant, refund, "refund-key", "{\"amount\":300}"));
            // the retry takes the key over, which renews its lease
            await().atMost(Duration.ofSeconds(10)).until(() -> !leaseRunOut(merchant));
            holdsTheLog.rollback();
        }
        Api.Reply one = first.get(30, TimeUnit.SECONDS);
        Api.Reply other = retried.get(30, TimeUnit.SECONDS);

        assertThat(refundsRequested(id)).as("refunds made").isEqualTo(1);
        assertThat(List.of(one.status(), other.status())).contains(202);
        Api.Reply again = api().merchant(merchant, refund, "refund-key", "{\"amount\":300}");
        assertThat(again.status()).isEqualTo(202);
        assertThat(again.header("Idempotent-Replayed")).isEqualTo("true");
        Api.Reply winner = one.status() == 202 ? one : other;
        assertThat(again.body()).isEqualTo(winner.body());
        assertThat(refundsRequested(id)).isEqualTo(1);
    }

    private List<String> keyState(String merchant) {
        return jdbc.queryForList("SELECT state FROM idempotency_key WHERE merchant_id = ? AND idempotency_key = 'refund-key'", String.class, merchant);
    }

    private boolean leaseRunOut(String merchant) {
        return jdbc.queryForObject("SELECT locked_until <= now() FROM idempotency_key WHERE merchant_id = ? AND idempotency_key = 'refund-key'", Boolean.class,
                merchant);
    }

    private long refundsRequested(String paymentId) {
        return jdbc.queryForObject("""
                SELECT count(*) FROM domain_event_entry WHERE aggregate_identifier = ?
                AND payload_type = 'io.payledger.events.payment.RefundRequested'""", Long.class, paymentId);
    }
}

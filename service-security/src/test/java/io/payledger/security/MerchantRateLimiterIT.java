package io.payledger.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.payledger.localstack.servers.RealServers;
import io.payledger.localstack.servers.RedisServer;
import java.net.ServerSocket;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The limiter against a real Redis, as two replicas would use it. */
class MerchantRateLimiterIT {

    private final RedisServer redis = RealServers.redis();
    private final String merchant = "m-" + UUID.randomUUID();
    private final RateLimitProperties properties = new RateLimitProperties(true,
            "redis://" + redis.host() + ":" + redis.port(), new RateLimitProperties.Limit(1, 5),
            Map.of("m-generous", new RateLimitProperties.Limit(100, 50)));

    @Test
    void twoReplicasDrawFromOneBucketPerMerchant() {
        try (MerchantRateLimiter first = new MerchantRateLimiter(properties, "test-api", new SimpleMeterRegistry());
             MerchantRateLimiter second = new MerchantRateLimiter(properties, "test-api", new SimpleMeterRegistry())) {
            int allowed = 0;
            for (int i = 0; i < 10; i++) {
                allowed += (i % 2 == 0 ? first : second).tryAcquire(merchant).allowed() ? 1 : 0;
            }

            assertThat(allowed).as("the burst of 5, shared, and at most one refill meanwhile").isBetween(5, 6);
            MerchantRateLimiter.Decision refused = first.tryAcquire(merchant);
            assertThat(refused.allowed()).isFalse();
            assertThat(refused.retryAfterSeconds()).isEqualTo(1);
        }
    }

    @Test
    void aGenerousMerchantCountedLocallyOnTwoReplicasOvershootsItsBurstByNoMoreThanEachReplicasSlack() {
        String generous = "m-generous";
        try (MerchantRateLimiter first = new MerchantRateLimiter(properties, "slack-api", new SimpleMeterRegistry());
             MerchantRateLimiter second = new MerchantRateLimiter(properties, "slack-api", new SimpleMeterRegistry())) {
            long started = System.nanoTime();
            int allowed = 0;
            for (int i = 0; i < 400; i++) {
                allowed += (i % 2 == 0 ? first : second).tryAcquire(generous).allowed() ? 1 : 0;
            }
            double seconds = (System.nanoTime() - started) / 1e9;

            // burst 50 and 100/s: each replica may count up to a tenth of the rate (10) before it synchronises
            assertThat(allowed).isGreaterThanOrEqualTo(50)
                    .isLessThanOrEqualTo(50 + 2 * 10 + (int) Math.ceil(seconds * 100));
        }
    }

    @Test
    void oneMerchantsBurstLeavesAnotherMerchantsBucketAlone() {
        try (MerchantRateLimiter limiter = new MerchantRateLimiter(properties, "test-api", new SimpleMeterRegistry())) {
            for (int i = 0; i < 10; i++) {
                limiter.tryAcquire(merchant);
            }

            assertThat(limiter.tryAcquire(merchant + "-other").allowed()).isTrue();
        }
    }

    @Test
    void aMerchantWithItsOwnLimitGetsIt() {
        try (MerchantRateLimiter limiter = new MerchantRateLimiter(properties, "test-api", new SimpleMeterRegistry())) {
            long allowed = java.util.stream.IntStream.range(0, 40).filter(i -> limiter.tryAcquire("m-generous").allowed()).count();

            assertThat(allowed).isEqualTo(40);
        }
    }

    @Test
    void withoutRedisRequestsPassAndAreCountedAsUnlimited() throws Exception {
        int nothingListens;
        try (ServerSocket socket = new ServerSocket(0)) {
            nothingListens = socket.getLocalPort();
        }
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        RateLimitProperties unreachable = new RateLimitProperties(true, "redis://127.0.0.1:" + nothingListens,
                new RateLimitProperties.Limit(1, 1), Map.of());
        try (MerchantRateLimiter limiter = new MerchantRateLimiter(unreachable, "test-api", meters)) {
            assertThat(limiter.tryAcquire(merchant).allowed()).isTrue();
            assertThat(limiter.tryAcquire(merchant).allowed()).isTrue();
        }

        assertThat(meters.get("payledger.rate.limit").tag("result", "unavailable").counter().count()).isEqualTo(2);
    }
}

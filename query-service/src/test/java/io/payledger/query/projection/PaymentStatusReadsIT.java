package io.payledger.query.projection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import io.payledger.events.chain.EventHashChain;
import io.payledger.localstack.tokens.DevTokens;
import io.payledger.query.QueryServiceOnRealServers;
import io.payledger.query.payment.PaymentStatusCache;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.axonframework.messaging.MetaData;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** Where status reads are answered from, and how Redis heals after a lost write, on real PostgreSQL and Redis. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class PaymentStatusReadsIT {

    @DynamicPropertySource
    static void realServers(DynamicPropertyRegistry properties) {
        QueryServiceOnRealServers.register(properties, "status_reads_it");
    }

    @Autowired
    ReadModelProjection projection;
    @Autowired
    PaymentStatusCache statuses;
    @Autowired
    StringRedisTemplate redis;
    @Autowired
    MeterRegistry meters;
    @Autowired
    ObjectMapper json;
    @LocalServerPort
    int port;

    @Test
    void aReadAskingForTheVersionJustProjectedIsAnsweredFromMemoryAndOnlyToItsMerchant() throws Exception {
        String merchant = "m-mem-" + UUID.randomUUID().toString().substring(0, 6);
        String payment = projected(merchant, 6);
        double before = reads("memory");

        HttpResponse<String> own = get(payment, "?consistentWith=5", DevTokens.merchant(merchant));
        HttpResponse<String> other = get(payment, "?consistentWith=5", DevTokens.merchant("m-someone-else"));
        HttpResponse<String> plain = get(payment, "", DevTokens.merchant(merchant)); // Redis: shared, never behind another replica

        assertThat(own.statusCode()).isEqualTo(200);
        assertThat(json.readTree(own.body()).get("version").asLong()).isEqualTo(5);
        assertThat(own.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
        assertThat(other.statusCode()).isEqualTo(404);
        assertThat(plain.statusCode()).isEqualTo(200);
        assertThat(reads("memory")).isEqualTo(before + 2);
    }

    @Test
    void aStatusRedisRefusedToStoreIsWrittenAgainOnceRedisTakesWritesAgain() throws Exception {
        String merchant = "m-lost-" + UUID.randomUUID().toString().substring(0, 6);
        String payment;
        redis.execute((org.springframework.data.redis.core.RedisCallback<Object>) connection -> {
            connection.serverCommands().setConfig("maxmemory-policy", "noeviction");
            connection.serverCommands().setConfig("maxmemory", "1");
            return null;
        });
        try {
            payment = projected(merchant, 3);
            assertThat(redis.opsForHash().get(key(payment), "version")).as("Redis took a write over its memory limit").isNull();
        } finally {
            redis.execute((org.springframework.data.redis.core.RedisCallback<Object>) connection -> {
                connection.serverCommands().setConfig("maxmemory", "0");
                return null;
            });
        }
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(redis.opsForHash().get(key(payment), "version")).isEqualTo("2"));
    }

    @Test
    void aReadAskingForAVersionRedisLacksIsAnsweredFromPostgresAndRepairsRedis() throws Exception {
        String merchant = "m-stale-" + UUID.randomUUID().toString().substring(0, 6);
        String payment = projected(merchant, 6);
        // what a lost write leaves: Redis at an older version than PostgreSQL, and no replica remembering better
        redis.opsForHash().put(key(payment), "version", "1");
        statuses.forgetRecent();

        HttpResponse<String> answer = get(payment, "?consistentWith=5", DevTokens.merchant(merchant));

        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.headers().firstValue("Consistency")).as("answered stale though PostgreSQL is current").isEmpty();
        assertThat(json.readTree(answer.body()).get("version").asLong()).isEqualTo(5);
        assertThat(redis.opsForHash().get(key(payment), "version")).isEqualTo("5");
    }

    /** Projects the first {@code events} events of a payment's life; its id. */
    private String projected(String merchant, int events) {
        List<ReadModelProjectionIT.Delivered> life = ReadModelProjectionIT.lifecycle(merchant);
        for (ReadModelProjectionIT.Delivered delivered : life.subList(0, events)) {
            projection.project(List.of(ReadModelProjectionIT.projected(delivered,
                    MetaData.with(EventHashChain.PREVIOUS_HASH, "0".repeat(64)).and(EventHashChain.HASH, "1".repeat(64)))));
        }
        return life.get(0).event().paymentId().value();
    }

    private double reads(String tier) {
        return meters.counter("payledger.payment.status.reads", "tier", tier).count();
    }

    private HttpResponse<String> get(String payment, String query, String token) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://localhost:" + port
                        + "/v1/payments/" + payment + query)).header("Authorization", "Bearer " + token).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String key(String payment) {
        return "payledger:payment:" + payment;
    }
}

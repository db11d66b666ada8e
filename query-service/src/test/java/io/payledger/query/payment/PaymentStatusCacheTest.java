package io.payledger.query.payment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mockito.Mockito;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.jdbc.core.JdbcTemplate;

class PaymentStatusCacheTest {

    @Test
    void answersKeptInMemoryLeaveItWhenTheyExpireEvenIfNothingReadsOrWritesAgain() {
        PaymentStatusCache cache = new PaymentStatusCache(Mockito.mock(StringRedisTemplate.class),
                Mockito.mock(JdbcTemplate.class), new ObjectMapper(), new SimpleMeterRegistry(), 1000, Duration.ofMillis(200));
        try {
            cache.putAll(List.of(new PaymentView("pay_1", "m-1", "{}", 0), new PaymentView("pay_2", "m-1", "{}", 3)));
            assertThat(cache.answersInMemory()).isEqualTo(2);

            await().atMost(Duration.ofSeconds(5)).until(() -> cache.answersInMemory() == 0);
        } finally {
            cache.stop();
        }
    }
}

package io.payledger.axon.tls;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.mock.env.MockEnvironment;

class TlsRequiredTest {

    private static final String[] SECURE = {
            "spring.datasource.url=jdbc:postgresql://pg:5432/payledger_command?sslmode=verify-full",
            "axon.kafka.bootstrap-servers=kafka:9094", "axon.kafka.properties.security.protocol=SSL",
            "spring.data.redis.host=redis", "spring.data.redis.ssl.enabled=true",
            "payledger.rate-limits.enabled=true", "payledger.rate-limits.redis-uri=rediss://redis:6380"};

    private final ApplicationContextRunner context = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(TlsRequired.class));

    @Test
    void inProductionEveryConnectionOverTlsStarts() {
        context.withPropertyValues("spring.profiles.active=production").withPropertyValues(SECURE)
                .run(started -> assertThat(started).hasNotFailed());
    }

    @Test
    void inProductionAPlaintextConnectionRefusesToStartAndSaysWhich() {
        context.withPropertyValues("spring.profiles.active=production").withPropertyValues(SECURE)
                .withPropertyValues("spring.datasource.url=jdbc:postgresql://pg:5432/payledger_command?sslmode=require")
                .run(started -> assertThat(started).hasFailed().getFailure()
                        .hasMessage("the production profile requires TLS on every connection: "
                                + "[PostgreSQL (spring.datasource.url needs sslmode=verify-full)]"));
    }

    @Test
    void everyPlaintextConnectionIsNamed() {
        MockEnvironment plain = new MockEnvironment()
                .withProperty("spring.datasource.url", "jdbc:postgresql://pg:5432/db")
                .withProperty("axon.kafka.bootstrap-servers", "kafka:9092")
                .withProperty("spring.data.redis.host", "redis")
                .withProperty("payledger.rate-limits.enabled", "true")
                .withProperty("payledger.rate-limits.redis-uri", "redis://redis:6379");

        assertThat(TlsRequired.plaintextConnections(plain)).hasSize(4);
    }

    @Test
    void outsideProductionPlaintextIsAllowed() {
        context.withPropertyValues("spring.datasource.url=jdbc:postgresql://localhost:5432/db")
                .run(started -> assertThat(started).hasNotFailed());
    }
}
